// A seat in a game: connects with the seat's token and shows the console for its audience (team, White Cell, observer).
import { html, type TemplateResult } from 'lit';
import { ApiError, syncClock } from '../lib/api.ts';
import { cohortSeat, studentToken } from '../lib/cohort-api.ts';
import { rerender, setRevealLoader, type Screen } from '../lib/app.ts';
import { Connection, type LiveState } from '../lib/connection.ts';
import { getSeat, putSeat, seminarLink, type Seat } from '../lib/seats.ts';
import { phaseName, teamName } from '../lib/format.ts';
import { announce } from '../lib/notify.ts';
import { NewsWatcher } from '../lib/news.ts';
import { connectionBanner, unreadAnnouncements } from '../parts/common.ts';
import { TeamConsole } from './team.ts';
import { ControlConsole } from './control.ts';
import { ObserverConsole } from './observer.ts';

export interface Console {
  view(s: LiveState): TemplateResult;
  /** Unread messages, for the count in the tab's title. */
  unread?(v: NonNullable<LiveState['view']>): number;
  /** The channel on screen, if the console shows one now: its new lines are read out as they come. */
  channelOnScreen?(): string | null;
}

export class GameScreen implements Screen {
  private seat: Seat | null;
  private conn: Connection | null = null;
  private console: Console | null = null;
  /** The audience the console was built for ('team:us', 'control', 'observer'). */
  private consoleFor = '';
  private unsubscribe: (() => void) | null = null;

  constructor(
    gameId: string,
    private key: string,
  ) {
    this.seat = getSeat(gameId, key);
    document.title = 'Flywheel';
    if (!this.seat) return;
    this.conn = new Connection(this.seat.token, gameId);
    this.unsubscribe = this.conn.subscribe(() => rerender());
    const conn = this.conn;
    setRevealLoader(() => conn.loadEarlierReveals());
    void syncClock().then(rerender);
  }

  /** What the seminar says of this student once their seat closed: moved (a seat waits) or removed. */
  private seminarSays: 'asking' | 'moved' | 'removed' | 'unknown' | null = null;

  /**
   * A closed seminar seat asks the seminar once where the student stands, with the token this browser kept: the
   * server answers STUDENT_REMOVED for a removed student, so the page need not send them round to "Find my seat".
   */
  private askSeminar(path: string) {
    if (this.seminarSays) return;
    const cohortId = decodeURIComponent(path.split('/').pop() ?? '').split('.')[0] ?? '';
    const token = studentToken(cohortId);
    if (!token) {
      this.seminarSays = 'unknown';
      return;
    }
    this.seminarSays = 'asking';
    cohortSeat(cohortId, token)
      .then(
        () => (this.seminarSays = 'moved'),
        (err: unknown) =>
          (this.seminarSays = err instanceof ApiError && err.code === 'STUDENT_REMOVED' ? 'removed' : 'unknown'),
      )
      .finally(rerender);
  }

  dispose() {
    this.unsubscribe?.();
    this.conn?.close();
    setRevealLoader(null);
  }

  private pickConsole(s: LiveState): Console | null {
    if (!s.view || !this.seat || !this.conn) return this.console;
    const kind = s.view.audience.kind;
    const team = kind === 'team' ? (s.view.audience.team ?? null) : null;
    const audience = team ? `team:${team}` : kind;
    this.followRename(s.view);
    if (this.console && this.consoleFor === audience) return this.console;
    if (this.console) {
      // The White Cell moved this seat: the same token now holds another, and the server sent that seat's view.
      Object.assign(this.seat, { role: kind, team });
      putSeat(this.key, this.seat);
    }
    this.consoleFor = audience;
    // Another seat's view: what it holds now is not news to this player (the deals waiting for the new team, say).
    this.news = new NewsWatcher();
    if (kind === 'team') this.console = new TeamConsole(this.conn, this.seat, this.key);
    else if (kind === 'control') this.console = new ControlConsole(this.conn, this.seat, this.key);
    else this.console = new ObserverConsole(this.conn, this.seat, this.key);
    return this.console;
  }

  /** The White Cell may correct this seat's name: the consoles show the seat's name, so it follows the view. */
  private followRename(v: NonNullable<LiveState['view']>) {
    const id = this.seat?.playerId;
    if (!this.seat || !id) return;
    const name = (v.me?.teammates ?? v.control?.players ?? []).find((p) => p.id === id)?.name;
    if (!name || name === this.seat.name) return;
    this.seat.name = name;
    putSeat(this.key, this.seat);
  }

  view() {
    if (!this.seat || !this.conn) {
      return html`<header class="top"><div class="brand">Flywheel</div></header>
        <main id="main" class="page narrow"><h1>No seat here</h1>
          <p>This browser holds no seat for this game. Open your join link again, or type your code.</p>
          <p><a class="button primary" href="/join">Join with a code</a></p></main>`;
    }
    const s = this.conn.state;
    const c = this.pickConsole(s);
    // A closed seat (revoked, or a student moved to another cell) shows no more of the game: what the page last
    // received would go stale under the notice, and nothing new reaches it.
    if (s.link === 'refused') {
      const seminar = seminarLink(this.seat.gameId);
      if (seminar) this.askSeminar(seminar);
      // The White Cell's hand on a team, closed when it handed the team back (to its players or a bot): no alarm.
      const last = s.view;
      const me = last?.me;
      const handedBack = me?.teammates.find((p) => p.id === this.seat?.playerId)?.whiteCell;
      if (last && me && handedBack)
        return html`<header class="top"><div class="brand">Flywheel</div></header>
          <main id="main" class="page narrow"><h1>Team handed back</h1>
            <p role="status">The White Cell has handed ${teamName(last, me.team)} back: this tab played it for
              the White Cell, and can be closed.</p>
            <p><a class="button primary" href=${`/game/${this.seat.gameId}/control`}>Back to the White Cell console</a></p>
          </main>`;
      return html`<header class="top"><div class="brand">Flywheel</div></header>
        <main id="main" class="page narrow"><h1>Seat closed</h1>
          ${
            seminar && this.seminarSays === 'removed'
              ? html`<p role="alert">The instructor has taken you out of this seminar. If you think this is a
                  mistake, ask the instructor.</p>`
              : seminar
                ? html`<p role="alert">The instructor may have moved you to another cell or team: your new seat
                  waits on the seminar page, under “Find my seat”.</p>
                <p><a class="button primary" href=${seminar}>Back to the seminar page</a></p>`
                : html`<p role="alert">The server refused this seat: it has been removed, or signed out with new
                  codes.</p>
                <p><a class="button primary" href="/join">Join again with your code</a></p>`
          }</main>`;
    }
    if (!c || !s.view) {
      return html`${connectionBanner(s)}<header class="top"><div class="brand">Flywheel</div></header>
        <main id="main" class="page narrow"><h1>${
          s.link === 'crowded' ? 'Waiting for a free place on this seat' : 'Connecting…'
        }</h1></main>`;
    }
    // The tab's title counts what is unread (messages and announcements), so a background tab still says so.
    const unread =
      (c.unread?.(s.view) ?? 0) +
      (s.view.audience.kind === 'control' ? 0 : unreadAnnouncements(s.view, this.key).length);
    document.title = `${unread ? `(${unread}) ` : ''}${s.view.game.title} · Flywheel`;
    this.sayPhase(s.view);
    this.sayNews(s.view, c);
    return c.view(s);
  }

  private news = new NewsWatcher();

  /** Tells a screen reader what others did that the screen shows by a badge or a banner (a team's or an observer's). */
  private sayNews(v: NonNullable<LiveState['view']>, c: Console) {
    if (v.audience.kind === 'control') return;
    const heard = this.news.news(v, {
      team: v.audience.team,
      name: this.seat?.name,
      channel: c.channelOnScreen?.() ?? null,
    });
    for (const text of heard) announce(text);
  }

  /** The round, phase and pause last seen: null until the first view, which is no news. */
  private phaseSeen: string | null = null;

  /** Tells a screen reader when the game moves on (a phase, a round, a pause), which the phase bar shows the eye. */
  private sayPhase(v: NonNullable<LiveState['view']>) {
    const g = v.game;
    const key = `${g.round}:${g.phase}:${g.paused ? g.paused.from : ''}`;
    const before = this.phaseSeen;
    this.phaseSeen = key;
    if (before === null || key === before) return;
    const inRound = g.round >= 1 && !['lobby', 'briefing', 'debrief', 'ended'].includes(g.phase);
    const text = g.paused
      ? `Paused, in ${phaseName(g.paused.from).toLowerCase()}`
      : `${inRound ? `Round ${g.round}: ` : ''}${phaseName(g.phase)}`;
    // Said once this draw is done (announce waits for the end of the task), with any news of the same update.
    announce(text);
  }
}
