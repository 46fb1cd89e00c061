// The application service: command -> decide -> append -> evolve -> publish -> ack, one command at a time per game.
// It owns the cache of loaded games and their deadline timers. Nothing here knows about sockets or HTTP: views go
// out through a Publisher, and answers are plain Ack values.
//
// With a shared store (Redis) several processes hold the same game. The store serializes their appends (expected
// version); a process that is behind finds out by a conflict, catches up from the log and decides again. Views go to
// rooms that span the processes, so each update is published once, by the process that stored it; the others only
// follow in their caches (catch-up), and catch up before they send anyone a whole view.
import { performance } from 'node:perf_hooks';
import {
  audienceKey,
  createGame,
  decide,
  evolve,
  eventProblem,
  fold,
  isDomainError,
  seqOf,
  olderMessages,
  olderReveals,
  archivedEntries,
  catalogueFor,
  type Actor,
  type Audience,
  type Command,
  type DomainError,
  type GameEvent,
  type GameState,
  type Scenario,
} from '../engine/index.ts';
import type { GameOptions } from '../../shared/commands.ts';
import type {
  Ack,
  ArchivePage,
  ArchiveRequest,
  FullView,
  HistoryRequest,
  MessagePage,
  RevealPage,
  RevealsRequest,
  ViewPatch,
} from '../../shared/protocol.ts';
import type { Catalogue } from '../../shared/views.ts';
import { CorruptLog, StoreUnavailable, VersionConflict, type EventStore } from '../store/event-store.ts';
import { DamageBook, type DamageEntry } from '../store/damage-book.ts';
import type { FaultLog } from '../fault-log.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { errorBody } from './app-error.ts';
import { markCommand } from './audience-versions.ts';
import type { ViewDiff } from './view-cache.ts';
import { recordCommand } from './command-log.ts';
import { freshIds, GAME_ID, newDiceSecret } from './ids.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { DeadlineClock, type Leases } from './deadline-clock.ts';
import { deadlineOf, LoadedGame } from './loaded-game.ts';
import { Receipts, takeReceipts, withReceipt, type CommandKey } from './receipts.ts';
import { actorLabel, SYSTEM } from './seat.ts';
import { fromSnapshot, toSnapshot } from './snapshots.ts';
import { isOverPhase } from '../../shared/phases.ts';

/** A game's clock changed: the other processes holding it re-arm their timers (and load it, to arm one at all). */
export interface GameNotice {
  gameId: string;
  version: number;
  deadline: number | null;
}

/** Where views go. The realtime layer implements it with Socket.IO rooms. */
export interface Publisher {
  /** Whether anyone listens to this audience of this game: nobody's view is built for an empty room. */
  listening(gameId: string, audienceKey: string): boolean;
  patch(gameId: string, audienceKey: string, patch: ViewPatch): void;
  /** Tells the other processes (if any) that a game's deadline moved. */
  moved(notice: GameNotice): void;
  /**
   * Players whose seat these events moved or closed: this process's sockets that no longer match the game are closed
   * before anything more is sent to their old seat (the word to close them may have been missed: docs/protocol.md,
   * SEAT_CHANGED).
   */
  seatsChanged(gameId: string, state: GameState, playerIds: readonly string[]): void;
}

export interface GamesDeps {
  store: EventStore;
  log: Logger;
  metrics: Metrics;
  /** Save a snapshot once this many events have been appended since the last one. */
  snapshotEvery: number;
  /**
   * Whether other processes create games in the same store (Redis). If not, the games listed at start plus those
   * created here are all there are, and an unknown id is refused without asking the store, which for the file
   * store would otherwise remember every id ever asked about.
   */
  sharedStore?: boolean;
  /** With a shared store: so that only one process fires each deadline. */
  leases?: Leases;
  now?: () => number;
  /** Expected faults (storage down, a damaged game) are logged once per condition; absent, at warn every time. */
  faults?: FaultLog;
  /**
   * The damaged records, shared with the store's guard, which notes those the store cannot read (auth and seminar
   * records included); absent, Games keeps a book of its own.
   */
  damage?: DamageBook;
}

/** What the edge knows about a command besides the command itself. */
export interface SubmitOptions {
  /** The client's id for it: a repeat of an id already answered gets the first answer (see receipts.ts). */
  id?: string;
  /** When it arrived (performance.now()): a command that waited longer than MAX_WAIT_MS is never applied. */
  receivedAt?: number;
}

/**
 * The longest a command may wait (behind others of its game, or for a slow store) and still be applied. Past it,
 * it is refused unapplied: its client may have given up on it (the browser waits 15 s), and a command applied
 * long after it was sent surprises everyone.
 */
export const MAX_WAIT_MS = 5000;

export type CommandAck = Ack<{ version: number }>;

/** Another process appended first: reload and decide again, a few times, before asking the client to retry. */
const CONFLICT_RETRIES = 5;
/**
 * With a shared store, how often every game in the index is checked: games created elsewhere are loaded and every
 * timer follows the log, even if a notice was lost (they travel by Redis pub/sub, at most once).
 */
const SWEEP_MS = 30_000;

/** How a fold of stored events reaches the clients: see #advance. */
type Publish = 'patch' | 'follow' | 'full';

const nobody: Publisher = { listening: () => false, patch: () => {}, moved: () => {}, seatsChanged: () => {} };

export class Games {
  readonly #store: EventStore;
  readonly #log: Logger;
  readonly #metrics: Metrics;
  readonly #snapshotEvery: number;
  readonly #now: () => number;
  readonly #sharedStore: boolean;
  readonly #games = new Map<string, LoadedGame>();
  readonly #known = new Set<string>();
  readonly #loading = new Map<string, Promise<LoadedGame | null>>();
  readonly #queue = new KeyedQueue();
  /** Catch-ups queued but not started, per game: callers arriving meanwhile share them. */
  readonly #syncing = new Map<string, Promise<void>>();
  readonly #clock: DeadlineClock;
  #publisher: Publisher = nobody;
  readonly #faults: FaultLog | undefined;
  /** Records that cannot be read or whose events do not replay (not an outage: it does not pass by itself). */
  readonly #damage: DamageBook;
  /** Games whose whole log has been replayed once in this process (see #replayable). */
  readonly #wholeReplayed = new Set<string>();
  readonly #updateListeners: ((gameId: string) => void)[] = [];
  #closing = false;
  /** Commands submitted and not yet answered, still loading their game or queued: drain() waits for them all. */
  readonly #submitted = new Set<Promise<unknown>>();
  #sweeper: NodeJS.Timeout | undefined;

  constructor(deps: GamesDeps) {
    this.#store = deps.store;
    this.#log = deps.log;
    this.#metrics = deps.metrics;
    this.#snapshotEvery = deps.snapshotEvery;
    this.#now = deps.now ?? Date.now;
    this.#sharedStore = deps.sharedStore ?? false;
    this.#faults = deps.faults;
    this.#damage = deps.damage ?? new DamageBook(deps.log);
    this.#clock = new DeadlineClock({
      log: deps.log,
      metrics: deps.metrics,
      now: this.#now,
      leases: deps.leases,
      // A due deadline goes ahead of the commands queued for its game: each of them would otherwise hold the phase
      // change back by a whole append (an fsync). Commands decided after it see the new phase, as they would have
      // had they arrived a moment later; the deadline itself is when the phase was due to end.
      catchUp: (game) => this.#sync(game, true),
      tick: async (game) => {
        const { ack, appended } = await this.#run(game.id, SYSTEM, { type: 'tick' }, {}, true);
        return !ack.ok ? 'failed' : appended ? 'fired' : 'noop';
      },
    });
    deps.metrics.gauge('flywheel_games_loaded', 'Games held in memory by this process.', () => this.#games.size);
    deps.metrics.gauge(
      'flywheel_games_damaged',
      'Damaged records: game logs that cannot be read or do not replay, sign-in, seminar and short code records that cannot be read or folded (see /healthz for which, and docs/operations.md).',
      () => this.#damage.size,
    );
  }

  setPublisher(publisher: Publisher): void {
    this.#publisher = publisher;
  }

  /** Loads every game in the store and arms its deadline: after a restart, every game continues where it was. */
  async start(): Promise<void> {
    const ids = (await this.#store.listGames()).filter((id) => GAME_ID.test(id));
    for (const id of ids) this.#known.add(id);
    let loaded = 0;
    for (const id of ids) {
      try {
        if (await this.get(id)) loaded += 1;
      } catch (err) {
        // One unreadable game must not keep the others from being played.
        if (!(err instanceof CorruptLog)) this.#log.error('game failed to load', { game: id, err });
      }
    }
    this.#log.info('games loaded', { games: loaded });
    if (this.#sharedStore) this.#sweeper = setInterval(() => void this.#sweep(), SWEEP_MS).unref();
  }

  /** A loaded game, loading it from the store on first use; null if there is no such game. */
  get(gameId: string): Promise<LoadedGame | null> {
    const game = this.#games.get(gameId);
    if (game) return Promise.resolve(game);
    const damage = this.#damage.problem(gameId);
    if (damage !== undefined) return Promise.reject(new CorruptLog(damage, gameId));
    if (!GAME_ID.test(gameId) || (!this.#sharedStore && !this.#known.has(gameId))) return Promise.resolve(null);
    let loading = this.#loading.get(gameId);
    if (!loading) {
      loading = this.#load(gameId)
        .catch((err: unknown) => {
          // Remembered, so that players retrying do not make the store read the damaged log again and again.
          if (err instanceof CorruptLog) this.#markDamaged(gameId, err);
          throw err;
        })
        .finally(() => this.#loading.delete(gameId));
      this.#loading.set(gameId, loading);
    }
    return loading;
  }

  /**
   * Called after this process stored (and published) new events of a game: the bots act on what changed. Not for
   * events another process stored, whose own listeners hear of them.
   */
  onUpdate(listener: (gameId: string) => void): void {
    this.#updateListeners.push(listener);
  }

  /** The ids of the games held in memory. */
  loadedIds(): string[] {
    return [...this.#games.keys()];
  }

  /** A game already in memory (the socket handshake loads it first). */
  peek(gameId: string): LoadedGame | undefined {
    return this.#games.get(gameId);
  }

  /**
   * The game, caught up with the store: before a whole view is sent (a connection, a resync), since with a shared
   * store another process may have moved it on. Without one, only after a failed append.
   */
  async sync(gameId: string): Promise<LoadedGame | null> {
    const game = await this.get(gameId);
    if (game && (this.#sharedStore || game.stale)) await this.#sync(game);
    return game;
  }

  /** Another process moved a game's deadline: catch up (which re-arms), or load it to arm its first timer. */
  noticed(notice: GameNotice): void {
    if (this.#closing || !GAME_ID.test(notice.gameId)) return;
    const game = this.#games.get(notice.gameId);
    if (game && notice.version <= game.version) return;
    if (!game && notice.deadline === null) return;
    this.sync(notice.gameId).catch((err: unknown) =>
      this.#log.warn('catch-up after a notice failed', { game: notice.gameId, err }),
    );
  }

  /** Writes a new game's first event. 'taken' if the id is already used (the caller picks another). */
  async create(gameId: string, scenario: Scenario, options: GameOptions): Promise<DomainError | 'taken' | LoadedGame> {
    // A seed nobody chose: no seat, the White Cell included, can predict a roll (docs/rules.md, "Provable dice").
    const events = createGame(gameId, scenario, options, this.#now(), newDiceSecret(), newDiceSecret());
    if (isDomainError(events)) return events;
    return this.adopt(gameId, events);
  }

  /**
   * Writes a new game from its first events, built by the caller (a fork copies another game's history); `build`
   * is given this service's clock. 'taken' if the id is already used.
   */
  async createFrom(
    gameId: string,
    build: (now: number) => GameEvent[] | DomainError,
  ): Promise<DomainError | 'taken' | LoadedGame> {
    const events = build(this.#now());
    return isDomainError(events) ? events : this.adopt(gameId, events);
  }

  /**
   * The whole stored log of a game (for exports, replay and forks); null if there is no such game. It is replayed
   * first: loading checked the events a snapshot stands for only by their type (see #load), and an export or a fork
   * of a log that does not replay must say the game is damaged, not fail as a bug.
   */
  async log(gameId: string): Promise<GameEvent[] | null> {
    if (!(await this.get(gameId))) return null;
    return this.#replayable(gameId);
  }

  async adopt(gameId: string, events: GameEvent[]): Promise<'taken' | LoadedGame> {
    if (this.#known.has(gameId)) return 'taken';
    try {
      await this.#store.append(gameId, 0, events);
    } catch (err) {
      if (err instanceof VersionConflict) return 'taken';
      throw err;
    }
    const game = new LoadedGame(gameId, fold(events), events.length, 0);
    this.#known.add(gameId);
    this.#games.set(gameId, game);
    this.#log.info('game created', { game: gameId, scenario: game.state.scenario.id });
    return game;
  }

  /** Runs a command for an actor the caller has established (never one taken from a payload). */
  async submit(gameId: string, actor: Actor, command: Command, options: SubmitOptions = {}): Promise<CommandAck> {
    const run = this.#run(gameId, actor, command, options);
    this.#submitted.add(run);
    try {
      return (await run).ack;
    } finally {
      this.#submitted.delete(run);
    }
  }

  /**
   * Null when no command (or catch-up) of the game is queued or running; else resolves once those queued now are
   * done. Bots wait for it, so that a burst of their moves never stands in front of the players' commands.
   */
  busy(gameId: string): Promise<void> | null {
    return this.#queue.pending(gameId);
  }

  /** The damaged records, with what is wrong with each (for /healthz). */
  damaged(): DamageEntry[] {
    return this.#damage.list();
  }

  /** submit(), also telling whether events were stored (a tick that found nothing to do stores none). */
  async #run(
    gameId: string,
    actor: Actor,
    command: Command,
    options: SubmitOptions = {},
    first = false,
  ): Promise<{ ack: CommandAck; appended: boolean }> {
    const started = performance.now();
    let ack: CommandAck;
    let appended = false;
    try {
      const game = this.#closing ? null : await this.get(gameId);
      if (this.#closing)
        ack = { ok: false, error: errorBody('SHUTTING_DOWN', 'The server is restarting; try again in a moment') };
      else if (!game) ack = { ok: false, error: errorBody('NO_GAME', 'No such game') };
      else {
        const task = () => this.#execute(game, actor, command, options);
        ({ ack, appended } = await (first ? this.#queue.runFirst(gameId, task) : this.#queue.run(gameId, task)));
      }
    } catch (err) {
      ack = { ok: false, error: this.#faultBody(gameId, command.type, err) };
    }
    recordCommand(this.#log, this.#metrics, {
      game: gameId,
      role: actorLabel(actor),
      player: 'playerId' in actor ? actor.playerId : null,
      command: command.type,
      outcome: ack.ok ? 'ok' : ack.error.code,
      ms: performance.now() - started,
      ...(ack.ok ? { version: ack.version } : {}),
    });
    return { ack, appended };
  }

  /** The whole view for an audience, at the game's current version, numbered by the audience's own version. */
  fullView(game: LoadedGame, audience: Audience): FullView {
    const view = game.views.full(game.state, game.version, audience);
    return { gameId: game.id, version: seqOf(game.state, audienceKey(audience)), view };
  }

  /** An audience's own version of a game as this process holds it now: what an ack tells a seat. */
  audienceVersion(gameId: string, audience: Audience): number | null {
    const game = this.#games.get(gameId);
    return game ? seqOf(game.state, audienceKey(audience)) : null;
  }

  /** A game's whole event log, as stored (the export behind `npm run verify-dice`), once it is known to replay. */
  async events(gameId: string): Promise<GameEvent[]> {
    return this.#replayable(gameId);
  }

  /** Older chat of a channel the audience can read, or null (an unknown channel and an unreadable one alike). */
  olderMessages(game: LoadedGame, audience: Audience, request: HistoryRequest): MessagePage | null {
    const page = olderMessages(game.state, audience, request.channel, request.before, request.limit);
    return page && { gameId: game.id, ...page };
  }

  /** Older reveals, through the audience's own projection (what its view would hold of those rounds). */
  olderReveals(game: LoadedGame, audience: Audience, request: RevealsRequest): RevealPage {
    const s = game.state;
    const final = isOverPhase(s.phase);
    return { gameId: game.id, final, reveals: olderReveals(s, audience, request.before, request.limit) };
  }

  /** Deals or injects of earlier rounds, through the audience's own projection (see archivedEntries). */
  archive(game: LoadedGame, audience: Audience, request: ArchiveRequest): ArchivePage {
    const items = archivedEntries(game.state, audience, request.kind, request.ids);
    return { gameId: game.id, kind: request.kind, items } as ArchivePage;
  }

  /** The audience's catalogue of actions as its view names it now. */
  catalogue(game: LoadedGame, audience: Audience): Catalogue {
    return catalogueFor(game.state, audience);
  }

  /** Stops the clocks and refuses new commands; commands under way still finish (see drain). */
  beginClose(): void {
    this.#closing = true;
    clearInterval(this.#sweeper);
    this.#clock.close();
    for (const game of this.#games.values()) this.#clock.disarm(game);
  }

  /** Resolves once every command under way has finished and been answered. */
  async drain(): Promise<void> {
    while (this.#submitted.size) await Promise.allSettled([...this.#submitted]);
    await this.#queue.drain();
  }

  /** What a client is told when a command failed for a reason outside the rules; bugs alone are logged as errors. */
  #faultBody(gameId: string, command: string, err: unknown) {
    if (err instanceof CorruptLog) {
      return errorBody(
        'GAME_DAMAGED',
        "This game's record is damaged and it cannot be played until the server's operator restores it",
      );
    }
    if (err instanceof StoreUnavailable) {
      // The store names the condition (and logs it once); here it is only counted.
      if (this.#faults) this.#faults.warn('command:store_unavailable', 'commands refused: storage unavailable');
      else this.#log.warn('command failed', { game: gameId, command, err: err.message });
      return errorBody(
        'STORE_UNAVAILABLE',
        'Storage did not answer: this may or may not have been saved. Check before doing it again',
      );
    }
    this.#log.error('command failed', { game: gameId, command, err });
    return errorBody('INTERNAL', 'The command could not be completed; try again');
  }

  /**
   * Notes a damaged game (logged once, by the book) and lets go of it if it was loaded: commands, connections and
   * its deadline must not go on over a log that no longer replays.
   */
  #markDamaged(gameId: string, err: CorruptLog): void {
    this.#damage.mark(gameId, err.message);
    this.#wholeReplayed.delete(gameId);
    const loaded = this.#games.get(gameId);
    if (loaded) {
      this.#games.delete(gameId);
      this.#clock.disarm(loaded);
    }
  }

  /**
   * The stored log, raw (with its receipts), after replaying it whole once; a log that does not replay is damage.
   * Once is enough: every event stored after it was folded by the process that decided it before it was stored
   * (and by this one, on a catch-up, through #replay), so a replay's scrubbing, one request a step, does not fold the
   * whole log again each time.
   */
  async #replayable(gameId: string): Promise<GameEvent[]> {
    const stored = (await this.#store.load(gameId)) as GameEvent[];
    if (this.#wholeReplayed.has(gameId) || !stored.length) return stored;
    try {
      this.#replay(
        gameId,
        takeReceipts(stored, 1, () => undefined),
        1,
      );
    } catch (err) {
      if (err instanceof CorruptLog) this.#markDamaged(gameId, err);
      throw err;
    }
    this.#wholeReplayed.add(gameId);
    return stored;
  }

  /**
   * Folds stored events, of versions first, first + 1…, onto `from`. The first that is not an event the engine knows,
   * or that the engine cannot fold, makes the log damaged (a CorruptLog naming it), exactly as a line that does not
   * read: the log is the truth, and one that does not replay cannot be played on, exported or forked.
   */
  #replay(gameId: string, events: readonly GameEvent[], first: number, from?: GameState): GameState {
    let state = from as GameState;
    for (const [i, event] of events.entries()) {
      const damaged = (why: string) => new CorruptLog(`event ${first + i} of the log does not replay: ${why}`, gameId);
      const problem = eventProblem(event);
      if (problem) throw damaged(problem);
      if (!state && event.type !== 'GameCreated') throw damaged('the log does not begin with the game');
      try {
        state = evolve(state, event);
      } catch (err) {
        // The engine's message can quote the event's fields (a chat line's text, a deal's terms), and the problem
        // reaches /healthz, which anyone may ask: it names the event's number and (known) type only. The message goes
        // to the server's log, the operator's, at warn.
        this.#log.warn('event does not replay', {
          game: gameId,
          event: first + i,
          type: event.type,
          err: err instanceof Error ? err.message : String(err),
        });
        throw damaged(`the engine cannot fold this ${event.type} event`);
      }
    }
    return state;
  }

  async #execute(
    game: LoadedGame,
    actor: Actor,
    command: Command,
    options: SubmitOptions,
  ): Promise<{ ack: CommandAck; appended: boolean }> {
    const answer = (ack: CommandAck, appended = false) => ({ ack, appended });
    const key: CommandKey | undefined =
      options.id !== undefined && 'playerId' in actor ? { player: actor.playerId, id: options.id } : undefined;
    try {
      let checked = !this.#sharedStore;
      for (let attempt = 0; ; attempt++) {
        if (game.stale) await this.#catchUp(game);
        // Checked after every catch-up: the first try may have been stored by another process, or before a crash.
        const earlier = key && game.receipts.get(key);
        if (earlier) {
          this.#metrics.repeats.inc();
          return answer(earlier);
        }
        const events = decide(game.state, { command, actor, now: this.#now(), ids: freshIds() });
        if (isDomainError(events) || events.length === 0) {
          // A refusal (or nothing to do) stores nothing, so no conflict would reveal that another process moved
          // the game on: ask the store before answering on a state that may be old. Events, on the other hand, are
          // appended at this process's version, and the store refuses them if it has moved.
          if (!checked && (await this.#store.version(game.id)) > game.version) {
            checked = true;
            game.stale = true;
            continue;
          }
          const ack: CommandAck = isDomainError(events)
            ? { ok: false, error: errorBody(events.code, events.message) }
            : { ok: true, version: game.version };
          // Remembered here only (nothing was stored): another process deciding a repeat decides it afresh.
          if (key) game.receipts.remember(key, ack);
          return answer(ack);
        }
        if (options.receivedAt !== undefined && performance.now() - options.receivedAt > MAX_WAIT_MS) {
          return answer({
            ok: false,
            error: errorBody('BUSY', 'The server could not get to this command in time; it was not applied. Try again'),
          });
        }
        // Marks which audiences' views this command changes: their own versions move, nobody else's. The views are
        // built once, for this and for the patches sent once the command is stored.
        const { events: marked, diff } = markCommand(game.views, game.state, events, game.version);
        let version: number;
        try {
          version = await this.#store.append(game.id, game.version, withReceipt(marked, key));
        } catch (err) {
          // Whatever went wrong, the store may now hold more than this process knows: reload before deciding again.
          game.stale = true;
          if (err instanceof VersionConflict) {
            this.#metrics.conflicts.inc();
            if (attempt < CONFLICT_RETRIES) continue;
            if (await this.#storeBehind(game))
              return answer({
                ok: false,
                error: errorBody(
                  'STORE_UNAVAILABLE',
                  'The server must be restarted: its storage was replaced by an older copy',
                ),
              });
            return answer({ ok: false, error: errorBody('BUSY', 'The game is busy; try again') });
          }
          game.owesPublish = true;
          throw err;
        }
        // Only now, with the events durable, does anything change in memory or leave the server.
        const deadline = deadlineOf(game.state);
        this.#advance(game, marked, version, 'patch', diff);
        if (deadlineOf(game.state) !== deadline)
          this.#publisher.moved({ gameId: game.id, version, deadline: deadlineOf(game.state) });
        if (key) game.receipts.remember(key, { ok: true, version });
        this.#faults?.clear('command:store_unavailable', 'commands stored again');
        return answer({ ok: true, version }, true);
      }
    } finally {
      // Not a game let go of meanwhile (damaged at a catch-up): its deadline must not fire on.
      if (this.#games.get(game.id) === game) this.#clock.arm(game);
    }
  }

  /**
   * Folds newly stored events into the game and tells the clients:
   * - 'patch': this process stored them, so it sends each audience what changed;
   * - 'follow': another process stored them and has told the clients; only this process's caches move on (the
   *   `from` of its next patch then starts here). Re-sending them would be worse than wasteful: a patch covering
   *   several commands could overtake the other process's own patches and skip a section changed and changed back;
   * - 'full': nobody may have told the clients (an append of ours whose answer was lost): every audience whose view
   *   these events changed gets its whole view, which applies whatever a client holds; the others get nothing.
   */
  #advance(game: LoadedGame, events: readonly GameEvent[], version: number, publish: Publish, diff?: ViewDiff): void {
    const prev = game.state;
    const from = game.version;
    let next = prev;
    try {
      // Events this process just decided fold, or it is a bug; stored events it did not decide here (another
      // process's, or an append whose answer was lost) may not, and then the log is damaged.
      if (publish === 'patch') for (const e of events) next = evolve(next, e);
      else next = this.#replay(game.id, events, from + 1, prev);
    } catch (err) {
      game.stale = true;
      if (err instanceof CorruptLog) this.#markDamaged(game.id, err);
      throw err;
    }
    game.state = next;
    game.version = version;
    // A plain loop: this runs on every command, and almost never finds one.
    let moved: string[] | undefined;
    for (const e of events) {
      if (e.type !== 'PlayerReseated' && e.type !== 'SeatLeft') continue;
      moved ??= [];
      moved.push(e.playerId);
    }
    if (moved) this.#publisher.seatsChanged(game.id, next, moved);
    const patches = game.views.update(
      prev,
      next,
      from,
      version,
      (key) => this.#publisher.listening(game.id, key),
      diff,
      publish === 'full',
    );
    if (publish !== 'follow') for (const { key, patch } of patches) this.#publisher.patch(game.id, key, patch);
    if (version - game.snapshotVersion >= this.#snapshotEvery) this.#snapshot(game);
    if (publish !== 'follow') for (const listener of this.#updateListeners) listener(game.id);
  }

  /** One catch-up at a time per game, in line with its commands; callers that arrive before it starts share it. */
  #sync(game: LoadedGame, first = false): Promise<void> {
    let pending = this.#syncing.get(game.id);
    if (!pending) {
      const task = async () => {
        // Started: whoever comes from now on needs a check of their own, made after they asked.
        if (this.#syncing.get(game.id) === pending) this.#syncing.delete(game.id);
        if (game.stale || (await this.#store.version(game.id)) > game.version) await this.#catchUp(game);
      };
      pending = first ? this.#queue.runFirst(game.id, task) : this.#queue.run(game.id, task);
      this.#syncing.set(game.id, pending);
    }
    return pending;
  }

  /**
   * Folds the events stored after this process's version: by another process, or by an append whose answer was lost.
   */
  async #catchUp(game: LoadedGame): Promise<void> {
    const first = game.version + 1;
    // A line (or Redis entry) that does not read damages a game already loaded too: let go of it, as #advance does.
    const stored = await this.#store.load(game.id, first).catch((err: unknown) => {
      if (err instanceof CorruptLog) this.#markDamaged(game.id, err);
      throw err;
    });
    const events = takeReceipts(stored, first, (key, version) => game.receipts.remember(key, { ok: true, version }));
    const owed = game.owesPublish;
    game.stale = false;
    game.owesPublish = false;
    if (events.length) {
      this.#metrics.catchUps.inc();
      this.#advance(game, events, game.version + events.length, owed ? 'full' : 'follow');
    }
    this.#clock.arm(game);
  }

  /**
   * Whether the store holds less of a game than this process has applied: conflicts that no catch-up can resolve,
   * as when Redis was restored from a backup (or emptied) under running processes. Only a restart reconciles them
   * (the store is the truth); the operator is told, once per condition, rather than every command answered BUSY.
   */
  async #storeBehind(game: LoadedGame): Promise<boolean> {
    const stored = await this.#store.version(game.id).catch(() => null);
    if (stored === null || stored >= game.version) return false;
    const msg =
      'the store holds an older copy of a game than this process: restart the process (was the store restored under it?)';
    if (this.#faults) this.#faults.warn('store:behind', msg, { game: game.id, stored, applied: game.version });
    else this.#log.warn(msg, { game: game.id, stored, applied: game.version });
    return true;
  }

  /** Loads games created by other processes and catches up on every game, so each timer follows the log. */
  async #sweep(): Promise<void> {
    try {
      for (const id of await this.#store.listGames()) {
        if (this.#closing) return;
        if (GAME_ID.test(id)) await this.sync(id);
      }
    } catch (err) {
      this.#log.warn('sweep failed', { err });
    }
  }

  #snapshot(game: LoadedGame): void {
    const { version, state } = game;
    game.snapshotVersion = version;
    // A snapshot is only a cache: the command is already durable, so it does not wait for this.
    this.#store.saveSnapshot(game.id, version, toSnapshot(state)).catch((err: unknown) => {
      this.#log.warn('snapshot failed', { game: game.id, version, err });
    });
  }

  /**
   * Loads a game from its snapshot and the events after it, checking the log as it goes: a log whose events do not
   * replay is damaged (a CorruptLog, see #replay), like one with a line that does not read.
   *
   * The events the snapshot stands for are read too (the file store reads the whole file anyway), but only checked
   * to be events the engine knows, not folded again: folding them is what the snapshot saves (about 4 µs an event,
   * 45 ms for a game of 10,000), at every start and for every game. That catches a line that reads as JSON but is no
   * event (a flipped bit in a type); damage that only folding shows is found when the whole log is next replayed,
   * by an export, a fork, a replay (#replayable) or `npm run game:repair`, and the game is then damaged from there on.
   */
  async #load(gameId: string): Promise<LoadedGame | null> {
    let snap = fromSnapshot(await this.#store.loadSnapshot(gameId).catch(() => null));
    // A snapshot ahead of the log cannot be trusted (the log is the truth).
    if (snap && snap.version > (await this.#store.version(gameId))) snap = null;
    const base = snap?.version ?? 0;
    // Every seat's last answers, from the whole log (read anyway): a seat that sent its command before a busy
    // stretch of other seats' commands may send it again after a restart, and must find it answered.
    const receipts = new Receipts();
    const read = takeReceipts(await this.#store.load(gameId), 1, (key, version) =>
      receipts.remember(key, { ok: true, version }),
    );
    if (read.length === 0) return null;
    if ((read[0] as { type?: unknown }).type !== 'GameCreated')
      throw new CorruptLog('event 1 of the log does not replay: the log does not begin with the game', gameId);
    for (let v = 1; v <= Math.min(base, read.length); v++) {
      const problem = eventProblem(read[v - 1]);
      if (problem) throw new CorruptLog(`event ${v} of the log does not replay: ${problem}`, gameId);
    }
    const events = read.slice(base);
    const state = this.#replay(gameId, events, base + 1, snap?.state);
    const game = new LoadedGame(gameId, state, base + events.length, base, receipts);
    // Another caller may have created it meanwhile (create() does not go through here).
    const existing = this.#games.get(gameId);
    if (existing) return existing;
    this.#games.set(gameId, game);
    this.#clock.arm(game);
    return game;
  }
}
