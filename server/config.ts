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
  logLevel: Level;
  /** Always `scenarios/`; SCENARIO_DIR adds one more directory (tests use it for fixtures). */
  scenarioDirs: string[];
  clientDir: string;
  /** Save a snapshot once this many events have been appended since the last one. */
  snapshotEvery: number;
  /** Token bucket per socket: commands per second, and the burst allowed above it. */
  commandRate: number;
  commandBurst: number;
  /** The address players should use (links and QR codes), e.g. https://tabletop.example.org; null: the browser's. */
  publicUrl: string | null;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
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
    return u.origin + u.pathname.replace(/\/+$/, '');
  } catch {
    throw new Error(`PUBLIC_URL must be an http(s) address such as https://tabletop.example.org, got "${raw}"`);
  }
}

export function readConfig(env: Env = process.env): Config {
  const extra = env.SCENARIO_DIR;
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST || undefined,
    dataDir: resolve(env.DATA_DIR || 'data'),
    store: oneOf(env, 'STORE', ['file', 'memory', 'redis'] as const, 'file'),
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    logLevel: oneOf(env, 'LOG_LEVEL', LEVELS, 'info'),
    scenarioDirs: [resolve('scenarios'), ...(extra ? [resolve(extra)] : [])],
    clientDir: resolve(env.CLIENT_DIR || 'dist/client'),
    snapshotEvery: int(env, 'SNAPSHOT_EVERY', 100, 1, 1_000_000),
    commandRate: int(env, 'COMMAND_RATE', 20, 1, 1_000_000),
    commandBurst: int(env, 'COMMAND_BURST', 40, 1, 1_000_000),
    publicUrl: publicUrl(env.PUBLIC_URL),
  };
}
