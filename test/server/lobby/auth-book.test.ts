// Auth records: codes and tokens are checked against hashes; nothing stored lets anyone join; rotation, revocation
// and a second process issuing seats.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AuthBook, parseCode, parseToken } from '../../../server/lobby/auth-book.ts';
import { MemoryBacking, MemoryStore } from '../../../server/store/memory-store.ts';

const GAME = 'g0000000000a';
const TEAMS = ['us', 'dprk'];

async function book(backing = new MemoryBacking()) {
  const auth = new AuthBook(new MemoryStore(backing));
  const created = await auth.create(GAME, TEAMS, { playerId: 'wc', name: 'Control' });
  return { auth, backing, ...created };
}

test('codes and tokens embed the game id and at least 128 bits of secret', async () => {
  const { controlToken, codes } = await book();
  for (const code of [codes.control, codes.observer, ...Object.values(codes.teams)]) {
    assert.ok(code.startsWith(`${GAME}.`));
    assert.is(code.length - GAME.length - 1, 26);
    assert.equal(parseCode(code), { gameId: GAME, raw: code });
  }
  assert.equal(parseToken(controlToken)?.gameId, GAME);
  assert.is(new Set([codes.control, codes.observer, ...Object.values(codes.teams)]).size, 4);
});

test('the store holds no code and no token, only hashes and sealed keys', async () => {
  const { auth, backing, controlToken, codes } = await book();
  const seat = await auth.redeem(parseCode(codes.teams.us)!, 'Alice', 'p1');
  const stored = JSON.stringify([...backing.logs.values()]);
  for (const secret of [controlToken, seat!.token, codes.control, codes.observer, ...Object.values(codes.teams)]) {
    assert.not.ok(stored.includes(secret.split('.')[1]), 'a secret is stored in the clear');
  }
});

test('a code seats its role; a token holds its seat; wrong ones hold nothing', async () => {
  const { auth, codes, controlToken } = await book();
  const us = await auth.redeem(parseCode(codes.teams.us)!, 'Alice', 'p1');
  assert.equal(us!.seat, { gameId: GAME, playerId: 'p1', name: 'Alice', role: 'team', team: 'us' });
  assert.equal(await auth.verifyToken(parseToken(us!.token)!), us!.seat);
  assert.equal((await auth.verifyToken(parseToken(controlToken)!))?.role, 'control');
  assert.is(await auth.verifyToken(parseToken(`${GAME}.${'0'.repeat(26)}`)!), null);
  assert.is(await auth.redeem(parseCode(`${GAME}.${'a'.repeat(26)}`)!, 'Mallory', 'p2'), null);
  assert.is(await auth.codes(parseToken(us!.token)!), 'forbidden');
});

test('rotation refuses old codes, keeps seats unless asked, and any White Cell member can read the codes', async () => {
  const { auth, codes, controlToken } = await book();
  const deputy = await auth.redeem(parseCode(codes.control)!, 'Deputy', 'wc2');
  const player = await auth.redeem(parseCode(codes.teams.dprk)!, 'Kim', 'p1');
  assert.equal(await auth.codes(parseToken(deputy!.token)!), codes);
  const rotated = await auth.rotate(parseToken(controlToken)!, false);
  if (!rotated || rotated === 'forbidden') throw new Error(`rotation refused: ${rotated}`);
  assert.is(await auth.redeem(parseCode(codes.teams.us)!, 'Late', 'p3'), null);
  assert.ok(await auth.redeem(parseCode(rotated.codes.teams.us)!, 'On time', 'p4'));
  assert.equal(await auth.codes(parseToken(deputy!.token)!), rotated.codes);
  assert.ok(await auth.verifyToken(parseToken(player!.token)!));
  // A White Cell member who joins after the rotation opens the codes with the new White Cell code.
  const late = await auth.redeem(parseCode(rotated.codes.control)!, 'Late deputy', 'wc3');
  assert.equal(await auth.codes(parseToken(late!.token)!), rotated.codes);

  const revoked = await auth.rotate(parseToken(controlToken)!, true);
  assert.ok(revoked && revoked !== 'forbidden' && revoked.revoked.length === 4);
  for (const t of [deputy!.token, player!.token, late!.token]) assert.is(await auth.verifyToken(parseToken(t)!), null);
  assert.ok(await auth.verifyToken(parseToken(controlToken)!));
});

test('a seat issued by another process is found; concurrent writers do not lose each other', async () => {
  const { backing, codes } = await book();
  const a = new AuthBook(new MemoryStore(backing));
  const b = new AuthBook(new MemoryStore(backing));
  const issued = await Promise.all(
    Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).redeem(parseCode(codes.teams.us)!, `P${i}`, `p${i}`)),
  );
  for (const x of issued) {
    assert.ok(x);
    assert.ok(await a.verifyToken(parseToken(x!.token)!));
    assert.ok(await b.verifyToken(parseToken(x!.token)!));
  }
});

test('rename and move change every token of the player, durably; a seat away from control loses the codes key', async () => {
  const { auth, backing, codes, controlToken } = await book();
  const wc = parseToken(controlToken)!;
  const first = await auth.redeem(parseCode(codes.teams.us)!, 'Alice', 'p1');
  const again = await auth.redeem(parseCode(codes.teams.us)!, 'alice', 'p9', () => 'p1');
  assert.is(again!.seat.playerId, 'p1', 'one player, two tokens');
  assert.equal(await auth.renamePlayer(wc, 'p1', 'Alicia'), {
    gameId: GAME,
    playerId: 'p1',
    name: 'Alicia',
    role: 'team',
    team: 'us',
  });
  const moved = await auth.movePlayer(wc, 'p1', { role: 'team', team: 'dprk' });
  assert.ok(typeof moved === 'object' && moved?.moved);
  // A second process reading the same store sees both tokens on the new seat, under the new name.
  const other = new AuthBook(new MemoryStore(backing));
  for (const token of [first!.token, again!.token])
    assert.equal(await other.verifyToken(parseToken(token)!), {
      gameId: GAME,
      playerId: 'p1',
      name: 'Alicia',
      role: 'team',
      team: 'dprk',
    });
  assert.is(await auth.renamePlayer(parseToken(first!.token)!, 'wc', 'X'), 'forbidden');
  assert.is(await auth.movePlayer(wc, 'nobody', { role: 'observer', team: null }), 'unknown');
  // A second White Cell member with the key lets the creator step away; the creator then holds no key.
  await auth.redeem(parseCode(codes.control)!, 'Deputy', 'wc2');
  assert.ok(typeof (await auth.movePlayer(wc, 'wc', { role: 'observer', team: null })) === 'object');
  assert.is(await auth.codes(wc), 'forbidden');
  assert.is((await auth.verifyToken(wc))?.role, 'observer');
});

test('malformed codes and tokens are not even looked up (codes forgive only case and blanks)', () => {
  assert.equal(parseCode(` ${GAME.toUpperCase()}.${'A'.repeat(26)} `), {
    gameId: GAME,
    raw: `${GAME}.${'a'.repeat(26)}`,
  });
  for (const bad of [
    undefined,
    null,
    42,
    '',
    'x',
    `${GAME}`,
    `${GAME}.`,
    `${GAME}.${'1'.repeat(26)}`,
    `${GAME}.${'a'.repeat(27)}`,
    'a'.repeat(100),
  ]) {
    assert.is(parseCode(bad), null, String(bad));
  }
  for (const bad of [
    undefined,
    42,
    '',
    `${GAME}.${'A'.repeat(26)}`,
    `${GAME}.${'a'.repeat(25)}`,
    `../${GAME}.${'a'.repeat(26)}`,
  ]) {
    assert.is(parseToken(bad), null, String(bad));
  }
});

test.run();
