// /board/<observer code>: the projector. It takes an observer seat once and keeps it, so a refresh stays put.
import { html, nothing } from 'lit';
import type { GameView } from '../../shared/views.ts';
import { ApiError, joinGame, syncClock } from '../lib/api.ts';
import { rerender, type Screen } from '../lib/app.ts';
import { Connection } from '../lib/connection.ts';
import { dropBoardSeat, getBoardSeat, putBoardSeat, type Seat } from '../lib/seats.ts';
import { publicBoard } from '../parts/board.ts';
import { announcementBanner, connectionBanner } from '../parts/common.ts';
import { Presenter } from '../parts/presenter.ts';
import { underlyingPhase } from '../lib/format.ts';

/** Seconds each screenful of a scrolling card stays still, long enough to read it from the back of the room. */
const PAGE_SECONDS = 12;
/** The most "Projector" seats one board tries before it waits for a place on the last (a wall of screens). */
const MAX_SCREENS = 20;

/** The items a page turns to: a page starts at one of them, never halfway through a line. */
const PAGE_ITEMS = '.meter, .inject, .line, .deal, [data-reveal], .kept, .score li, .debrief tr, .debrief h3, .dice';

const behavior = (): ScrollBehavior => (matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth');

/**
 * The top of a card's visible part, below what stays put at its top (styles.css): the card's heading, or a debrief
 * score card's team and total.
 */
function visibleTop(el: HTMLElement): number {
  const head = el.querySelector<HTMLElement>(':scope > h2, :scope > h4');
  const top = el.getBoundingClientRect().top + el.clientTop;
  return head && getComputedStyle(head).position === 'sticky'
    ? Math.max(top, head.getBoundingClientRect().bottom)
    : top;
}

/** The scroll position that puts `item` at the top of the card's visible part (a few pixels under its heading). */
const scrollTopFor = (el: HTMLElement, item: Element) =>
  Math.max(0, el.scrollTop + item.getBoundingClientRect().top - visibleTop(el) - 6);

/** Marks a part that holds more below its edge, which styles.css fades out there. */
function markMore(el: HTMLElement) {
  el.classList.toggle('more-below', el.scrollTop + el.clientHeight < el.scrollHeight - 2);
}

/** The lines of text in an item, as the browser laid them out (one box a line). */
function textLines(el: HTMLElement): DOMRect[] {
  const lines: DOMRect[] = [];
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (!n.textContent?.trim() || n.parentElement?.closest('h2')) continue;
    range.selectNodeContents(n);
    for (const r of range.getClientRects()) if (r.height) lines.push(r);
  }
  return lines;
}

/**
 * Within an item taller than the card (a long inject), the page starts at the item's first line not wholly readable,
 * the faded edge included, so the room reads on from where it stopped and no line is left cut under the heading.
 */
function nextLine(el: HTMLElement, item: HTMLElement, top: number, bottom: number): number | null {
  const fade = el.classList.contains('more-below')
    ? 3.5 * parseFloat(getComputedStyle(document.documentElement).fontSize)
    : 0;
  // An item whose head stays put as it scrolls (a deal's: styles.css) is read on below that head.
  const head = item.querySelector<HTMLElement>(':scope > header');
  const kept = head && getComputedStyle(head).position === 'sticky' ? head.offsetHeight : 0;
  const line = textLines(item)
    .filter((r) => r.top > top + kept + 1 && r.bottom > bottom - fade)
    .sort((a, b) => a.top - b.top)[0];
  return line ? el.scrollTop + line.top - top - kept - 2 : null;
}

/**
 * The next page of a card: it starts at the first item not wholly on screen, so no line is left cut in half at the
 * top; an item taller than the card itself is read a screenful of whole lines at a time.
 */
function nextPage(el: HTMLElement): { top: number; pad: boolean } {
  const bottom = el.getBoundingClientRect().top + el.clientTop + el.clientHeight;
  const top = visibleTop(el);
  // The highest one cut: items side by side (meter cards in a grid) are not in the order they stand.
  const cut = [...el.querySelectorAll(PAGE_ITEMS)]
    .filter((item) => {
      const r = item.getBoundingClientRect();
      return r.bottom > bottom + 1 && r.top > top + 1;
    })
    .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)[0];
  const byItem = cut ? scrollTopFor(el, cut) : null;
  const page = el.clientHeight * 0.85;
  if (byItem !== null && byItem - el.scrollTop >= page * 0.25) return lastPage(el, byItem, true);
  // An item taller than the visible part, running past its foot, is read on by its lines; anything else (the
  // debrief's short items side by side) by most of a page.
  const tall = [...el.querySelectorAll<HTMLElement>(PAGE_ITEMS)].find((item) => {
    const r = item.getBoundingClientRect();
    return r.height > bottom - top && r.top < bottom && r.bottom > bottom + 1;
  });
  const byLine = tall ? nextLine(el, tall, top, bottom) : null;
  return byLine !== null ? { top: byLine, pad: true } : lastPage(el, el.scrollTop + page, false);
}

/**
 * A page past the card's end would stop at the end, opening on whatever item straddles it, cut. The page starts
 * instead at the last item that starts before the end: it shows again part of the page before, but opens on an item
 * whole (and the next turn goes on from there). When no item starts between a quarter of a page on and the end,
 * the page opens on the item it was to open on (`atItem`), with room made below the end (turnTo), rather than on
 * nearly the page already shown.
 */
function lastPage(el: HTMLElement, top: number, atItem: boolean): { top: number; pad: boolean } {
  const end = el.scrollHeight - el.clientHeight;
  if (top <= end) return { top, pad: false };
  const step = el.clientHeight * 0.85 * 0.25;
  const items = [...el.querySelectorAll(PAGE_ITEMS)];
  const starts = items.map((item) => scrollTopFor(el, item)).filter((at) => at <= end + 1 && at > el.scrollTop + step);
  if (starts.length) return { top: Math.max(...starts), pad: false };
  if (atItem) return { top, pad: true };
  // Every item is whole on this page, and below them only the card's foot (its padding): this is the last page,
  // and the end would only cut the top one.
  const bottom = el.getBoundingClientRect().top + el.clientTop + el.clientHeight;
  const below = items.some((item) => item.getBoundingClientRect().bottom > bottom + 1);
  return { top: below ? end : el.scrollTop, pad: false };
}

/** Takes away the room turnTo made, when a card goes back to its start. */
const unturn = (el: HTMLElement) => el.style.removeProperty('padding-bottom');

/**
 * Scrolls a card to a page. A last page that starts at a line of a long item, or at an item no earlier start would
 * reach, may need to scroll past the card's end (`pad`): room is made below its end for as long as its pages run on
 * (unturn takes it away), so that line or item still stands at the top. Any other page ends at the end at most
 * (lastPage), showing a whole last screenful rather than a sliver.
 */
function turnTo(el: HTMLElement, { top, pad }: { top: number; pad: boolean }) {
  const short = top - (el.scrollHeight - el.clientHeight);
  if (pad && short > 0) el.style.paddingBottom = `${parseFloat(getComputedStyle(el).paddingBottom) + short}px`;
  el.scrollTo({ top, behavior: behavior() });
}

/**
 * Nobody scrolls a projector: each card that holds more than it shows (styles.css fits the board to a wide screen)
 * moves on a page (nextPage), and after its end goes back to its start: its top, or during a reveal the latest
 * round's card to the reveal itself. A card someone points at or has focused is left alone.
 */
function turnPages() {
  for (const el of document.querySelectorAll<HTMLElement>('[data-pages]')) {
    markMore(el);
    if (el.scrollHeight <= el.clientHeight + 2 || el.matches(':hover, :focus-within')) continue;
    const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
    const next = atEnd ? null : nextPage(el);
    if (!next || next.top <= el.scrollTop + 1) {
      unturn(el);
      el.scrollTo({ top: startOf(el), behavior: behavior() });
    } else turnTo(el, next);
  }
}

/** Where a card's pages start: the reveal, in the latest round's card while it is on; otherwise its top. */
function startOf(el: HTMLElement): number {
  const reveal = el.dataset.showing === 'reveal' ? el.querySelector('[data-reveal]') : null;
  return reveal ? scrollTopFor(el, reveal) : 0;
}

/** The widest and the narrowest a meter card is laid out (rem), when the board spreads its meters over the part. */
const CARD_MAX_REM = 24;
const CARD_MIN_REM = 11;

/**
 * The cards fitMeters tries, in order: the full card; a compact one (smaller name, no bar or round labels beside
 * the chart); a bare one (name, value and bar, no chart: on a low wall under a long announcement every meter's value
 * on screen is worth more than its history turning pages).
 */
const CARDS = ['full', 'compact', 'bare'] as const;
type Card = (typeof CARDS)[number];

/** The layout fitMeters last chose, and for what: the part's size and the meters' text. */
let fitted = '';

/**
 * Whether every meter card lies whole in the part's visible box: the part holds no more than it shows, and no card
 * is cut (its chart keeps its least height, styles.css, and its name and value their width).
 */
function metersWhole(part: HTMLElement, grid: HTMLElement): boolean {
  return part.scrollHeight <= part.clientHeight + 1 && cardsWhole(grid, true);
}

/** Whether no meter card is cut, its content within its box (and, with `names`, each name within its line). */
function cardsWhole(grid: HTMLElement, names: boolean): boolean {
  return [...grid.querySelectorAll<HTMLElement>('.meter')].every((card) => {
    const name = names ? card.querySelector<HTMLElement>('.m-name') : null;
    return (
      card.scrollHeight <= card.clientHeight + 1 &&
      card.scrollWidth <= card.clientWidth + 1 &&
      (!name || name.scrollWidth <= name.clientWidth + 1)
    );
  });
}

/**
 * The room sees the whole board at once: where the meters' natural layout (styles.css) runs past their part, they
 * are spread over it instead (`.meters.fitted`), the rows sharing the part's height and each chart taking what its
 * card has left, in the number of columns that shows every card whole with the highest charts; failing that, in a
 * compact card, then a bare one (CARDS). Only when no layout fits (more meters than any card can share the screen
 * with) do the pages turn, a balanced number of rows a page, so the last one is not a lonely row. It runs as soon
 * as the page is drawn, before the browser paints it (drawn), so a new announcement never shows for a frame over
 * cards laid out for the part's old height.
 */
function fitMeters() {
  const part = document.querySelector<HTMLElement>('.projector-main.fit .meters-part[data-pages]');
  const grid = part?.querySelector<HTMLElement>(':scope > .meters');
  if (!part || !grid) return;
  const key = `${part.clientWidth}x${part.clientHeight}:${grid.textContent}`;
  if (key === fitted) return;
  fitted = key;
  // Room made below the end for a last page (turnTo) is no part of the meters' layout.
  unturn(part);
  const apply = (cols: number, rows: number, card: Card, rowHeight?: number) => {
    grid.classList.add('fitted');
    grid.classList.toggle('compact', card !== 'full');
    grid.classList.toggle('bare', card === 'bare');
    grid.classList.toggle('paged', rowHeight !== undefined);
    grid.style.setProperty('--cols', String(cols));
    grid.style.setProperty('--rows', String(rows));
    if (rowHeight !== undefined) grid.style.setProperty('--row-h', `${rowHeight}px`);
    else grid.style.removeProperty('--row-h');
  };
  grid.classList.remove('fitted', 'compact', 'bare', 'paged');
  // The part scrolls itself only where the board fits the screen (styles.css's wide-screen query): elsewhere the
  // page scrolls, and the meters keep their natural layout.
  if (getComputedStyle(part).overflowY !== 'auto' || metersWhole(part, grid)) return;
  const n = grid.children.length;
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const gap = parseFloat(getComputedStyle(grid).columnGap) || 0;
  const across = (card: number) => (grid.clientWidth + gap) / (card * rem + gap);
  const least = Math.max(1, Math.ceil(across(CARD_MAX_REM)));
  const most = Math.max(least, Math.floor(across(CARD_MIN_REM)));
  // Of the layouts that show every card whole, the one whose lowest chart (a bare card: the card itself) is the
  // highest.
  const lowest = (card: Card) =>
    Math.min(
      ...[...grid.querySelectorAll(card === 'bare' ? '.meter' : '.mchart-plot')].map(
        (el) => el.getBoundingClientRect().height,
      ),
    );
  for (const card of CARDS) {
    let best: { cols: number; height: number } | null = null;
    for (let cols = least; cols <= Math.min(most, n); cols++) {
      apply(cols, Math.ceil(n / cols), card);
      const height = metersWhole(part, grid) ? lowest(card) : -1;
      if (height >= 0 && (!best || height > best.height)) best = { cols, height };
    }
    if (best) return apply(best.cols, Math.ceil(n / best.cols), card);
  }
  // Pages: the most rows a page that still show their cards whole, then as few a page as the same number of
  // pages needs, so the pages share the rows evenly.
  const cols = Math.min(most, n);
  const rows = Math.ceil(n / cols);
  const height = (perPage: number) => (part.clientHeight - (perPage - 1) * gap) / perPage;
  for (let perPage = rows - 1; perPage >= 1; perPage--) {
    apply(cols, rows, 'compact', height(perPage));
    if (!cardsWhole(grid, false)) continue;
    const even = Math.ceil(rows / Math.ceil(rows / perPage));
    apply(cols, rows, 'compact', height(even));
    return;
  }
  grid.classList.remove('fitted', 'compact', 'bare', 'paged');
}

export class BoardScreen implements Screen {
  private conn: Connection | null = null;
  private error: string | null = null;
  private unsubscribe: (() => void) | null = null;
  private rejoined = false;
  /** Which "Projector" seat this screen asks for: 1, then 2, 3… while the one before is full of screens. */
  private screen = 1;
  private disposed = false;
  /** `?present` (optionally `=seconds` per step) turns the projector into presenter mode. */
  private presenter: Presenter | null = null;

  /** Turns the pages of the board's scrolling cards (the latest round, the deals in force) on a projector. */
  private pager: ReturnType<typeof setInterval> | null = null;
  /** The round and phase the board's cards were last brought to (showPhase), so a new phase is shown at once. */
  private shownPhase: string | null = null;

  constructor(private code: string) {
    document.title = 'Flywheel: public board';
    document.body.classList.add('projector');
    const present = new URLSearchParams(location.search).get('present');
    if (present !== null) {
      this.presenter = new Presenter(Math.max(2, Number(present) || 10));
      document.body.classList.add('presenting');
    } else {
      this.startPager();
      document.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
      addEventListener('resize', this.onResize);
    }
    void this.start();
  }

  private startPager() {
    if (this.pager) clearInterval(this.pager);
    this.pager = setInterval(turnPages, PAGE_SECONDS * 1000);
  }

  /**
   * After a draw: when the round or phase has changed, each card goes to what the new phase is about, at once
   * rather than at the next turn of its pages: in a reveal the latest round's card to the reveal's outcomes (the
   * round's injects are above them), in any other phase every card to its top (a new round's injects, the deals).
   * The pages then turn from there a full interval later. The card says what it shows (`data-showing`).
   */
  private afterDraw(v: GameView) {
    const tl = document.querySelector<HTMLElement>('.tl-card[data-pages]');
    // A pause is not a new phase: the card stays where it was, on the reveal if that was on.
    const phase = underlyingPhase(v);
    const key = `${v.game.round}:${phase}`;
    if (tl && key !== this.shownPhase) {
      const reveal = phase === 'reveal' ? tl.querySelector('[data-reveal]') : null;
      // A reveal whose outcomes have not reached the view yet is shown when they do.
      if (phase !== 'reveal' || reveal) {
        this.shownPhase = key;
        tl.dataset.showing = reveal ? 'reveal' : 'top';
        for (const el of document.querySelectorAll<HTMLElement>('[data-pages]')) {
          unturn(el);
          if (el !== tl && el.scrollTop) el.scrollTo({ top: 0, behavior: 'auto' });
        }
        tl.scrollTo({ top: reveal ? scrollTopFor(tl, reveal) : 0, behavior: 'auto' });
        this.startPager();
      }
    }
    for (const el of document.querySelectorAll<HTMLElement>('[data-pages]')) {
      markMore(el);
      // What stays put inside a part (a tall deal's head) stays under the part's own heading.
      const h2 = el.querySelector<HTMLElement>(':scope > h2');
      if (!h2) continue;
      el.style.setProperty('--part-head', `${h2.offsetHeight}px`);
      const room = el.clientHeight - h2.offsetHeight;
      for (const deal of el.querySelectorAll<HTMLElement>(':scope .deal'))
        deal.classList.toggle('tall', deal.offsetHeight > room);
    }
  }

  private async start() {
    let seat = getBoardSeat(this.code);
    if (!seat) {
      try {
        // Asked as an observer: the server refuses a team or White Cell code before seating anyone, so a wrong link
        // on the projector neither shows secrets nor leaves a "Projector" player on that seat.
        const name = this.screen === 1 ? 'Projector' : `Projector ${this.screen}`;
        const r = await joinGame(this.code, name, 'observer');
        seat = { token: r.token, gameId: r.gameId, playerId: r.playerId, role: r.role, team: r.team, name: r.name };
        putBoardSeat(this.code, seat);
      } catch (e) {
        this.error =
          e instanceof ApiError && e.code === 'WRONG_SEAT'
            ? 'This link needs the observers’ code: a team or White Cell code would show secrets on the projector.'
            : e instanceof ApiError
              ? e.message
              : String(e);
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
      const link = this.conn?.state.link;
      // The stored seat is stale (a reset server), or every board on this code joined as one "Projector", whose
      // seat holds only a few screens: take a fresh seat with the same code, "Projector 2" and on for more screens.
      const stale = link === 'refused' && !this.rejoined;
      const crowded = link === 'crowded' && this.screen < MAX_SCREENS;
      if (stale || crowded) {
        if (stale) this.rejoined = true;
        if (crowded) this.screen += 1;
        this.unsubscribe?.();
        this.conn!.close();
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
    document.removeEventListener('scroll', this.onScroll, true);
    removeEventListener('resize', this.onResize);
    fitted = '';
  }

  /** The meters are laid out for the part as just drawn, in the same frame (fitMeters). */
  drawn() {
    if (!this.presenter) fitMeters();
  }

  /** A screen of another size (a window moved to the projector) lays its meters out again. */
  private onResize = () => {
    fitMeters();
    for (const el of document.querySelectorAll<HTMLElement>('[data-pages]')) markMore(el);
  };

  /** A part's fade follows its scrolling (a page turned, or someone scrolling it by hand). */
  private onScroll = (e: Event) => {
    if (e.target instanceof HTMLElement && e.target.hasAttribute('data-pages')) markMore(e.target);
  };

  view() {
    if (this.error)
      return html`<main id="main" class="page narrow"><h1>Public board</h1><p class="error"
        role="alert">${this.error}</p></main>`;
    const s = this.conn?.state;
    if (!s?.view)
      return html`${s ? connectionBanner(s) : nothing}<main id="main" class="page narrow"
        ><h1>Public board</h1><p>Connecting…</p></main>`;
    const v = s.view;
    if (!this.presenter) requestAnimationFrame(() => !this.disposed && this.afterDraw(v));
    if (this.presenter)
      return html`${connectionBanner(s)}<main id="main" class="projector-main presenting">${this.presenter.view(
        v,
      )}</main>`;
    return html`${connectionBanner(s)}
      <main id="main" class="projector-main fit ${v.debrief ? 'debrief-fit' : ''}">
        <h1 class="board-title">${v.game.title}</h1>
        ${announcementBanner(v, 'board')}
        ${publicBoard(v, { big: true })}
        <p class="board-foot"><a href="?present">Presenter mode</a>: steps through each reveal by itself,
          for a room.</p>
      </main>`;
  }
}
