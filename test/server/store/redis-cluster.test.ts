// The RedisStore on a three-master Redis Cluster: the same contract as on one Redis, then what is particular to a
// cluster: one game's keys share a slot, games spread over every master, the index tolerates an append that failed
// after it was written, leases hold, and with REDIS_WAIT_REPLICAS an append is acknowledged once a replica has it.
import { execFile } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createCluster } from 'redis';
import { StoreUnavailable } from '../../../server/store/event-store.ts';
import { RedisStore } from '../../../server/store/redis-store.ts';
import { startRedisCluster, type RedisCluster } from '../../helpers/redis-cluster.ts';
import { contract, rejectsWith } from './contract.ts';

const cluster = await startRedisCluster({ replicas: true });
const nodes = cluster.spec.split(',');
let run = 0;
const contractSuite = contract('RedisStore on a cluster', async () => {
  const prefix = `contract${++run}:`;
  return { open: () => new RedisStore({ cluster: nodes }, { prefix }) };
});
contractSuite.run();

const test = suite('RedisStore on a cluster');
const stores: RedisStore[] = [];
// A replica on a loaded machine may take longer than the default second to confirm: waiting for it is what is
// tested here, not how fast it comes.
const storeOn = (prefix: string, waitReplicas = 0) => {
  const store = new RedisStore(
    { cluster: nodes },
    { prefix, waitReplicas, unavailableAfterMs: waitReplicas === 1 ? 10_000 : 1000 },
  );
  stores.push(store);
  return store;
};
test.after(async () => {
  for (const store of stores) await store.close().catch(() => undefined);
  await cluster.destroy();
});

const ev = (n: number) => ({ type: 'tick', n });
const slotOf = async (c: RedisCluster, key: string) => Number((await c.cli(['CLUSTER', 'KEYSLOT', key])).trim());

test("a game's log, snapshot and auth record share the game's slot; the keys carry the game id as hash tag", async () => {
  const store = storeOn('tags:');
  await store.append('abc123', 0, [ev(1)]);
  await store.append('abc123-auth', 0, [ev(1)]);
  await store.saveSnapshot('abc123', 1, { s: 1 });
  assert.is(store.eventsKey('abc123'), 'tags:game:{abc123}:events');
  assert.is(store.eventsKey('abc123-auth'), 'tags:game:{abc123}-auth:events');
  const keys = ['tags:game:{abc123}:events', 'tags:game:{abc123}-auth:events', 'tags:game:{abc123}:snapshot'];
  const slots = await Promise.all(keys.map((k) => slotOf(cluster, k)));
  assert.is(new Set(slots).size, 1, `one slot: ${slots}`);
  // And the keys really are there, on the master that serves that slot.
  const master = await cluster.masterOf(keys[0]);
  for (const key of keys) assert.is((await cluster.cli(['-c', 'EXISTS', key], master.port)).trim(), '1', key);
});

test('games spread over all three masters, and each reads back whole', async () => {
  const store = storeOn('spread:');
  const ids = Array.from({ length: 30 }, (_, i) => `game${i}`);
  await Promise.all(ids.map((id, i) => store.append(id, 0, [ev(i), ev(i + 1)])));
  const masters = new Set<number>();
  for (const id of ids) masters.add((await cluster.masterOf(store.eventsKey(id))).port);
  assert.is(masters.size, 3, 'every master holds some games');
  for (const [i, id] of ids.entries()) assert.equal(await store.load(id), [ev(i), ev(i + 1)]);
  assert.equal(await store.listGames(), [...ids].sort());
});

test('an id in the index without events (an append that failed after the index was written) is not listed', async () => {
  const store = storeOn('ghost:');
  await store.append('real', 0, [ev(1)]);
  const raw = createCluster({ rootNodes: nodes.map((n) => ({ url: `redis://${n}` })) });
  raw.on('error', () => undefined);
  await raw.connect();
  try {
    await raw.sAdd('ghost:games', 'ghost');
  } finally {
    await raw.close();
  }
  assert.equal(await store.listGames(), ['real']);
  // The ghost can still become a game: its first append is at version 0.
  await store.append('ghost', 0, [ev(1)]);
  assert.equal(await store.listGames(), ['ghost', 'real']);
});

test("leases: one holder per name across store instances; a game's lease lives on the game's slot", async () => {
  const [a, b] = [storeOn('lease:'), storeOn('lease:')];
  for (let i = 0; i < 10; i++) {
    const name = `tick:game${i}:1000`;
    const game = `game${i}`;
    const claims = await Promise.all([a.claim(name, 60_000, game), b.claim(name, 60_000, game), a.claim(name, 60_000)]);
    assert.is(claims.filter((c, j) => c && j < 2).length, 1, `${name}: ${claims}`);
    assert.is(claims[2], true, 'a lease without a game is another key');
    const leaseKey = `lease:lease:{${game}}:${name}`;
    assert.is(await slotOf(cluster, leaseKey), await slotOf(cluster, a.eventsKey(game)), 'same slot as the log');
    const master = await cluster.masterOf(leaseKey);
    assert.is((await cluster.cli(['EXISTS', leaseKey], master.port)).trim(), '1', leaseKey);
  }
});

test('with waitReplicas 1, an append is acknowledged once the replica has it', async () => {
  const store = storeOn('wait:', 1);
  assert.is(await store.append('w1', 0, [ev(1), ev(2)]), 2);
  const master = await cluster.masterOf(store.eventsKey('w1'));
  const masterId = (await cluster.cli(['CLUSTER', 'MYID'], master.port)).trim();
  const replica = (await cluster.roles()).find((r) => r.role === 'replica' && r.masterId === masterId);
  assert.ok(replica, 'the master has a replica');
  // What the replica holds is what a failover to it would keep.
  assert.is(await onReplica(replica.port, `LLEN ${store.eventsKey('w1')}`), '2');
});

test('waitReplicas above the replicas there are: StoreUnavailable (the outcome is unknown), the events stored', async () => {
  const store = storeOn('toomany:', 2);
  const err = await rejectsWith(store.append('t1', 0, [ev(1)]), StoreUnavailable);
  assert.match(err.message, /1 of 2 replicas/);
  assert.is(await storeOn('toomany:').version('t1'), 1);
});

/** One command on a replica, in READONLY mode so that it answers for its master's slots. */
function onReplica(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('redis-cli', ['-h', '127.0.0.1', '-p', String(port)], (err, stdout) =>
      err ? reject(err) : resolve((stdout.trim().split('\n')[1] ?? '').trim()),
    );
    child.stdin?.end(`READONLY\n${command}\n`);
  });
}

test.run();
