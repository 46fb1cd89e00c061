// The per-socket rate limit, on a clock the test moves.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TokenBucket } from '../../../server/realtime/token-bucket.ts';

test('a burst is allowed, then the rate, and no more', () => {
  let now = 0;
  const b = new TokenBucket(20, 40, () => now);
  let ok = 0;
  for (let i = 0; i < 100; i++) if (b.take()) ok++;
  assert.is(ok, 40);
  now += 1000;
  ok = 0;
  for (let i = 0; i < 100; i++) if (b.take()) ok++;
  assert.is(ok, 20);
  now += 60_000;
  ok = 0;
  for (let i = 0; i < 100; i++) if (b.take()) ok++;
  assert.is(ok, 40, 'the bucket never holds more than the burst');
});

test.run();
