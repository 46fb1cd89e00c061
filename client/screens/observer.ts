// An observer's seat: the public board, with the plenary and the White Cell's announcements beside it.
import { html, type TemplateResult } from 'lit';
import { rerender } from '../lib/app.ts';
import type { Connection, LiveState } from '../lib/connection.ts';
import type { Seat } from '../lib/seats.ts';
import { publicBoard } from '../parts/board.ts';
import { RecordPanel } from '../parts/record.ts';
import { ChatPanel } from '../parts/chat.ts';
import { announcementBanner, connectionBanner, phaseBar } from '../parts/common.ts';

export class ObserverConsole {
  private chat: ChatPanel;
  private record: RecordPanel;
  constructor(
    conn: Connection,
    private seat: Seat,
    private key: string,
  ) {
    this.chat = new ChatPanel(conn, seat.gameId, key, rerender, ['plenary', 'announcements']);
    this.record = new RecordPanel(conn, seat, key);
  }

  view(s: LiveState): TemplateResult {
    const v = s.view!;
    // The announcement, the connection and the clock sit in the part that stays at the top, as on a team console,
    // so an observer scrolled down to the notes or the plenary sees an announcement when it comes.
    return html`<header class="top"><div class="brand">Flywheel</div><div class="who"><strong>Observer</strong> <span
        class="muted">· ${this.seat.name} · ${v.game.title}</span></div></header>
      <section class="sticky-head" aria-label="Round, clock and announcements"
        >${connectionBanner(s)}${announcementBanner(v, this.key, () => this.chat.announcementsRead(v))}${phaseBar(v)}</section>
      <main id="main" class="page wide observer" tabindex="-1">
        <h1 class="sr-only">${v.game.title}: public board</h1>
        <div class="observer-grid">
          ${publicBoard(v, { phaseBar: false })}
          <section class="card" aria-labelledby="obs-chat-h"
            ><h2 id="obs-chat-h">Plenary and announcements</h2>${this.chat.view(v, true, {
              title: 'Public channels',
              level: 3,
            })}</section>
        </div>
        <div class="cols">${this.record.notes(v)}${this.record.exports(v, { replay: !!v.debrief })}</div>
      </main>`;
  }
}
