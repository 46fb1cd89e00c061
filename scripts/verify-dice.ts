// npm run verify-dice <exported game JSON>: recomputes every roll of a finished game from its revealed seed.
// The export is the White Cell's JSON export of a finished game (GET /api/games/:id/export?format=json, or
// npm run export -- <gameId> --format json): its `events` carry the seed once the debrief has revealed it.
// Exits 0 when every roll matches, 1 when any does not (or the file is not a game), and says which; 3 when the
// export was taken before the debrief, whose seed is still withheld (nothing to check yet, not a mismatch).
import { readFileSync } from 'node:fs';
import { NotRevealedYet, verifyDice } from '../server/engine/index.ts';
import type { GameEvent } from '../server/engine/index.ts';

const file = process.argv[2];
if (!file) {
  console.error('usage: npm run verify-dice <exported game JSON>');
  process.exit(2);
}
try {
  const bytes = readFileSync(file);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b)
    throw new Error('this is the zip export: give the JSON record (?format=json, or record.json from the zip)');
  const raw: unknown = JSON.parse(bytes.toString('utf8'));
  const events = (Array.isArray(raw) ? raw : (raw as { events?: unknown }).events) as GameEvent[] | undefined;
  if (!Array.isArray(events))
    throw new Error(
      `no "events" array in the file: only the White Cell's JSON export holds the event log (a team's or the observers' export does not)`,
    );
  const report = verifyDice(events);
  console.log(`scheme ${report.scheme}, commitment ${report.commitment}`);
  console.log(`${report.rolls} roll(s) recomputed from the seed and found equal`);
  if (report.fromParent)
    console.log(
      `${report.fromParent} roll(s) of the parent game's play, copied into this fork: check them with the parent's export`,
    );
  if (report.restored)
    console.log(
      `the log was repaired (${report.restored} StateRestored event(s)): the rolls of the events a repair stands for are not in the log and were not checked`,
    );
  for (const p of report.problems) console.log(`MISMATCH ${p}`);
  console.log(
    report.ok
      ? report.restored
        ? 'dice verified, except where the log was repaired'
        : 'dice verified'
      : `dice NOT verified: ${report.problems.length} problem(s)`,
  );
  process.exit(report.ok ? 0 : 1);
} catch (err) {
  console.error(`verify-dice: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(err instanceof NotRevealedYet ? 3 : 1);
}
