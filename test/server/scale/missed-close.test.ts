// A player moved by the White Cell has their sockets closed on every process through Redis's pub/sub. A process whose
// subscription is down at that moment misses the word, and its socket of the old seat stays open: the game itself
// then refuses it (SEAT_CHANGED) on a command, a resync and a read, and closes it, so that nothing of the old team
// posted after the move reaches it; its reconnection takes the seat the player now holds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createClient } from 'redis';
import { TestClient } from '../../helpers/client.ts';
import { startCluster, type Cluster } from '../../helpers/cluster.ts';
import { call, createGame, join } from '../../helpers/http.ts';

let cluster: Cluster;
const clients: TestClient[] = [];

test.before(async () => {
  cluster = await startCluster({ processes: 2 });
});

test.after(async () => {
  for (const c of clients) c.close();
  await cluster?.destroy();
});

test('a socket that missed its closing is refused by the game and closed, and reads nothing posted after the move', async () => {
  const [A, B] = cluster.servers;
  const game = await createGame(A.url, 'tutorial', { seed: 'missed-close' });
  const control = await TestClient.connect(A.url, game.controlToken, 'control@A');
  const alice = await join(A.url, game.codes.teams.us, 'Alice');
  const ursula = await TestClient.connect(A.url, (await join(A.url, game.codes.teams.us, 'Ursula')).token, 'us@A');
  // Three sockets of Alice's on B, one for each way back in: a command, a resync, a read.
  const onB = await Promise.all(['command', 'resync', 'read'].map((w) => TestClient.connect(B.url, alice.token, w)));
  clients.push(control, ursula, ...onB);
  await control.do({ type: 'game.start' });
  await Promise.all(onB.map((c) => c.until(() => c.view?.game.phase === 'briefing', `${c.label}: the patch from A`)));

  // B's subscription goes, and cannot come back: Redis takes no new connection while the move is made.
  const admin = createClient({ url: cluster.redis.url });
  await admin.connect();
  try {
    await admin.configSet('maxclients', '1');
    await admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
    const moved = await call<{ role?: string; team?: string | null }>(
      A.url,
      'POST',
      `/api/games/${game.gameId}/players/${alice.playerId}/move`,
      { to: 'prc' },
      { authorization: `Bearer ${game.controlToken}` },
    );
    assert.is(moved.status, 200);
    await ursula.do({ type: 'chat.post', channel: 'team:us', text: 'AFTER-MOVE' });
    assert.ok(
      onB.every((c) => c.connected),
      "B missed the closing: Alice's sockets there are still open",
    );

    const [byCommand, byResync, byRead] = onB;
    const said = await byCommand.command({ type: 'chat.post', channel: 'team:us', text: 'from the old seat' });
    assert.equal(said.ok ? null : said.error.code, 'SEAT_CHANGED', 'a command');
    const resynced = await byResync.resync();
    assert.equal(resynced.ok ? null : resynced.error.code, 'SEAT_CHANGED', 'a resync');
    const read = await byRead.history({ channel: 'team:us', before: 1_000_000 });
    assert.equal(read.ok ? null : read.error.code, 'SEAT_CHANGED', 'a read');
  } finally {
    await admin.configSet('maxclients', '10000');
    await admin.close();
  }
  // Each is closed by the server, and, connecting again as the browser does, comes back on the seat Alice holds now.
  for (const c of onB) {
    await c.until(() => !c.connected, `${c.label} closed`);
    c.socket.connect();
    await c.until(() => c.view?.me?.team === 'prc', `${c.label} back as China`);
  }
  for (const c of onB)
    assert.not.ok(JSON.stringify(c.received).includes('AFTER-MOVE'), `${c.label} read nothing posted after the move`);
  // Nothing was posted from the old seat.
  const us = await ursula.loadAllChat();
  assert.not.ok(JSON.stringify(us.messages).includes('from the old seat'));
});

test.run();
