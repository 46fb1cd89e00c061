// No shipped scenario crowns a team for a game in which nobody did anything, under any of its variants; and the check
// does find a team whose objectives already hold at the start.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Scenario } from '../../../shared/scenario.ts';
import { listScenarioFiles } from '../../../server/scenario-library.ts';
import { idleFullScores } from '../../../server/sim/idle-check.ts';

const load = (file: string) => Scenario.parse(JSON.parse(readFileSync(file, 'utf8')));
const files = listScenarioFiles('scenarios');

test('every shipped scenario is checked', () => {
  assert.ok(files.length >= 2, files.join(', '));
});

for (const file of files)
  test(`${file}: an idle game gives no team full marks`, () => {
    assert.equal(idleFullScores(load(file)), []);
  });

test('an objective that holds from the start is reported, under every variant of the game', () => {
  const s = load('scenarios/flywheel-2022.json');
  const jpn = s.teams.find((t) => t.id === 'jpn')!;
  // Tension never reaches 100 without the game ending in war first, so "below 100" is free.
  jpn.objectives = [{ id: 'jpn-free', text: 'Free points.', condition: { meter: 'tension', lt: 100 }, points: 100 }];
  const found = idleFullScores(s);
  assert.ok(found.length > 0);
  assert.ok(found.every((x) => x.team === 'jpn' && x.total === 100));
  const rok = s.teams.find((t) => t.id === 'rok')!;
  assert.equal([...new Set(found.map((x) => x.variants.rok))].sort(), (rok.variants ?? []).map((v) => v.id).sort());
});

test.run();
