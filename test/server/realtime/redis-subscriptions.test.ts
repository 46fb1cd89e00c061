import { EventEmitter } from 'node:events';
import { createClient } from 'redis';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { keepSubscriptions } from '../../../server/realtime/redis-subscriptions.ts';
import { startRedis } from '../../helpers/redis-server.ts';

/** A subscriber whose requests fail while `up` is false, as node-redis's do when the connection drops under them. */
function fakeSubscriber() {
  const events = new EventEmitter();
  const subscribed = new Set<string>();
  const held: (() => void)[] = [];
  const sub = {
    up: true,
    /** When set, requests wait until release() instead of settling at once. */
    hold: false,
    subscribed,
    release() {
      for (const settle of held.splice(0)) settle();
    },
    request(apply: () => void) {
      const wasUp = sub.up;
      const settle = (resolve: () => void, reject: (err: Error) => void) => {
        if (!wasUp || !sub.up) return reject(new Error('Socket closed unexpectedly'));
        apply();
        resolve();
      };
      return new Promise<void>((resolve, reject) => {
        if (sub.hold) held.push(() => settle(resolve, reject));
        else settle(resolve, reject);
      });
    },
    sSubscribe(channels: string | string[], _listener?: unknown) {
      const list = [channels].flat();
      return sub.request(() => {
        for (const c of list) subscribed.add(c);
      });
    },
    sUnsubscribe(channels?: string | string[]) {
      const list = channels === undefined ? [...subscribed] : [channels].flat();
      return sub.request(() => {
        for (const c of list) subscribed.delete(c);
      });
    },
    on(event: 'ready' | 'node-ready', fn: () => void) {
      events.on(event, fn);
    },
    back() {
      sub.up = true;
      events.emit('ready');
    },
  };
  return sub;
}

test('requests that fail while the connection is down are caught, and the latest wish per channel is made once it is back', async () => {
  const sub = fakeSubscriber();
  const failures: unknown[] = [];
  keepSubscriptions(sub, (err) => failures.push(err));
  await sub.sSubscribe('kept', () => {});
  await sub.sSubscribe('dropped', () => {});
  sub.up = false;
  // The adapter drops these promises; each must settle without rejecting.
  await sub.sSubscribe('joined while down', () => {});
  await sub.sUnsubscribe('dropped');
  await sub.sSubscribe('joined and left while down', () => {});
  await sub.sUnsubscribe('joined and left while down');
  assert.is(failures.length, 4);
  assert.equal([...sub.subscribed].sort(), ['dropped', 'kept']);
  sub.back();
  await new Promise((r) => setImmediate(r));
  assert.equal([...sub.subscribed].sort(), ['joined while down', 'kept']);
});

test('a failed request that a newer one for the same channel replaced is not made again', async () => {
  const sub = fakeSubscriber();
  keepSubscriptions(sub);
  sub.hold = true;
  const first = sub.sSubscribe('room', () => {});
  sub.up = false;
  // The subscribe is still in flight when the connection drops; the room empties once it is back.
  sub.up = true;
  sub.hold = false;
  await sub.sUnsubscribe('room');
  sub.up = false;
  sub.release();
  await first;
  sub.back();
  await new Promise((r) => setImmediate(r));
  assert.equal([...sub.subscribed], []);
});

test('unsubscribing from every channel leaves nothing owed', async () => {
  const sub = fakeSubscriber();
  keepSubscriptions(sub);
  sub.up = false;
  await sub.sSubscribe('room', () => {});
  sub.up = true;
  await sub.sUnsubscribe();
  sub.back();
  await new Promise((r) => setImmediate(r));
  assert.equal([...sub.subscribed], []);
});

test('a real subscriber cut again and again while rooms come and go: nothing unhandled, and it ends subscribed to the rooms it wants', async () => {
  const redis = await startRedis();
  const unhandled: unknown[] = [];
  const count = (err: unknown) => unhandled.push(err);
  process.on('unhandledRejection', count);
  const sub = createClient({ url: redis.url, socket: { reconnectStrategy: () => 20 } });
  sub.on('error', () => {});
  const admin = createClient({ url: redis.url });
  try {
    await Promise.all([sub.connect(), admin.connect()]);
    keepSubscriptions(sub);
    const wanted = new Set<string>();
    for (let round = 0; round < 40; round++) {
      // As the adapter does: requests made and their promises dropped, then the connection killed under them.
      for (let i = 0; i < 10; i++) {
        const channel = `room-${round}-${i}`;
        void sub.sSubscribe(channel, () => {}, true);
        wanted.add(channel);
        if (i % 2) {
          const left = `room-${round}-${i - 1}`;
          void sub.sUnsubscribe(left);
          wanted.delete(left);
        }
      }
      await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
      await new Promise((r) => setTimeout(r, 5));
    }
    let held: string[] = [];
    for (let tries = 0; tries < 200; tries++) {
      held = ((await admin.sendCommand(['PUBSUB', 'SHARDCHANNELS'])) as string[]).sort();
      if (sub.isReady && held.length === wanted.size) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(held, [...wanted].sort());
    assert.is(unhandled.length, 0, `${unhandled.length} unhandled rejections, the first: ${String(unhandled[0])}`);
  } finally {
    process.off('unhandledRejection', count);
    sub.destroy();
    admin.destroy();
    await redis.destroy();
  }
});

test.run();
