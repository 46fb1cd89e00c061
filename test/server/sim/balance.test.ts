// The balance targets of docs/game-design.md, checked by scripted strategies on the real exercise over 50 seeds.
// The outcome table itself is printed by `npm run balance` and recorded in docs/balance.md.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Scenario } from '../../../shared/scenario.ts';
import { simulate, type StrategyName } from '../../../server/sim/strategies.ts';

const flywheel = Scenario.parse(
  JSON.parse(readFileSync(new URL('../../../scenarios/flywheel-2022.json', import.meta.url), 'utf8')),
);
const seeds = Array.from({ length: 50 }, (_, i) => i + 1);
const play = (s: StrategyName) => seeds.map((seed) => simulate(flywheel, s, seed));

test('with no deals at all the exercise drifts to collapse or China capture within 8 rounds', () => {
  const rs = play('no-deals');
  const bad = rs.filter((r) => r.ending === 'collapse' || r.ending === 'china-capture');
  assert.ok(bad.length >= 0.8 * rs.length, `only ${bad.length}/${rs.length}: ${rs.map((r) => r.ending).join(' ')}`);
  assert.ok(rs.every((r) => r.ending !== 'breakthrough'));
});

test('sustained reciprocity from round 1 reaches a breakthrough, not before round 5', () => {
  const rs = play('reciprocity');
  const wins = rs.filter((r) => r.ending === 'breakthrough');
  assert.ok(wins.length >= 0.9 * rs.length, `${wins.length}/${rs.length} breakthroughs`);
  for (const r of wins)
    assert.ok(r.endingRound >= 5 && r.endingRound <= 8, `seed ${r.seed}: breakthrough in round ${r.endingRound}`);
});

test('pocketing pays the DPRK at first, and verification exposes it within three rounds in most games', () => {
  const rs = play('pocketing');
  const mean = rs.reduce((n, r) => n + r.economyAfter2, 0) / rs.length;
  assert.ok(mean > 0, `DPRK economy after two rounds of pocketing: ${mean}`);
  const exposed = rs.filter((r) => r.roundsToExposure !== null && r.roundsToExposure <= 2);
  assert.ok(exposed.length > 0.5 * rs.length, `exposed within three rounds in ${exposed.length}/${rs.length}`);
});

test('heavy Chinese engagement lowers what US relief is worth to the DPRK', () => {
  const worth = (s: StrategyName) => {
    const rs = play(s);
    return rs.reduce((n, r) => n + r.reliefEconomy, 0) / rs.reduce((n, r) => n + r.reliefPoints, 0);
  };
  const heavy = worth('china-heavy'),
    restrained = worth('china-restrained');
  assert.ok(
    heavy < restrained * 0.9,
    `economy per point of relief: heavy ${heavy.toFixed(3)}, restrained ${restrained.toFixed(3)}`,
  );
});

test.run();
