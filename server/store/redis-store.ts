// The scale-out store: several server processes share one Redis, or one Redis Cluster. Per stream (a game's log,
// its auth record `<id>-auth`, a cohort's `<id>-cohort`), a list of JSON events and a snapshot string; a set of
// stream ids (<prefix>games). Besides the EventStore contract, short leases (<prefix>lease:<name>) so that one process
// fires each deadline.
//
// On a cluster every key of one game carries the game id as its hash tag (<prefix>game:{<id>}:events,
// <prefix>game:{<id>}-auth:events...), so the append script, which reads and writes one list, never spans slots, and
// a game with its auth record lives on one master. The index of stream ids is one key on its own slot, so there it is
// written before the append instead of inside it, and listGames leaves out ids whose log is still empty (an append
// that failed after the index was written). On a single Redis the keys keep their untagged names and the index is
// written by the append script itself, as before.
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import { createClient, createCluster, defineScript, ErrorReply, type CommandParser } from 'redis';
import { redisSettingsWarnings, type RedisNode } from './redis-settings.ts';
import {
  assertGameId,
  CorruptLog,
  assertVersion,
  InvalidGameId,
  isGameId,
  parseSnapshot,
  serializeEvents,
  serializeSnapshot,
  StoreUnavailable,
  VersionConflict,
  type EventStore,
  type Snapshot,
} from './event-store.ts';

/** A single Redis (its URL) or a Redis Cluster (some of its nodes as host:port; the rest are discovered). */
export type RedisTarget = string | { cluster: readonly string[] };

export interface RedisStoreOptions {
  /** Namespace for every key, so several deployments (or test runs) can share one Redis. Default 'flywheel:'. */
  prefix?: string;
  /** How long a call waits for a (re)connection before it rejects with StoreUnavailable. Default 1000 ms. */
  unavailableAfterMs?: number;
  /**
   * Appends are acknowledged only once this many replicas have them (WAIT), so that a failover to a replica keeps
   * every acknowledged command. Fewer within unavailableAfterMs: StoreUnavailable (the outcome is unknown). Default 0.
   */
  waitReplicas?: number;
}

// Check and write in one script, which Redis runs atomically: no other client can append in between.
// Replies {1, newVersion} when appended, {0, currentVersion} on a version conflict (nothing written).
// With a second key (a single Redis) it also adds the stream to the index; on a cluster that key is on another slot.
const APPEND_LUA = `
    local version = redis.call('LLEN', KEYS[1])
    if version ~= tonumber(ARGV[1]) then return {0, version} end
    -- in chunks: unpack() of thousands of values would overflow Lua's stack
    for i = 3, #ARGV, 1000 do
      redis.call('RPUSH', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
    end
    if KEYS[2] and #ARGV > 2 then redis.call('SADD', KEYS[2], ARGV[2]) end
    return {1, version + #ARGV - 2}
  `;

type AppendReply = { appended: boolean; version: number };

function appendReply(reply: unknown): AppendReply {
  if (!Array.isArray(reply) || reply.length !== 2 || typeof reply[0] !== 'number' || typeof reply[1] !== 'number') {
    throw new TypeError(`unexpected reply from the append script: ${JSON.stringify(reply)}`);
  }
  return { appended: reply[0] === 1, version: reply[1] };
}

const APPEND_INDEXED = defineScript({
  NUMBER_OF_KEYS: 2,
  SCRIPT: APPEND_LUA,
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
  transformReply: appendReply,
});

const APPEND_ONE_KEY = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: APPEND_LUA,
  parseCommand(parser: CommandParser, eventsKey: string, gameId: string, expected: number, events: string[]) {
    parser.pushKey(eventsKey);
    parser.push(String(expected), gameId, ...events);
  },
  transformReply: appendReply,
});

// A lease is its holder's until it lapses, and its holder may take it again: a tick that took a deadline's lease and
// then failed (the store was down a moment) retries at once on the same process, instead of waiting out the lease.
const CLAIM_LEASE = defineScript({
  NUMBER_OF_KEYS: 1,
  SCRIPT: `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`,
  parseCommand(parser: CommandParser, key: string, owner: string, ms: number) {
    parser.pushKey(key);
    parser.push(owner, String(ms));
  },
  transformReply: (reply: unknown) => reply === 1,
});

// Keep trying for ever, quickly at first: calls work again as soon as Redis is back.
const reconnectStrategy = (retries: number) => Math.min(50 * 2 ** retries, 1000);

function makeClient(url: string, waitMs: number) {
  return createClient({
    url,
    // Fail fast instead of queueing while disconnected: a caller (and the player behind it) hears at once.
    disableOfflineQueue: true,
    socket: { connectTimeout: waitMs, reconnectStrategy },
    scripts: { appendIfVersion: APPEND_INDEXED, claimLease: CLAIM_LEASE },
  });
}

function makeCluster(nodes: readonly string[], waitMs: number) {
  return createCluster({
    rootNodes: nodes.map((node) => ({ url: `redis://${node}` })),
    // Every node's connection fails fast as a single Redis's does.
    defaults: { disableOfflineQueue: true, socket: { connectTimeout: waitMs, reconnectStrategy } },
    // A master that stays unreachable for a second makes the client ask the others who serves its slots now: after a
    // failover that is the promoted replica.
    topologyRefreshOnReconnectionAttemptStrategy: 1000,
    scripts: { appendIfVersion: APPEND_ONE_KEY, claimLease: CLAIM_LEASE },
  });
}

/** The few commands the store uses, the same on a single Redis and on a cluster. */
interface Conn {
  append(
    eventsKey: string,
    indexKey: string,
    streamId: string,
    expected: number,
    events: string[],
  ): Promise<AppendReply>;
  /** WAIT on the connection that wrote `key`: how many replicas have its writes so far. */
  replicated(key: string, replicas: number, ms: number): Promise<number>;
  lRange(key: string, from: number, to: number): Promise<string[]>;
  lLen(key: string): Promise<number>;
  sAdd(key: string, member: string): Promise<unknown>;
  sMembers(key: string): Promise<string[]>;
  set(key: string, value: string): Promise<unknown>;
  /** The lease named by key for `owner` (new, or already theirs) for `ms` more: true, or false if another holds it. */
  claimLease(key: string, owner: string, ms: number): Promise<boolean>;
  get(key: string): Promise<string | null>;
}

interface Backend {
  conn: Conn;
  clustered: boolean;
  readonly isReady: boolean;
  /** Resolves on the first success (a single client keeps retrying until then); rejects if a cluster cannot start. */
  connect(): Promise<unknown>;
  /** Resolves when the connection is usable again; rejects when the signal aborts. */
  ready(signal: AbortSignal): Promise<unknown>;
  /** The servers that hold the data: the one Redis, or each master of a cluster (their settings are checked). */
  nodes(): Promise<RedisNode[]>;
  close(): Promise<unknown>;
  destroy(): void;
}

/** The single-key commands, which a client and a cluster (routing by key) both offer alike. */
function keyCommands(
  c: ReturnType<typeof makeClient> | ReturnType<typeof makeCluster>,
): Omit<Conn, 'append' | 'replicated'> {
  return {
    lRange: (key, from, to) => c.lRange(key, from, to),
    lLen: (key) => c.lLen(key),
    sAdd: (key, member) => c.sAdd(key, member),
    sMembers: (key) => c.sMembers(key),
    set: (key, value) => c.set(key, value),
    claimLease: async (key, owner, ms) => (await c.claimLease(key, owner, ms)) as boolean,
    get: (key) => c.get(key),
  };
}

function singleBackend(url: string, waitMs: number, onError: (err: Error) => void): Backend {
  const c = makeClient(url, waitMs);
  // Without a listener an 'error' event would crash the process; the reconnect loop handles recovery.
  c.on('error', onError);
  return {
    clustered: false,
    get isReady() {
      return c.isReady;
    },
    connect: () => c.connect(),
    ready: (signal) => once(c, 'ready', { signal }),
    nodes: async () => [{ name: hostOf(url), send: (args) => c.sendCommand(args) }],
    close: () => c.close(),
    destroy: () => c.destroy(),
    conn: {
      append: (eventsKey, indexKey, streamId, expected, events) =>
        c.appendIfVersion(eventsKey, indexKey, streamId, expected, events),
      replicated: async (_key, replicas, ms) => Number(await c.sendCommand(['WAIT', String(replicas), String(ms)])),
      ...keyCommands(c),
    },
  };
}

function clusterBackend(nodes: readonly string[], waitMs: number, onError: (err: Error) => void): Backend {
  const c = makeCluster(nodes, waitMs);
  c.on('error', onError);
  c.on('node-error', onError);
  return {
    clustered: true,
    get isReady() {
      return c.isReady;
    },
    connect: () => c.connect(),
    ready: (signal) => once(c, 'connect', { signal }),
    nodes: () =>
      Promise.all(
        c.masters.map(async (m) => {
          const client = await c.nodeClient(m);
          return { name: m.address, send: (args: string[]) => client.sendCommand(args) };
        }),
      ),
    close: () => c.close(),
    destroy: () => c.destroy(),
    conn: {
      append: (eventsKey, _indexKey, streamId, expected, events) =>
        c.appendIfVersion(eventsKey, streamId, expected, events),
      // WAIT counts the writes of the connection it is sent on, so it goes to the very node client that ran the
      // append (the slot's master), not through the cluster's routing, which would ask every shard.
      replicated: async (key, replicas, ms) =>
        Number(await (await c.getNodeClientForKey(key)).sendCommand(['WAIT', String(replicas), String(ms)])),
      ...keyCommands(c),
    },
  };
}

// Replies that mean "Redis is there but cannot serve right now", as opposed to a bug such as WRONGTYPE.
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|MISCONF|NOREPLICAS|READONLY)\b/;

export class RedisStore implements EventStore {
  readonly #backend: Backend;
  readonly #prefix: string;
  readonly #waitMs: number;
  /** Who holds the leases this store claims: one random id per store object. */
  readonly #owner = randomUUID();
  readonly #waitReplicas: number;
  #connecting?: Promise<void>;
  #readyWait?: Promise<void>;
  #lastError?: Error;
  #closed = false;

  constructor(target: RedisTarget, options: RedisStoreOptions = {}) {
    this.#prefix = options.prefix ?? 'flywheel:';
    this.#waitMs = options.unavailableAfterMs ?? 1000;
    this.#waitReplicas = options.waitReplicas ?? 0;
    const onError = (err: Error) => {
      this.#lastError = err;
    };
    this.#backend =
      typeof target === 'string'
        ? singleBackend(target, this.#waitMs, onError)
        : clusterBackend(target.cluster, this.#waitMs, onError);
  }

  /** Settings of the Redis servers that break what an ack promises, as warnings for the log (redis-settings.ts). */
  async settingsWarnings(): Promise<string[]> {
    await this.#ready();
    return redisSettingsWarnings(await this.#backend.nodes(), this.#waitReplicas);
  }

  /** The key a stream's events are kept under (tests and operators read it). */
  eventsKey(gameId: string): string {
    return this.#key(gameId, 'events');
  }

  async append(gameId: string, expectedVersion: number, events: readonly unknown[]): Promise<number> {
    assertGameId(gameId);
    assertVersion('expectedVersion', expectedVersion, 0);
    const jsons = serializeEvents(events);
    const eventsKey = this.eventsKey(gameId);
    // On a cluster the index is another slot: written first, so a game with events is never missing from it.
    if (this.#backend.clustered && expectedVersion === 0 && jsons.length > 0)
      await this.#run((c) => c.sAdd(this.#indexKey(), gameId));
    const result = await this.#run((c) => c.append(eventsKey, this.#indexKey(), gameId, expectedVersion, jsons));
    if (!result.appended) throw new VersionConflict(gameId, expectedVersion, result.version);
    if (this.#waitReplicas > 0 && jsons.length > 0) {
      const got = await this.#run((c) => c.replicated(eventsKey, this.#waitReplicas, this.#waitMs));
      if (got < this.#waitReplicas)
        throw new StoreUnavailable(
          `redis: the append reached ${got} of ${this.#waitReplicas} replicas in time (it may be stored)`,
        );
    }
    return result.version;
  }

  async load(gameId: string, from = 1): Promise<unknown[]> {
    assertGameId(gameId);
    assertVersion('from', from, 1);
    const jsons = await this.#run((c) => c.lRange(this.eventsKey(gameId), from - 1, -1));
    return jsons.map((json, i) => {
      // Each entry was written whole by one script (no torn tail to cut here): one that does not read was damaged
      // since, and the record is damaged (named without the prefix: /healthz is public), not a bug to answer INTERNAL.
      try {
        return JSON.parse(json) as unknown;
      } catch {
        throw new CorruptLog(`${gameId} (redis): entry ${from + i} does not read`, gameId);
      }
    });
  }

  async version(gameId: string): Promise<number> {
    assertGameId(gameId);
    return this.#run((c) => c.lLen(this.eventsKey(gameId)));
  }

  async listGames(): Promise<string[]> {
    const ids = [...(await this.#run((c) => c.sMembers(this.#indexKey())))].sort();
    if (!this.#backend.clustered) return ids;
    // An id whose append failed after the index was written has no events: it is not a game (yet).
    const versions = await Promise.all(ids.map((id) => (isGameId(id) ? this.version(id) : 0)));
    return ids.filter((_, i) => versions[i] > 0);
  }

  async saveSnapshot(gameId: string, version: number, state: unknown): Promise<void> {
    assertGameId(gameId);
    const json = serializeSnapshot(version, state);
    await this.#run((c) => c.set(this.#key(gameId, 'snapshot'), json));
  }

  async loadSnapshot(gameId: string): Promise<Snapshot | null> {
    assertGameId(gameId);
    const json = await this.#run((c) => c.get(this.#key(gameId, 'snapshot')));
    if (json === null) return null;
    try {
      return parseSnapshot(json);
    } catch {
      return null; // a snapshot is only a cache: an unreadable one means "replay the log"
    }
  }

  /**
   * The lease is this store's if nobody else holds it (it may already be ours: see CLAIM_LEASE); it lapses by
   * itself, so a dead holder frees it. The holder is this store object, not the process id (containers all run pid 1). On a
   * cluster a lease about a game is tagged with it (<prefix>lease:{<game>}:<name>): it shares the game's master, so a
   * game's deadlines depend on no other master than its log does.
   */
  async claim(name: string, ttlMs: number, game?: string): Promise<boolean> {
    const key =
      this.#backend.clustered && game !== undefined
        ? `${this.#prefix}lease:{${game}}:${name}`
        : `${this.#prefix}lease:${name}`;
    return this.#run((c) => c.claimLease(key, this.#owner, ttlMs));
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
    const outcome = await Promise.race([this.#backend.close().catch(() => undefined), gaveUp]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.#backend.destroy();
    await this.#connecting;
  }

  async #run<T>(command: (conn: Conn) => Promise<T>): Promise<T> {
    await this.#ready();
    try {
      return await command(this.#backend.conn);
    } catch (err) {
      throw asStoreError(err);
    }
  }

  async #ready(): Promise<void> {
    if (this.#closed) throw new StoreUnavailable('store closed');
    // Connect on first use; a single client's connect() resolves on the first success and keeps retrying until then.
    // A cluster's fails when no node answers: the next call tries again.
    this.#connecting ??= this.#backend.connect().then(
      () => undefined,
      (err: Error) => {
        this.#lastError = err;
        if (this.#backend.clustered) this.#connecting = undefined;
      },
    );
    if (this.#backend.isReady) return;
    // One shared wait, so a burst of calls during an outage adds one listener, not hundreds.
    this.#readyWait ??= this.#backend
      .ready(AbortSignal.timeout(this.#waitMs))
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

  /**
   * <prefix>game:<stream>:<what>. On a cluster the game id, the part of the stream id before its first '-' (game ids
   * have none; `<id>-auth` is that game's auth record), is the hash tag: one game, one slot.
   */
  #key(streamId: string, what: 'events' | 'snapshot'): string {
    if (!this.#backend.clustered) return `${this.#prefix}game:${streamId}:${what}`;
    const dash = streamId.indexOf('-');
    const owner = dash > 0 ? streamId.slice(0, dash) : streamId;
    return `${this.#prefix}game:{${owner}}${streamId.slice(owner.length)}:${what}`;
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

/** A Redis address as the log may show it: its host and port (a URL's host never holds its password). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'redis';
  }
}
