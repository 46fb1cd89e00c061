// Three server processes on one Redis, the players of one game spread over them: every command, through whichever
// process, reaches every player; clients of one audience hold the same view at the same version; the White Cell sees
// who is connected to any process, and revoking a seat closes its socket wherever it is.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JoinCodes } from '../../../shared/protocol.ts';
import { TestClient } from '../../helpers/client.ts';
import { startCluster, type Cluster } from '../../helpers/cluster.ts';
import { call, createGame } from '../../helpers/http.ts';
import { allSee, sameBoards, seat, type Seated } from '../../helpers/scale.ts';

let cluster: Cluster;
const seated: Seated[] = [];
const clients = () => seated.map((s) => s.client);
const NO_CLOCKS = { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 };

test.before(async () => {
  cluster = await startCluster({ processes: 3 });
});

test.after(async () => {
  for (const c of clients()) c.close();
  await cluster?.destroy();
});

test('players of one game on three processes see the same board after every command', async () => {
  const [a, b, c] = cluster.servers.map((s) => s.url);
  const game = await createGame(a, 'tutorial', { seed: 'spread', phases: NO_CLOCKS });
  seated.push({ client: await TestClient.connect(a, game.controlToken, 'control@A'), audience: 'control' });
  // Join through one process, connect to another: any process serves any game.
  seated.push(await seat(b, c, game.codes.teams.us, 'us-1@C', 'team:us'));
  seated.push(await seat(c, a, game.codes.teams.us, 'us-2@A', 'team:us'));
  seated.push(await seat(a, b, game.codes.teams.dprk, 'dprk@B', 'team:dprk'));
  seated.push(await seat(b, c, game.codes.teams.prc, 'prc@C', 'team:prc'));
  seated.push(await seat(c, b, game.codes.observer, 'observer@B', 'observer'));
  seated.push(await seat(a, c, game.codes.observer, 'observer@C', 'observer'));
  const [control, us1, us2, dprk, prc] = clients();

  await control.do({ type: 'game.start' });
  await control.do({ type: 'phase.advance' });
  // With several processes an ack may come a moment before the sender's own patch (docs/protocol.md): wait for it.
  await control.do({ type: 'phase.advance' });
  await allSee(clients(), 'negotiation', (v) => v.game.phase === 'negotiation');

  // Commands through each process in turn; each process decides on what the others stored.
  const steps: [TestClient, { type: string } & Record<string, unknown>][] = [
    [us1, { type: 'chat.post', channel: 'plenary', text: 'from C' }],
    [dprk, { type: 'chat.post', channel: 'plenary', text: 'from B' }],
    [
      us2,
      {
        type: 'draft.set',
        overt: [us1.actions().find((x) => x.team === 'us' && !x.covert && x.open)!.id],
        covert: [],
        freeform: null,
      },
    ],
    [prc, { type: 'chat.post', channel: 'plenary', text: 'from C again' }],
    [
      control,
      {
        type: 'inject.add',
        title: 'Spread drill',
        text: 'A test inject',
        audience: 'all',
        effects: [{ meter: 'tension', delta: 2 }],
        publish: true,
      },
    ],
    [us1, { type: 'chat.post', channel: 'team:us', text: 'us only, via C' }],
  ];
  const lastOf = new Map<TestClient, number>();
  for (const [client, command] of steps) {
    const version = await client.do(command);
    const last = lastOf.get(client) ?? 0;
    assert.ok(version > last, `${client.label}: its versions go up (${version} after ${last})`);
    lastOf.set(client, version);
  }
  // A last command every audience sees, then every client must have caught up to it.
  await dprk.do({ type: 'chat.post', channel: 'plenary', text: 'everyone at the same version' });
  await allSee(clients(), 'the last line', (v) => v.messages.some((m) => m.text === 'everyone at the same version'));
  await sameBoards(seated);

  assert.ok(
    us2.view!.messages.some((m) => m.text === 'us only, via C'),
    'a team message reached its teammate on another process',
  );
  assert.not.ok(
    dprk.view!.messages.some((m) => m.text === 'us only, via C'),
    'and no one else',
  );
  assert.ok(clients().every((x) => x.view!.injects.some((i) => i.title === 'Spread drill')));
  assert.ok(us1.view!.draft!.overt.length === 1, 'the draft made on A shows on C');
});

test('the White Cell sees players connected to any process, and a revoked seat is closed wherever it is', async () => {
  const [a, b] = cluster.servers.map((s) => s.url);
  const [control] = clients();
  // Control is on A; players are on B and C.
  await control.until(() => (control.presence?.online.length ?? 0) === 7, 'presence of the White Cell and six players');
  assert.equal(control.presence!.online.map((p) => p.name).sort(), [
    'White Cell',
    'dprk@B',
    'observer@B',
    'observer@C',
    'prc@C',
    'us-1@C',
    'us-2@A',
  ]);

  const leaving = seated.find((s) => s.client.label === 'prc@C')!.client;
  leaving.close();
  await control.until(() => !control.presence!.online.some((p) => p.name === 'prc@C'), 'prc@C gone from presence');

  // Rotate the codes through B, revoking every other seat: the sockets on A, B and C are all closed.
  const gameId = control.view!.game.id;
  const rotated = await call<{ codes: JoinCodes; revoked: number }>(
    b,
    'POST',
    `/api/games/${gameId}/codes/rotate`,
    { revokeSeats: true },
    { authorization: `Bearer ${control.token}` },
  );
  assert.is(rotated.status, 200);
  const victims = clients().filter((x) => x !== control && x !== leaving);
  await Promise.all(victims.map((v) => v.until(() => !v.connected, `${v.label} closed`)));
  assert.ok(control.connected, 'the White Cell stays');
  assert.match(await TestClient.refused(a, victims[0].token), /UNAUTHORIZED/);
});

test.run();
