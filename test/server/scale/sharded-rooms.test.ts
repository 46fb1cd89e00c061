// The sharded adapter subscribes a process only to the rooms where it has sockets: a game played entirely on one
// process puts no subscription of that game on the other, and a socket on the other adds its own audience's room.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'redis';
import { TestClient } from '../../helpers/client.ts';
import { startCluster, type Cluster } from '../../helpers/cluster.ts';
import { createGame, join } from '../../helpers/http.ts';

let cluster: Cluster;
const clients: TestClient[] = [];

test.before(async () => {
  cluster = await startCluster({ processes: 2 });
});

test.after(async () => {
  for (const c of clients) c.close();
  await cluster?.destroy();
});

/** Subscribers per sharded channel of one game's rooms. */
async function subscribers(gameId: string): Promise<Map<string, number>> {
  const redis = createClient({ url: cluster.redis.url });
  await redis.connect();
  try {
    const channels = (await redis.sendCommand(['PUBSUB', 'SHARDCHANNELS', `*${gameId}*`])) as string[];
    const counts = (await redis.sendCommand(['PUBSUB', 'SHARDNUMSUB', ...channels])) as (string | number)[];
    const out = new Map<string, number>();
    for (let i = 0; i < counts.length; i += 2) out.set(String(counts[i]), Number(counts[i + 1]));
    return out;
  } finally {
    await redis.close();
  }
}

/** The counts once `ok` holds of them: a process subscribes to a room's channel as a socket joins, not before. */
async function subscribersWhen(gameId: string, ok: (subs: Map<string, number>) => boolean) {
  let subs = await subscribers(gameId);
  for (let i = 0; i < 100 && !ok(subs); i++) {
    await new Promise((r) => setTimeout(r, 50));
    subs = await subscribers(gameId);
  }
  return subs;
}

const room = (gameId: string, key: string) => `flywheel:socket.io#/#game:${gameId}:${key}#`;

test('a process subscribes to a room only while it holds one of its sockets', async () => {
  const [A, B] = cluster.servers;
  const game = await createGame(A.url, 'tutorial', { seed: 'rooms' });
  const control = await TestClient.connect(A.url, game.controlToken, 'control@A');
  const usToken = (await join(A.url, game.codes.teams.us, 'Alice')).token;
  const us = await TestClient.connect(A.url, usToken, 'us@A');
  clients.push(control, us);
  const ctl = room(game.gameId, 'control');
  const usRoom = room(game.gameId, 'team:us');
  let subs = await subscribersWhen(game.gameId, (s) => s.get(ctl) === 1 && s.get(usRoom) === 1);
  assert.is(subs.get(room(game.gameId, 'control')), 1, 'only A listens to the White Cell room');
  assert.is(subs.get(room(game.gameId, 'team:us')), 1, 'and to the US room');
  assert.is(subs.get(room(game.gameId, 'team:dprk')), undefined, 'nobody to the rooms without sockets');

  // A second US tab on B: B subscribes to the US room, and patches cross to it.
  const usOnB = await TestClient.connect(B.url, usToken, 'us@B');
  clients.push(usOnB);
  subs = await subscribersWhen(game.gameId, (s) => s.get(usRoom) === 2);
  assert.is(subs.get(room(game.gameId, 'team:us')), 2);
  assert.is(subs.get(room(game.gameId, 'control')), 1, 'B does not listen to the White Cell');
  await control.do({ type: 'game.start' });
  await usOnB.until(() => usOnB.view?.game.phase === 'briefing', 'the patch from A reaches B');

  usOnB.close();
  await usOnB.until(() => !usOnB.connected, 'closed');
  subs = await subscribersWhen(game.gameId, (s) => s.get(usRoom) === 1);
  assert.is(subs.get(usRoom), 1, 'B let the room go');
});

test.run();
