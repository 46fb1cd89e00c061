// The one storage contract of the event log. File, memory and Redis stores implement it and pass the same
// contract suite (test/server/store/contract.ts). Events are opaque JSON here: the engine owns their shape.

export interface Snapshot {
  version: number;
  state: unknown;
}

export interface EventStore {
  /**
   * Appends events atomically if the game's current version equals expectedVersion (0 = new game).
   * Resolves with the new version only once the events are durable. Rejects with VersionConflict otherwise
   * (nothing written). An empty batch writes nothing and resolves with the current version (after the same check).
   * Any other rejection (StoreUnavailable, an I/O error) means the outcome is unknown: reload before deciding again.
   */
  append(gameId: string, expectedVersion: number, events: readonly unknown[]): Promise<number>;
  /** All events of a game from version `from` (1-based, inclusive; default 1), in order. Unknown game: []. */
  load(gameId: string, from?: number): Promise<unknown[]>;
  /** The number of events stored for the game; 0 for an unknown game. */
  version(gameId: string): Promise<number>;
  /** Ids of the games that have events, sorted. */
  listGames(): Promise<string[]>;
  /** Snapshots are a cache for fast loading: {version, state}. The last save wins. */
  saveSnapshot(gameId: string, version: number, state: unknown): Promise<void>;
  loadSnapshot(gameId: string): Promise<Snapshot | null>;
  /** Waits for appends under way, then releases resources. Later calls reject with StoreUnavailable. */
  close(): Promise<void>;
}

export class VersionConflict extends Error {
  readonly code = 'VERSION_CONFLICT';
  readonly gameId: string;
  readonly expected: number;
  /** The version the store saw when it refused; it may have moved on since. */
  readonly actual: number;
  constructor(gameId: string, expected: number, actual: number) {
    super(`game ${gameId}: expected version ${expected}, but it is at ${actual}`);
    this.name = 'VersionConflict';
    this.gameId = gameId;
    this.expected = expected;
    this.actual = actual;
  }
}

export class StoreUnavailable extends Error {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailable';
  }
}

/**
 * A game's log holds something that is neither a valid event nor the torn tail of an unacknowledged append. Unlike
 * an outage it does not pass by itself: the game is damaged until an operator repairs it (docs/operations.md).
 */
export class CorruptLog extends Error {
  readonly code = 'STORE_CORRUPT';
  /**
   * The stream whose record is damaged (a game's id, `<gameId>-auth`, `<cohortId>-cohort`...), when the thrower
   * knows it: /healthz names it, and the REST answer words itself for a seminar or a game (server/http/errors.ts).
   */
  readonly stream: string | undefined;
  constructor(message: string, stream?: string) {
    super(message);
    this.name = 'CorruptLog';
    this.stream = stream;
  }
}

export class InvalidGameId extends Error {
  readonly code = 'INVALID_GAME_ID';
  constructor(gameId: unknown) {
    // The id is quoted through JSON so control characters cannot forge log lines.
    super(`invalid game id ${JSON.stringify(String(gameId)).slice(0, 80)}`);
    this.name = 'InvalidGameId';
  }
}

const GAME_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Every store calls this first: the id becomes a file name or a Redis key, so nothing else may pass. */
export function assertGameId(gameId: string): void {
  if (typeof gameId !== 'string' || !GAME_ID.test(gameId)) throw new InvalidGameId(gameId);
}

export function isGameId(name: string): boolean {
  return GAME_ID.test(name);
}

export function assertVersion(name: string, n: number, min: number): void {
  if (!Number.isSafeInteger(n) || n < min) throw new RangeError(`${name} must be an integer >= ${min}, got ${n}`);
}

/**
 * Serializes events up front so every store stores (and returns) exactly what JSON keeps,
 * and a value JSON cannot represent fails before anything is written.
 */
export function serializeEvents(events: readonly unknown[]): string[] {
  if (!Array.isArray(events)) throw new TypeError('events must be an array');
  return events.map((event, i) => {
    const json = JSON.stringify(event);
    if (json === undefined) throw new TypeError(`event ${i} is not representable as JSON`);
    return json;
  });
}

export function serializeSnapshot(version: number, state: unknown): string {
  assertVersion('snapshot version', version, 0);
  const stateJson = JSON.stringify(state);
  if (stateJson === undefined) throw new TypeError('snapshot state is not representable as JSON');
  return `{"version":${version},"state":${stateJson}}`;
}

export function parseSnapshot(json: string): Snapshot {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null || !('version' in parsed) || !('state' in parsed)) {
    throw new Error('malformed snapshot');
  }
  const { version, state } = parsed as { version: unknown; state: unknown };
  if (typeof version !== 'number' || !Number.isSafeInteger(version)) throw new Error('malformed snapshot version');
  return { version, state };
}
