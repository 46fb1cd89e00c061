// The server's settings, read once from the environment. A bad value stops the start with a message naming it,
// rather than running with a surprise default.
import { resolve } from 'node:path';
import { LEVELS, type Level } from './log.ts';

export type StoreKind = 'file' | 'memory' | 'redis';

export interface Config {
  port: number;
  host: string | undefined;
  dataDir: string;
  store: StoreKind;
  redisUrl: string;
  /** With STORE=redis: a Redis Cluster, some of its nodes as host:port (the rest are discovered); null: REDIS_URL. */
  redisCluster: string[] | null;
  /** With STORE=redis: an append is acknowledged once this many replicas hold it (docs/operations.md). */
  redisWaitReplicas: number;
  logLevel: Level;
  /** Always `scenarios/`; SCENARIO_DIR adds one more directory (tests use it for fixtures). */
  scenarioDirs: string[];
  clientDir: string;
  /** Save a snapshot once this many events have been appended since the last one. */
  snapshotEvery: number;
  /** STORE=file: game logs kept open between appends at most (each is a file descriptor, shared with the sockets). */
  fileStoreOpenLogs: number;
  /** Token bucket per seat (all its sockets together): commands per second, and the burst allowed above it. */
  commandRate: number;
  commandBurst: number;
  /**
   * Socket.IO heartbeats: a silent link (a sleeping laptop, a dropped Wi-Fi) is noticed by both sides within
   * pingIntervalMs + pingTimeoutMs (docs/operations.md, "Heartbeats").
   */
  pingIntervalMs: number;
  pingTimeoutMs: number;
  limits: Limits;
  /** Express `trust proxy`: which hops may set X-Forwarded-For (docs/operations.md). False: none. */
  trustProxy: false | number | string[];
  /** /metrics needs `Authorization: Bearer <token>` (unless on metricsPort or asked directly on loopback). */
  metricsToken: string | undefined;
  /** Serve /metrics on this port (on `metricsHost`) instead of the main one. */
  metricsPort: number | undefined;
  metricsHost: string;
  /** The address players should use (links and QR codes), e.g. https://tabletop.example.org; null: the browser's. */
  publicUrl: string | null;
  /** Settings that run, but likely not as the operator meant: logged as warnings when the server starts. */
  warnings: string[];
}

/** Limits on every edge (docs/operations.md, "Limits"). Rates are per minute. */
export interface Limits {
  /** When set, creating a game needs `Authorization: Bearer <createKey>`. */
  createKey: string | undefined;
  /** Games one client address may create a minute (and in a burst). */
  createRate: number;
  /** Wrong join codes one address may send a minute (and in a burst) before it gets 429 until the bucket refills. */
  joinFailures: number;
  /** Seats one join code may give out (per role, until the codes are rotated). */
  seatsPerCode: number;
  /** Sockets one seat may hold open at once on a process. */
  socketsPerSeat: number;
  /** Chat lines one seat may post a minute, whatever the number of its sockets (and in a burst: chatBurst). */
  chatRate: number;
  chatBurst: number;
  /** Chat lines a channel holds at most; beyond, chat.post to it is refused with CHAT_FULL. */
  chatPerChannel: number;
  /**
   * KB of older chat, reveals and archive one audience of a game (a team, the White Cell, the observers)
   * may read a minute on a process, whatever its number of players (and in a burst: readBurstKb).
   */
  readRateKb: number;
  readBurstKb: number;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // Digits only: Number() would also take "0x10", "1e3" and " 5", which an operator did not mean as written.
  const n = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  return n;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw))
    throw new Error(`${name} must be one of ${allowed.join(', ')}, got "${raw}"`);
  return raw as T;
}

function publicUrl(raw: string | undefined): string | null {
  if (!raw) return null;
  try {
    const u = new URL(raw);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    // The server answers at the root of its address (its pages, /api, /socket.io): links under a path would lead
    // nowhere, so a path is refused rather than kept.
    if (u.pathname.replace(/\/+$/, '') || u.search || u.hash || u.username || u.password) throw new Error();
    return u.origin;
  } catch {
    throw new Error(
      `PUBLIC_URL must be an http(s) address with no path, such as https://tabletop.example.org, got "${raw}"`,
    );
  }
}

/**
 * REDIS_CLUSTER: comma-separated host:port of some cluster nodes (three are plenty to find the rest). Only with
 * STORE=redis: elsewhere it would be silently ignored, and an operator who set it meant something.
 */
export function redisCluster(raw: string | undefined, store: StoreKind): string[] | null {
  if (raw === undefined || raw.trim() === '') return null;
  if (store !== 'redis') throw new Error(`REDIS_CLUSTER needs STORE=redis (STORE is "${store}")`);
  const nodes = raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  for (const node of nodes) {
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(node);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535)
      throw new Error(`REDIS_CLUSTER must be host:port,host:port,... got "${node}" in "${raw}"`);
  }
  return nodes;
}

export function readConfig(env: Env = process.env): Config {
  const extra = env.SCENARIO_DIR;
  const store = oneOf(env, 'STORE', ['file', 'memory', 'redis'] as const, 'file');
  if (env.REDIS_WAIT_REPLICAS && store !== 'redis')
    throw new Error(`REDIS_WAIT_REPLICAS needs STORE=redis (STORE is "${store}")`);
  const cluster = redisCluster(env.REDIS_CLUSTER, store);
  const port = int(env, 'PORT', 3000, 0, 65535);
  const metricsPort = env.METRICS_PORT ? int(env, 'METRICS_PORT', 0, 0, 65535) : undefined;
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === port)
    throw new Error(`METRICS_PORT must differ from PORT (both are ${port}): it serves /metrics on a port of its own`);
  const metricsHost = env.METRICS_HOST || '127.0.0.1';
  const warnings: string[] = [];
  if (env.CREATE_KEY === '')
    warnings.push(
      'CREATE_KEY is set but empty: anyone who reaches the server can create games (unset it to mean that)',
    );
  if (metricsPort !== undefined && !env.METRICS_TOKEN && !LOOPBACK.has(metricsHost))
    warnings.push(
      `METRICS_HOST=${metricsHost} without METRICS_TOKEN: /metrics is open to whoever reaches that address; set a token`,
    );
  return {
    port,
    host: env.HOST || undefined,
    dataDir: resolve(env.DATA_DIR || 'data'),
    store,
    redisUrl: redisUrl(env.REDIS_URL, store === 'redis' && !cluster),
    redisCluster: cluster,
    // On a cluster a failover promotes a replica, which may lack a master's last writes: an ack waits for one
    // replica by default there, so that it still means durable (docs/operations.md, "Redis Cluster").
    redisWaitReplicas: int(env, 'REDIS_WAIT_REPLICAS', cluster ? 1 : 0, 0, 16),
    logLevel: oneOf(env, 'LOG_LEVEL', LEVELS, 'info'),
    scenarioDirs: [resolve('scenarios'), ...(extra ? [resolve(extra)] : [])],
    clientDir: resolve(env.CLIENT_DIR || 'dist/client'),
    snapshotEvery: int(env, 'SNAPSHOT_EVERY', 100, 1, 1_000_000),
    fileStoreOpenLogs: int(env, 'FILE_STORE_OPEN_LOGS', 256, 1, 1_000_000),
    commandRate: int(env, 'COMMAND_RATE', 20, 1, 1_000_000),
    commandBurst: int(env, 'COMMAND_BURST', 40, 1, 1_000_000),
    // 10 s + 5 s: every socket costs a ping and a pong per interval whether anything happens or not. At 2 s, 2,000
    // idle sockets kept the main thread busy 48 ms a second (docs/performance.md, "Heartbeats"), more than the
    // commands of a 100-game load; Socket.IO's own default (25 s + 20 s) leaves a dead link unseen for 45 s.
    pingIntervalMs: int(env, 'PING_INTERVAL_MS', 10_000, 500, 300_000),
    pingTimeoutMs: int(env, 'PING_TIMEOUT_MS', 5_000, 500, 300_000),
    limits: {
      createKey: env.CREATE_KEY || undefined,
      createRate: int(env, 'CREATE_RATE', 10, 1, 1_000_000),
      joinFailures: int(env, 'JOIN_FAILURES', 10, 1, 1_000_000),
      seatsPerCode: int(env, 'SEATS_PER_CODE', 40, 1, 100_000),
      socketsPerSeat: int(env, 'SOCKETS_PER_SEAT', 5, 1, 10_000),
      chatRate: int(env, 'CHAT_RATE', 30, 1, 1_000_000),
      chatBurst: int(env, 'CHAT_BURST', 10, 1, 1_000_000),
      chatPerChannel: int(env, 'CHAT_PER_CHANNEL', 3_000, 1, 10_000_000),
      // 200 KB a second: a team scrolling back through a full session's chat reads 10-20 KB a page.
      readRateKb: int(env, 'READ_RATE_KB', 12_000, 1, 1_000_000_000),
      readBurstKb: int(env, 'READ_BURST_KB', 2_000, 1, 1_000_000_000),
    },
    trustProxy: trustProxy(env.TRUST_PROXY),
    metricsToken: env.METRICS_TOKEN || undefined,
    metricsPort,
    metricsHost,
    publicUrl: publicUrl(env.PUBLIC_URL),
    warnings,
  };
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** REDIS_URL, checked where it is used (STORE=redis without a cluster): a redis:// or rediss:// address. */
function redisUrl(raw: string | undefined, used: boolean): string {
  const url = raw || 'redis://127.0.0.1:6379';
  if (!used) return url;
  let ok = false;
  try {
    const u = new URL(url);
    ok = (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
  } catch {}
  if (!ok)
    throw new Error(`REDIS_URL must be a redis:// (or rediss://) address such as redis://10.0.0.5:6379, got "${raw}"`);
  return url;
}

/**
 * TRUST_PROXY: empty (no proxy: the socket's address is the client's), a number of hops, or a comma-separated list
 * of addresses and subnets (or express's names: loopback, linklocal, uniquelocal). Never "true": trusting every hop
 * would let a client choose its own address by sending X-Forwarded-For.
 */
export function trustProxy(raw: string | undefined): false | number | string[] {
  if (raw === undefined || raw === '' || raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw === 'true') throw new Error('TRUST_PROXY=true would trust any X-Forwarded-For; name the proxies instead');
  return raw
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}
