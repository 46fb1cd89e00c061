// Short join codes end to end over HTTP: they seat like the long ones on the file store and on Redis (across two
// processes sharing it, and after a restart), rotation retires them, and wrong ones answer like any wrong code and
// spend the same per-address budget, in /api/join and /api/join/preview alike.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatShortCode, normaliseShortCode, shortCodeFromBytes } from '../../../shared/join-code.ts';
import type { CreateGameResult, JoinCodes, JoinPreview, JoinResult } from '../../../shared/protocol.ts';
import { FileStore } from '../../../server/store/file-store.ts';
import { RedisStore } from '../../../server/store/redis-store.ts';
import { call } from '../../helpers/http.ts';
import { startLobbyApp, type LobbyApp } from '../../helpers/lobby-app.ts';
import { startRedis } from '../../helpers/redis-server.ts';

const BAD_CODE = { error: { code: 'BAD_CODE', message: 'That join code is not valid' } };
const SHORT = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

const create = async (app: LobbyApp) => {
  const r = await call<CreateGameResult>(app.url, 'POST', '/api/games', { scenario: 'tutorial' });
  if (r.status !== 201) throw new Error(`create: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
};
const joinAs = (app: LobbyApp, code: string, name: string, ip = '198.51.100.1') =>
  call<JoinResult & typeof BAD_CODE>(app.url, 'POST', '/api/join', { code, name }, { 'x-forwarded-for': ip });
const preview = (app: LobbyApp, code: string, ip = '198.51.100.1') =>
  call<JoinPreview & typeof BAD_CODE>(app.url, 'POST', '/api/join/preview', { code }, { 'x-forwarded-for': ip });
const codesOf = (app: LobbyApp, game: CreateGameResult, token = game.controlToken) =>
  call<JoinCodes>(app.url, 'GET', `/api/games/${game.gameId}/codes`, undefined, { authorization: `Bearer ${token}` });
const rotate = (app: LobbyApp, game: CreateGameResult) =>
  call<{ codes: JoinCodes }>(
    app.url,
    'POST',
    `/api/games/${game.gameId}/codes/rotate`,
    {},
    {
      authorization: `Bearer ${game.controlToken}`,
    },
  );
/** How a person might type a code read out to them: lower case, blanks for hyphens, O for 0 and L for 1. */
const sloppy = (code: string) => code.toLowerCase().replaceAll('-', ' ').replaceAll('0', 'O').replaceAll('1', 'l');
/** A well-formed short code that (with odds of 2^-60 against) leads nowhere. */
const madeUp = () => formatShortCode(shortCodeFromBytes(randomBytes(8)));

function shortCodesOf(codes: JoinCodes): string[] {
  const s = codes.short!;
  return [s.control, s.observer, ...Object.values(s.teams)];
}

test('file store: every seat has a short code that joins, previews, survives a restart and is not stored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-short-'));
  let app = await startLobbyApp(new FileStore(dir));
  try {
    const game = await create(app);
    const short = game.codes.short!;
    const all = shortCodesOf(game.codes);
    assert.is(all.length, 2 + Object.keys(game.codes.teams).length);
    for (const code of all) assert.match(code, SHORT);
    assert.is(new Set(all).size, all.length);
    assert.equal(Object.keys(short.teams), Object.keys(game.codes.teams));
    // The White Cell reads the same short codes back.
    assert.equal((await codesOf(app, game)).body, game.codes);

    const [team, code] = Object.entries(short.teams)[0];
    const seen = await preview(app, sloppy(code));
    assert.is(seen.status, 200);
    assert.is(seen.body.team, team);
    const joined = await joinAs(app, sloppy(code), 'Alice');
    assert.is(joined.status, 200, JSON.stringify(joined.body));
    assert.is(joined.body.role, 'team');
    assert.is(joined.body.team, team);
    assert.is(joined.body.gameId, game.gameId);
    // The White Cell's short code seats a member who can read the codes, like the long one.
    const deputy = await joinAs(app, short.control, 'Deputy');
    assert.is(deputy.body.role, 'control');
    assert.equal((await codesOf(app, game, deputy.body.token)).body, game.codes);
    assert.is((await joinAs(app, short.observer, 'Olga')).body.role, 'observer');

    // A restart (a new store on the same directory) still finds every short code.
    await app.close();
    app = await startLobbyApp(new FileStore(dir));
    assert.is((await joinAs(app, code, 'Bob')).body.team, team);

    // Nothing in the data directory gives a short code away.
    const stored = readdirSync(join(dir, 'games'))
      .map((f) => f + readFileSync(join(dir, 'games', f), 'utf8'))
      .join('\n');
    for (const c of all) assert.not.ok(stored.includes(normaliseShortCode(c)!), `${c} is stored in the clear`);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file store: rotation replaces the short codes, and the old ones are refused', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-short-'));
  const app = await startLobbyApp(new FileStore(dir));
  try {
    const game = await create(app);
    const rotated = await rotate(app, game);
    assert.is(rotated.status, 200);
    const fresh = shortCodesOf(rotated.body.codes);
    for (const [i, old] of shortCodesOf(game.codes).entries()) {
      assert.not.ok(fresh.includes(old));
      // One address per old code: this test is about rotation, not about the wrong-guess budget.
      const refused = await joinAs(app, old, 'Late', `192.0.2.${i + 1}`);
      assert.is(refused.status, 403);
      assert.equal(refused.body, BAD_CODE);
      assert.equal((await preview(app, old, `192.0.2.${i + 1}`)).body, BAD_CODE);
    }
    assert.is((await joinAs(app, rotated.body.codes.short!.observer, 'On time')).status, 200);
    assert.equal((await codesOf(app, game)).body, rotated.body.codes);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('redis store: a short code made by one process joins on another; rotation there retires it here', async () => {
  const redis = await startRedis();
  const a = await startLobbyApp(new RedisStore(redis.url, { prefix: 'short:' }), { shared: true });
  const b = await startLobbyApp(new RedisStore(redis.url, { prefix: 'short:' }), { shared: true });
  try {
    const game = await create(a);
    const [team, code] = Object.entries(game.codes.short!.teams)[0];
    const joined = await joinAs(b, sloppy(code), 'Alice');
    assert.is(joined.status, 200, JSON.stringify(joined.body));
    assert.is(joined.body.team, team);
    assert.is((await preview(b, game.codes.short!.control)).body.role, 'control');

    const rotated = await rotate(b, game);
    assert.is(rotated.status, 200);
    assert.equal((await joinAs(a, code, 'Late')).body, BAD_CODE);
    assert.is((await joinAs(a, rotated.body.codes.short!.teams[team], 'On time')).body.team, team);
  } finally {
    await a.close();
    await b.close();
    await redis.destroy();
  }
});

test('wrong short codes all answer BAD_CODE and spend the per-address budget, in join and preview alike', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-short-'));
  const app = await startLobbyApp(new FileStore(dir), { env: { JOIN_FAILURES: '3' } });
  try {
    const game = await create(app);
    const right = game.codes.short!.observer;
    // Made-up codes, malformed ones and a right code moved by one character: the same answer.
    const last = right.at(-1) === 'Z' ? 'Y' : 'Z';
    for (const wrong of [madeUp(), `${right.slice(0, -1)}${last}`, 'ABCD-EFGH-JKMU']) {
      const res = await joinAs(app, wrong, 'Mallory', '203.0.113.5');
      assert.is(res.status, 403, wrong);
      assert.equal(res.body, BAD_CODE);
    }
    const locked = await joinAs(app, right, 'Mallory', '203.0.113.5');
    assert.is(locked.status, 429, 'once the wrong guesses are spent, even a right code waits');
    assert.is((locked.body as unknown as typeof BAD_CODE).error.code, 'TOO_MANY_REQUESTS');
    assert.is((await preview(app, right, '203.0.113.5')).status, 429, 'and so does the preview');

    // The preview spends the same budget: it is no way round the limit.
    for (let i = 0; i < 3; i++) {
      const res = await preview(app, madeUp(), '203.0.113.6');
      assert.is(res.status, 403);
      assert.equal(res.body, BAD_CODE);
    }
    assert.is((await preview(app, right, '203.0.113.6')).status, 429);
    assert.is((await joinAs(app, right, 'Oscar', '203.0.113.6')).status, 429);

    // Another address is not locked out, and right answers spend nothing.
    for (let i = 0; i < 5; i++) assert.is((await preview(app, right, '203.0.113.7')).status, 200);
    assert.is((await joinAs(app, right, 'Olga', '203.0.113.7')).status, 200);
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
