// The tick lease: one holder at a time per name, which may take it again (a tick that failed after taking it
// retries at once), and a holder that never releases it (a dead process) frees it by letting it lapse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RedisStore } from '../../../server/store/redis-store.ts';
import { startRedis, type RedisServer } from '../../helpers/redis-server.ts';

let redis: RedisServer;
const stores: RedisStore[] = [];

test.before(async () => {
  redis = await startRedis();
});

test.after(async () => {
  for (const s of stores) await s.close();
  await redis?.destroy();
});

test('one process gets a lease; the others get it only once it has lapsed', async () => {
  const [a, b] = [new RedisStore(redis.url), new RedisStore(redis.url)];
  stores.push(a, b);
  assert.is(await a.claim('tick:game1:1000', 300), true);
  assert.is(await b.claim('tick:game1:1000', 300), false);
  assert.is(await a.claim('tick:game1:1000', 300), true, 'its holder takes it again');
  assert.is(await b.claim('tick:game1:1000', 300), false, 'and still nobody else');
  assert.is(await b.claim('tick:game1:2000', 300), true, 'another deadline is another lease');
  // However slow this machine is, the lease lapses: wait for it rather than for a set time.
  let lapsed = false;
  for (let i = 0; i < 300 && !lapsed; i++) {
    lapsed = await b.claim('tick:game1:1000', 300);
    if (!lapsed) await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(lapsed, 'taken over after it lapsed');
});

test.run();
