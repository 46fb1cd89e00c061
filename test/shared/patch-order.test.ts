// Holding back one early patch: applied as soon as the missing one has been; a second gap, or a hold that runs out,
// is a resync; a patch already covered is ignored.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PatchOrder } from '../../shared/patch-order.ts';
import type { ViewPatch } from '../../shared/protocol.ts';

const patch = (from: number, version: number): ViewPatch => ({ gameId: 'g', from, version, sections: {} });

test('an early patch is held, then applied right after the one it follows', () => {
  const order = new PatchOrder();
  const late = patch(7, 8);
  const early = patch(8, 9);
  assert.is(order.offer(7, early), 'hold');
  assert.is(order.release(7), null, 'not yet');
  assert.is(order.offer(7, late), 'apply');
  assert.is(order.release(8), early);
  assert.is(order.held, null);
});

test('a second gap while one is held, or a hold that runs out, asks for a resync', () => {
  const order = new PatchOrder();
  const first = patch(8, 9);
  assert.is(order.offer(7, first), 'hold');
  assert.is(order.offer(7, patch(9, 10)), 'resync');
  const again = patch(8, 9);
  assert.is(order.offer(7, again), 'hold');
  assert.is(order.expire(again), true);
  assert.is(order.expire(again), false, 'once');
});

test('patches already covered are ignored, and a held one a resync overtook is dropped', () => {
  const order = new PatchOrder();
  assert.is(order.offer(9, patch(8, 9)), 'ignore');
  assert.is(order.offer(9, patch(5, 10)), 'apply', 'any version from `from` on is a valid base');
  assert.is(order.offer(7, patch(8, 9)), 'hold');
  assert.is(order.release(12), null);
  assert.is(order.held, null);
});

test.run();
