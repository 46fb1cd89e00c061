// kill -9 in the middle of a round: every acknowledged command survives, clients reconnect and catch up, and the
// phase deadline still fires, whether it passed while the server was down or is still ahead after the restart.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync } from 'node:fs';
import { join as joinPath } from 'node:path';
import { TestClient } from '../../helpers/client.ts';
import { createGame, join } from '../../helpers/http.ts';
import { startServer, type SpawnedServer } from '../../helpers/spawn-server.ts';

let server: SpawnedServer;
const clients: TestClient[] = [];

test.before(async () => {
  // Snapshots every few events, so a restart loads a snapshot plus the events after it.
  server = await startServer({ env: { SNAPSHOT_EVERY: '5' } });
});

test.after(async () => {
  for (const c of clients) c.close();
  await server?.destroy();
});

const connect = async (token: string, label: string) => {
  const c = await TestClient.connect(server.url, token, label);
  clients.push(c);
  return c;
};
const sleepUntil = async (t: number) => {
  while (Date.now() < t) await new Promise((r) => setTimeout(r, Math.min(100, t - Date.now() + 1)));
};

test('acknowledged commands survive kill -9, clients resync, and deadlines fire after the restart', async () => {
  const game = await createGame(server.url, 'tutorial', {
    seed: 'crash',
    phases: { briefing: 0, injects: 0, negotiation: 3600, submission: 3600, reveal: 0 },
  });
  const control = await connect(game.controlToken, 'control');
  const us = await connect((await join(server.url, game.codes.teams.us, 'Alice')).token, 'us');
  const dprk = await connect((await join(server.url, game.codes.teams.dprk, 'Kim')).token, 'dprk');
  const observer = await connect((await join(server.url, game.codes.observer, 'Wall')).token, 'observer');

  await control.do({ type: 'game.start' });
  await control.do({ type: 'phase.advance' });
  await control.do({ type: 'phase.advance' });
  await us.waitFor((v) => v.game.phase === 'negotiation', 'negotiation');

  // Acknowledged commands of every kind.
  await us.do({
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-talks', byRound: 1 },
      { team: 'dprk', action: 'dprk-ny-channel', byRound: 1 },
    ],
    secret: false,
    snapback: false,
    note: 'talks for a channel',
  });
  const dealId = (await dprk.waitFor((v) => v.deals.length === 1, 'the proposal')).deals[0].id;
  await dprk.do({ type: 'deal.accept', dealId });
  await us.do({ type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null });
  await control.do({
    type: 'inject.add',
    title: 'Crash drill',
    text: 'Sirens in the capital',
    audience: 'all',
    effects: [{ meter: 'tension', delta: 3 }],
    publish: true,
  });
  const tension = control.view!.meters.find((m) => m.id === 'tension')!.value;

  // Chat as fast as acks come back; kill the server once a few are acknowledged, with more in flight.
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

  // The negotiation clock: two seconds left.
  const extended = await control.command({ type: 'phase.extend', seconds: -3598 });
  assert.ok(extended.ok);
  const lastAcked = extended.ok ? extended.version : 0;
  const snapshots = readdirSync(joinPath(server.dataDir, 'games')).filter((f) => f.endsWith('.snap.json'));
  assert.ok(snapshots.length >= 1, 'a snapshot was written before the crash');

  // Versions are each audience's own: every client must come back at least where it was.
  const held = new Map(clients.map((c) => [c, c === control ? Math.max(lastAcked, c.version) : c.version]));
  await server.kill();
  sending = false;
  await chatter;
  await Promise.all(clients.map((c) => c.until(() => !c.connected, `${c.label} notices the crash`)));
  const deadline = control.view!.game.deadline!;
  assert.ok(deadline, 'the phase has a deadline');
  // Stay down until the deadline has passed: after the restart it must fire at once.
  await sleepUntil(deadline + 50);
  await server.restart();

  // Everyone reconnects by themselves and is sent the whole view again.
  await Promise.all(
    clients.map((c) => c.until(() => c.connected && c.version >= held.get(c)!, `${c.label} reconnected and caught up`)),
  );
  const v = await us.waitFor((x) => x.game.phase === 'submission', 'the deadline that passed during the outage fired');
  assert.is(v.deals.find((d) => d.id === dealId)?.status, 'accepted');
  assert.ok(v.draft!.overt.includes('us-talks'), 'the draft survived');
  assert.ok(v.injects.some((i) => i.title === 'Crash drill' && i.status === 'published'));
  assert.is(v.meters.find((m) => m.id === 'tension')!.value, tension);
  const texts = new Set((await us.loadAllChat()).messages.map((m) => m.text));
  for (const text of acked) assert.ok(texts.has(text), `acknowledged "${text}" survived`);
  await observer.waitFor((x) => x.game.phase === 'submission', 'the observer follows');

  // The game goes on: a resync agrees with the patched views, and a deadline still ahead after a restart fires too.
  const resync = await control.resync();
  assert.ok(resync.ok && resync.version === control.version);
  await control.do({ type: 'phase.extend', seconds: -3595 });
  await server.kill();
  await server.restart();
  await control.waitFor((x) => x.game.phase === 'adjudication', 'the deadline re-armed after the second restart fired');
  assert.ok(existsSync(joinPath(server.dataDir, 'games')));
});

test.run();
