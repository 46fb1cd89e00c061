// The White Cell renames and moves players: who may, what is refused (and then changes nothing), what every
// audience sees afterwards, and that a moved player's token follows them to the new seat without their sockets ever
// holding the old team's secrets after the move, or the new team's before it.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { GameEvent } from '../../../server/engine/index.ts';
import type { Scenario } from '../../../shared/scenario.ts';
import { TestClient } from '../../helpers/client.ts';
import { call, createGame, join } from '../../helpers/http.ts';
import { leaks, scenarioSecrets, secretsFor } from '../../helpers/scenario-secrets.ts';
import { startServer, type SpawnedServer } from '../../helpers/spawn-server.ts';

const tutorial = JSON.parse(
  readFileSync(new URL('../../../scenarios/tutorial.json', import.meta.url), 'utf8'),
) as Scenario;
const secrets = scenarioSecrets(tutorial);

let server: SpawnedServer;
const clients: TestClient[] = [];
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const connect = async (token: string, label: string) => {
  const c = await TestClient.connect(server.url, token, label);
  clients.push(c);
  return c;
};
const rename = (gameId: string, playerId: string, body: unknown, token?: string) =>
  call<{ error?: { code: string } }>(
    server.url,
    'POST',
    `/api/games/${gameId}/players/${playerId}/rename`,
    body,
    token ? bearer(token) : {},
  );
const move = (gameId: string, playerId: string, body: unknown, token?: string) =>
  call<{ error?: { code: string }; role?: string; team?: string | null }>(
    server.url,
    'POST',
    `/api/games/${gameId}/players/${playerId}/move`,
    body,
    token ? bearer(token) : {},
  );
const exported = async (gameId: string, token: string) => {
  const r = await call<{ events: GameEvent[] }>(
    server.url,
    'GET',
    `/api/games/${gameId}/export?format=json`,
    undefined,
    bearer(token),
  );
  assert.is(r.status, 200);
  return r.body.events;
};

test.before(async () => {
  // Two seats per join code, so that SEATS_FULL can be reached.
  server = await startServer({ env: { SEATS_PER_CODE: '2' } });
});

test.after(async () => {
  for (const c of clients) c.close();
  await server?.destroy();
});

test('the White Cell renames a player: teammates, the White Cell and the log all show the new name', async () => {
  const game = await createGame(server.url, 'tutorial', {});
  const ann = await join(server.url, game.codes.teams.us, 'Ann');
  const bob = await join(server.url, game.codes.teams.us, 'Bob');
  const mate = await connect(bob.token, 'bob');
  const wc = await connect(game.controlToken, 'wc');
  const res = await rename(game.gameId, ann.playerId, { name: '  Annabel  ' }, game.controlToken);
  assert.is(res.status, 200);
  assert.equal(res.body, { playerId: ann.playerId, name: 'Annabel' });
  await mate.waitFor(
    (v) => v.me?.teammates.find((p) => p.id === ann.playerId)?.name === 'Annabel',
    'the teammate sees the new name',
  );
  await wc.waitFor(
    (v) => v.control?.players.find((p) => p.id === ann.playerId)?.name === 'Annabel',
    'the White Cell sees the new name',
  );
  // The player's own token now carries the name: what they post is signed with it.
  const annabel = await connect(ann.token, 'annabel');
  await annabel.do({ type: 'chat.post', channel: 'team:us', text: 'renamed hello' });
  const line = (
    await mate.waitFor((v) => v.messages.some((m) => m.text === 'renamed hello'), 'the teammate reads the line')
  ).messages.find((m) => m.text === 'renamed hello');
  assert.is(line?.name, 'Annabel');
  const renamed = (await exported(game.gameId, game.controlToken)).filter((e) => e.type === 'PlayerRenamed');
  assert.equal(
    renamed.map((e) => e.type === 'PlayerRenamed' && [e.playerId, e.from, e.name]),
    [[ann.playerId, 'Ann', 'Annabel']],
  );
  // Renaming to the same name again is nothing to record.
  assert.is((await rename(game.gameId, ann.playerId, { name: 'Annabel' }, game.controlToken)).status, 200);
  assert.is((await exported(game.gameId, game.controlToken)).filter((e) => e.type === 'PlayerRenamed').length, 1);
});

test('rename refusals: bad names, a name taken on the same seat, unknown players, and anyone but the White Cell', async () => {
  const game = await createGame(server.url, 'tutorial', {});
  const ann = await join(server.url, game.codes.teams.us, 'Ann');
  const bob = await join(server.url, game.codes.teams.us, 'Bob');
  await join(server.url, game.codes.teams.prc, 'Carol');
  const before = (await exported(game.gameId, game.controlToken)).length;
  for (const body of [
    { name: '' },
    { name: '   ' },
    { name: 'x'.repeat(41) },
    {},
    { name: 7 },
    { name: 'A', extra: 1 },
  ]) {
    const r = await rename(game.gameId, ann.playerId, body, game.controlToken);
    assert.is(r.status, 400, JSON.stringify(body));
    assert.is(r.body.error?.code, 'BAD_REQUEST');
  }
  const taken = await rename(game.gameId, ann.playerId, { name: ' bOB ' }, game.controlToken);
  assert.is(taken.status, 409);
  assert.is(taken.body.error?.code, 'NAME_TAKEN');
  const unknown = await rename(game.gameId, 'nobody', { name: 'Zed' }, game.controlToken);
  assert.is(unknown.status, 404);
  assert.is(unknown.body.error?.code, 'UNKNOWN_PLAYER');
  const byTeam = await rename(game.gameId, ann.playerId, { name: 'Zed' }, bob.token);
  assert.is(byTeam.status, 403);
  assert.is(byTeam.body.error?.code, 'NOT_ALLOWED');
  assert.is((await rename(game.gameId, ann.playerId, { name: 'Zed' })).status, 401);
  const other = await createGame(server.url, 'tutorial', {});
  assert.is((await rename(game.gameId, ann.playerId, { name: 'Zed' }, other.controlToken)).status, 401);
  assert.is((await exported(game.gameId, game.controlToken)).length, before, 'no refusal wrote anything');
  // The same name on another team is another seat: allowed.
  assert.is((await rename(game.gameId, ann.playerId, { name: 'carol' }, game.controlToken)).status, 200);
  // A removed player is no longer there to rename.
  await call(
    server.url,
    'POST',
    `/api/games/${game.gameId}/players/${bob.playerId}/remove`,
    {},
    bearer(game.controlToken),
  );
  assert.is((await rename(game.gameId, bob.playerId, { name: 'Robert' }, game.controlToken)).status, 404);
});

test('a moved player keeps their token, now for the new seat, and their sockets never cross secrets', async () => {
  const game = await createGame(server.url, 'tutorial', {});
  const dan = await join(server.url, game.codes.teams.us, 'Dan');
  const usMate = await join(server.url, game.codes.teams.us, 'Eve');
  const prcMate = await join(server.url, game.codes.teams.prc, 'Fay');
  const before = await connect(dan.token, 'dan-on-us');
  const exTeam = await connect(usMate.token, 'eve-on-us');
  const newTeam = await connect(prcMate.token, 'fay-on-prc');
  assert.is(before.view?.audience.kind, 'team');

  const res = await move(game.gameId, dan.playerId, { to: 'prc' }, game.controlToken);
  assert.is(res.status, 200);
  assert.equal(res.body, { playerId: dan.playerId, role: 'team', team: 'prc' });
  // The old socket was closed before the game recorded the move: its last view is still of the old seat.
  await before.until(() => !before.connected, 'the old socket is closed');
  assert.ok(
    before.view?.me?.teammates.some((p) => p.id === dan.playerId),
    'the old socket never got a view from after the move',
  );
  assert.equal(leaks(before.received, secretsFor(tutorial, secrets, 'us'), 'before the move'), []);

  // The same token now opens the new seat, with nothing of the old team in it.
  const after = await connect(dan.token, 'dan-on-prc');
  assert.equal(after.view?.audience, { kind: 'team', team: 'prc' });
  await after.waitFor((v) => !!v.me?.teammates.some((p) => p.id === dan.playerId), 'the mover is among prc');
  await newTeam.waitFor((v) => !!v.me?.teammates.some((p) => p.id === dan.playerId), 'prc sees its new member');
  await exTeam.waitFor((v) => !v.me?.teammates.some((p) => p.id === dan.playerId), 'us no longer lists the mover');
  assert.not.ok(
    after.view?.channels.some((c) => c.id === 'team:us'),
    'the old team channel is gone',
  );
  await after.do({ type: 'chat.post', channel: 'team:prc', text: 'SECRETPRCLINE from the mover' });
  await newTeam.waitFor(
    (v) => v.messages.some((m) => m.channel === 'team:prc' && m.text.startsWith('SECRETPRCLINE')),
    'prc reads the line',
  );
  assert.not.ok(
    exTeam.texts().some((t) => t.includes('SECRETPRCLINE')),
    'the ex-team does not see it',
  );
  assert.equal(leaks(after.received, secretsFor(tutorial, secrets, 'prc'), 'after the move'), []);
  // Posting to the old team's channel is refused.
  const old = await after.command({ type: 'chat.post', channel: 'team:us', text: 'back door' });
  assert.is(old.ok, false);

  const events = await exported(game.gameId, game.controlToken);
  const reseated = events.filter((e) => e.type === 'PlayerReseated');
  assert.equal(
    reseated.map((e) => e.type === 'PlayerReseated' && [e.playerId, e.from, e.to]),
    [[dan.playerId, 'us', 'prc']],
  );
  // Moving to the seat already held changes nothing.
  assert.is((await move(game.gameId, dan.playerId, { to: 'prc' }, game.controlToken)).status, 200);
  assert.is((await exported(game.gameId, game.controlToken)).length, events.length);
});

test('a player moved to observer sees the observers view; one moved to the White Cell sees the control view', async () => {
  const game = await createGame(server.url, 'tutorial', {});
  const gus = await join(server.url, game.codes.teams.rok, 'Gus');
  assert.is((await move(game.gameId, gus.playerId, { to: 'observer' }, game.controlToken)).status, 200);
  const asObserver = await connect(gus.token, 'gus-observer');
  assert.equal(asObserver.view?.audience, { kind: 'observer' });
  assert.is(asObserver.view?.me, null);
  assert.equal(leaks(asObserver.received, secretsFor(tutorial, secrets, 'observer'), 'observer'), []);
  assert.is((await move(game.gameId, gus.playerId, { to: ' control ' }, game.controlToken)).status, 200);
  const asControl = await connect(gus.token, 'gus-control');
  assert.equal(asControl.view?.audience, { kind: 'control' });
  // A member moved in plays the White Cell but holds no codes key: seats and codes stay with the others.
  const codes = await call(server.url, 'GET', `/api/games/${game.gameId}/codes`, undefined, bearer(gus.token));
  assert.is(codes.status, 403);
});

test('move refusals: unknown team, unknown player, the last White Cell member, a full seat, non-White Cell', async () => {
  const game = await createGame(server.url, 'tutorial', {});
  const hal = await join(server.url, game.codes.teams.us, 'Hal');
  await join(server.url, game.codes.teams.dprk, 'Ida');
  await join(server.url, game.codes.teams.dprk, 'Jon');
  const creator = (await connect(game.controlToken, 'creator')).view!.control!.players.find(
    (p) => p.role === 'control',
  )!;
  const before = (await exported(game.gameId, game.controlToken)).length;
  const expect = async (body: unknown, id: string, token: string | undefined, status: number, code: string) => {
    const r = await move(game.gameId, id, body, token);
    assert.is(r.status, status, `${JSON.stringify(body)} -> ${code}`);
    assert.is(r.body.error?.code, code);
  };
  await expect({ to: 'mars' }, hal.playerId, game.controlToken, 400, 'UNKNOWN_TEAM');
  await expect({ to: '' }, hal.playerId, game.controlToken, 400, 'BAD_REQUEST');
  await expect({}, hal.playerId, game.controlToken, 400, 'BAD_REQUEST');
  await expect({ to: 'prc' }, 'nobody', game.controlToken, 404, 'UNKNOWN_PLAYER');
  await expect({ to: 'prc' }, creator.id, game.controlToken, 409, 'LAST_WHITE_CELL');
  await expect({ to: 'observer' }, creator.id, game.controlToken, 409, 'LAST_WHITE_CELL');
  await expect({ to: 'dprk' }, hal.playerId, game.controlToken, 409, 'SEATS_FULL');
  await expect({ to: 'prc' }, hal.playerId, hal.token, 403, 'NOT_ALLOWED');
  assert.is((await move(game.gameId, hal.playerId, { to: 'prc' })).status, 401);
  assert.is((await exported(game.gameId, game.controlToken)).length, before, 'no refusal wrote anything');
  // A second member who joined with the White Cell code holds the codes key: the creator may then step away.
  const second = await join(server.url, game.codes.control, 'Second');
  assert.is((await move(game.gameId, creator.id, { to: 'observer' }, game.controlToken)).status, 200);
  const observed = await connect(game.controlToken, 'creator-observer');
  assert.equal(observed.view?.audience, { kind: 'observer' });
  // ...and is no longer the White Cell: it cannot move anyone, the second member can.
  await expect({ to: 'prc' }, hal.playerId, game.controlToken, 403, 'NOT_ALLOWED');
  await expect({ to: 'us' }, second.playerId, second.token, 409, 'LAST_WHITE_CELL');
});

test('a move to a seat where someone has the mover’s name is refused', async () => {
  const game = await createGame(server.url, 'tutorial', {});
  const kim = await join(server.url, game.codes.teams.us, 'Kim');
  await join(server.url, game.codes.teams.jpn, 'KIM');
  const r = await move(game.gameId, kim.playerId, { to: 'jpn' }, game.controlToken);
  assert.is(r.status, 409);
  assert.is(r.body.error?.code, 'NAME_TAKEN');
});

test.run();
