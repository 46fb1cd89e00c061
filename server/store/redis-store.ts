// The scale-out store: several server processes share one Redis. Per game, a list of JSON events
// (<prefix>game:<id>:events) and a snapshot string (<prefix>game:<id>:snapshot); a set of game ids (<prefix>games).
// Besides the EventStore contract, short leases (<prefix>lease:<name>) so that one process fires each deadline.
// Not for Redis Cluster: the append script touches a game's list and the shared index in one step.
import { once } from 'node:events';
import { createClient, defineScript, ErrorReply, type CommandParser } from 'redis';
import {
  assertGameId,
  assertVersion,
  InvalidGameId,
  parseSnapshot,
  serializeEvents,
  serializeSnapshot,
  StoreUnavailable,
  VersionConflict,
  type EventStore,
  type Snapshot,
} from './event-store.ts';

export interface RedisStoreOptions {
  /** Namespace for every key, so several deployments (or test runs) can share one Redis. Default 'flywheel:'. */
  prefix?: string;
  /** How long a call waits for a (re)connection before it rejects with StoreUnavailable. Default 1000 ms. */
  unavailableAfterMs?: number;
}

// Check and write in one script, which Redis runs atomically: no other client can append in between.
// Replies {1, newVersion} when appended, {0, currentVersion} on a version conflict (nothing written).
const APPEND = defineScript({
  NUMBER_OF_KEYS: 2,
  SCRIPT: `
    local version = redis.call('LLEN', KEYS[1])
    if version ~= tonumber(ARGV[1]) then return {0, version} end
    -- in chunks: unpack() of thousands of values would overflow Lua's stack
    for i = 3, #ARGV, 1000 do
      redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
    end
    if #ARGV > 2 then redis.call('SADD', KEYS[2], ARGV[2]) end
    return {1, version + #ARGV - 2}
  `,
  parseCommand(
    parser: CommandParser,
    eventsKey: string,
    indexKey: string,
    gameId: string,
    expected: number,
    events: string[],
  ) {
    parser.pushKey(eventsKey);
    parser.pushKey(indexKey);
    parser.push(String(expected), gameId, ...events);
  },
  transformReply(reply: unknown): { appended: boolean; version: number } {
    if (!Array.isArray(reply) || reply.length !== 2 || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
      throw new TypeError(`unexpected reply from the append script: ${JSON.stringify(reply)}`);
    }
    return { appended: reply[0] === 1, version: reply[1] };
  },
});

function makeClient(url: string, waitMs: number) {
  return createClient({
    url,
    // Fail fast instead of queueing while disconnected: a caller (and the player behind it) hears at once.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: waitMs,
      // Keep trying for ever, quickly at first: calls work again as soon as Redis is back.
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
    },
    scripts: { appendIfVersion: APPEND },
  });
}

type Client = ReturnType<typeof makeClient>;

// Replies that mean "Redis is there but cannot serve right now", as opposed to a bug such as WRONGTYPE.
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|MISCONF|NOREPLICAS|READONLY)\b/;

export class RedisStore implements EventStore {
  readonly #client: Client;
  readonly #prefix: string;
  readonly #waitMs: number;
  #connecting?: Promise<void>;
  #readyWait?: Promise<void>;
  #lastError?: Error;
  #closed = false;

  constructor(url: string, options: RedisStoreOptions = {}) {
    this.#prefix = options.prefix ?? 'flywheel:';
    this.#waitMs = options.unavailableAfterMs ?? 1000;
    this.#client = makeClient(url, this.#waitMs);
    // Without a listener an 'error' event would crash the process; the reconnect loop handles recovery.
    this.#client.on('error', (err: Error) => {
      this.#lastError = err;
    });
  }

  async append(gameId: string, expectedVersion: number, events: readonly unknown[]): Promise<number> {
    assertGameId(gameId);
    assertVersion('expectedVersion', expectedVersion, 0);
    const jsons = serializeEvents(events);
    const result = await this.#run((c) =>
      c.appendIfVersion(this.#eventsKey(gameId), this.#indexKey(), gameId, expectedVersion, jsons),
    );
    if (!result.appended) throw new VersionConflict(gameId, expectedVersion, result.version);
    return result.version;
  }

  async load(gameId: string, from = 1): Promise<unknown[]> {
    assertGameId(gameId);
    assertVersion('from', from, 1);
    const jsons = await this.#run((c) => c.lRange(this.#eventsKey(gameId), from - 1, -1));
    return jsons.map((json) => JSON.parse(json) as unknown);
  }

  async version(gameId: string): Promise<number> {
    assertGameId(gameId);
    return this.#run((c) => c.lLen(this.#eventsKey(gameId)));
  }

  async listGames(): Promise<string[]> {
    const ids = await this.#run((c) => c.sMembers(this.#indexKey()));
    return [...ids].sort();
  }

  async saveSnapshot(gameId: string, version: number, state: unknown): Promise<void> {
    assertGameId(gameId);
    const json = serializeSnapshot(version, state);
    await this.#run((c) => c.set(this.#snapshotKey(gameId), json));
  }

  async loadSnapshot(gameId: string): Promise<Snapshot | null> {
    assertGameId(gameId);
    const json = await this.#run((c) => c.get(this.#snapshotKey(gameId)));
    if (json === null) return null;
    try {
      return parseSnapshot(json);
    } catch {
      return null; // a snapshot is only a cache: an unreadable one means "replay the log"
    }
  }

  /** SET NX PX: the lease is this caller's if nobody holds it; it lapses by itself, so a dead holder frees it. */
  async claim(name: string, ttlMs: number): Promise<boolean> {
    const reply = await this.#run((c) =>
      c.set(`${this.#prefix}lease:${name}`, String(process.pid), {
        condition: 'NX',
        expiration: { type: 'PX', value: ttlMs },
      }),
    );
    return reply === 'OK';
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (!this.#connecting) return;
    // close() waits for replies still due; if the connection is gone they never come, so do not wait for ever.
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, 5000, 'timeout');
    });
    const outcome = await Promise.race([this.#client.close().catch(() => undefined), gaveUp]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.#client.destroy();
    await this.#connecting;
  }

  async #run<T>(command: (client: Client) => Promise<T>): Promise<T> {
    await this.#ready();
    try {
      return await command(this.#client);
    } catch (err) {
      throw asStoreError(err);
    }
  }

  async #ready(): Promise<void> {
    if (this.#closed) throw new StoreUnavailable('store closed');
    // Connect on first use; connect() resolves on the first success and keeps retrying until then.
    this.#connecting ??= this.#client.connect().then(
      () => undefined,
      () => undefined,
    );
    if (this.#client.isReady) return;
    // One shared wait, so a burst of calls during an outage adds one listener, not hundreds.
    this.#readyWait ??= once(this.#client, 'ready', { signal: AbortSignal.timeout(this.#waitMs) })
      .then(() => undefined)
      .finally(() => {
        this.#readyWait = undefined;
      });
    try {
      await this.#readyWait;
    } catch (err) {
      const cause = this.#lastError ?? err;
      throw new StoreUnavailable(`redis unreachable: ${cause instanceof Error ? cause.message : String(cause)}`, {
        cause,
      });
    }
  }

  #eventsKey(gameId: string): string {
    return `${this.#prefix}game:${gameId}:events`;
  }

  #snapshotKey(gameId: string): string {
    return `${this.#prefix}game:${gameId}:snapshot`;
  }

  #indexKey(): string {
    return `${this.#prefix}games`;
  }
}

/** A reply from Redis that is an error in the request stays as it is; anything about the connection is an outage. */
function asStoreError(err: unknown): unknown {
  if (err instanceof VersionConflict || err instanceof StoreUnavailable || err instanceof InvalidGameId) return err;
  if (err instanceof TypeError) return err; // a reply of the wrong shape is a bug, not an outage
  if (err instanceof ErrorReply && !TRANSIENT_REPLY.test(err.message)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StoreUnavailable(`redis: ${message}`, { cause: err });
}
