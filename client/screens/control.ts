// The White Cell console: the clock, every team's draft, the adjudication table, injects, channels, seats and secrets.
import { html, nothing, type TemplateResult } from 'lit';
import type { GameView } from '../../shared/views.ts';
import { serverNow } from '../lib/api.ts';
import { rerender } from '../lib/app.ts';
import { draftIsEmpty, phaseName, underlyingPhase } from '../lib/format.ts';
import { endsEarly } from '../../shared/phases.ts';
import type { Connection, LiveState } from '../lib/connection.ts';
import type { Seat } from '../lib/seats.ts';
import { ChatPanel } from '../parts/chat.ts';
import {
  connectionBanner,
  dealSummary,
  debriefView,
  meterGrid,
  phaseBar,
  recordTimeline,
  teamChip,
  tiersList,
} from '../parts/common.ts';
import { Sender, TabChoice, type Tab, tabbedMain } from '../parts/console.ts';
import { AdjudicationTab } from './control/adjudication.ts';
import { InjectsTab } from './control/injects.ts';
import { SeatsTab } from './control/seats.ts';
import { FormsPanel, RecordPanel } from '../parts/record.ts';
import { teamsAtTable } from '../lib/roll-call.ts';

const TABS = [
  'overview',
  'adjudication',
  'injects',
  'talk',
  'deals',
  'board',
  'secrets',
  'seats',
  'debrief',
  'record',
] as const;

/** Phases in which teams draft their moves (a team's badge says drafting or locked only then). */
const DRAFTING = new Set(['negotiation', 'submission']);

const NEXT: Record<string, string> = {
  briefing: 'Start round 1',
  injects: 'Publish waiting injects, open negotiation',
  negotiation: 'Open submission',
  submission: 'Close submissions and adjudicate',
  adjudication: 'Approve and reveal',
  reveal: 'Next round',
};

export class ControlConsole {
  private tab = new TabChoice(TABS, 'overview');
  private chat: ChatPanel;
  private sender: Sender;
  private adjudication: AdjudicationTab;
  private injects: InjectsTab;
  private seats: SeatsTab;
  private record: RecordPanel;
  private forms: FormsPanel;
  private sawDebrief = false;
  /** On a phone or tablet, the clock's less urgent controls are folded behind "More clock controls": open or not. */
  private moreOpen = false;

  constructor(conn: Connection, seat: Seat, key: string) {
    this.chat = new ChatPanel(conn, seat.gameId, key, rerender);
    this.sender = new Sender(conn);
    this.adjudication = new AdjudicationTab(this.sender);
    this.injects = new InjectsTab(this.sender);
    this.seats = new SeatsTab(seat, this.sender);
    this.record = new RecordPanel(conn, seat, key);
    this.forms = new FormsPanel(conn, seat);
  }

  unread(v: GameView) {
    if (this.tab.current === 'talk') this.chat.seen(v);
    return this.chat.totalUnread(v);
  }

  view(s: LiveState): TemplateResult {
    const v = s.view!;
    const c = v.control!;
    const queue = c.adjudication?.lines.filter((l) => l.freeform && !l.freeform.ruled) ?? [];
    const pending = v.injects.filter((i) => i.status === 'pending').length;
    // The moment the debrief opens, show it (once: the White Cell may then look elsewhere).
    if (v.debrief && !this.sawDebrief) {
      this.sawDebrief = true;
      this.tab.show('debrief', '#debrief-h');
    }
    // The channel on screen is read before the badge counts it (its own messages, a message just sent).
    if (this.tab.current === 'talk') this.chat.seen(v);
    const unread = this.chat.totalUnread(v);
    const tabs: Tab[] = [
      ...(v.debrief ? [{ id: 'debrief', label: 'Debrief' }] : []),
      { id: 'overview', label: 'Teams' },
      {
        id: 'adjudication',
        label: 'Adjudication',
        badge: c.adjudication ? (queue.length ? `${queue.length} free-form` : 'ready') : undefined,
      },
      {
        id: 'injects',
        label: 'Injects',
        badge: pending ? String(pending) : undefined,
        badgeLabel: `${pending} waiting to publish`,
      },
      { id: 'talk', label: 'Channels', badge: unread ? String(unread) : undefined, badgeLabel: `${unread} unread` },
      { id: 'deals', label: 'Deals' },
      { id: 'board', label: 'Board' },
      { id: 'secrets', label: 'Briefings & covert' },
      { id: 'seats', label: 'Seats' },
      { id: 'record', label: 'Record' },
    ];
    let body: TemplateResult;
    switch (this.tab.current) {
      case 'debrief':
        body = html`${debriefView(v)}${this.record.hotwash(v)}`;
        break;
      case 'record':
        body = html`${this.record.exports(v, { replay: true })}<div class="cols">${this.record.notes(v)}
          <div>${this.forms.view(v)}${this.record.hotwash(v)}${this.record.fork(v)}</div></div>`;
        break;
      case 'adjudication':
        body = this.adjudication.view(v);
        break;
      case 'injects':
        body = this.injects.view(v);
        break;
      case 'talk':
        body = this.chat.view(v, true);
        break;
      case 'deals':
        body = this.dealsTab(v);
        break;
      case 'board':
        body = html`${meterGrid(v)}<div class="cols"><section class="card"><h2>Tiers</h2>${tiersList(v)}</section>
        <section class="card"><h2>The record</h2>${recordTimeline(v)}</section></div>`;
        break;
      case 'secrets':
        body = this.secretsTab(v);
        break;
      case 'seats':
        body = this.seats.view(v, s);
        break;
      default:
        body = this.overviewTab(v, s);
    }
    return html`
      <header class="top control-top">
        <div class="brand">Flywheel</div>
        <div class="who"><strong>White Cell</strong> <span class="muted">· ${v.game.title}</span></div>
      </header>
      ${tabbedMain(
        html`${connectionBanner(s)}${phaseBar(v)}${this.timers(v, s)}`,
        tabs,
        this.tab.current,
        this.tab.go,
        'White Cell console',
        body,
        'wc-head',
      )}`;
  }

  // ---- the clock -----------------------------------------------------------------------------------------

  /** An ending reached before the last round: the White Cell may play on, and the ending stays on the record. */
  private playOn(v: GameView) {
    const g = v.game;
    if (g.phase !== 'reveal' || !g.ending || !endsEarly(g) || g.paused) return nothing;
    const ending = g.ending;
    return html`<button type="button" ?disabled=${this.sender.busy} @click=${() =>
      this.sender.ask(
        `The exercise reached "${ending.name}" in round ${ending.round}. Play on to round ${g.round + 1}? ` +
          'The ending stays on the record and in the debrief.',
        'Yes, play on',
        { type: 'game.playOn' },
        'Playing on: the ending stays on the record.',
      )}>Play on past this ending</button>`;
  }

  private timers(v: GameView, s: LiveState) {
    const g = v.game;
    const phase = g.phase;
    const running = !['lobby', 'debrief', 'ended', 'paused'].includes(phase);
    const ext = (sec: number, label: string) => {
      const cmd = { type: 'phase.extend', seconds: sec } as const;
      const ok = `Clock ${sec > 0 ? 'extended' : 'shortened'} by ${Math.abs(sec / 60)} min.`;
      // Taking away more time than is left ends the phase at once: ask first.
      const click = () =>
        sec < 0 && !g.paused && g.deadline !== null && g.deadline - serverNow() <= -sec * 1000
          ? this.sender.ask(
              `Less than ${Math.abs(sec / 60)} min is left: this ends ${phaseName(phase)} now${
                phase === 'injects' ? ' and publishes the waiting injects' : ''
              }. Go on?`,
              'Yes, end the phase',
              cmd,
              ok,
            )
          : void this.sender.send(cmd, ok);
      // Paused, the buttons move the time left when the exercise resumes.
      const clockless = g.paused ? g.paused.remaining === null : g.deadline === null;
      return html`<button type="button" class="small" ?disabled=${this.sender.busy || clockless}
        @click=${click}>${label}</button>`;
    };
    const drafting = v.teams.filter((t) => t.players > 0 && t.submitted === false);
    const empty = (t: string) => {
      const d = v.control!.drafts[t];
      return !d || draftIsEmpty(d);
    };
    const advance = () =>
      phase === 'submission' && drafting.length
        ? this.sender.ask(
            `Not locked: ${drafting.map((t) => `${t.name}${empty(t.id) ? ' (nothing drafted: no moves)' : ''}`).join(', ')}. ` +
              `Their draft${drafting.length > 1 ? 's are' : ' is'} taken as ${drafting.length > 1 ? 'they stand' : 'it stands'}. Close submissions?`,
            'Yes, close submissions',
            { type: 'phase.advance' },
          )
        : phase === 'adjudication'
          ? this.sender.ask('Approve the outcome and reveal it to everyone?', 'Yes, reveal', {
              type: 'phase.advance',
            })
          : phase === 'reveal' && g.ending && endsEarly(g)
            ? this.sender.ask(
                `This ends the exercise at round ${g.round} of ${g.rounds}, with "${g.ending.name}", and opens the ` +
                  'debrief. It cannot be undone (a fork can play on from here). End the exercise?',
                'Yes, end the exercise',
                { type: 'phase.advance' },
              )
            : void this.sender.send({ type: 'phase.advance' });
    // While the exercise runs, Pause or Resume and the phase's button are what a facilitator may need at any moment.
    // On a phone or a tablet the rest (the clock's ±min, the roll call, ending the exercise) folds behind "More clock
    // controls", so the head leaves the screen to the tab; a wider screen shows everything and never shows the toggle.
    const folding = running || !!g.paused;
    const fold = folding ? 'fold' : '';
    return html`<section class="timers ${folding ? 'folding' : ''} ${folding && this.moreOpen ? 'open' : ''}"
      aria-label="Clock and phase controls">
      ${
        phase === 'lobby'
          ? html`<button type="button" class="primary" ?disabled=${this.sender.busy}
              @click=${() => this.sender.send({ type: 'game.start' }, 'The exercise has started: briefing.')}
              >Start the exercise</button>`
          : nothing
      }
      ${
        running && !g.paused
          ? html`<button type="button" class="primary advance" ?disabled=${this.sender.busy} @click=${advance}>
        ${phase === 'reveal' && (g.round >= g.rounds || g.ending) ? 'Go to the debrief' : (NEXT[phase] ?? 'Advance')}
        <span aria-hidden="true">→</span></button>`
          : nothing
      }
      ${this.playOn(v)}
      ${
        g.paused
          ? html`<button type="button" class="primary" ?disabled=${this.sender.busy}
              @click=${() => this.sender.send({ type: 'game.resume' }, 'Resumed.')}>Resume</button>`
          : running
            ? html`<button type="button" ?disabled=${this.sender.busy}
                @click=${() => this.sender.send({ type: 'game.pause' }, 'Paused: the clock has stopped.')}
                >Pause</button>`
            : nothing
      }
      ${
        folding
          ? html`<button type="button" class="more-toggle" aria-expanded=${this.moreOpen ? 'true' : 'false'}
              aria-controls="clock-change roll-call end-exercise" @click=${() => {
                this.moreOpen = !this.moreOpen;
                rerender();
              }}>More<span class="sr-only"> clock controls</span><span class="chev" aria-hidden="true"
              >${this.moreOpen ? '▴' : '▾'}</span></button>`
          : nothing
      }
      ${
        running || g.paused
          ? html`<span class="group ${fold}" id="clock-change" role="group" aria-label="Change the clock">${[
              ext(-300, '−5 min'),
              ext(-60, '−1 min'),
              ext(60, '+1 min'),
              ext(300, '+5 min'),
            ]}</span>`
          : nothing
      }
      <span class="spacer"></span>
      ${this.roll(v, s)}
      ${
        phase !== 'ended' && phase !== 'lobby'
          ? html`<button type="button" class="danger-outline ${fold}" id="end-exercise" @click=${() =>
              this.sender.ask(
                phase === 'debrief' ? 'Close the exercise for good?' : 'End the exercise now?',
                phase === 'debrief' ? 'Yes, close' : 'Yes, end',
                { type: 'game.end' },
                phase === 'debrief' ? 'Closed.' : 'Ended: the debrief is open.',
              )}>${phase === 'debrief' ? 'Close the exercise' : 'End the exercise'}</button>`
          : nothing
      }
      ${this.sender.askView()}
    </section>`;
  }

  /**
   * "5 of 5 teams online · 3 of 5 locked": who is here now (a player connected, or a bot) and who has submitted.
   * Not "seated": a seat held by a player who has gone offline still counts for the rule that closes submissions
   * once every seated team has locked, and the bar must not read as if that team were gone.
   */
  private roll(v: GameView, s: LiveState) {
    // After the game nobody is called to the table any more: no roll call at the debrief.
    if (v.game.phase === 'debrief' || v.game.phase === 'ended') return nothing;
    const c = v.control!;
    // Before the first presence arrives, who is connected is not known: the teams with a seat held are counted then,
    // and the bar says "seated", not "online".
    const here = teamsAtTable(v, s.presence ? new Set(s.presence.map((p) => p.playerId)) : null);
    const locked = v.teams.filter((t) => c.drafts[t.id]?.locked).length;
    const n = v.teams.length;
    // Locks mean something only while submissions are open; at other times the count would always read 0.
    return html`<span class="roll-call" id="roll-call" role="status" aria-live="off"
      >${here} of ${n} teams ${s.presence ? 'online' : 'seated'}${
        underlyingPhase(v) === 'submission' ? ` · ${locked} of ${n} locked` : ''
      }</span>`;
  }

  // ---- teams ---------------------------------------------------------------------------------------------

  private overviewTab(v: GameView, s: LiveState) {
    const c = v.control!;
    const online = new Set((s.presence ?? []).map((p) => p.playerId));
    const name = (id: string) => v.actions.find((a) => a.id === id)?.name ?? id;
    return html`
      ${
        v.game.phase === 'lobby'
          ? html`<p class="callout">Waiting to start. Hand out the codes (see <button type="button" class="link"
              @click=${() => this.tab.go('seats')}>Seats</button>), then press “Start the exercise”.</p>`
          : nothing
      }
      <div class="team-grid">${v.teams.map((t) => {
        const d = c.drafts[t.id];
        const players = c.players.filter((p) => p.role === t.id);
        return html`<article class="card team-card" style="--team:${t.color}" data-team=${t.id} aria-label=${t.name}>
          <h2><span class="dot" aria-hidden="true"></span>${t.name}
            ${
              d?.locked
                ? html`<span class="badge ok">locked</span>`
                : DRAFTING.has(underlyingPhase(v))
                  ? html`<span class="badge">drafting</span>`
                  : nothing
            }
            ${t.bot ? html`<span class="badge bot">bot</span>` : nothing}${
              t.whiteCell ? html`<span class="badge wc">White Cell</span>` : nothing
            }</h2>
          <p class="small">${
            players.length
              ? players.map(
                  (p, i) =>
                    html`${i ? ', ' : ''}<span class=${online.has(p.id) ? 'online' : 'offline'}>${p.name}${
                      online.has(p.id) ? '' : s.presence ? ' (away)' : ''
                    }</span>`,
                )
              : html`<span class="warn">No one seated</span>`
          }</p>
          ${
            d
              ? html`<h3>Overt</h3>${
                  d.overt.length
                    ? html`<ul>${d.overt.map((id) => html`<li>${name(id)}</li>`)}</ul>`
                    : html`<p class="muted">none</p>`
                }
            <h3>Covert</h3>${
              d.covert.length
                ? html`<ul>${d.covert.map((id) => html`<li class="secret-text">${name(id)}</li>`)}</ul>`
                : html`<p class="muted">none</p>`
            }
            ${
              d.freeform
                ? html`<h3>Free-form</h3><p>${d.freeform.text}</p><p class="muted small">Aim: ${d.freeform.intent}</p>`
                : nothing
            }
            ${d.updatedBy ? html`<p class="muted small">Last change by ${d.updatedBy}</p>` : nothing}`
              : nothing
          }
        </article>`;
      })}</div>
      ${meterGrid(v, { compact: true })}`;
  }

  // ---- deals, secrets, seats -----------------------------------------------------------------------------

  private dealsTab(v: GameView) {
    const open = v.deals.filter((d) => d.status === 'proposed');
    const rest = v.deals.filter((d) => d.status !== 'proposed');
    return html`<div class="cols">
      <section class="card"><h2>Proposals on the table</h2>${
        open.length ? open.map((d) => dealSummary(v, d)) : html`<p class="muted">None.</p>`
      }</section>
      <section class="card"><h2>Every other deal</h2>${
        rest.length ? [...rest].reverse().map((d) => dealSummary(v, d)) : html`<p class="muted">None.</p>`
      }</section>
    </div>`;
  }

  private secretsTab(v: GameView) {
    const c = v.control!;
    return html`<div class="cols">
      ${v.teams.map((t) => {
        const b = c.briefings[t.id];
        if (!b) return nothing;
        const list = (title: string, items: readonly string[]) =>
          items.length ? html`<h3>${title}</h3><ul>${items.map((w) => html`<li>${w}</li>`)}</ul>` : nothing;
        return html`<section class="card" style="--team:${t.color}"><h2>${teamChip(v, t.id, false)}${
          b.variant ? html` <span class="badge">${b.variant}</span>` : nothing
        }</h2>
          <p>${b.privateBriefing.situation}</p>
          ${list('Wants', b.privateBriefing.wants)}
          ${list('Red lines', b.privateBriefing.redLines)}
          <h3>Objectives</h3><ul>${b.objectives.map(
            (o) => html`<li>${o.text} <span class="muted">(${o.points})</span></li>`,
          )}</ul>
        </section>`;
      })}
      <section class="card"><h2>Intelligence handed out</h2>
        ${
          c.intel.length
            ? html`<ul>${[...c.intel]
                .reverse()
                .map((r) => html`<li>Round ${r.round}, ${teamChip(v, r.team)}: ${r.text}</li>`)}</ul>`
            : html`<p class="muted">None yet.</p>`
        }</section>
      <section class="card"><h2>Covert log</h2>
        ${
          c.covertLog.length
            ? html`<table class="table"><thead><tr><th scope="col">Round</th><th scope="col">Team</th><th
            scope="col">Move</th><th scope="col">Exposed</th></tr></thead>
          <tbody>${c.covertLog.map(
            (x) =>
              html`<tr><td>${x.round}</td><td>${teamChip(v, x.team)}</td><td>${x.name}</td><td>${
                x.exposedRound === null ? 'no' : `round ${x.exposedRound}`
              }</td></tr>`,
          )}</tbody></table>`
            : html`<p class="muted">No covert moves yet.</p>`
        }
        <p class="muted small">Dice: ${
          c.seed === null
            ? html`secret until the debrief; commitment <code>${v.game.dice.commitment.slice(0, 16)}…</code>`
            : html`seed <code>${c.seed}</code>`
        }</p></section>
    </div>`;
  }
}
