// Every team's objectives can all hold at once (so its maximum is reachable), and none is handed its maximum by a
// game in which nothing happened.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Scenario, type Condition } from '../../../shared/scenario.ts';
import { Game } from '../../helpers/engine.ts';
import { holds, objectivesOf } from '../../../server/engine/index.ts';
import type { GameState } from '../../../server/engine/index.ts';

const flywheel = Scenario.parse(
  JSON.parse(readFileSync(new URL('../../../scenarios/flywheel-2022.json', import.meta.url), 'utf8')),
);

/**
 * Moves each meter a condition names just inside its bound, and counts the main pairs it asks for (only the shapes
 * the objectives use).
 */
function satisfy(meters: Record<string, number>, c: Condition, pairs = { needed: 0 }) {
  if ('all' in c) for (const x of c.all) satisfy(meters, x, pairs);
  if ('pairs' in c) pairs.needed = Math.max(pairs.needed, c.pairs.gte);
  if ('meter' in c) {
    if (c.gte !== undefined) meters[c.meter] = Math.max(meters[c.meter], c.gte);
    if (c.gt !== undefined) meters[c.meter] = Math.max(meters[c.meter], c.gt + 1);
    if (c.lte !== undefined) meters[c.meter] = Math.min(meters[c.meter], c.lte);
    if (c.lt !== undefined) meters[c.meter] = Math.min(meters[c.meter], c.lt - 1);
  }
}
const withMeters = (s: GameState, meters: Record<string, number>, pairs = 0): GameState => ({
  ...s,
  meters,
  history: Object.fromEntries(Object.entries(meters).map(([k, v]) => [k, [...s.history[k], v, v]])),
  pairs: Array.from({ length: pairs }, (_, i) => ({ round: 1, dealId: `deal-${i}`, tier: 1, sides: true })),
});

for (const variant of ['deterrence', 'engagement'])
  test(`each team's objectives can all be met at once (South Korea: ${variant})`, () => {
    const s = new Game(flywheel, { variants: { rok: variant } }).state;
    for (const t of flywheel.teams) {
      const meters = { ...s.meters };
      const pairs = { needed: 0 };
      for (const o of objectivesOf(s, t.id)) satisfy(meters, o.condition, pairs);
      const end = withMeters(s, meters, pairs.needed);
      const missed = objectivesOf(end, t.id).filter((o) => !holds(o.condition, end));
      assert.equal(
        missed.map((o) => o.id),
        [],
        `${t.id} cannot meet these together`,
      );
    }
  });

test('a timeout with nothing achieved gives no team its maximum', () => {
  for (const variant of ['deterrence', 'engagement']) {
    const s = new Game(flywheel, { variants: { rok: variant } }).state;
    const end = withMeters(s, { ...s.meters });
    for (const t of flywheel.teams) {
      const objs = objectivesOf(end, t.id);
      const got = objs.filter((o) => holds(o.condition, end)).reduce((n, o) => n + o.points, 0);
      const max = objs.reduce((n, o) => n + o.points, 0);
      assert.ok(got < max, `${t.id} scores ${got}/${max} for nothing`);
    }
  }
});

test("South Korea's two governments score different objectives; the default is the historical one", () => {
  const s = new Game(flywheel).state;
  assert.is(s.options.variants.rok, 'deterrence');
  const other = new Game(flywheel, { variants: { rok: 'engagement' } }).state;
  assert.not.equal(
    objectivesOf(s, 'rok').map((o) => o.id),
    objectivesOf(other, 'rok').map((o) => o.id),
  );
});

test.run();
