// Provable dice: a whole game on secret dice verifies from its revealed seed; any tampered roll does not.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenarioFile } from '../../../server/scenario-library.ts';
import { Game, control, teamActor } from '../../helpers/engine.ts';
import { fold, viewFor, type GameEvent } from '../../../server/engine/index.ts';
import { diceCommitment, secretRoll } from '../../../server/engine/dice.ts';
import { NotRevealedYet, verifyDice } from '../../../server/engine/verify-dice.ts';
import { exportableEvents } from '../../../server/record/export.ts';
import { lineId } from '../../../server/engine/line-ids.ts';

const flywheel = loadScenarioFile('scenarios/flywheel-2022.json');
const SECRET = `${'f'.repeat(20)}secret-for-the-test`;

/**
 * Four rounds in which the DPRK enriches covertly and rules on a free-form move: exposure, intel and free-form rolls.
 */
function playedGame(seed?: string, upTo = 'debrief'): Game {
  const g = new Game(flywheel, { rounds: 4, phases: { negotiation: 0, submission: 0 }, seed }, SECRET);
  g.seatAll(['us', 'dprk', 'prc', 'rok', 'jpn']);
  g.do(control, { type: 'game.start' });
  while (g.state.phase !== upTo) {
    if (g.state.phase === 'negotiation') {
      g.do(teamActor('dprk'), { type: 'draft.set', overt: [], covert: ['dprk-undeclared-enrichment'], freeform: null });
      g.do(teamActor('us'), {
        type: 'draft.set',
        overt: [],
        covert: [],
        freeform: { text: 'A bold move', intent: 'i', rationale: 'r', open: false },
      });
    }
    if (g.state.phase === 'adjudication') {
      const ff = g.state.adjudication!.lines.find((l) => l.freeform);
      if (ff)
        g.do(control, { type: 'freeform.rule', lineId: ff.id, chance: 0.5, effects: [], public: true, rationale: 'r' });
    }
    g.do(control, { type: 'phase.advance' });
  }
  return g;
}

test('every roll of a secret-dice game is recomputed from the revealed seed', () => {
  const g = playedGame();
  const report = verifyDice(g.log);
  assert.ok(report.ok, report.problems.join('\n'));
  assert.ok(report.rolls >= 4 + 4 + 4, `rolls checked: ${report.rolls}`);
  assert.is(report.commitment, diceCommitment(SECRET));
  // The seed is published with the debrief, to everyone.
  const v = viewFor(g.state, { kind: 'team', team: 'jpn' });
  assert.is(v.debrief!.dice.seed, SECRET);
  assert.is(v.game.dice.commitment, diceCommitment(SECRET));
});

test('a seed chosen by hand is salted: its hash confirms no guess, the salt keys the line ids and comes out at the end', () => {
  const chosen = 'workshop-7';
  const mid = playedGame(chosen, 'reveal');
  const audiences = [{ kind: 'team', team: 'jpn' }, { kind: 'observer' }, { kind: 'control' }] as const;
  for (const a of audiences) {
    const v = viewFor(mid.state, a);
    assert.is.not(v.game.dice.commitment, diceCommitment(chosen), 'a guess of the seed cannot be checked');
    assert.not.ok(JSON.stringify(v).includes(SECRET), `${a.kind} does not see the salt`);
  }
  const lines = mid.state.reveals[0].lines;
  const unsalted = lineId({ ...mid.state, options: { ...mid.state.options, salt: undefined } }, 1, 1);
  assert.is.not(lines[0].id, unsalted, 'line ids are keyed by the salt, not by the guessable seed');
  const g = playedGame(chosen);
  const report = verifyDice(g.log);
  assert.ok(report.ok, report.problems.join('\n'));
  assert.is(report.commitment, diceCommitment(chosen, SECRET));
  const v = viewFor(g.state, { kind: 'team', team: 'jpn' });
  assert.equal([v.debrief!.dice.seed, v.debrief!.dice.salt], [chosen, SECRET], 'revealed to everyone at the debrief');
  const wrongSalt = structuredClone(g.log);
  const first = wrongSalt[0];
  if (first.type === 'GameCreated') first.options = { ...first.options, salt: 'another salt' };
  assert.not.ok(verifyDice(wrongSalt).ok);
});

test('the seed and salt revealed at the debrief do not place a team among the lines it never read', () => {
  const ID_KEY = `${'k'.repeat(20)}line-id-key`;
  for (const seed of [undefined, 'workshop-7']) {
    const g = new Game(flywheel, { rounds: 2, phases: { negotiation: 0, submission: 0 }, seed }, SECRET, ID_KEY);
    g.seatAll(['us', 'dprk', 'prc', 'rok', 'jpn']);
    g.do(control, { type: 'game.start' });
    while (g.state.phase !== 'debrief') {
      if (g.state.phase === 'negotiation')
        g.do(teamActor('dprk'), {
          type: 'draft.set',
          overt: [],
          covert: ['dprk-undeclared-enrichment'],
          freeform: null,
        });
      g.do(control, { type: 'phase.advance' });
    }
    const v = viewFor(g.state, { kind: 'team', team: 'jpn' });
    assert.ok(v.debrief!.dice.seed, 'the seed is out');
    // What a team can compute from what the debrief told it: ids keyed by the salt, or else the seed.
    const told = { ...g.state, options: { ...g.state.options, idKey: undefined } };
    const ids = new Set(g.state.reveals.flatMap((r) => r.lines.map((l) => l.id)));
    assert.ok(ids.size > 2);
    for (const r of g.state.reveals)
      for (let n = 1; n <= r.lines.length + 5; n++)
        assert.not.ok(ids.has(lineId(told, r.round, n)), `round ${r.round}, line ${n} placed from the revealed dice`);
    for (const a of [{ kind: 'team', team: 'jpn' }, { kind: 'observer' }] as const)
      assert.not.ok(JSON.stringify(viewFor(g.state, a)).includes(ID_KEY), `${a.kind} never sees the ids' key`);
  }
});

test('a tampered roll, estimate or seed fails the check', () => {
  const log = playedGame().log;
  const tamper = (edit: (events: GameEvent[]) => void) => {
    const copy = structuredClone(log);
    edit(copy);
    return verifyDice(copy);
  };
  const roll = tamper((es) => {
    const e = es.find((x) => x.type === 'AdjudicationProposed' && x.lines.some((l) => l.roll));
    if (e?.type !== 'AdjudicationProposed') throw new Error('no roll');
    const l = e.lines.find((x) => x.roll)!;
    l.roll = { ...l.roll!, value: l.roll!.value / 2 };
  });
  assert.not.ok(roll.ok);
  const intel = tamper((es) => {
    const e = es.find((x) => x.type === 'IntelDelivered');
    if (e?.type !== 'IntelDelivered') throw new Error('no intel');
    e.report = { ...e.report, estimate: (e.report.estimate! + 1) % 100 };
  });
  assert.not.ok(intel.ok);
  const seed = tamper((es) => {
    const e = es[0];
    if (e.type === 'GameCreated') e.options = { ...e.options, seed: 'another seed' };
  });
  assert.not.ok(seed.ok);
  assert.ok(seed.problems.some((p) => p.includes('commitment')));
});

test('npm run verify-dice checks an exported file and exits 1 on a mismatch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dice-'));
  const log = playedGame().log;
  const good = join(dir, 'good.json');
  writeFileSync(good, JSON.stringify({ gameId: 'g1', events: log }));
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/verify-dice.ts', good], { encoding: 'utf8' });
  assert.match(out, /dice verified/);
  const bad = structuredClone(log);
  const e = bad.find((x) => x.type === 'FreeformRuled');
  if (e?.type !== 'FreeformRuled' || !e.line.roll) throw new Error('no free-form roll');
  e.line.roll.value = 1 - e.line.roll.value;
  const badFile = join(dir, 'bad.json');
  writeFileSync(badFile, JSON.stringify({ gameId: 'g1', events: bad }));
  let code = 0;
  try {
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/verify-dice.ts', badFile], { encoding: 'utf8' });
  } catch (err) {
    code = (err as { status: number }).status;
  }
  assert.is(code, 1);
});

test('a repaired log verifies from the state it restored, and says that the rolls it stands for were not checked', () => {
  const g = playedGame();
  const full = verifyDice(g.log);
  // Events 20..snapshot no longer read: one StateRestored stands for them, with the snapshot's state.
  const snapshotVersion = Math.floor(g.log.length * 0.6);
  const state = fold(g.log.slice(0, snapshotVersion));
  const log: GameEvent[] = [
    ...g.log.slice(0, 20),
    { type: 'StateRestored', state, snapshotVersion, at: g.now + 1 },
    ...g.log.slice(snapshotVersion),
  ];
  const report = verifyDice(log);
  assert.ok(report.ok, report.problems.join('\n'));
  assert.is(report.restored, 1);
  assert.ok(report.rolls < full.rolls, `${report.rolls} of ${full.rolls} rolls could be checked`);
  const dir = mkdtempSync(join(tmpdir(), 'dice-'));
  const file = join(dir, 'repaired.json');
  writeFileSync(file, JSON.stringify({ gameId: 'g1', events: log }));
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify-dice.ts', file], { encoding: 'utf8' });
  assert.is(run.status, 0);
  assert.match(run.stdout, /the log was repaired \(1 StateRestored event\(s\)\)/);
  assert.match(run.stdout, /dice verified, except where the log was repaired/);
});

test('an export taken before the debrief is refused as not yet verifiable, not reported as a mismatch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dice-'));
  for (const seed of [undefined, 'workshop-7']) {
    const mid = playedGame(seed, 'reveal');
    const events = exportableEvents(mid.log, mid.state);
    assert.throws(
      () => verifyDice(events),
      (e: unknown) => e instanceof NotRevealedYet,
    );
    const file = join(dir, `mid-${seed ?? 'secret'}.json`);
    writeFileSync(file, JSON.stringify({ gameId: 'g1', events }));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify-dice.ts', file], { encoding: 'utf8' });
    assert.is(run.status, 3, `${seed ?? 'a secret seed'}: exit status`);
    assert.match(run.stderr, /not revealed yet/);
    assert.not.match(run.stdout + run.stderr, /MISMATCH/);
    // Once over, the same game's export verifies.
    const done = playedGame(seed);
    assert.ok(verifyDice(exportableEvents(done.log, done.state)).ok);
  }
});

test('a seed chosen through the server rolls keyed dice: its rolls give away nothing of the next, and replay', () => {
  // mulberry32's whole state is 32 bits, which one public roll showed; the keyed dice have no state to recover.
  const g = playedGame('a long and random chosen seed', 'debrief');
  assert.is(g.state.options.dice, 'hmac-sha256');
  const rolls = g.state.reveals.flatMap((r) => r.lines.flatMap((l) => (l.roll ? [l.roll.value] : [])));
  assert.ok(rolls.length >= 4);
  const keyed = new Set(Array.from({ length: 100 }, (_, n) => secretRoll('a long and random chosen seed', n)));
  assert.ok(
    rolls.every((r) => keyed.has(r)),
    'every roll is an HMAC of the seed and a counter',
  );
  const v = viewFor(g.state, { kind: 'observer' });
  assert.ok(v.game.dice.chosen, 'still marked as chosen');
  assert.ok(verifyDice(g.log).ok);
  // The same seed plays the same dice whatever salt the server drew: a session can be replayed.
  const again = new Game(flywheel, { rounds: 4, phases: { negotiation: 0, submission: 0 }, seed: 'x' }, 'one salt');
  const other = new Game(flywheel, { rounds: 4, phases: { negotiation: 0, submission: 0 }, seed: 'x' }, 'another');
  assert.is(again.state.options.dice, 'hmac-sha256');
  assert.equal([again.state.rng, other.state.rng], [0, 0]);
  // A chosen seed is no secret to the White Cell, which chose it; a drawn one is, until the debrief.
  const mid = playedGame('chosen by the facilitator', 'reveal');
  assert.is(viewFor(mid.state, { kind: 'control' }).control!.seed, 'chosen by the facilitator');
  assert.is(viewFor(playedGame(undefined, 'reveal').state, { kind: 'control' }).control!.seed, null);
});

test('an explicit seed still gives the same game twice, and is marked as chosen', () => {
  const a = new Game(flywheel, { seed: 'same' });
  const b = new Game(flywheel, { seed: 'same' });
  assert.is(JSON.stringify(a.state), JSON.stringify(b.state));
  assert.ok(viewFor(a.state, { kind: 'observer' }).game.dice.chosen);
  assert.ok(verifyDice(a.log).ok);
});

test.run();
