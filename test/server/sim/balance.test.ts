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
function row(specs: string, rounds = flywheel.rounds): Summary {
  const key = `${specs}@${rounds}`;
  if (!cache.has(key)) {
    const plan = compose(teams, specs.split(','));
    const rs = Array.from({ length: SEEDS }, (_, i) => playGame(flywheel, plan, i + 1, { rounds }));
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

test('US verification and intelligence make exposure of pocketing at least 20 points more likely', () => {
  const watched = row('us:watchful,dprk:pocketing').exposedShare;
  const blind = row('us:trusting,dprk:pocketing').exposedShare;
  assert.ok(watched - blind >= 0.2, `exposed ${Math.round(watched * 100)}% against ${Math.round(blind * 100)}%`);
});

test('with no deals the exercise ends in collapse or China capture, never before round 3', () => {
  const s = row('us:hawkish,dprk:hawkish');
  const bad = share(s, 'collapse') + share(s, 'china-capture');
  assert.ok(bad >= 0.8, `${Math.round(bad * 100)}% collapse or capture: ${JSON.stringify(s.endings)}`);
  assert.ok(s.meanRounds >= 3);
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
