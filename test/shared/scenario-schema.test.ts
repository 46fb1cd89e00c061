import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Condition, Effect } from '../../shared/scenario.ts';

test('a nested condition parses', () => {
  const c = {
    all: [
      { meter: 'denuclearization', gte: 70 },
      { any: [{ meter: 'momentum', gte: 60 }, { not: { round: { lt: 3 } } }] },
    ],
  };
  assert.ok(Condition.safeParse(c).success);
});

test('a condition written as a string is refused', () => {
  assert.not.ok(Condition.safeParse('momentum >= 60').success);
});

test('an effect out of range is refused', () => {
  assert.not.ok(Effect.safeParse({ meter: 'momentum', delta: 500 }).success);
});

test.run();
