import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'redis';
import { CorruptLog, StoreUnavailable, VersionConflict, type EventStore } from '../../../server/store/event-store.ts';
import { RedisStore } from '../../../server/store/redis-store.ts';
import { startRedis, type RedisServer } from '../../helpers/redis-server.ts';
import { contract, rejectsWith, within } from './contract.ts';

// A private server for the contract; each test gets its own key prefix, so no test sees another's data.
const shared = await startRedis();
let run = 0;
const contractSuite = contract('RedisStore', async () => {
  const prefix = `contract${++run}:`;
  return { open: () => new RedisStore(shared.url, { prefix }) };
});
contractSuite.after(() => shared.destroy());
contractSuite.run();

// Outages need their own server with an fsynced AOF, so what Redis acknowledged survives a kill.
const test = suite('RedisStore outages');
let aof: RedisServer;
const stores: EventStore[] = [];
const storeOn = (prefix: string) => {
  const store = new RedisStore(aof.url, { prefix });
  stores.push(store);
  return store;
};
test.before(async () => {
  aof = await startRedis({ appendOnly: true });
});
test.after(async () => {
  for (const store of stores) await store.close().catch(() => undefined);
  await aof?.destroy();
});

const ev = (n: number) => ({ type: 'tick', n });

/** Retries until Redis answers again: how long a restart takes is not the test's business. */
async function onceBack<T>(call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof StoreUnavailable) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

test('an entry that does not read is a damaged record (CorruptLog naming the stream), not an error of the code', async () => {
  // Redis appends whole entries in one script, so nothing is ever cut as a torn tail; an entry damaged since (by
  // hand, say) is reported as the file store reports a line that does not read.
  const store = storeOn('damaged:');
  await store.append('g1', 0, [ev(1), ev(2)]);
  const client = createClient({ url: aof.url });
  await client.connect();
  try {
    await client.lSet((store as RedisStore).eventsKey('g1'), 1, '{"type":"ti');
  } finally {
    await client.quit();
  }
  const err = await rejectsWith(store.load('g1'), CorruptLog);
  assert.is(err.stream, 'g1');
  assert.is(err.message, 'g1 (redis): entry 2 does not read');
  assert.is(await store.version('g1'), 2, 'nothing is cut');
});

test('two store instances racing at one version: exactly one wins', async () => {
  const [a, b] = [storeOn('race:'), storeOn('race:')];
  const tries = Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).append('g1', 0, [ev(i)]));
  const results = await Promise.allSettled(tries);
  assert.is(results.filter((r) => r.status === 'fulfilled').length, 1);
  for (const r of results) if (r.status === 'rejected') assert.instance(r.reason, VersionConflict);
  assert.is(await a.version('g1'), 1);
  assert.equal(await b.listGames(), ['g1']);
});

test('Redis down: calls reject promptly with StoreUnavailable; back up: nothing acknowledged is lost', async () => {
  const store = storeOn('outage:');
  let version = 0;
  for (let i = 1; i <= 20; i++) version = await store.append('g1', version, [ev(i)]);
  await store.saveSnapshot('g1', 20, { round: 3 });

  await aof.kill();
  const started = Date.now();
  const err = await within(
    15_000,
    'append while Redis is down',
    rejectsWith(store.append('g1', 20, [ev(21)]), StoreUnavailable),
  );
  assert.is(err.code, 'STORE_UNAVAILABLE');
  await within(15_000, 'load while Redis is down', rejectsWith(store.load('g1'), StoreUnavailable));
  await within(15_000, 'version while Redis is down', rejectsWith(store.version('g1'), StoreUnavailable));
  // "Promptly" with a wide margin: the point is that nothing waits for Redis to come back.
  assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);

  await aof.restart();
  assert.is(await onceBack(() => store.version('g1')), 20);
  assert.equal(
    await store.load('g1'),
    Array.from({ length: 20 }, (_, i) => ev(i + 1)),
  );
  assert.equal(await store.loadSnapshot('g1'), { version: 20, state: { round: 3 } });
  assert.is(await store.append('g1', 20, [ev(21)]), 21);
  assert.is(await storeOn('outage:').version('g1'), 21);
});

test('settings that break what an ack promises are named at the start: eviction, no AOF, too few replicas', async () => {
  // The AOF server is set as docs/operations.md asks: nothing to say, unless acks wait for a replica it lacks.
  assert.equal(await storeOn('settings:').settingsWarnings(), []);
  const waiting = new RedisStore(aof.url, { prefix: 'settings:', waitReplicas: 1 });
  stores.push(waiting);
  const replicas = await waiting.settingsWarnings();
  assert.is(replicas.length, 1);
  assert.match(replicas[0], /REDIS_WAIT_REPLICAS=1 but Redis 127\.0\.0\.1:\d+ has 0 connected replica/);
  // A Redis that evicts and keeps no append-only file.
  const admin = createClient({ url: aof.url });
  await admin.connect();
  try {
    await admin.configSet({ 'maxmemory-policy': 'allkeys-lru', appendonly: 'no' });
    const said = await storeOn('settings:').settingsWarnings();
    assert.is(said.length, 2, said.join('\n'));
    assert.match(said[0], /maxmemory-policy allkeys-lru: it may evict a game's log/);
    assert.match(said[1], /appendonly no/);
  } finally {
    await admin.configSet({ 'maxmemory-policy': 'noeviction', appendonly: 'yes' });
    await admin.close();
  }
});

test('a store created while Redis is down works once Redis is up', async () => {
  await aof.kill();
  const store = storeOn('late:');
  await within(15_000, 'append before Redis is up', rejectsWith(store.append('g1', 0, [ev(1)]), StoreUnavailable));
  await aof.restart();
  assert.is(await onceBack(() => store.append('g1', 0, [ev(1)])), 1);
  assert.equal(await store.load('g1'), [ev(1)]);
});

test.run();
