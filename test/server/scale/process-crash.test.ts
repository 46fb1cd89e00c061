// kill -9 the process that created the games, mid-round, with commands in flight: its clients reconnect through the
// load balancer to the survivor, nothing acknowledged is lost, and both games' deadlines fire once, on the survivor:
// one game it serves clients of, and one it never served anyone but only heard of.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBalancer, type Balancer } from '../../helpers/balancer.ts';
import { TestClient } from '../../helpers/client.ts';
import { startCluster, type Cluster } from '../../helpers/cluster.ts';
import { createGame, join } from '../../helpers/http.ts';
import { chatCounts, counter, eventsOf } from '../../helpers/scale.ts';

let cluster: Cluster;
const balancers: Balancer[] = [];
const clients: TestClient[] = [];
/** Left on a deadline after the kill: the kill takes milliseconds, so the survivor is the one that fires it. */
const MARGIN_S = 8;

test.before(async () => {
  cluster = await startCluster({
    processes: 2,
    appendOnly: true,
    env: { COMMAND_RATE: '1000', COMMAND_BURST: '1000' },
  });
});

test.after(async () => {
  for (const c of clients) c.close();
  for (const b of balancers) await b.close();
  await cluster?.destroy();
});

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('kill -9 mid-round: clients reach the survivor, acknowledged commands survive, deadlines fire once', async () => {
  const [A, B] = cluster.servers;
  // Two balancers over the same processes, preferring A or B: so some clients start on each.
  const preferA = await startBalancer([A.port, B.port]);
  const preferB = await startBalancer([B.port, A.port]);
  balancers.push(preferA, preferB);
  const connect = async (url: string, token: string, label: string) => {
    const c = await TestClient.connect(url, token, label);
    clients.push(c);
    return c;
  };

  // The game everyone plays, created on A.
  const game = await createGame(A.url, 'tutorial', {
    seed: 'crash',
    phases: { briefing: 0, injects: 0, negotiation: 3600, submission: 3600, reveal: 0 },
  });
  const control = await connect(preferA.url, game.controlToken, 'control');
  const us = await connect(preferA.url, (await join(A.url, game.codes.teams.us, 'Alice')).token, 'us');
  const dprk = await connect(preferB.url, (await join(B.url, game.codes.teams.dprk, 'Kim')).token, 'dprk');
  const observer = await connect(preferB.url, (await join(B.url, game.codes.observer, 'Wall')).token, 'observer');
  await control.do({ type: 'game.start' });
  await control.do({ type: 'phase.advance' });
  await control.do({ type: 'phase.advance' });
  await us.waitFor((v) => v.game.phase === 'negotiation', 'negotiation');

  // A second game, created on A, whose only client (on A) leaves: B never serves it, only hears its clock move.
  const lonely = await createGame(A.url, 'tutorial', {
    seed: 'lonely',
    phases: { briefing: 3600, injects: 3600, negotiation: 0, submission: 0, reveal: 0 },
  });
  const lonelyControl = await TestClient.connect(A.url, lonely.controlToken, 'lonely control');
  await lonelyControl.do({ type: 'game.start' });

  // Chat through A as fast as acks come; with a few acknowledged, bring both deadlines close and kill A.
  const acked: string[] = [];
  let sending = true;
  const chatter = (async () => {
    for (let i = 0; sending; i++) {
      const text = `message ${i}`;
      const ack = await us.command({ type: 'chat.post', channel: 'plenary', text }).catch(() => null);
      if (ack?.ok) acked.push(text);
    }
  })();
  await us.until(() => acked.length >= 5, 'five acknowledged chats');
  const extended = await control.command({ type: 'phase.extend', seconds: -(3600 - MARGIN_S) });
  assert.ok(extended.ok);
  assert.ok((await lonelyControl.command({ type: 'phase.extend', seconds: -(3600 - MARGIN_S) })).ok);
  lonelyControl.close();
  const killedAt = Date.now();
  await A.kill();

  // A's clients lose their sockets and come back through the balancer, to B, with the whole view.
  await Promise.all([control, us].map((c) => c.until(() => !c.connected, `${c.label} notices the crash`)));
  sending = false;
  await chatter;
  const phaseChanges = async (gameId: string, phase: string) =>
    (await eventsOf(cluster.store, gameId)).filter((e) => e.type === 'PhaseChanged' && e.phase === phase);
  await Promise.all(
    clients.map((c) => c.waitFor((v) => v.game.phase === 'submission', `${c.label}: the deadline fired on B`)),
  );
  const v = await us.loadAllChat();
  const texts = new Set(v.messages.map((m) => m.text));
  for (const text of acked) assert.ok(texts.has(text), `acknowledged "${text}" survived`);
  const counts = chatCounts(await eventsOf(cluster.store, game.gameId));
  for (const text of acked) assert.is(counts.get(text), 1, `"${text}" stored once`);

  // The lonely game's deadline fired too, with nobody connected anywhere.
  await until(
    async () => (await phaseChanges(lonely.gameId, 'injects')).length > 0,
    'the lonely game left its briefing',
  );

  // Once each, and by B (A was dead before either deadline came).
  for (const [id, phase] of [
    [game.gameId, 'submission'],
    [lonely.gameId, 'injects'],
  ] as const) {
    const changes = await phaseChanges(id, phase);
    assert.is(changes.length, 1, `${id}: one change to ${phase}`);
    assert.ok(changes[0].type === 'PhaseChanged' && changes[0].at >= killedAt, 'decided after the kill');
  }
  assert.is(await counter(B.url, 'flywheel_ticks_total{outcome="fired"}'), 2);
  assert.is(await counter(B.url, 'flywheel_ticks_total{outcome="failed"}'), 0);
  assert.ok(B.alive());

  // And the game goes on, on B.
  await us.do({ type: 'chat.post', channel: 'plenary', text: 'after the crash' });
  await dprk.waitFor((x) => x.messages.some((m) => m.text === 'after the crash'), 'dprk hears it');
  await observer.waitFor((x) => x.messages.some((m) => m.text === 'after the crash'), 'the observer too');
});

test.run();
