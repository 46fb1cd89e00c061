// Balance targets of the Flywheel exercise, on 200 seeds per row through the real engine (the figures over 1,000
// seeds are in docs/balance.md, from `npm run simulate`). Each row is one composition of the strategy library.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Scenario } from '../../../shared/scenario.ts';
import { compose } from '../../../server/sim/strategies.ts';
import { playGame } from '../../../server/sim/play.ts';
import { share, summarize, type Summary } from '../../../server/sim/summary.ts';

const flywheel = Scenario.parse(
  JSON.parse(readFileSync(new URL('../../../scenarios/flywheel-2022.json', import.meta.url), 'utf8')),
);
const SEEDS = 200;
const teams = flywheel.teams.map((t) => t.id);
const cache = new Map<string, Summary>();
function row(specs: string, rounds = flywheel.rounds, seeds = SEEDS): Summary {
  const key = `${specs}@${rounds}/${seeds}`;
  if (!cache.has(key)) {
    const plan = compose(teams, specs.split(','));
    const rs = Array.from({ length: seeds }, (_, i) => playGame(flywheel, plan, i + 1, { rounds }));
    cache.set(key, summarize(rs, rounds));
  }
  return cache.get(key)!;
}
const pct = (s: Summary, e: string) => Math.round(share(s, e) * 100);

test('the same seeds give the same table', () => {
  const plan = compose(teams, ['cooperative']);
  const a = summarize(
    [1, 2, 3].map((seed) => playGame(flywheel, plan, seed)),
    flywheel.rounds,
  );
  const b = summarize(
    [1, 2, 3].map((seed) => playGame(flywheel, plan, seed)),
    flywheel.rounds,
  );
  assert.equal(a, b);
});

test('perfect reciprocity with the capitals at random breaks through in 50–85% of games', () => {
  const base = pct(row('cooperative'), 'breakthrough');
  assert.ok(base >= 50 && base <= 85, `${base}%`);
});

test('China matters: heavy engagement costs 15 points or more, and restraint against engagement moves 15', () => {
  const base = pct(row('cooperative'), 'breakthrough');
  const heavy = pct(row('cooperative,prc:china-heavy'), 'breakthrough');
  const restrained = pct(row('cooperative,prc:china-restrained'), 'breakthrough');
  assert.ok(base - heavy >= 15, `heavy ${heavy}% against ${base}%`);
  assert.ok(restrained - heavy >= 15, `restrained ${restrained}% against heavy ${heavy}%`);
});

test('South Korea matters: engagement against a hawkish line moves the breakthrough rate by 15 points', () => {
  const help = pct(row('cooperative,rok:rok-engagement'), 'breakthrough');
  const hinder = pct(row('cooperative,rok:rok-hawkish'), 'breakthrough');
  assert.ok(help - hinder >= 15, `${help}% against ${hinder}%`);
});

test('cheating while trading rarely ends in a clean breakthrough', () => {
  const s = row('cooperative,dprk:cheat-while-trading');
  assert.ok(pct(s, 'breakthrough') <= 15, `${pct(s, 'breakthrough')}% clean breakthroughs`);
});

test('US verification and intelligence make exposure of pocketing at least 15 points more likely, and cost the pocketer', () => {
  // Both US bots trade relief for a step (snapback can guard only relief), one watching and one not.
  const watched = row('us:watchful,dprk:pocketing');
  const blind = row('us:trusting,dprk:pocketing');
  const gap = watched.exposedShare - blind.exposedShare;
  assert.ok(
    gap >= 0.15,
    `exposed ${Math.round(watched.exposedShare * 100)}% against ${Math.round(blind.exposedShare * 100)}%`,
  );
  assert.ok(watched.meanScores.dprk.total < blind.meanScores.dprk.total, 'the pocketer scores less when watched');
});

test("a pocketer's token restraints no longer hold erosion off: relief it pockets wears sanctions leverage down", () => {
  // The pocketing DPRK takes the same cheap restraints every round; before rules version 5 they held erosion off in
  // every game (relief eroded in 0.0 rounds), however often it had taken them.
  for (const specs of ['us:trusting,dprk:pocketing', 'cooperative,dprk:cheat-while-trading']) {
    const s = row(specs);
    assert.ok(s.meanErodedRounds >= 0.3, `${specs}: relief eroded in ${s.meanErodedRounds.toFixed(2)} rounds a game`);
  }
  // Reciprocity takes a fresh step in almost every round: next to nothing erodes.
  assert.ok(row('cooperative').meanErodedRounds <= 0.05, `${row('cooperative').meanErodedRounds}`);
});

// The end game and the scripts, on 1,000 seeds: the margins are a couple of points, wider than their noise there.
const score = (specs: string, team: string) => row(specs, flywheel.rounds, 1000).meanScores[team].total;

test('the last round: breaking off, or promising and not delivering, scores the US (and the DPRK) less than keeping on', () => {
  const keep = score('cooperative', 'us');
  for (const spec of ['cooperative,us:last-round-squeeze', 'cooperative,us:last-round-pocket'])
    assert.ok(score(spec, 'us') < keep, `${spec}: US ${score(spec, 'us').toFixed(1)} against ${keep.toFixed(1)}`);
  // And the DPRK: carrying out nothing it promised in the last round costs it too.
  const dprk = score('cooperative,dprk:last-round-pocket', 'dprk');
  assert.ok(dprk < score('cooperative', 'dprk'), `DPRK ${dprk.toFixed(1)}`);
});

test("China's covert e-CNY channel does not pay, even saved for the last round, and its fixed script scores no more than random play", () => {
  const overt = score('cooperative,prc:china-script', 'prc');
  const covert = score('cooperative,prc:china-script-covert', 'prc');
  const random = score('cooperative', 'prc');
  const late = score('cooperative,prc:china-script-covert-late', 'prc');
  assert.ok(covert < overt, `covert ${covert.toFixed(1)} against ${overt.toFixed(1)}`);
  assert.ok(late < overt, `covert in the last round only ${late.toFixed(1)} against ${overt.toFixed(1)}`);
  assert.ok(
    Math.max(covert, overt) < random,
    `script ${Math.max(covert, overt).toFixed(1)} against random ${random.toFixed(1)}`,
  );
  // What it costs the wheel: the US scores far less against the covert channel (the report's second risk).
  assert.ok(score('cooperative,prc:china-script-covert', 'us') < score('cooperative,prc:china-script', 'us') - 5);
});

test("Japan's covert back-channel does not pay: its fixed script with the channel every round no longer ties its best strategy", () => {
  const support = score('cooperative,jpn:japan-support', 'jpn');
  const script = score('cooperative,jpn:japan-script-covert', 'jpn');
  const supportCovert = score('cooperative,jpn:japan-support-covert', 'jpn');
  // Before the objective asked that no covert move of Japan's is exposed, the script tied (81.7 against 81.4).
  assert.ok(
    script < support - 10,
    `script with the channel ${script.toFixed(1)} against support ${support.toFixed(1)}`,
  );
  assert.ok(
    supportCovert < support - 10,
    `support with the channel ${supportCovert.toFixed(1)} against ${support.toFixed(1)}`,
  );
  // Saved for the last round, where it rolls for every reveal left in its window, the channel costs too.
  const late = score('cooperative,jpn:japan-script-covert-late', 'jpn');
  const plain = score('cooperative,jpn:japan-script', 'jpn');
  assert.ok(late < plain, `channel in the last round only ${late.toFixed(1)} against ${plain.toFixed(1)} without`);
});

test('with no deals the exercise ends in collapse or China capture, never before round 3', () => {
  const s = row('us:hawkish,dprk:hawkish');
  const bad = share(s, 'collapse') + share(s, 'china-capture');
  assert.ok(bad >= 0.8, `${Math.round(bad * 100)}% collapse or capture: ${JSON.stringify(s.endings)}`);
  assert.ok(s.meanRounds >= 3);
});

test('walking away (pressure alone, no deal at all, or one pair and then none) scores the US less than trading', () => {
  // Once, pressure alone kept every US objective but denuclearization and China's grip: 50 points in a collapse, more
  // than trading one pair a round with a cooperative DPRK. Then a US that made one pair and sat out the rest calmly
  // kept them too (docs/balance.md, "Walking away").
  const us = (strategy: string, others: string) => row(`us:${strategy},${others}`).meanScores.us.total;
  for (const [others, trading] of [
    ['dprk:cooperative', ['cooperative', 'one-pair', 'watchful', 'trusting']],
    // Beside a China engaging heavily the watchful US, which spends its slots on watching, ties with walking away.
    ['dprk:cooperative,prc:china-heavy', ['cooperative', 'one-pair', 'trusting']],
  ] as const)
    for (const away of ['hawkish', 'calm-no-deal', 'one-pair-then-walk'])
      for (const trade of trading)
        assert.ok(
          us(trade, others) > us(away, others),
          `with ${others}: us:${trade} ${us(trade, others).toFixed(1)} against us:${away} ${us(away, others).toFixed(1)}`,
        );
  // Walking away after three pairs trails trading at pace by far (it edges one pair a round: docs/balance.md).
  for (const others of ['dprk:cooperative', 'dprk:cooperative,prc:china-heavy']) {
    const [pace, late] = [us('cooperative', others), us('three-pairs-then-walk', others)];
    assert.ok(pace - late >= 5, `with ${others}: ${pace.toFixed(1)} trading at pace against ${late.toFixed(1)}`);
  }
});

test('random legal play almost never breaks through', () => {
  const s = row('random');
  assert.ok(pct(s, 'breakthrough') <= 5, `${pct(s, 'breakthrough')}%`);
});

test('Japan matters: supporting against braking moves the breakthrough rate by at least 15 points', () => {
  const help = pct(row('cooperative,jpn:japan-support'), 'breakthrough');
  const hinder = pct(row('cooperative,jpn:japan-brake'), 'breakthrough');
  assert.ok(help - hinder >= 15, `${help}% against ${hinder}%`);
});

test('China restrained and South Korea and Japan supportive beat random capitals by 10 points or more', () => {
  const base = pct(row('cooperative'), 'breakthrough');
  const helped = pct(row('cooperative,prc:china-restrained,rok:rok-engagement,jpn:japan-support'), 'breakthrough');
  assert.ok(helped - base >= 10, `${helped}% against ${base}%`);
});

test.run();
