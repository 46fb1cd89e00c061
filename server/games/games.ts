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
  createGame,
  decide,
  evolve,
  fold,
  isDomainError,
  olderMessages,
  type Actor,
  type Audience,
  type Command,
  type DomainError,
  type GameEvent,
  type Scenario,
} from '../engine/index.ts';
import type { GameOptions } from '../../shared/commands.ts';
import type { Ack, FullView, HistoryRequest, MessagePage, ViewPatch } from '../../shared/protocol.ts';
import { StoreUnavailable, VersionConflict, type EventStore } from '../store/event-store.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { errorBody } from './app-error.ts';
import { recordCommand } from './command-log.ts';
import { freshIds, GAME_ID } from './ids.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { DeadlineClock, type Leases } from './deadline-clock.ts';
import { deadlineOf, LoadedGame } from './loaded-game.ts';
import { actorLabel, SYSTEM } from './seat.ts';
import { fromSnapshot, toSnapshot } from './snapshots.ts';

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
}

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

const nobody: Publisher = { listening: () => false, patch: () => {}, moved: () => {} };

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
  #closing = false;
  #sweeper: NodeJS.Timeout | undefined;

  constructor(deps: GamesDeps) {
    this.#store = deps.store;
    this.#log = deps.log;
    this.#metrics = deps.metrics;
    this.#snapshotEvery = deps.snapshotEvery;
    this.#now = deps.now ?? Date.now;
    this.#sharedStore = deps.sharedStore ?? false;
    this.#clock = new DeadlineClock({
      log: deps.log,
      metrics: deps.metrics,
      now: this.#now,
      leases: deps.leases,
      catchUp: (game) => this.#sync(game),
      tick: async (game) => {
        const { ack, appended } = await this.#run(game.id, SYSTEM, { type: 'tick' });
        return !ack.ok ? 'failed' : appended ? 'fired' : 'noop';
      },
    });
    deps.metrics.gauge('flywheel_games_loaded', 'Games held in memory by this process.', () => this.#games.size);
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
        this.#log.error('game failed to load', { game: id, err });
      }
    }
    this.#log.info('games loaded', { games: loaded });
    if (this.#sharedStore) this.#sweeper = setInterval(() => void this.#sweep(), SWEEP_MS).unref();
  }

  /** A loaded game, loading it from the store on first use; null if there is no such game. */
  get(gameId: string): Promise<LoadedGame | null> {
    const game = this.#games.get(gameId);
    if (game) return Promise.resolve(game);
    if (!GAME_ID.test(gameId) || (!this.#sharedStore && !this.#known.has(gameId))) return Promise.resolve(null);
    let loading = this.#loading.get(gameId);
    if (!loading) {
      loading = this.#load(gameId).finally(() => this.#loading.delete(gameId));
      this.#loading.set(gameId, loading);
    }
    return loading;
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
    const events = createGame(gameId, scenario, options, this.#now());
    if (isDomainError(events)) return events;
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
    this.#log.info('game created', { game: gameId, scenario: scenario.id });
    return game;
  }

  /** Runs a command for an actor the caller has established (never one taken from a payload). */
  async submit(gameId: string, actor: Actor, command: Command): Promise<CommandAck> {
    return (await this.#run(gameId, actor, command)).ack;
  }

  /** submit(), also telling whether events were stored (a tick that found nothing to do stores none). */
  async #run(gameId: string, actor: Actor, command: Command): Promise<{ ack: CommandAck; appended: boolean }> {
    const started = performance.now();
    let ack: CommandAck;
    let appended = false;
    try {
      const game = this.#closing ? null : await this.get(gameId);
      if (this.#closing)
        ack = { ok: false, error: errorBody('SHUTTING_DOWN', 'The server is restarting; try again in a moment') };
      else if (!game) ack = { ok: false, error: errorBody('NO_GAME', 'No such game') };
      else ({ ack, appended } = await this.#queue.run(gameId, () => this.#execute(game, actor, command)));
    } catch (err) {
      this.#log.error('command failed', { game: gameId, command: command.type, err });
      ack = {
        ok: false,
        error: errorBody(
          err instanceof StoreUnavailable ? 'STORE_UNAVAILABLE' : 'INTERNAL',
          'The command could not be completed; try again',
        ),
      };
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

  /** The whole view for an audience, at the game's current version. */
  fullView(game: LoadedGame, audience: Audience): FullView {
    return { gameId: game.id, version: game.version, view: game.views.full(game.state, game.version, audience) };
  }

  /** Older chat of a channel the audience can read, or null (an unknown channel and an unreadable one alike). */
  olderMessages(game: LoadedGame, audience: Audience, request: HistoryRequest): MessagePage | null {
    const page = olderMessages(game.state, audience, request.channel, request.before, request.limit);
    return page && { gameId: game.id, ...page };
  }

  /** Stops the clocks and refuses new commands; commands under way still finish (see drain). */
  beginClose(): void {
    this.#closing = true;
    clearInterval(this.#sweeper);
    this.#clock.close();
    for (const game of this.#games.values()) this.#clock.disarm(game);
  }

  /** Resolves once every command under way has finished. */
  drain(): Promise<void> {
    return this.#queue.drain();
  }

  async #execute(game: LoadedGame, actor: Actor, command: Command): Promise<{ ack: CommandAck; appended: boolean }> {
    const answer = (ack: CommandAck, appended = false) => ({ ack, appended });
    try {
      let checked = !this.#sharedStore;
      for (let attempt = 0; ; attempt++) {
        if (game.stale) await this.#catchUp(game);
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
          if (isDomainError(events)) return answer({ ok: false, error: errorBody(events.code, events.message) });
          return answer({ ok: true, version: game.version });
        }
        let version: number;
        try {
          version = await this.#store.append(game.id, game.version, events);
        } catch (err) {
          // Whatever went wrong, the store may now hold more than this process knows: reload before deciding again.
          game.stale = true;
          if (err instanceof VersionConflict) {
            this.#metrics.conflicts.inc();
            if (attempt < CONFLICT_RETRIES) continue;
            return answer({ ok: false, error: errorBody('BUSY', 'The game is busy; try again') });
          }
          game.owesPublish = true;
          throw err;
        }
        // Only now, with the events durable, does anything change in memory or leave the server.
        const deadline = deadlineOf(game.state);
        this.#advance(game, events, version, 'patch');
        if (deadlineOf(game.state) !== deadline)
          this.#publisher.moved({ gameId: game.id, version, deadline: deadlineOf(game.state) });
        return answer({ ok: true, version }, true);
      }
    } finally {
      this.#clock.arm(game);
    }
  }

  /**
   * Folds newly stored events into the game and tells the clients:
   * - 'patch': this process stored them, so it sends each audience what changed;
   * - 'follow': another process stored them and has told the clients; only this process's caches move on (the
   *   `from` of its next patch then starts here). Re-sending them would be worse than wasteful: a patch covering
   *   several commands could overtake the other process's own patches and skip a section changed and changed back;
   * - 'full': nobody may have told the clients (an append of ours whose answer was lost): every audience gets its
   *   whole view, which applies whatever a client holds.
   */
  #advance(game: LoadedGame, events: readonly GameEvent[], version: number, publish: Publish): void {
    const prev = game.state;
    const from = game.version;
    let next = prev;
    try {
      for (const e of events) next = evolve(next, e);
    } catch (err) {
      game.stale = true;
      throw err;
    }
    game.state = next;
    game.version = version;
    if (publish === 'full') game.resetViews();
    const patches = game.views.update(prev, next, from, version, (key) => this.#publisher.listening(game.id, key));
    if (publish !== 'follow') for (const { key, patch } of patches) this.#publisher.patch(game.id, key, patch);
    if (version - game.snapshotVersion >= this.#snapshotEvery) this.#snapshot(game);
  }

  /** One catch-up at a time per game, in line with its commands; callers that arrive before it starts share it. */
  #sync(game: LoadedGame): Promise<void> {
    let pending = this.#syncing.get(game.id);
    if (!pending) {
      pending = this.#queue.run(game.id, async () => {
        // Started: whoever comes from now on needs a check of their own, made after they asked.
        if (this.#syncing.get(game.id) === pending) this.#syncing.delete(game.id);
        if (game.stale || (await this.#store.version(game.id)) > game.version) await this.#catchUp(game);
      });
      this.#syncing.set(game.id, pending);
    }
    return pending;
  }

  /** Folds the events stored after this process's version: by another process, or by an append whose answer was lost. */
  async #catchUp(game: LoadedGame): Promise<void> {
    const events = (await this.#store.load(game.id, game.version + 1)) as GameEvent[];
    const owed = game.owesPublish;
    game.stale = false;
    game.owesPublish = false;
    if (events.length) {
      this.#metrics.catchUps.inc();
      this.#advance(game, events, game.version + events.length, owed ? 'full' : 'follow');
    }
    this.#clock.arm(game);
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

  async #load(gameId: string): Promise<LoadedGame | null> {
    let snap = fromSnapshot(await this.#store.loadSnapshot(gameId).catch(() => null));
    // A snapshot ahead of the log cannot be trusted (the log is the truth).
    if (snap && snap.version > (await this.#store.version(gameId))) snap = null;
    const events = (await this.#store.load(gameId, (snap?.version ?? 0) + 1)) as GameEvent[];
    if (!snap && events[0]?.type !== 'GameCreated') return null;
    const state = fold(events, snap?.state);
    const game = new LoadedGame(gameId, state, (snap?.version ?? 0) + events.length, snap?.version ?? 0);
    // Another caller may have created it meanwhile (create() does not go through here).
    const existing = this.#games.get(gameId);
    if (existing) return existing;
    this.#games.set(gameId, game);
    this.#clock.arm(game);
    return game;
  }
}
