// The store for tests. Events and snapshots are kept as JSON text, so callers can never mutate what was
// stored, and they get back exactly what the durable stores would return.
import {
  assertGameId,
  assertVersion,
  parseSnapshot,
  serializeEvents,
  serializeSnapshot,
  StoreUnavailable,
  VersionConflict,
  type EventStore,
  type Snapshot,
} from './event-store.ts';

/** What a "restart" keeps: share one backing between MemoryStore instances to model the same database. */
export class MemoryBacking {
  readonly logs = new Map<string, string[]>();
  readonly snapshots = new Map<string, string>();
}

export class MemoryStore implements EventStore {
  readonly #backing: MemoryBacking;
  #closed = false;

  constructor(backing: MemoryBacking = new MemoryBacking()) {
    this.#backing = backing;
  }

  async append(gameId: string, expectedVersion: number, events: readonly unknown[]): Promise<number> {
    this.#open();
    assertGameId(gameId);
    assertVersion('expectedVersion', expectedVersion, 0);
    const lines = serializeEvents(events);
    // Check and write happen in one synchronous step, so concurrent calls cannot interleave between them.
    const log = this.#backing.logs.get(gameId) ?? [];
    if (log.length !== expectedVersion) throw new VersionConflict(gameId, expectedVersion, log.length);
    if (lines.length === 0) return log.length;
    log.push(...lines);
    this.#backing.logs.set(gameId, log);
    return log.length;
  }

  async load(gameId: string, from = 1): Promise<unknown[]> {
    this.#open();
    assertGameId(gameId);
    assertVersion('from', from, 1);
    const log = this.#backing.logs.get(gameId) ?? [];
    return log.slice(from - 1).map((line) => JSON.parse(line) as unknown);
  }

  async version(gameId: string): Promise<number> {
    this.#open();
    assertGameId(gameId);
    return this.#backing.logs.get(gameId)?.length ?? 0;
  }

  async listGames(): Promise<string[]> {
    this.#open();
    return [...this.#backing.logs.keys()].sort();
  }

  async saveSnapshot(gameId: string, version: number, state: unknown): Promise<void> {
    this.#open();
    assertGameId(gameId);
    this.#backing.snapshots.set(gameId, serializeSnapshot(version, state));
  }

  async loadSnapshot(gameId: string): Promise<Snapshot | null> {
    this.#open();
    assertGameId(gameId);
    const json = this.#backing.snapshots.get(gameId);
    return json === undefined ? null : parseSnapshot(json);
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #open(): void {
    if (this.#closed) throw new StoreUnavailable('store closed');
  }
}
