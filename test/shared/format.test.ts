// How a roll is read on every screen and in the report: the dice's answer always follows from the numbers shown, and
// an outcome the White Cell ruled otherwise (an exposure ruled in or out) says so.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rollSaid } from '../../shared/format.ts';

test('a roll reads as the dice gave it', () => {
  assert.is(rollSaid({ chance: 0.26, value: 0.12, success: true }), 'needed under 26%, rolled 12%: yes');
  assert.is(rollSaid({ chance: 0.26, value: 0.74, success: false }), 'needed under 26%, rolled 74%: no');
});

test('an outcome the White Cell ruled otherwise is said to be its ruling, not the dice', () => {
  assert.is(
    rollSaid({ chance: 0.26, value: 0.74, success: true }),
    'needed under 26%, rolled 74%: no; ruled yes by the White Cell',
  );
  assert.is(
    rollSaid({ chance: 0.5, value: 0.1, success: false }, 'success', 'failure'),
    'needed under 50%, rolled 10%: success; ruled failure by the White Cell',
  );
});

test.run();
