// Rounds are named from the scenario: quarters, months or years from its start, or a numbered name.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { roundLabel, roundSpan } from '../../shared/rounds.ts';

const labels = (s: Parameters<typeof roundLabel>[0], n: number) =>
  Array.from({ length: n }, (_, i) => roundLabel(s, i + 1));

test('quarters roll over into the next year', () => {
  assert.equal(labels({ start: { year: 2022, quarter: 3 } }, 4), ['Q3 2022', 'Q4 2022', 'Q1 2023', 'Q2 2023']);
  assert.is(roundSpan({ start: { year: 2022, quarter: 3 } }), 'one quarter of a year');
});

test('months roll over into the next year', () => {
  assert.equal(labels({ start: { year: 2030, month: 11 } }, 3), ['Nov 2030', 'Dec 2030', 'Jan 2031']);
  assert.is(roundSpan({ start: { year: 2030, month: 11 } }), 'one month');
});

test('a year alone makes each round a year', () => {
  assert.equal(labels({ start: { year: 2040 } }, 3), ['2040', '2041', '2042']);
  assert.is(roundSpan({ start: { year: 2040 } }), 'one year');
});

test('a round name numbers the rounds and says nothing of their length', () => {
  assert.equal(labels({ roundName: 'Turn {n}' }, 2), ['Turn 1', 'Turn 2']);
  assert.is(roundSpan({ roundName: 'Turn {n}' }), null);
  assert.is(roundLabel({ roundName: 'Turn {n}' }, 0), 'Before the first round');
});

test.run();
