// The application service: command -> decide -> append -> evolve -> publish -> ack, one command at a time per game.
// It owns the cache of loaded games and their deadline timers. Nothing here knows about sockets or HTTP: views go
// out through a Publisher, and answers are plain Ack values.
import { performance } from 'node:perf_hooks';
import {
  createGame, decide, evolve, fold, isDomainError,
  type Actor, type Audience, type Command, type DomainError, type GameEvent, type GameState, type Scenario,
} from '../engine/index.ts';
import type { GameOptions } from '../../shared/commands.ts';
import type { Ack, FullView, ViewPatch } from '../../shared/protocol.ts';
import { StoreUnavailable, VersionConflict, type EventStore } from '../store/event-store.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { errorBody } from './app-error.ts';
import { recordCommand } from './command-log.ts';
import { freshIds, GAME_ID } from './ids.ts';
import { KeyedQueue } from './keyed-queue.ts';
import { LoadedGame } from './loaded-game.ts';
import { actorLabel, SYSTEM } from './seat.ts';
import { fromSnapshot, toSnapshot } from './snapshots.ts';

/** Where views go. The realtime layer implements it with Socket.IO rooms. */
export interface Publisher {
  /** Whether anyone listens to this audience of this game: nobody's view is built for an empty room. */
  listening(gameId: string, audienceKey: string): boolean;
  patch(gameId: string, audienceKey: string, patch: ViewPatch): void;
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
  now?: () => number;
}

export type CommandAck = Ack<{ version: number }>;

/** Another process appended first: reload and decide again, a few times, before asking the client to retry. */
const CONFLICT_RETRIES = 5;
/** setTimeout's longest delay; a later deadline is reached by re-arming after an early (harmless) tick. */
const MAX_DELAY = 2 ** 31 - 1;

const nobody: Publisher = { listening: () => false, patch: () => {} };

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
  #publisher: Publisher = nobody;
  #closing = false;

  constructor(deps: GamesDeps) {
    this.#store = deps.store;
    this.#log = deps.log;
    this.#metrics = deps.metrics;
    this.#snapshotEvery = deps.snapshotEvery;
    this.#now = deps.now ?? Date.now;
    this.#sharedStore = deps.sharedStore ?? false;
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
    const started = performance.now();
    let ack: CommandAck;
    try {
      const game = this.#closing ? null : await this.get(gameId);
      if (this.#closing) ack = { ok: false, error: errorBody('SHUTTING_DOWN', 'The server is restarting; try again in a moment') };
      else if (!game) ack = { ok: false, error: errorBody('NO_GAME', 'No such game') };
      else ack = await this.#queue.run(gameId, () => this.#execute(game, actor, command));
    } catch (err) {
      this.#log.error('command failed', { game: gameId, command: command.type, err });
      ack = { ok: false, error: errorBody(err instanceof StoreUnavailable ? 'STORE_UNAVAILABLE' : 'INTERNAL', 'The command could not be completed; try again') };
    }
    recordCommand(this.#log, this.#metrics, {
      game: gameId, role: actorLabel(actor), player: 'playerId' in actor ? actor.playerId : null, command: command.type,
      outcome: ack.ok ? 'ok' : ack.error.code, ms: performance.now() - started, ...(ack.ok ? { version: ack.version } : {}),
    });
    return ack;
  }

  /** The whole view for an audience, at the game's current version. */
  fullView(game: LoadedGame, audience: Audience): FullView {
    return { gameId: game.id, version: game.version, view: game.views.full(game.state, game.version, audience) };
  }

  /** Stops the clocks and refuses new commands; commands under way still finish (see drain). */
  beginClose(): void {
    this.#closing = true;
    for (const game of this.#games.values()) this.#disarm(game);
  }

  /** Resolves once every command under way has finished. */
  drain(): Promise<void> {
    return this.#queue.drain();
  }

  async #execute(game: LoadedGame, actor: Actor, command: Command): Promise<CommandAck> {
    try {
      for (let attempt = 0; ; attempt++) {
        if (game.stale) await this.#refresh(game);
        const events = decide(game.state, { command, actor, now: this.#now(), ids: freshIds() });
        if (isDomainError(events)) return { ok: false, error: errorBody(events.code, events.message) };
        if (events.length === 0) return { ok: true, version: game.version };
        let version: number;
        try {
          version = await this.#store.append(game.id, game.version, events);
        } catch (err) {
          // Whatever went wrong, the store may now hold more than this process knows: reload before deciding again.
          game.stale = true;
          if (err instanceof VersionConflict && attempt < CONFLICT_RETRIES) continue;
          if (err instanceof VersionConflict) return { ok: false, error: errorBody('BUSY', 'The game is busy; try again') };
          throw err;
        }
        // Only now, with the events durable, does anything change in memory or leave the server.
        this.#advance(game, events, version);
        return { ok: true, version };
      }
    } finally {
      this.#arm(game);
    }
  }

  /** Folds newly stored events into the game and publishes what changed. */
  #advance(game: LoadedGame, events: readonly GameEvent[], version: number): void {
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
    this.#publish(game, prev, from);
    if (version - game.snapshotVersion >= this.#snapshotEvery) this.#snapshot(game);
  }

  #publish(game: LoadedGame, prev: GameState, from: number): void {
    const patches = game.views.update(prev, game.state, from, game.version, (key) => this.#publisher.listening(game.id, key));
    for (const { key, patch } of patches) this.#publisher.patch(game.id, key, patch);
  }

  /** Catches up with events another process (or an append whose outcome was unknown) stored. */
  async #refresh(game: LoadedGame): Promise<void> {
    const events = (await this.#store.load(game.id, game.version + 1)) as GameEvent[];
    game.stale = false;
    if (events.length) this.#advance(game, events, game.version + events.length);
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
    this.#arm(game);
    return game;
  }

  /** One timer per game, at its deadline, that submits a tick as the system. A late or early tick is harmless. */
  #arm(game: LoadedGame): void {
    const { deadline, paused } = game.state;
    const fireAt = this.#closing || paused || deadline === null ? null : Math.max(deadline, game.retryAt);
    if (fireAt === game.armedFor && (fireAt === null || game.timer)) return;
    this.#disarm(game);
    if (fireAt === null) return;
    game.armedFor = fireAt;
    game.timer = setTimeout(() => {
      game.timer = undefined;
      game.armedFor = null;
      this.#tick(game).catch((err: unknown) => this.#log.error('tick failed', { game: game.id, err }));
    }, Math.min(Math.max(0, fireAt - this.#now()), MAX_DELAY));
    // A pending deadline must not keep a stopping process alive.
    game.timer.unref();
  }

  async #tick(game: LoadedGame): Promise<void> {
    const ack = await this.submit(game.id, SYSTEM, { type: 'tick' });
    // A failed tick (the store is down, say) is retried with a growing pause instead of at once, again and again.
    game.tickFailures = ack.ok ? 0 : game.tickFailures + 1;
    game.retryAt = ack.ok ? 0 : this.#now() + Math.min(1000 * 2 ** (game.tickFailures - 1), 30_000);
    this.#arm(game);
  }

  #disarm(game: LoadedGame): void {
    clearTimeout(game.timer);
    game.timer = undefined;
    game.armedFor = null;
  }
}
