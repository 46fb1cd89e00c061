// Patches from two processes arrive out of order at times; clients hold one early patch back for a moment
// (shared/patch-order.ts) instead of resyncing at once. Under concurrent commands through both processes, every
// client still ends on the same board as its process sends afresh; the numbers printed are how many patches came
// early and how many resyncs were still needed (each early patch used to be a resync).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TestClient } from '../../helpers/client.ts';
import { startCluster, type Cluster } from '../../helpers/cluster.ts';
import { createGame } from '../../helpers/http.ts';
import { allAt, sameBoards, seat, type Seated } from '../../helpers/scale.ts';

let cluster: Cluster;
const seated: Seated[] = [];

test.before(async () => {
  cluster = await startCluster({ processes: 2, env: { COMMAND_RATE: '1000', COMMAND_BURST: '1000' } });
});

test.after(async () => {
  for (const s of seated) s.client.close();
  await cluster?.destroy();
});

test('commands through both processes at once: early patches are waited for, boards agree', async () => {
  const [a, b] = cluster.servers.map((s) => s.url);
  const game = await createGame(a, 'tutorial', { seed: 'order' });
  seated.push({ client: await TestClient.connect(a, game.controlToken, 'control@A'), audience: 'control' });
  for (const [i, team] of (['us', 'dprk', 'prc', 'rok'] as const).entries()) {
    const on = i % 2 ? b : a;
    seated.push(await seat(a, on, game.codes.teams[team], `${team}@${on === a ? 'A' : 'B'}`, `team:${team}`));
  }
  seated.push(await seat(a, b, game.codes.observer, 'observer@B', 'observer'));
  const players = seated.slice(1, 5).map((s) => s.client);
  await Promise.all(
    players.map(async (c) => {
      for (let i = 0; i < 40; i++) {
        // Two processes racing on one game: BUSY (too many conflicts in a row) is a normal answer; send again.
        for (let ack = null; !ack?.ok; ) {
          ack = await c.command({
            type: 'chat.post',
            channel: 'plenary',
            text: `${c.label} ${i}`,
            id: `order-${i}-${c.label.replace('@', '-')}`,
          });
          if (!ack.ok) assert.is(ack.error.code, 'BUSY');
        }
      }
    }),
  );
  const last = await players[0].do({ type: 'chat.post', channel: 'plenary', text: 'the end' });
  const clients = seated.map((s) => s.client);
  await allAt(clients, last);
  // Any hold under way has run out or been released by now.
  await new Promise((r) => setTimeout(r, 500));
  await sameBoards(seated);
  const early = clients.reduce((n, c) => n + c.outOfOrder, 0);
  const resyncs = clients.reduce((n, c) => n + c.gaps, 0);
  console.log(`  ${clients.length} clients, ${last} versions: ${early} patches came early, ${resyncs} resyncs needed`);
  assert.ok(resyncs <= early);
});

test.run();
