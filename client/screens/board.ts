// /board/<observer code>: the projector. It takes an observer seat once and keeps it, so a refresh stays put.
import { html, nothing } from 'lit';
import { ApiError, joinGame, syncClock } from '../lib/api.ts';
import { rerender, type Screen } from '../lib/app.ts';
import { Connection } from '../lib/connection.ts';
import { dropBoardSeat, getBoardSeat, putBoardSeat, type Seat } from '../lib/seats.ts';
import { publicBoard } from '../parts/board.ts';
import { announcementBanner, connectionBanner } from '../parts/common.ts';
import { Presenter } from '../parts/presenter.ts';

/** Seconds each screenful of a scrolling card stays still, long enough to read it from the back of the room. */
const PAGE_SECONDS = 12;

/**
 * Nobody scrolls a projector: each card that holds more than it shows (styles.css fits the board to a wide screen)
 * moves on by most of its height, keeping a line of the last screenful, and after its end goes back to its top.
 * A card someone points at or has focused is left alone.
 */
function turnPages() {
  const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
  for (const el of document.querySelectorAll<HTMLElement>('[data-pages]')) {
    if (el.scrollHeight <= el.clientHeight + 2 || el.matches(':hover, :focus-within')) continue;
    const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
    el.scrollTo({ top: atEnd ? 0 : el.scrollTop + el.clientHeight * 0.85, behavior: smooth ? 'smooth' : 'auto' });
  }
}

export class BoardScreen implements Screen {
  private conn: Connection | null = null;
  private error: string | null = null;
  private unsubscribe: (() => void) | null = null;
  private rejoined = false;
  private disposed = false;
  /** `?present` (optionally `=seconds` per step) turns the projector into presenter mode. */
  private presenter: Presenter | null = null;

  /** Turns the pages of the board's scrolling cards (the latest round, the deals in force) on a projector. */
  private pager: ReturnType<typeof setInterval> | null = null;

  constructor(private code: string) {
    document.title = 'Flywheel: public board';
    document.body.classList.add('projector');
    const present = new URLSearchParams(location.search).get('present');
    if (present !== null) {
      this.presenter = new Presenter(Math.max(2, Number(present) || 10));
      document.body.classList.add('presenting');
    } else this.pager = setInterval(turnPages, PAGE_SECONDS * 1000);
    void this.start();
  }

  private async start() {
    let seat = getBoardSeat(this.code);
    if (!seat) {
      try {
        const r = await joinGame(this.code, 'Projector');
        if (r.role !== 'observer') {
          // A team or White Cell code would put secrets on the wall: refuse it.
          this.error =
            'This link needs the observers’ code: a team or White Cell code would show secrets on the projector.';
          return rerender();
        }
        seat = { token: r.token, gameId: r.gameId, playerId: r.playerId, role: r.role, team: r.team, name: r.name };
        putBoardSeat(this.code, seat);
      } catch (e) {
        this.error = e instanceof ApiError ? e.message : String(e);
        return rerender();
      }
    }
    if (this.disposed) return;
    this.connect(seat);
    void syncClock().then(rerender);
  }

  private connect(seat: Seat) {
    this.conn = new Connection(seat.token, seat.gameId);
    this.unsubscribe = this.conn.subscribe(() => {
      if (this.conn?.state.link === 'refused' && !this.rejoined) {
        // The stored seat is stale (a reset server): take a fresh one with the same code.
        this.rejoined = true;
        this.unsubscribe?.();
        this.conn.close();
        this.conn = null;
        dropBoardSeat(this.code);
        void this.start();
      }
      rerender();
    });
  }

  dispose() {
    this.disposed = true;
    this.unsubscribe?.();
    this.conn?.close();
    document.body.classList.remove('projector', 'presenting');
    this.presenter?.dispose();
    if (this.pager) clearInterval(this.pager);
  }

  view() {
    if (this.error)
      return html`<main id="main" class="page narrow"><h1>Public board</h1><p class="error"
        role="alert">${this.error}</p></main>`;
    const s = this.conn?.state;
    if (!s?.view)
      return html`${s ? connectionBanner(s) : nothing}<main id="main" class="page narrow"
        ><h1>Public board</h1><p>Connecting…</p></main>`;
    const v = s.view;
    if (this.presenter)
      return html`${connectionBanner(s)}<main id="main" class="projector-main presenting">${this.presenter.view(
        v,
      )}</main>`;
    return html`${connectionBanner(s)}
      <main id="main" class="projector-main ${v.debrief ? '' : 'fit'}">
        <h1 class="board-title">${v.game.title}</h1>
        ${announcementBanner(v, 'board')}
        ${publicBoard(v, { big: true })}
        <p class="board-foot"><a href="?present">Presenter mode</a>: steps through each reveal by itself,
          for a room.</p>
      </main>`;
  }
}
