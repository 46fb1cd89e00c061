// Repairs a damaged game log of the file store, with the server stopped (docs/operations.md, "A damaged game").
// Usage: DATA_DIR=./data npm run game:repair -- <gameId> [--cut-only]
//        DATA_DIR=./data npm run game:repair -- <gameId>-auth | <cohortId>-cohort | <lookup>-joincode
//        (the `stream` /healthz names)
// The damage is the first line that does not read or the first event that does not replay: in a game's log, not an
// event the engine knows, or one it cannot fold; in another record, an event its fold does not take (auth-records.ts,
// cohort-records.ts, short-code-index.ts). The log is the truth, and one that does not replay is as damaged as one
// that does not read. A game's sign-in record (`-auth`), a seminar's record (`-cohort`) or a short code's
// (`-joincode`) has no snapshot: it is cut at the damage (see docs/operations.md for what is done next).
// - keeps the original as games/<id>.jsonl.damaged-<time> (nothing is deleted);
// - exports every line that still reads, before and after the damage, to games/<id>.export-<time>.jsonl, one
//   {"v", "event"} per line (numbered as in the original), for review or to re-enter by hand what is lost;
// - keeps the log's readable prefix, up to its last whole batch before the damage (version K);
// - if the game's snapshot reads, is of this engine's format and is ahead of that point (version S > K), restores the
//   game to it: the log gains one StateRestored event (version K+1) carrying the snapshot's state, then the whole
//   batches of the original after S that still read and follow on (S+1, S+2, …), renumbered from K+2. The log stays
//   the truth: replaying it gives the restored game byte for byte, and no snapshot is left that disagrees with it;
// - otherwise (no snapshot, unreadable, of another format, not ahead of K, or --cut-only) cuts the log at K, as
//   before, and sets aside a snapshot ahead of the cut (it describes events no longer in the log).
// One JSON line on stdout says what was done.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  audienceKey,
  audiences,
  eventProblem,
  evolve,
  fold,
  type GameEvent,
  type GameState,
} from '../server/engine/index.ts';
import { takeReceipts } from '../server/games/receipts.ts';
import { fromSnapshot } from '../server/games/snapshots.ts';
import { parseSnapshot } from '../server/store/event-store.ts';
import { parseRecord, type LogRecord } from '../server/store/file-store.ts';
import { lockDataDir } from '../server/store/data-dir-lock.ts';
import { type AuthEvent, type AuthState, foldAuth } from '../server/lobby/auth-records.ts';
import { type CohortEvent, type CohortState, foldCohort } from '../server/cohorts/cohort-records.ts';
import { foldShortCode, type ShortCodeEvent } from '../server/lobby/short-code-index.ts';

function usage(): never {
  console.error(
    'usage: DATA_DIR=./data npm run game:repair -- <gameId>|<gameId>-auth|<cohortId>-cohort|<lookup>-joincode [--cut-only]',
  );
  process.exit(2);
}
const args = process.argv.slice(2);
const cutOnly = args.includes('--cut-only');
const positional = args.filter((a) => a !== '--cut-only');
if (positional.length !== 1 || positional[0].startsWith('-')) usage();
// The stream's id, as /healthz names it (`stream`): a game's log, its sign-in record, or a seminar's record.
const gameId = positional[0];
const stream = /^(?:[0-9a-z]{12}(-auth|-cohort)?|[0-9a-f]{40}(-joincode))$/.exec(gameId);
if (!stream) usage();
/** A game's own log, which replays through the engine and may have a snapshot; the other records have neither. */
const isGameLog = stream[1] === undefined && stream[2] === undefined;
const dataDir = resolve(process.env.DATA_DIR || 'data');
const dir = join(dataDir, 'games');
const logPath = join(dir, `${gameId}.jsonl`);
if (!existsSync(logPath)) {
  // A seminar's id, or a game's whose sign-in record is the damaged one: say which stream to name instead.
  const others = ['-auth', '-cohort'].filter(
    (suffix) => isGameLog && existsSync(join(dir, `${gameId}${suffix}.jsonl`)),
  );
  const hint = others.map(
    (suffix) => `; for its record ${gameId}${suffix}.jsonl: npm run game:repair -- ${gameId}${suffix}`,
  );
  console.error(`no log at ${logPath}${hint.join('')}`);
  process.exit(1);
}
// A repair rewrites the log: it takes the data directory as a server does, and so refuses while one runs on it.
try {
  process.once('exit', lockDataDir(dataDir));
} catch (err) {
  console.error(`stop the server first: ${(err as Error).message}`);
  process.exit(1);
}

const lineOf = (v: number, batchEnd: number, event: unknown) =>
  `{"v":${v},"batchEnd":${batchEnd},"event":${JSON.stringify(event)}}\n`;
/** Stored events as the engine folds them: without the command ids kept beside them (receipts.ts). */
const foldable = (raw: readonly unknown[]): GameEvent[] => takeReceipts(raw, 1, () => undefined);

const lines = readFileSync(logPath, 'utf8').split('\n');
if (lines.at(-1) === '') lines.pop();
const records = lines.map((line) => parseRecord(line));
let kept = 0; // lines in the readable prefix, up to its last whole batch
let count = 0;
let damagedAt: number | null = null;
const exported: string[] = [];
for (const [i, record] of records.entries()) {
  if (record) exported.push(JSON.stringify({ v: record.v, event: record.event }));
  if (damagedAt !== null) continue;
  if (!record || record.v !== count + 1 || record.batchEnd < record.v) {
    damagedAt = i + 1;
    continue;
  }
  count = record.v;
  if (record.v === record.batchEnd) kept = i + 1;
}
let problem = damagedAt === null ? null : 'the line does not read';

// A game's log must also replay: the first event of the readable prefix that is not one the engine knows, or that it
// cannot fold, is the damage, as a line that does not read would be; the prefix kept ends at the last whole batch
// before it. (Line n of the prefix holds event n.)
if (isGameLog) {
  let state: GameState | undefined;
  let batchKept = 0;
  const readable = damagedAt === null ? records.length : damagedAt - 1;
  for (let i = 0; i < readable; i++) {
    const record = records[i] as LogRecord;
    const [event] = foldable([record.event]);
    let why =
      eventProblem(event) ?? (i === 0 && event.type !== 'GameCreated' ? 'the log does not begin with the game' : null);
    if (!why) {
      try {
        state = evolve(state as GameState, event);
      } catch (err) {
        why = (err as Error).message;
      }
    }
    if (why) {
      damagedAt = i + 1;
      kept = batchKept;
      problem = `event ${record.v} does not replay: ${why}`;
      break;
    }
    if (record.v === record.batchEnd) batchKept = i + 1;
  }
}

// Another record must fold as the server folds it: the first event its fold does not take is the damage (the fold
// names it in its message, which is a fixed text); the prefix kept ends at the last whole batch before it.
if (!isGameLog) {
  let auth: AuthState | null = null;
  let cohort: CohortState | null = null;
  let batchKept = 0;
  const readable = damagedAt === null ? records.length : damagedAt - 1;
  for (let i = 0; i < readable; i++) {
    const record = records[i] as LogRecord;
    try {
      if (stream[1] === '-auth') auth = foldAuth(gameId, [record.event as AuthEvent], auth, i);
      else if (stream[1] === '-cohort') cohort = foldCohort(gameId, [record.event as CohortEvent], cohort);
      else
        foldShortCode(
          gameId,
          records.slice(0, i + 1).map((r) => (r as LogRecord).event as ShortCodeEvent),
        );
    } catch (err) {
      damagedAt = i + 1;
      kept = batchKept;
      problem = (err as Error).message;
      break;
    }
    if (record.v === record.batchEnd) batchKept = i + 1;
  }
}

if (damagedAt === null && kept === lines.length) {
  console.log(`${logPath}: every line reads; nothing to repair`);
  process.exit(0);
}
const keptVersion = kept === 0 ? 0 : (records[kept - 1] as LogRecord).v;
const snapPath = join(dir, `${gameId}.snap.json`);

interface Restore {
  snapshotVersion: number;
  /** The lines that follow the prefix: the StateRestored event, then the original's batches after the snapshot. */
  text: string;
  /** Events of the original after the snapshot carried over, and the lines they came from. */
  replayed: number;
  carried: Set<number>;
  /** The first line of the original after those whose events the restored state stands for. */
  gapEnd: number;
}

/** What restoring from the snapshot would write, or why it cannot be done (the cut is made instead). */
function planRestore(): Restore | { why: string } {
  if (cutOnly) return { why: '--cut-only' };
  if (!isGameLog) return { why: 'only a game log has a snapshot' };
  if (keptVersion === 0) return { why: 'the first event does not read: there is no game to restore into' };
  if (!existsSync(snapPath)) return { why: 'no snapshot' };
  let snap: ReturnType<typeof fromSnapshot>;
  try {
    snap = fromSnapshot(parseSnapshot(readFileSync(snapPath, 'utf8')));
  } catch {
    return { why: 'the snapshot does not read' };
  }
  if (!snap) return { why: 'the snapshot is of another format' };
  if (snap.version <= keptVersion)
    return { why: `the snapshot (version ${snap.version}) is not ahead of the damage (version ${keptVersion})` };
  if (snap.state.id !== gameId) return { why: 'the snapshot is of another game' };
  let state: GameState;
  try {
    state = fold(foldable(records.slice(0, kept).map((r) => (r as LogRecord).event)));
  } catch (err) {
    return { why: `the readable prefix does not replay: ${(err as Error).message}` };
  }
  // Every audience's view may have changed with the restore: each gets one version more (evolve's `seen`), so the
  // versions its players hold go on increasing rather than being reused for a different view.
  const restored: GameEvent & { seen: string[] } = {
    type: 'StateRestored',
    state: snap.state,
    snapshotVersion: snap.version,
    at: Date.now(),
    seen: audiences(snap.state).map(audienceKey),
  };
  state = evolve(state, restored);
  let text = lineOf(keptVersion + 1, keptVersion + 1, restored);
  // The original's whole batches after the snapshot that still read, from S+1 on and without a gap. Each is folded
  // before it is kept, so the repaired log is known to replay; the first that does not read or fold ends them.
  const shift = keptVersion + 1 - snap.version;
  const carried = new Set<number>();
  let replayed = 0;
  const start = records.findIndex((r, i) => i >= kept && r?.v === snap.version + 1);
  let batch: { line: number; record: LogRecord }[] = [];
  for (let i = start; start !== -1 && i < records.length; i++) {
    const record = records[i];
    if (!record || record.v !== snap.version + replayed + batch.length + 1 || record.batchEnd < record.v) break;
    batch.push({ line: i, record });
    if (record.v !== record.batchEnd) continue;
    try {
      state = fold(foldable(batch.map((b) => b.record.event)), state);
    } catch {
      break;
    }
    for (const b of batch) {
      text += lineOf(b.record.v + shift, b.record.batchEnd + shift, b.record.event);
      carried.add(b.line);
    }
    replayed += batch.length;
    batch = [];
  }
  // Where the original's lines stop being stood for by the snapshot: at the line of S+1 (or after that of S).
  const atS = records.findIndex((r, i) => i >= kept && r?.v === snap.version);
  const gapEnd = start !== -1 ? start : atS !== -1 ? atS + 1 : kept;
  return { snapshotVersion: snap.version, text, replayed, carried, gapEnd };
}

const plan = planRestore();
const restore = 'why' in plan ? null : plan;
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const prefix = lines
  .slice(0, kept)
  .map((l) => `${l}\n`)
  .join('');
renameSync(logPath, `${logPath}.damaged-${stamp}`);
// Readable by the server's user alone, as the server makes every file of DATA_DIR (docs/operations.md): a log holds
// the unrevealed dice seed, covert moves and private chat.
writeFileSync(logPath, prefix + (restore?.text ?? ''), { flush: true, mode: 0o600 });
const exportPath = join(dir, `${gameId}.export-${stamp}.jsonl`);
writeFileSync(exportPath, exported.map((l) => `${l}\n`).join(''), { mode: 0o600 });

// The snapshot counts versions of the original log. After a restore it would be read against the repaired log's
// numbering (the server trusts a snapshot that is not ahead of the log), so it is always set aside then; after a cut,
// one ahead of the cut (or unreadable) is set aside, as it describes events no longer in the log.
let snapshot: 'none' | 'kept' | 'set aside' = 'none';
if (existsSync(snapPath)) {
  let version: number | null = null;
  try {
    version = parseSnapshot(readFileSync(snapPath, 'utf8')).version;
  } catch {
    version = null;
  }
  snapshot = restore || version === null || version > keptVersion ? 'set aside' : 'kept';
  if (snapshot === 'set aside') renameSync(snapPath, `${snapPath}.${restore ? 'restored' : 'ahead'}-${stamp}`);
}

// Lines of the original whose events the repaired log does not hold, nor the restored state stand for.
const lost = restore
  ? lines.filter((_l, i) => i >= restore.gapEnd && !restore.carried.has(i)).length
  : lines.length - kept;
console.log(
  JSON.stringify({
    game: gameId,
    damagedAtLine: damagedAt,
    problem,
    keptEvents: keptVersion,
    restoredFromSnapshot: restore?.snapshotVersion ?? null,
    replayedAfterSnapshot: restore?.replayed ?? 0,
    notRestored: 'why' in plan ? plan.why : null,
    version: restore ? keptVersion + 1 + restore.replayed : keptVersion,
    lostLines: lines.length - kept - (restore?.carried.size ?? 0),
    lostEvents: lost,
    snapshot,
    original: `${logPath}.damaged-${stamp}`,
    export: exportPath,
  }),
);
