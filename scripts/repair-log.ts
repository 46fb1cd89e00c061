// Repairs a damaged game log of the file store, with the server stopped (docs/operations.md, "A damaged game").
// Usage: DATA_DIR=./data npm run game:repair -- <gameId>
// - keeps the original as games/<id>.jsonl.damaged-<time> (nothing is deleted);
// - exports every line that still reads, before and after the damage, to games/<id>.export-<time>.jsonl, one
//   {"v", "event"} per line, for review (or to re-enter by hand what came after the damage);
// - cuts the log to its last whole batch before the damage: the game restarts there;
// - sets aside a snapshot ahead of that point (it describes events no longer in the log).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const gameId = process.argv[2];
if (!gameId || !/^[0-9a-z]{12}$/.test(gameId)) {
  console.error('usage: DATA_DIR=./data npm run game:repair -- <gameId>');
  process.exit(2);
}
const dir = join(resolve(process.env.DATA_DIR || 'data'), 'games');
const logPath = join(dir, `${gameId}.jsonl`);
if (!existsSync(logPath)) {
  console.error(`no log at ${logPath}`);
  process.exit(1);
}

const lines = readFileSync(logPath, 'utf8').split('\n');
if (lines.at(-1) === '') lines.pop();
let kept = 0; // lines in the readable prefix, up to its last whole batch
let count = 0;
let damagedAt: number | null = null;
const exported: string[] = [];
for (const [i, line] of lines.entries()) {
  type Record = { v?: unknown; batchEnd?: unknown; event?: unknown };
  let record: Record | null;
  try {
    record = JSON.parse(line) as Record | null;
  } catch {
    record = null;
  }
  const valid =
    typeof record === 'object' &&
    record !== null &&
    Number.isSafeInteger(record.v) &&
    Number.isSafeInteger(record.batchEnd) &&
    'event' in record;
  if (valid) exported.push(JSON.stringify({ v: record!.v, event: record!.event }));
  if (damagedAt !== null) continue;
  if (!valid || record!.v !== count + 1 || (record!.batchEnd as number) < (record!.v as number)) {
    damagedAt = i + 1;
    continue;
  }
  count = record!.v as number;
  if (record!.v === record!.batchEnd) kept = i + 1;
}

if (damagedAt === null && kept === lines.length) {
  console.log(`${logPath}: every line reads; nothing to repair`);
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const keptText = lines
  .slice(0, kept)
  .map((l) => `${l}\n`)
  .join('');
const keptVersion = kept === 0 ? 0 : (JSON.parse(lines[kept - 1]) as { v: number }).v;
renameSync(logPath, `${logPath}.damaged-${stamp}`);
writeFileSync(logPath, keptText, { flush: true });
const exportPath = join(dir, `${gameId}.export-${stamp}.jsonl`);
writeFileSync(exportPath, exported.map((l) => `${l}\n`).join(''));
const snapPath = join(dir, `${gameId}.snap.json`);
if (existsSync(snapPath)) {
  const snap = JSON.parse(readFileSync(snapPath, 'utf8')) as { version: number };
  if (snap.version > keptVersion) renameSync(snapPath, `${snapPath}.ahead-${stamp}`);
}
console.log(
  JSON.stringify({
    game: gameId,
    damagedAtLine: damagedAt,
    keptEvents: keptVersion,
    lostLines: lines.length - kept,
    original: `${logPath}.damaged-${stamp}`,
    export: exportPath,
  }),
);
