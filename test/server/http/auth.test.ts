// Join codes, seat tokens and what a seat may do: wrong and rotated codes and tokens are refused, players cannot
// send White Cell commands, and no team can act for another (the actor always comes from the seat).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CreateGameResult, JoinCodes } from '../../../shared/protocol.ts';
import { TestClient } from '../../helpers/client.ts';
import { call, createGame, join } from '../../helpers/http.ts';
import { startServer, type SpawnedServer } from '../../helpers/spawn-server.ts';

let server: SpawnedServer;
let game: CreateGameResult;
const clients: TestClient[] = [];
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const connect = async (token: string, label: string) => {
  const c = await TestClient.connect(server.url, token, label);
  clients.push(c);
  return c;
};
const BAD_CODE = { error: { code: 'BAD_CODE', message: 'That join code is not valid' } };

test.before(async () => {
  server = await startServer();
  game = await createGame(server.url, 'tutorial', { seed: 'auth' });
});

test.after(async () => {
  for (const c of clients) c.close();
  await server?.destroy();
});

test('a wrong code, a code for another game and a made-up game all get the same answer', async () => {
  const other = await createGame(server.url, 'tutorial', {});
  const [, secret] = game.codes.teams.us.split('.');
  const attempts = [
    'not a code at all',
    `${game.gameId}.${'a'.repeat(26)}`, // right game, wrong secret
    `zzzzzzzzzzzz.${secret}`, // a game that does not exist
    `${other.gameId}.${secret}`, // a real secret moved to another game
    game.controlToken, // a token is not a code
  ];
  for (const code of attempts) {
    const res = await call(server.url, 'POST', '/api/join', { code, name: 'Mallory' });
    assert.is(res.status, 403, code);
    assert.equal(res.body, BAD_CODE);
  }
  // Codes are forgiving of case and blanks, as people type them.
  const ok = await call(server.url, 'POST', '/api/join', {
    code: `  ${game.codes.observer.toUpperCase()} `,
    name: 'Typist',
  });
  assert.is(ok.status, 200);
});

test('bad, foreign and missing tokens are refused at the handshake with UNAUTHORIZED', async () => {
  const other = await createGame(server.url, 'tutorial', {});
  const [, secret] = game.controlToken.split('.');
  for (const token of [
    undefined,
    '',
    'garbage',
    42,
    { token: 'x' },
    `${game.gameId}.${'b'.repeat(26)}`,
    `${other.gameId}.${secret}`,
    game.codes.control,
    `${game.controlToken}x`,
  ]) {
    assert.is(await TestClient.refused(server.url, token), 'UNAUTHORIZED', String(token));
  }
});

test('players cannot send White Cell commands, observers cannot act, and nobody acts for another team', async () => {
  const us = await connect((await join(server.url, game.codes.teams.us, 'Alice')).token, 'us');
  const rok = await connect((await join(server.url, game.codes.teams.rok, 'Min')).token, 'rok');
  const obs = await connect((await join(server.url, game.codes.observer, 'Eve')).token, 'observer');
  const control = await connect(game.controlToken, 'control');

  for (const type of ['game.start', 'phase.advance', 'game.pause', 'adjudication.approve']) {
    assert.equal(
      await us.command({ type }),
      { ok: false, error: { code: 'NOT_ALLOWED', message: 'Only the White Cell can do that' } },
      type,
    );
  }
  assert.equal(await obs.command({ type: 'chat.post', channel: 'plenary', text: 'hi' }), {
    ok: false,
    error: { code: 'NOT_ALLOWED', message: 'Observers cannot act' },
  });
  assert.equal(await control.command({ type: 'draft.lock' }), {
    ok: false,
    error: { code: 'NOT_ALLOWED', message: 'The White Cell does not play a team' },
  });

  await control.do({ type: 'game.start' });
  await control.do({ type: 'phase.advance' });
  await control.do({ type: 'phase.advance' });
  await us.waitFor((v) => v.game.phase === 'negotiation', 'negotiation');

  // Naming another team or player in the payload is refused outright, not quietly ignored.
  for (const extra of [{ team: 'dprk' }, { actor: { kind: 'team', team: 'dprk' } }, { playerId: 'someone' }]) {
    const ack = await us.command({ type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null, ...extra });
    assert.is(ack.ok ? 'ok' : ack.error.code, 'BAD_COMMAND', JSON.stringify(extra));
  }
  // Another team's menu, channel or draft is out of reach.
  assert.is(
    (await us.command({ type: 'draft.set', overt: ['dprk-ny-channel'], covert: [], freeform: null })).ok,
    false,
  );
  assert.equal(await us.command({ type: 'chat.post', channel: 'team:dprk', text: 'psst' }), {
    ok: false,
    error: { code: 'UNKNOWN_CHANNEL', message: 'No such channel for you' },
  });
  await us.do({ type: 'chat.post', channel: 'plenary', text: 'signed by my seat' });
  const msg = (
    await rok.waitFor((v) => v.messages.some((m) => m.text === 'signed by my seat'), 'the message')
  ).messages.find((m) => m.text === 'signed by my seat')!;
  assert.is(msg.from, 'us');
  assert.is(msg.name, 'Alice');
  assert.equal(control.view!.drafts!.dprk.overt, [], "the DPRK's draft was never touched");

  // Probing for another team's covert action answers exactly as for an action that does not exist.
  const probe = await rok.command({
    type: 'draft.set',
    overt: [],
    covert: ['dprk-undeclared-enrichment'],
    freeform: null,
  });
  const none = await rok.command({ type: 'draft.set', overt: [], covert: ['no-such-action'], freeform: null });
  assert.ok(!probe.ok && !none.ok);
  if (!probe.ok && !none.ok) {
    assert.is(probe.error.code, none.error.code);
    assert.is(
      probe.error.message.replace('dprk-undeclared-enrichment', 'X'),
      none.error.message.replace('no-such-action', 'X'),
    );
  }
});

test('the White Cell sees who comes and goes', async () => {
  const control = await connect(game.controlToken, 'control-2');
  await control.until(() => control.presence !== null, 'the first presence');
  const before = control.presence!.online.length;
  const jpn = new TestClient(server.url, (await join(server.url, game.codes.teams.jpn, 'Aiko')).token, 'jpn');
  await control.until(() => control.presence!.online.some((p) => p.name === 'Aiko' && p.team === 'jpn'), 'Aiko online');
  jpn.close();
  await control.until(() => !control.presence!.online.some((p) => p.name === 'Aiko'), 'Aiko gone');
  assert.is(control.presence!.online.length, before);
  // Only the White Cell is told.
  assert.ok(!clients.find((c) => c.label === 'us')!.received.some((r) => r.event === 'presence'));
});

test('the codes routes want a White Cell token of that very game', async () => {
  const player = await join(server.url, game.codes.teams.prc, 'Li');
  const other = await createGame(server.url, 'tutorial', {});
  assert.is((await call(server.url, 'GET', `/api/games/${game.gameId}/codes`)).status, 401);
  assert.is(
    (await call(server.url, 'GET', `/api/games/${game.gameId}/codes`, undefined, bearer(other.controlToken))).status,
    401,
  );
  assert.is(
    (await call(server.url, 'GET', `/api/games/${game.gameId}/codes`, undefined, bearer(player.token))).status,
    403,
  );
  assert.is(
    (await call(server.url, 'POST', `/api/games/${game.gameId}/codes/rotate`, undefined, bearer(player.token))).status,
    403,
  );
  const codes = await call<JoinCodes>(
    server.url,
    'GET',
    `/api/games/${game.gameId}/codes`,
    undefined,
    bearer(game.controlToken),
  );
  assert.equal(codes.body, game.codes);
  // A second White Cell member, seated with the White Cell code, reads the same codes.
  const wc2 = await join(server.url, game.codes.control, 'Second facilitator');
  assert.is(wc2.role, 'control');
  assert.equal(
    (await call(server.url, 'GET', `/api/games/${game.gameId}/codes`, undefined, bearer(wc2.token))).body,
    game.codes,
  );
});

test('rotated codes are refused from then on, and survive a restart; seats can be revoked with them', async () => {
  const keeper = await join(server.url, game.codes.teams.us, 'Keeper');
  const wc2 = await join(server.url, game.codes.control, 'Deputy');
  const rotated = await call<{ codes: JoinCodes; revoked: number }>(
    server.url,
    'POST',
    `/api/games/${game.gameId}/codes/rotate`,
    undefined,
    bearer(game.controlToken),
  );
  assert.is(rotated.status, 200);
  const fresh = rotated.body.codes;
  assert.is(rotated.body.revoked, 0);
  assert.not.equal(fresh, game.codes);
  for (const code of [game.codes.control, game.codes.observer, ...Object.values(game.codes.teams)]) {
    assert.equal((await call(server.url, 'POST', '/api/join', { code, name: 'Late' })).body, BAD_CODE);
  }
  assert.is((await call(server.url, 'POST', '/api/join', { code: fresh.teams.dprk, name: 'On time' })).status, 200);
  // Seats taken before the rotation keep working, and the deputy reads the new codes with its own token.
  await connect(keeper.token, 'keeper');
  assert.equal(
    (await call(server.url, 'GET', `/api/games/${game.gameId}/codes`, undefined, bearer(wc2.token))).body,
    fresh,
  );

  await server.restart();
  assert.equal(
    (await call(server.url, 'POST', '/api/join', { code: game.codes.teams.us, name: 'Late' })).body,
    BAD_CODE,
  );
  assert.equal(
    (await call(server.url, 'GET', `/api/games/${game.gameId}/codes`, undefined, bearer(game.controlToken))).body,
    fresh,
  );

  // Rotating with revokeSeats signs everyone else out: their sockets close and their tokens stop working.
  const victim = await connect(keeper.token, 'victim');
  const before = victim.received.length;
  const revoked = await call<{ codes: JoinCodes; revoked: number }>(
    server.url,
    'POST',
    `/api/games/${game.gameId}/codes/rotate`,
    { revokeSeats: true },
    bearer(game.controlToken),
  );
  assert.is(revoked.status, 200);
  assert.ok(revoked.body.revoked >= 5, `revoked ${revoked.body.revoked} seats`);
  await victim.until(() => !victim.connected, 'the revoked socket is closed');
  // Closed before the seats' leaving was recorded: not one patch of it reached a signed-out socket.
  assert.equal(
    victim.received.slice(before).filter((r) => r.event === 'patch'),
    [],
  );
  victim.close();
  for (const token of [keeper.token, wc2.token]) assert.is(await TestClient.refused(server.url, token), 'UNAUTHORIZED');
  assert.is(
    (await call(server.url, 'GET', `/api/games/${game.gameId}/codes`, undefined, bearer(wc2.token))).status,
    401,
  );
  const control = await connect(game.controlToken, 'control-after');
  const players = control.view!.control!.players;
  const seated = await control.waitFor(
    (v) => v.control!.players.filter((p) => p.seated).length === 1,
    'only the rotating White Cell still seated',
  );
  assert.equal(
    seated.control!.players.filter((p) => p.seated).map((p) => [p.role, p.name]),
    [['control', 'White Cell']],
  );
  assert.ok(players.length > 5);
});

test('a code can be previewed (exercise, seat) without seating anyone; a bad one gets the usual answer', async () => {
  const game = await createGame(server.url, 'tutorial', { title: 'Thursday seminar' });
  const p = await call(server.url, 'POST', '/api/join/preview', { code: game.codes.teams.rok });
  assert.is(p.status, 200);
  assert.equal(p.body, { title: 'Thursday seminar', role: 'team', team: 'rok', seatName: 'South Korea (ROK)' });
  const c = await call(server.url, 'POST', '/api/join/preview', { code: game.codes.control });
  assert.is((c.body as { seatName: string }).seatName, 'the White Cell');
  const bad = await call(server.url, 'POST', '/api/join/preview', { code: `${game.gameId}.${'a'.repeat(26)}` });
  assert.is(bad.status, 403);
  assert.equal(bad.body, BAD_CODE);
  const codes = await call<JoinCodes>(
    server.url,
    'GET',
    `/api/games/${game.gameId}/codes`,
    undefined,
    bearer(game.controlToken),
  );
  assert.is(codes.status, 200);
});

test('a join that asks for a kind of seat is refused with a code for another, and seats no one', async () => {
  const game = await createGame(server.url, 'tutorial', {});
  for (const code of [game.codes.teams.us, game.codes.control]) {
    const r = await call(server.url, 'POST', '/api/join', { code, name: 'Projector', role: 'observer' });
    assert.is(r.status, 409);
    assert.is((r.body as { error: { code: string } }).error.code, 'WRONG_SEAT');
  }
  const bad = await call(server.url, 'POST', '/api/join', {
    code: `${game.gameId}.${'a'.repeat(26)}`,
    name: 'Projector',
    role: 'observer',
  });
  assert.equal(bad.body, BAD_CODE, 'a wrong code answers as it always does');
  const board = await call(server.url, 'POST', '/api/join', {
    code: game.codes.observer,
    name: 'Projector',
    role: 'observer',
  });
  assert.is(board.status, 200);
  const control = await connect(game.controlToken, 'control-seats');
  const players = (await control.whole()).control!.players;
  assert.equal(
    players.filter((p) => p.name === 'Projector').map((p) => p.role),
    ['observer'],
    'only the observer seat was taken',
  );
});

test('joining again under the same name for the same seat takes that seat back: no second player', async () => {
  const game = await createGame(server.url, 'tutorial', {});
  const first = await call(server.url, 'POST', '/api/join', { code: game.codes.teams.jpn, name: 'Aiko' });
  const again = await call(server.url, 'POST', '/api/join', { code: game.codes.teams.jpn, name: ' aiko ' });
  const other = await call(server.url, 'POST', '/api/join', { code: game.codes.teams.jpn, name: 'Ken' });
  const sameNameOtherSeat = await call(server.url, 'POST', '/api/join', { code: game.codes.teams.rok, name: 'Aiko' });
  const ids = [first, again, other, sameNameOtherSeat].map((r) => {
    assert.is(r.status, 200);
    return (r.body as { playerId: string }).playerId;
  });
  assert.is(ids[1], ids[0], 'the returning player keeps the id');
  assert.is.not(ids[2], ids[0], 'another name is another player');
  assert.is.not(ids[3], ids[0], 'the same name on another team is another player');
});

test('the White Cell removes a player: their token stops working and the seat is left; no one else may', async () => {
  const game = await createGame(server.url, 'tutorial', {});
  const keep = await join(server.url, game.codes.teams.us, 'Keeper');
  const ghost = await join(server.url, game.codes.teams.us, 'Ghost');
  const path = (id: string) => `/api/games/${game.gameId}/players/${id}/remove`;
  const byTeam = await call(server.url, 'POST', path(ghost.playerId), {}, bearer(keep.token));
  assert.is(byTeam.status, 403, 'a team seat may not remove anyone');
  const res = await call(server.url, 'POST', path(ghost.playerId), {}, bearer(game.controlToken));
  assert.is(res.status, 200);
  assert.is(await TestClient.refused(server.url, ghost.token), 'UNAUTHORIZED');
  const wc = await connect(game.controlToken, 'wc-remove');
  await wc.until(
    () => wc.view?.control?.players.find((p) => p.id === ghost.playerId)?.seated === false,
    'the removed player has left the seat',
  );
  assert.is((await call(server.url, 'POST', path(ghost.playerId), {}, bearer(game.controlToken))).status, 404);
  assert.is((await call(server.url, 'POST', path('nobody'), {}, bearer(game.controlToken))).status, 404);
  await connect(keep.token, 'keeper'); // the other player is untouched
});

test.run();
