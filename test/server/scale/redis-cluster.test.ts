// Two Flywheel processes on a Redis Cluster of three masters with one replica each (REDIS_CLUSTER, and
// REDIS_WAIT_REPLICAS=1 so that an ack means the replica has it). Players of one game on both processes share one
// board; then the master that holds the game is killed with SIGKILL. While it is down, and after its replica is
// promoted (until the dead node is back as the new master's replica, the append cannot reach a replica), every
// command to the game answers STORE_UNAVAILABLE, and clients send it again with the same id. Once the shard has a
// replica again every command lands, each exactly once, and every command acknowledged before the kill is still there.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RedisStore } from '../../../server/store/redis-store.ts';
import { TestClient } from '../../helpers/client.ts';
import { createGame } from '../../helpers/http.ts';
import { startRedisCluster, type RedisCluster } from '../../helpers/redis-cluster.ts';
import { chatCounts, eventsOf, sameBoards, seat, type Seated } from '../../helpers/scale.ts';
import { startServer, type SpawnedServer } from '../../helpers/spawn-server.ts';

let redis: RedisCluster;
let store: RedisStore;
const servers: SpawnedServer[] = [];
const seated: Seated[] = [];
const NO_CLOCKS = { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 };

test.before(async () => {
  redis = await startRedisCluster({ replicas: true, appendOnly: true, nodeTimeoutMs: 1000 });
  store = new RedisStore({ cluster: redis.spec.split(',') });
  for (let i = 0; i < 2; i++)
    servers.push(await startServer({ env: { STORE: 'redis', REDIS_CLUSTER: redis.spec, REDIS_WAIT_REPLICAS: '1' } }));
});

test.after(async () => {
  for (const s of seated) s.client.close();
  await store?.close().catch(() => undefined);
  await Promise.all(servers.map((s) => s.destroy()));
  await redis?.destroy();
});

/**
 * One command, sent again with the same id while it is answered STORE_UNAVAILABLE, as docs/protocol.md advises (and
 * a second later when RATE_LIMITED: a dozen commands resent every 100 ms through a long outage spend the seats'
 * budgets).
 */
interface Sent {
  text: string;
  answers: string[];
  version?: number;
}

async function sendUntilOk(client: TestClient, text: string, log: Sent): Promise<void> {
  const id = `cmd-${text.replace(/\W+/g, '-')}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    const ack = await client.command({ type: 'chat.post', channel: 'plenary', text, id });
    log.answers.push(ack.ok ? 'ok' : ack.error.code);
    if (ack.ok) {
      log.version = ack.version;
      return;
    }
    // Over the seat's budget a client slows down and sends again: the command was refused before reaching the game.
    const retry = ack.error.code === 'STORE_UNAVAILABLE' || ack.error.code === 'RATE_LIMITED';
    if (!retry || Date.now() > deadline) throw new Error(`"${text}": ${ack.error.code} ${ack.error.message}`);
    await new Promise((r) => setTimeout(r, ack.error.code === 'RATE_LIMITED' ? 1000 : 100));
  }
}

/**
 * Creates the game as a client would: a cluster that has just settled may not yet have a replica acknowledging
 * writes (REDIS_WAIT_REPLICAS), and the server answers 503 STORE_UNAVAILABLE, "try again", until it has.
 */
async function createWhenWritable(base: string) {
  for (const deadline = Date.now() + 60_000; ; await new Promise((r) => setTimeout(r, 200))) {
    try {
      return await createGame(base, 'tutorial', { seed: 'cluster', phases: NO_CLOCKS });
    } catch (err) {
      if (!String(err).includes('STORE_UNAVAILABLE') || Date.now() > deadline) throw err;
    }
  }
}

test('one game across two processes on a cluster; its master killed: refused meanwhile, then nothing lost', async () => {
  const [A, B] = servers.map((s) => s.url);
  const game = await createWhenWritable(A);
  seated.push({ client: await TestClient.connect(A, game.controlToken, 'control@A'), audience: 'control' });
  seated.push(await seat(A, B, game.codes.teams.us, 'us-1@B', 'team:us'));
  seated.push(await seat(B, A, game.codes.teams.us, 'us-2@A', 'team:us'));
  seated.push(await seat(B, B, game.codes.teams.dprk, 'dprk@B', 'team:dprk'));
  seated.push(await seat(A, B, game.codes.observer, 'observer@B', 'observer'));
  const [control, us1, us2, dprk] = seated.map((s) => s.client);
  await control.do({ type: 'game.start' });
  await control.do({ type: 'phase.advance' });
  await control.do({ type: 'phase.advance' });

  // Before: commands through both processes, every one acknowledged; one board.
  const writers = [us1, dprk, us2, control];
  const before: Sent[] = [];
  for (let i = 0; i < 12; i++) {
    const log: Sent = { text: `before ${i}`, answers: [] };
    before.push(log);
    await sendUntilOk(writers[i % writers.length], log.text, log);
    assert.equal(log.answers, ['ok'], `${log.text} acknowledged at once`);
  }
  // Patches cross between the processes through the sharded channels: every client hears the last line.
  await Promise.all(
    seated.map(({ client }) => client.waitFor((v) => v.messages.some((m) => m.text === 'before 11'), 'before 11')),
  );
  await sameBoards(seated);

  // The master that holds the game's log (and, on the same slot, its auth record and snapshot).
  const key = store.eventsKey(game.gameId);
  const master = await redis.masterOf(key);
  const masterId = (await redis.cli(['CLUSTER', 'MYID'], master.port)).trim();
  const replica = (await redis.roles()).find((r) => r.role === 'replica' && r.masterId === masterId);
  assert.ok(replica, "the game's master has a replica");
  await master.kill();
  const killedAt = Date.now();

  // During: commands from both processes, each retried with its id until it is acknowledged.
  const during: Sent[] = Array.from({ length: 12 }, (_, i) => ({ text: `during ${i}`, answers: [] }));
  const sending = Promise.all(during.map((log, i) => sendUntilOk(writers[i % writers.length], log.text, log)));
  // The replica takes over the slot (once the others have marked the master failed)...
  const promoted = Date.now() + 60_000;
  while ((await redis.masterOf(key).catch(() => master)).port === master.port && Date.now() < promoted)
    await new Promise((r) => setTimeout(r, 100));
  await redis.waitOk(60_000);
  assert.is((await redis.masterOf(key)).port, replica.port, 'the replica now serves the game');
  // ...and every command has had an answer, each a refusal: the new master has no replica to confirm a write to.
  const answered = Date.now() + 60_000;
  while (during.some((d) => d.answers.length === 0) && Date.now() < answered)
    await new Promise((r) => setTimeout(r, 50));
  for (const d of during) assert.equal(d.answers.slice(0, 1), ['STORE_UNAVAILABLE'], `${d.text}: refused first`);

  // The dead node comes back, as the replica of the one promoted in its place; the shard can confirm writes again.
  await master.restart();
  await redis.waitOk(60_000);
  const roleNow = (await redis.roles()).find((r) => r.port === master.port);
  assert.is(roleNow?.role, 'replica', 'the old master rejoined as a replica');
  await sending;
  const outageMs = Date.now() - killedAt;

  const refused = during.reduce((n, d) => n + d.answers.filter((a) => a === 'STORE_UNAVAILABLE').length, 0);
  const events = await eventsOf(store, game.gameId);
  const counts = chatCounts(events);
  for (const d of [...before, ...during]) assert.is(counts.get(d.text), 1, `"${d.text}" stored exactly once`);
  // An ack carries its seat's version as it is when the answer goes out (docs/protocol.md), so retries answered
  // together may share one: the log, not the ack versions, is what shows each command landed once.
  for (const d of during) assert.ok(d.version! > 0, `${d.text}: acknowledged with a version`);
  console.log(
    `  failover: ${during.length} commands sent while the master was down, ${refused} STORE_UNAVAILABLE answers ` +
      `(${(refused / during.length).toFixed(1)} a command) before each was acknowledged; ` +
      `${before.length + during.length} of ${before.length + during.length} acknowledged lines in the log once each, ` +
      `${events.length} events; ${(outageMs / 1000).toFixed(1)} s from the kill to the last ack (failover and rejoin)`,
  );

  // After: both processes carry on, and patches cross again (the subscriptions followed the failover).
  await us1.do({ type: 'chat.post', channel: 'plenary', text: 'after, via B' });
  await control.do({ type: 'chat.post', channel: 'plenary', text: 'after, via A' });
  for (const { client } of seated)
    await client.waitFor(
      (v) => ['after, via A', 'after, via B'].every((t) => v.messages.some((m) => m.text === t)),
      'both lines after the failover',
    );
  await sameBoards(seated);
});

test.run();
