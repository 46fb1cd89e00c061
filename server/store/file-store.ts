// The embedded default store: one append-only JSON-lines file per game, <dataDir>/games/<gameId>.jsonl.
// One process owns a data directory: versions are checked against counts kept in memory.
// The logs of the games appended to most recently stay open between appends (opening and closing the file for each
// append was an eighth of the server's time under load, docs/performance.md), up to `openLogs` of them: the least
// recently used is closed to make room, never while an append to it is under way, so a server holding many games stays
// within its descriptor limit, which the sockets share.
// An operator's script may still visit the directory beside the running server (`visitor`): it only reads the
// owner's logs, never cutting a tail the owner may be writing that moment, and appends only to streams of its own
// that the owner has not yet touched.
//
// Each line holds one event and where it sits: {"v":7,"batchEnd":8,"event":{...}}. `batchEnd` is the version
// the append ends at, so recovery can tell a whole batch from one torn by a crash and keep appends atomic.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import {
  assertGameId,
  CorruptLog,
  assertVersion,
  isGameId,
  parseSnapshot,
  serializeEvents,
  serializeSnapshot,
  StoreUnavailable,
  VersionConflict,
  type EventStore,
  type Snapshot,
} from './event-store.ts';

export { CorruptLog };

/** What is durable and acknowledged: `count` events in the first `size` bytes of the file. */
interface Committed {
  count: number;
  size: number;
}

interface Game {
  /** Read from the file on first touch; cleared after a failed write so the next call rereads the truth. */
  committed?: Promise<Committed>;
  /** Appends to one game run one after another, so each checks the version the previous one left. */
  tail: Promise<unknown>;
  /** The log, open for appending, while it is among the most recently used. */
  handle?: FileHandle;
  /** An append is using the handle: it is not closed to make room meanwhile. */
  busy: boolean;
}

export interface FileStoreOptions {
  /**
   * Logs open at most, between appends and during them: when that many appends are under way on other games, the
   * next waits for one to finish. The descriptors are shared with the sockets, and a burst of appends on a slow
   * disk must not take the last ones (EMFILE would fail every command at once).
   */
  openLogs?: number;
  /** An operator's script beside the running server: read without cutting torn tails (see the top of the file). */
  visitor?: boolean;
}

export const DEFAULT_OPEN_LOGS = 256;

/**
 * A game's log holds what no other user of the machine should read: the dice seed before it is revealed, covert
 * moves and private chat. Files and folders the store creates are its user's alone.
 */
const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

const NEWLINE = 0x0a;
/**
 * How a log is opened for appending: 'a' plus O_DSYNC, so that each write is durable when it returns. One system call
 * (and one trip through libuv's thread pool) per append instead of a write and an fdatasync (docs/performance.md).
 */
const APPEND_DURABLY = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_DSYNC;

export class FileStore implements EventStore {
  readonly #dataDir: string;
  readonly #gamesDir: string;
  readonly #games = new Map<string, Game>();
  readonly #writes = new Set<Promise<unknown>>();
  /** The games whose log is open, least recently appended to first (a Map keeps insertion order). */
  readonly #lru = new Map<string, Game>();
  readonly #openLogs: number;
  /** Logs being opened right now: they count against #openLogs before they are in #lru. */
  #opening = 0;
  /** Appends waiting for a log to be free to close (all open logs busy, none idle). */
  readonly #waitingForLog: (() => void)[] = [];
  #openLogPeak = 0;
  #dirs?: Promise<void>;
  #closed = false;
  readonly #visitor: boolean;

  constructor(dataDir: string, options: FileStoreOptions = {}) {
    this.#visitor = options.visitor ?? false;
    this.#dataDir = dataDir;
    this.#gamesDir = join(dataDir, 'games');
    this.#openLogs = options.openLogs ?? DEFAULT_OPEN_LOGS;
    if (!Number.isInteger(this.#openLogs) || this.#openLogs < 1) throw new Error('openLogs must be a whole number ≥ 1');
  }

  /** How many logs are open right now (for tests and metrics). */
  get openLogCount(): number {
    return this.#lru.size;
  }

  /** The most logs ever open (or being opened) at once. */
  get openLogPeak(): number {
    return this.#openLogPeak;
  }

  append(gameId: string, expectedVersion: number, events: readonly unknown[]): Promise<number> {
    return this.#write(async () => {
      assertGameId(gameId);
      assertVersion('expectedVersion', expectedVersion, 0);
      const jsons = serializeEvents(events);
      const game = this.#game(gameId);
      const run = game.tail.then(() => this.#appendNow(gameId, game, expectedVersion, jsons));
      game.tail = run.catch(() => undefined);
      return run;
    });
  }

  async load(gameId: string, from = 1): Promise<unknown[]> {
    this.#open();
    assertGameId(gameId);
    assertVersion('from', from, 1);
    const { size } = await this.#peek(gameId);
    if (size === 0) return [];
    // Only the acknowledged prefix: an append may be writing past it right now.
    const bytes = (await readFile(this.#logPath(gameId))).subarray(0, size);
    const events: unknown[] = [];
    const scanned = scanLog(bytes, this.#logPath(gameId), (v, event) => {
      if (v >= from) events.push(event);
    });
    if (scanned.size !== size) throw new CorruptLog(`${shown(this.#logPath(gameId))} changed under the store`, gameId);
    return events;
  }

  async version(gameId: string): Promise<number> {
    this.#open();
    assertGameId(gameId);
    return (await this.#peek(gameId)).count;
  }

  async listGames(): Promise<string[]> {
    this.#open();
    let names: string[];
    try {
      names = await readdir(this.#gamesDir);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
    // A log file is created by the first append with events. (One whose only append was torn by a crash
    // is still listed, at version 0: rare, and harmless to a caller that loads it.)
    return names
      .filter((n) => n.endsWith('.jsonl'))
      .map((n) => n.slice(0, -'.jsonl'.length))
      .filter(isGameId)
      .sort();
  }

  saveSnapshot(gameId: string, version: number, state: unknown): Promise<void> {
    return this.#write(async () => {
      assertGameId(gameId);
      const json = serializeSnapshot(version, state);
      await this.#ensureDirs();
      // Write aside, make it durable, then rename over: a reader sees the old snapshot or the new one, never half.
      const tmp = join(this.#gamesDir, `${gameId}.snap.${randomUUID()}.tmp`);
      try {
        const handle = await open(tmp, 'w', PRIVATE_FILE);
        try {
          await handle.writeFile(json);
          await handle.datasync();
        } finally {
          await handle.close();
        }
        await rename(tmp, this.#snapshotPath(gameId));
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
      await syncDir(this.#gamesDir);
    });
  }

  async loadSnapshot(gameId: string): Promise<Snapshot | null> {
    this.#open();
    assertGameId(gameId);
    let json: string;
    try {
      json = await readFile(this.#snapshotPath(gameId), 'utf8');
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
    try {
      return parseSnapshot(json);
    } catch {
      return null; // a snapshot is only a cache: an unreadable one means "replay the log", not an outage
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.allSettled([...this.#writes]);
    await Promise.all([...this.#lru.values()].map((game) => this.#closeLog(game)));
  }

  async #appendNow(gameId: string, game: Game, expected: number, jsons: string[]): Promise<number> {
    const committed = await this.#committed(gameId, game);
    if (committed.count !== expected) throw new VersionConflict(gameId, expected, committed.count);
    if (jsons.length === 0) return committed.count;

    const end = committed.count + jsons.length;
    const text = jsons
      .map((json, i) => `{"v":${committed.count + i + 1},"batchEnd":${end},"event":${json}}\n`)
      .join('');
    const bytes = Buffer.from(text, 'utf8');
    await this.#ensureDirs();
    game.busy = true;
    let failure: unknown;
    try {
      const handle = await this.#logHandle(gameId, game);
      try {
        // write() rather than writeFile(): the same system call without writeFile's extra promise turns (about
        // 70 µs of CPU an append, measured; docs/performance.md). A regular file takes it whole, but loop anyway.
        // The log is open with O_DSYNC, so a write returns once its data is durable, as write + fdatasync would.
        for (let done = 0; done < bytes.length; ) {
          const { bytesWritten } = await handle.write(bytes, done);
          if (bytesWritten <= 0) throw Object.assign(new Error('log write made no progress'), { code: 'EIO' });
          done += bytesWritten;
        }
      } catch (err) {
        failure = err;
        // Cut a partial write off so the file ends at the last acknowledged append again, and let the next append
        // open the file afresh.
        await handle.truncate(committed.size).catch(() => undefined);
        await this.#closeLog(game);
      }
    } catch (err) {
      failure ??= err; // the open itself failed (EMFILE, say): nothing was written
    } finally {
      game.busy = false;
      this.#waitingForLog.shift()?.();
    }
    if (failure !== undefined) {
      game.committed = undefined; // the next call rereads the file and recovers, whatever the truncate did
      throw failure;
    }
    // A new file's name lives in the directory: make it durable too before acknowledging.
    if (committed.size === 0) await syncDir(this.#gamesDir);
    committed.count = end;
    committed.size += bytes.length;
    return end;
  }

  /** The game's log open for appending, opened (after closing the least recently used, if need be) when it is not. */
  async #logHandle(gameId: string, game: Game): Promise<FileHandle> {
    if (game.handle) {
      this.#lru.delete(gameId);
      this.#lru.set(gameId, game);
      return game.handle;
    }
    // Every log allowed is open and in use by an append: wait until one of them is done.
    while (this.#lru.size + this.#opening >= this.#openLogs && ![...this.#lru.values()].some((g) => !g.busy))
      await new Promise<void>((resume) => this.#waitingForLog.push(resume));
    this.#opening++;
    try {
      await this.#closeIdle(this.#openLogs - this.#opening);
      this.#openLogPeak = Math.max(this.#openLogPeak, this.#lru.size + this.#opening);
      const handle = await open(this.#logPath(gameId), APPEND_DURABLY, PRIVATE_FILE);
      game.handle = handle;
      this.#lru.set(gameId, game);
      return handle;
    } finally {
      this.#opening--;
    }
  }

  /** Closes the least recently used logs with no append under way until at most `keep` are open. */
  async #closeIdle(keep: number): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const game of this.#lru.values()) {
      if (this.#lru.size <= keep) break; // #closeLog forgets the game at once, before its close completes
      if (!game.busy) closing.push(this.#closeLog(game));
    }
    await Promise.all(closing);
  }

  /** Forgets a game's open log and closes it; after a successful datasync, closing cannot lose data. */
  async #closeLog(game: Game): Promise<void> {
    const handle = game.handle;
    game.handle = undefined;
    for (const [id, g] of this.#lru) if (g === game) this.#lru.delete(id);
    await handle?.close().catch(() => undefined);
  }

  #committed(gameId: string, game: Game): Promise<Committed> {
    if (!game.committed) {
      const reading = recoverLog(this.#logPath(gameId), !this.#visitor);
      game.committed = reading;
      // Do not cache a failed read (EMFILE, a corrupt file being repaired): the next call tries again.
      reading.catch(() => {
        if (game.committed === reading) game.committed = undefined;
      });
    }
    return game.committed;
  }

  /**
   * What a read sees. A stream with no file is not remembered: reads of ids nobody wrote (a guessed short code's
   * lookup) must not grow memory, and one that another process creates later (an operator's recovery code) is
   * then read afresh rather than from a remembered "empty".
   */
  async #peek(gameId: string): Promise<Committed> {
    const known = this.#games.get(gameId);
    if (known) return this.#committed(gameId, known);
    const game: Game = { tail: Promise.resolve(), busy: false };
    const committed = await this.#committed(gameId, game);
    if (committed.size > 0 && !this.#games.has(gameId)) this.#games.set(gameId, game);
    return committed;
  }

  #game(gameId: string): Game {
    let game = this.#games.get(gameId);
    if (!game) {
      game = { tail: Promise.resolve(), busy: false };
      this.#games.set(gameId, game);
    }
    return game;
  }

  #ensureDirs(): Promise<void> {
    this.#dirs ??= (async () => {
      await mkdir(this.#gamesDir, { recursive: true, mode: PRIVATE_DIR });
      await syncDir(this.#dataDir);
      await syncDir(this.#gamesDir);
      await this.#sweepSnapshotsHalfWritten();
    })().catch((err: unknown) => {
      this.#dirs = undefined;
      throw err;
    });
    return this.#dirs;
  }

  /**
   * A snapshot is written aside and renamed over the old one; a process killed between the two leaves the aside file
   * behind, which no one will ever rename. The first write of the process that owns the directory (the data
   * directory's lock keeps it to one) clears them, before any snapshot of its own is under way. Never a visitor's
   * (a script writing beside a live server): the files aside may be the server's, being written now. And never at
   * the cost of a write: a file that will not go stays, to be tried at the next start.
   */
  async #sweepSnapshotsHalfWritten(): Promise<void> {
    if (this.#visitor) return;
    for (const name of await readdir(this.#gamesDir)) {
      const aside = /^(.+)\.snap\.[0-9a-f-]+\.tmp$/.exec(name);
      if (aside && isGameId(aside[1])) await rm(join(this.#gamesDir, name), { force: true }).catch(() => {});
    }
  }

  /** Runs a write, tracked so close() can wait for it. */
  #write<T>(op: () => Promise<T>): Promise<T> {
    try {
      this.#open();
    } catch (err) {
      return Promise.reject(err);
    }
    const run = op();
    this.#writes.add(run);
    const forget = () => this.#writes.delete(run);
    run.then(forget, forget);
    return run;
  }

  #open(): void {
    if (this.#closed) throw new StoreUnavailable('store closed');
  }

  #logPath(gameId: string): string {
    return join(this.#gamesDir, `${gameId}.jsonl`);
  }

  #snapshotPath(gameId: string): string {
    return join(this.#gamesDir, `${gameId}.snap.json`);
  }
}

/**
 * A log's path as a problem names it, from the data directory on (`games/<id>.jsonl`): the problem reaches
 * `/healthz`, which anyone may ask, and the server's own layout is none of their business.
 */
const shown = (path: string) => join(basename(dirname(path)), basename(path));

/**
 * Reads a log on first touch. A tail that is not a whole batch (torn by a crash, so never acknowledged)
 * is cut off (by the owner; a visitor just reads past it); anything else that does not read is corruption, left as
 * it is for the operator (scanLog says which is which).
 */
async function recoverLog(path: string, cutTornTail: boolean): Promise<Committed> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    if (isNotFound(err)) return { count: 0, size: 0 };
    throw err;
  }
  const committed = scanLog(bytes, path);
  if (cutTornTail && committed.size < bytes.length) {
    const handle = await open(path, 'r+');
    try {
      await handle.truncate(committed.size);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  }
  return committed;
}

/**
 * Walks the lines, calling onEvent for each; returns the end of the last whole batch.
 *
 * Only what follows the last newline can be torn: an append is written whole, newline included, in one O_DSYNC write
 * (#appendNow), so a crash leaves at most an unterminated piece of its last line, or whole lines of a batch short of
 * its `batchEnd` (both cut off by recoverLog, as never acknowledged). A line that has its newline and does not read,
 * the last one included, was written whole and changed since: that is damage, reported as such rather than cut away
 * in silence with the acknowledged event it held.
 */
function scanLog(bytes: Buffer, path: string, onEvent?: (v: number, event: unknown) => void): Committed {
  const committed: Committed = { count: 0, size: 0 };
  const stream = basename(path, '.jsonl');
  let count = 0;
  let pos = 0;
  for (let line = 1; pos < bytes.length; line++) {
    const newline = bytes.indexOf(NEWLINE, pos);
    if (newline === -1) break; // an unterminated last line is torn
    const record = parseRecord(bytes.toString('utf8', pos, newline));
    const next = newline + 1;
    if (!record || record.v !== count + 1 || record.batchEnd < record.v) {
      const what = record ? `expected version ${count + 1}` : 'unreadable line';
      throw new CorruptLog(`${shown(path)}:${line}: ${what}`, stream);
    }
    count = record.v;
    onEvent?.(record.v, record.event);
    if (record.v === record.batchEnd) {
      committed.count = count;
      committed.size = next;
    }
    pos = next;
  }
  return committed;
}

/** One line of a game's log: event `v` of a batch that ends at `batchEnd`. */
export interface LogRecord {
  v: number;
  batchEnd: number;
  event: unknown;
}

/** A line as the store writes it, or null if it does not read as one (a torn tail, a damaged line). */
export function parseRecord(line: string): LogRecord | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || !('event' in value)) return null;
  const { v, batchEnd, event } = value as { v: unknown; batchEnd: unknown; event: unknown };
  if (!Number.isSafeInteger(v) || !Number.isSafeInteger(batchEnd)) return null;
  return { v: v as number, batchEnd: batchEnd as number, event };
}

/** fsync on a directory makes the names in it (a new file, a rename) survive a power cut. */
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isNotFound(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && err.code === 'ENOENT';
}
