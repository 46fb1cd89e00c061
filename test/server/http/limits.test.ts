// Every edge has a limit, each answering its documented error; per-address limits see the client behind a trusted
// proxy, never an address the client wrote itself; and every page carries the security headers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TestClient } from '../../helpers/client.ts';
import { call, join } from '../../helpers/http.ts';
import { startServer } from '../../helpers/spawn-server.ts';
import type { CreateGameResult } from '../../../shared/protocol.ts';

const KEY = 'organizer-key-for-tests';
const create = (url: string, headers: Record<string, string> = {}) =>
  call<CreateGameResult & { error?: { code: string } }>(url, 'POST', '/api/games', { scenario: 'tutorial' }, headers);
const auth = { authorization: `Bearer ${KEY}` };

test('creation needs the organizer key, limited per address behind a trusted proxy; headers; /metrics', async () => {
  const server = await startServer({
    env: { CREATE_KEY: KEY, CREATE_RATE: '3', TRUST_PROXY: 'loopback', LOG_LEVEL: 'warn' },
  });
  try {
    const none = await create(server.url);
    assert.is(none.status, 401);
    assert.is(none.body.error?.code, 'CREATE_KEY_REQUIRED');
    assert.is((await create(server.url, { authorization: 'Bearer wrong-key-of-same-size!' })).status, 401);
    const from = (ip: string) => ({ ...auth, 'x-forwarded-for': ip });
    for (let i = 0; i < 3; i++) assert.is((await create(server.url, from('203.0.113.7'))).status, 201);
    const fourth = await create(server.url, from('203.0.113.7'));
    assert.is(fourth.status, 429);
    assert.is(fourth.body.error?.code, 'TOO_MANY_REQUESTS');
    // Prepending a made-up hop does not make a new client: the right-most untrusted hop is the address.
    assert.is((await create(server.url, from('198.51.100.1, 203.0.113.7'))).status, 429);
    // Another client behind the same proxy has its own budget.
    assert.is((await create(server.url, from('203.0.113.8'))).status, 201);
    // A seminar's cells are games: the same key and the same budget, a game a cell.
    const cohort = (headers: Record<string, string>, cells = 2) =>
      call<{ error?: { code: string } }>(server.url, 'POST', '/api/cohorts', { scenario: 'tutorial', cells }, headers);
    assert.is((await cohort({ 'x-forwarded-for': '203.0.113.20' })).status, 401, 'no key, no seminar');
    assert.is((await cohort({ ...auth, 'x-forwarded-for': '203.0.113.20' })).body.error?.code, undefined);
    // Two cells left one game's worth of budget: a seminar of five goes through on it, and leaves the address in debt.
    assert.is((await cohort(from('203.0.113.20'), 5)).status, 201);
    assert.is((await cohort(from('203.0.113.20'), 1)).status, 429);
    assert.is((await create(server.url, from('203.0.113.20'))).status, 429, 'games and cells share the budget');
    assert.match(await server.logged(/"ip":"203\.0\.113\.7"/), /"ip":"203\.0\.113\.7"/);
    // Security headers on every page.
    // Express's own 404 page (an unbuilt client's deep link) sets a stricter policy still: default-src 'none'.
    const notFound = await fetch(`${server.url}/no/such/page.txt`);
    assert.match(notFound.headers.get('content-security-policy') ?? '', /default-src '(none|self)'/);
    assert.is(notFound.headers.get('x-content-type-options'), 'nosniff');
    for (const path of ['/', '/api/scenarios', '/healthz', '/api/nope']) {
      const res = await fetch(`${server.url}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, "default-src 'self'", path);
      assert.match(csp, "frame-ancestors 'none'", path);
      assert.not.match(csp, "script-src 'self' 'unsafe-inline'", path);
      assert.is(res.headers.get('x-frame-options'), 'DENY', path);
      assert.is(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.is(res.headers.get('referrer-policy'), 'no-referrer', path);
    }
    // Asked directly on loopback (Prometheus on the host): yes. Through a balancer: no.
    assert.is((await fetch(`${server.url}/metrics`)).status, 200);
    assert.is((await fetch(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status, 401);
    // The machine's LAN addresses (the start page's hint on localhost) go to this machine alone.
    const through = await fetch(`${server.url}/api/address`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    assert.equal((await through.json()).lan, []);
    const here = (await (await fetch(`${server.url}/api/address`)).json()) as { lan: string[] };
    assert.ok(Array.isArray(here.lan));
  } finally {
    await server.destroy();
  }
});

test('wrong join codes back off per address with 429; a code gives out a limited number of seats', async () => {
  const server = await startServer({ env: { JOIN_FAILURES: '3', SEATS_PER_CODE: '2', TRUST_PROXY: 'loopback' } });
  try {
    const game = (await create(server.url)).body;
    const joinAs = (ip: string, code: string, name: string) =>
      call<{ error: { code: string } }>(server.url, 'POST', '/api/join', { code, name }, { 'x-forwarded-for': ip });
    const wrong = `${game.gameId}.${'a'.repeat(26)}`;
    for (let i = 0; i < 3; i++) assert.is((await joinAs('203.0.113.5', wrong, 'M')).status, 403);
    const locked = await joinAs('203.0.113.5', game.codes.teams.us, 'M');
    assert.is(locked.status, 429, 'even a right code waits once the wrong guesses are spent');
    assert.is(locked.body.error.code, 'TOO_MANY_REQUESTS');
    assert.is((await joinAs('203.0.113.6', game.codes.observer, 'o1')).status, 200, 'others are not locked out');
    assert.is((await joinAs('203.0.113.6', game.codes.observer, 'o2')).status, 200);
    const third = await joinAs('203.0.113.6', game.codes.observer, 'o3');
    assert.is(third.status, 409);
    assert.is(third.body.error.code, 'CODE_FULL');
    // Wrong cohort codes spend from the same budget of guesses.
    const cohortJoin = (ip: string, code: string) =>
      call<{ error: { code: string } }>(
        server.url,
        'POST',
        '/api/cohorts/join',
        { code, name: 'M' },
        {
          'x-forwarded-for': ip,
        },
      );
    for (let i = 0; i < 3; i++) assert.is((await cohortJoin('203.0.113.30', 'c'.repeat(30))).status, 403);
    assert.is((await cohortJoin('203.0.113.30', 'c'.repeat(30))).status, 429);
    assert.is((await joinAs('203.0.113.30', game.codes.teams.us, 'M')).status, 429, 'and lock game codes too');
    // Guesses sent all at once spend the budget as one after another would: each reads what the last one left.
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) => joinAs('203.0.113.40', `${wrong.slice(0, -2)}${i}b`, 'M')),
    );
    assert.equal(
      burst.map((r) => r.status).sort(),
      [403, 403, 403, 429, 429, 429, 429, 429],
      'three wrong guesses, then refusals',
    );
    // And short codes, which cost the server a slow hash each, likewise.
    const preview = (code: string) =>
      call<{ error: { code: string } }>(
        server.url,
        'POST',
        '/api/join/preview',
        { code },
        {
          'x-forwarded-for': '203.0.113.41',
        },
      );
    const shorts = await Promise.all(Array.from({ length: 8 }, (_, i) => preview(`AAAA-BBBB-CCC${i}`)));
    assert.equal(shorts.map((r) => r.status).sort(), [403, 403, 403, 429, 429, 429, 429, 429]);
  } finally {
    await server.destroy();
  }
});

test('sockets per seat are capped, and chat is budgeted per seat whatever the number of its sockets', async () => {
  const server = await startServer({
    env: { SOCKETS_PER_SEAT: '2', CHAT_RATE: '1', CHAT_BURST: '3', CHAT_PER_CHANNEL: '4' },
  });
  const clients: TestClient[] = [];
  try {
    const game = (await create(server.url)).body;
    const { token } = await join(server.url, game.codes.teams.us, 'A');
    clients.push(await TestClient.connect(server.url, token, 'a1'), await TestClient.connect(server.url, token, 'a2'));
    assert.is(await TestClient.refused(server.url, token), 'TOO_MANY_SOCKETS');
    const post = (c: TestClient, i: number, text = `line ${i}`) =>
      c.command({ type: 'chat.post', channel: 'plenary', text });
    const acks = [];
    for (let i = 0; i < 6; i++) acks.push(await post(clients[i % 2], i));
    assert.is(acks.filter((a) => a.ok).length, 3, 'three lines for the seat, not three per socket');
    assert.ok(acks.slice(3).every((a) => !a.ok && a.error.code === 'RATE_LIMITED'));
    // A second game, and a cap of four lines a channel: the fifth is refused whoever posts it.
    const other = (await create(server.url)).body;
    const wc = await TestClient.connect(server.url, other.controlToken, 'wc');
    const us = await TestClient.connect(server.url, (await join(server.url, other.codes.teams.us, 'B')).token, 'b');
    const dprk = await TestClient.connect(server.url, (await join(server.url, other.codes.teams.dprk, 'C')).token, 'c');
    const dprk2 = await TestClient.connect(
      server.url,
      (await join(server.url, other.codes.teams.dprk, 'D')).token,
      'd',
    );
    clients.push(wc, us, dprk, dprk2);
    // (Each seat has a burst of three lines, so the lines are spread over the seats.)
    const say = (c: TestClient, channel: string, text: string) => c.command({ type: 'chat.post', channel, text });
    for (const text of ['one', 'two']) assert.ok((await post(wc, 0, text)).ok);
    assert.ok((await post(dprk, 0, 'three')).ok);
    assert.ok((await post(us, 0, 'four')).ok);
    const full = await post(us, 0, 'five');
    assert.is(!full.ok && full.error.code, 'CHAT_FULL');
    // A full plenary silences neither the White Cell's announcements nor a team's own channels, and a channel the
    // poster cannot read answers as unknown, full or not: its length is not the poster's to learn.
    assert.ok((await say(wc, 'announcements', 'still heard')).ok);
    for (const text of ['a', 'b']) assert.ok((await say(dprk, 'team:dprk', text)).ok);
    for (const text of ['c', 'd']) assert.ok((await say(dprk2, 'team:dprk', text)).ok);
    const dprkFull = await say(dprk2, 'team:dprk', 'e');
    assert.is(!dprkFull.ok && dprkFull.error.code, 'CHAT_FULL');
    const hidden = await say(us, 'team:dprk', 'peek');
    assert.is(!hidden.ok && hidden.error.code, 'UNKNOWN_CHANNEL');
  } finally {
    for (const c of clients) c.close();
    await server.destroy();
  }
});

test('/metrics is not public with a token configured', async () => {
  const tokened = await startServer({ env: { METRICS_TOKEN: 'metrics-secret' } });
  try {
    assert.is((await fetch(`${tokened.url}/metrics`)).status, 401);
    const ok = await fetch(`${tokened.url}/metrics`, { headers: { authorization: 'Bearer metrics-secret' } });
    assert.is(ok.status, 200);
    assert.match(await ok.text(), /flywheel_games_loaded/);
  } finally {
    await tokened.destroy();
  }
});

test.run();
