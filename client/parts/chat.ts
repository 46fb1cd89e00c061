// Channels: a list with unread counts, the selected channel's messages, and a box to post (where the seat may).
import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import type { GameView } from '../../shared/views.ts';
import type { Connection } from '../lib/connection.ts';
import { teamColor, teamName, time } from '../lib/format.ts';
import { notify } from '../lib/notify.ts';
import { unreadAnnouncements } from './common.ts';
import { getRead, putRead } from '../lib/seats.ts';
import { recall, remember } from '../lib/tab-memory.ts';

const ORDER = (id: string) => (id === 'announcements' ? 0 : id === 'plenary' ? 1 : id.startsWith('team:') ? 2 : 3);

export class ChatPanel {
  selected: string | null = null;
  private drafts: Record<string, string> = {};
  private read: Record<string, number>;
  private sending = false;

  constructor(
    private conn: Connection,
    private gameId: string,
    private seatKey: string,
    private rerender: () => void,
    private only?: string[],
  ) {
    this.read = getRead(gameId, seatKey);
    // A refresh keeps the chosen channel and what was half typed in each (this tab only).
    const kept = recall<{ selected: string | null; drafts: Record<string, string> }>(this.keepKey);
    if (kept) {
      this.selected = kept.selected;
      this.drafts = kept.drafts ?? {};
    }
  }

  private get keepKey() {
    return `flywheel:chat:${this.gameId}:${this.seatKey}`;
  }

  private keep() {
    remember(this.keepKey, { selected: this.selected, drafts: this.drafts });
  }

  channels(v: GameView) {
    return v.channels.filter((c) => !this.only || this.only.includes(c.id)).sort((a, b) => ORDER(a.id) - ORDER(b.id));
  }

  /** Lines the channel holds in all: those in the view and the older ones it leaves out. */
  private count(v: GameView, channel: string) {
    return (v.earlierMessages[channel] ?? 0) + v.messages.filter((m) => m.channel === channel).length;
  }
  /** Who this seat posts as: its team, or 'control' for the White Cell. */
  private mine(v: GameView) {
    return v.audience.kind === 'team' ? v.audience.team : v.audience.kind === 'control' ? 'control' : null;
  }
  /**
   * Lines since this seat last read the channel, less its own (a White Cell's announcement is not news to it) and
   * less the announcements the banner shows: the banner counts those until dismissed, and one line is not news twice.
   */
  unread(v: GameView, channel: string) {
    const n = Math.max(0, this.count(v, channel) - (this.read[channel] ?? 0));
    if (!n) return 0;
    const mine = this.mine(v);
    const inBanner = new Set(channel === 'announcements' ? unreadAnnouncements(v, this.seatKey) : []);
    const shown = v.messages.filter((m) => m.channel === channel);
    return n - shown.slice(Math.max(0, shown.length - n)).filter((m) => m.from === mine || inBanner.has(m)).length;
  }
  totalUnread(v: GameView) {
    return this.channels(v).reduce((n, c) => n + this.unread(v, c.id), 0);
  }

  /** The announcements banner was dismissed: what it showed is read here too. */
  announcementsRead(v: GameView) {
    this.markRead(v, 'announcements');
  }

  private markRead(v: GameView, channel: string) {
    const n = this.count(v, channel);
    if (this.read[channel] !== n) {
      this.read = { ...this.read, [channel]: n };
      putRead(this.gameId, this.seatKey, this.read);
    }
  }

  private label(v: GameView, c: GameView['channels'][number]) {
    if (c.id.startsWith('bi:')) return c.members.map((m) => teamName(v, m, true)).join(' – ');
    if (c.id.startsWith('team:')) return v.audience.kind === 'team' ? 'Our team' : c.name;
    return c.name;
  }

  /** The channel shown: the one chosen, or plenary (else the first) when none is or it is gone. */
  private current(v: GameView, channels = this.channels(v)) {
    if (!this.selected || !channels.some((c) => c.id === this.selected)) {
      this.selected = (channels.find((c) => c.id === 'plenary') ?? channels[0])?.id ?? null;
    }
    return channels.find((c) => c.id === this.selected);
  }

  /**
   * The panel is on screen: the channel it shows counts as read. A console calls this before it counts what is
   * unread for its tab's badge and the page's title, so that neither counts the messages being read.
   */
  seen(v: GameView) {
    const ch = this.current(v);
    if (ch) this.markRead(v, ch.id);
  }

  /**
   * `visible`: the panel is on screen, so the selected channel counts as read. `level`: the channel title's heading
   * level, one under the heading the panel sits beneath (a console's tab sits under the page's h1).
   */
  view(v: GameView, visible: boolean, opts: { title?: string; level?: 2 | 3 } = {}) {
    const channels = this.channels(v);
    const ch = this.current(v, channels);
    if (!ch) return html`<p class="muted">No channels.</p>`;
    if (visible) this.markRead(v, ch.id);
    const messages = v.messages.filter((m) => m.channel === ch.id);
    const mine = this.mine(v);
    const title = html`${this.label(v, ch)}${
      ch.id.startsWith('bi:') || ch.id === 'plenary' || ch.id.startsWith('team:')
        ? nothing
        : html` <span class="muted small">(only the White Cell posts here)</span>`
    }`;
    return html`<div class="chat">
      <nav class="chat-list" aria-label=${opts.title ?? 'Channels'}>
        ${channels.map((c) => {
          const unread = this.unread(v, c.id);
          return html`<button type="button" class="chan ${c.id === ch.id ? 'active' : ''}"
            aria-current=${c.id === ch.id ? 'true' : 'false'}
            data-channel=${c.id} @click=${() => {
              this.selected = c.id;
              this.keep();
              this.rerender();
            }}>
            <span>${this.label(v, c)}</span>${
              unread ? html`<span class="count" aria-label="${unread} unread">${unread}</span>` : nothing
            }
          </button>`;
        })}
      </nav>
      <section class="chat-main" aria-label="${this.label(v, ch)} messages">
        ${(opts.level ?? 2) === 2 ? html`<h2 class="chat-title">${title}</h2>` : html`<h3 class="chat-title">${title}</h3>`}
        ${
          v.earlierMessages[ch.id]
            ? html`<button type="button" class="link small earlier" @click=${() => this.earlier(ch.id)}>
          Show earlier messages (${v.earlierMessages[ch.id]} more)</button>`
            : nothing
        }
        <ol class="messages" data-autoscroll data-count=${messages.length} tabindex="0" aria-label="Messages">
          ${
            messages.length
              ? messages.map(
                  (m) => html`<li class="msg ${m.from === mine ? 'mine' : ''}"
              style="--team:${m.from === 'control' ? '#444c56' : teamColor(v, m.from)}">
            <div class="msg-head"><strong>${
              m.from === 'control' ? 'White Cell' : teamName(v, m.from, true)
            }</strong> · ${m.name}
              <span class="muted small">${time(m.at)}${m.round ? ` · round ${m.round}` : ''}</span></div>
            <div class="msg-text" dir="auto">${m.text}</div></li>`,
                )
              : html`<li class="muted empty">No messages yet.</li>`
          }
        </ol>
        ${
          ch.canPost
            ? html`<form class="post" @submit=${(e: Event) => this.post(e, ch.id)}>
          <label class="sr-only" for="post-${ch.id}">Message to ${this.label(v, ch)}</label>
          <textarea dir="auto" id="post-${ch.id}" rows="2" maxlength="2000" placeholder="Write to ${this.label(v, ch)}…"
            .value=${live(this.drafts[ch.id] ?? '')}
            @input=${(e: Event) => {
              this.drafts[ch.id] = (e.target as HTMLTextAreaElement).value;
              this.keep();
            }}
            @keydown=${(e: KeyboardEvent) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                (e.target as HTMLTextAreaElement).form?.requestSubmit();
              }
            }}></textarea>
          <button type="submit" class="primary" ?disabled=${this.sending}
            >${this.sending ? 'Sending…' : 'Send'}</button>
        </form>`
            : nothing
        }
      </section>
    </div>`;
  }

  private async earlier(channel: string) {
    if (!(await this.conn.loadEarlier(channel))) notify('Earlier messages could not be loaded; try again.', 'error');
    this.rerender();
  }

  private async post(e: Event, channel: string) {
    e.preventDefault();
    const text = (this.drafts[channel] ?? '').trim();
    if (!text) return;
    this.sending = true;
    this.rerender();
    const res = await this.conn.send({ type: 'chat.post', channel, text });
    this.sending = false;
    if (res.ok) {
      this.drafts[channel] = '';
      this.keep();
    } else notify(res.error.message, 'error');
    this.rerender();
  }
}
