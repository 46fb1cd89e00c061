// Thousands of random and malformed REST requests (fast-check, pinned seed): each gets a 4xx with the error body,
// the server stays up, and an existing game's version and views are unchanged.
import { connect } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { TestClient } from '../../helpers/client.ts';
import { call, createGame, join } from '../../helpers/http.ts';
import { startServer, type SpawnedServer } from '../../helpers/spawn-server.ts';

const SEED = 424242;
const RUNS = 2000;

let server: SpawnedServer;
let control: TestClient;
let gameId: string;
let playerToken: string;

test.before(async () => {
  server = await startServer();
  const game = await createGame(server.url, 'tutorial', { seed: 'rest-fuzz' });
  gameId = game.gameId;
  control = await TestClient.connect(server.url, game.controlToken, 'control');
  playerToken = (await join(server.url, game.codes.teams.us, 'Player')).token;
  await control.waitFor((v) => v.teams.find((t) => t.id === 'us')!.players === 1, 'the player is seated');
});

test.after(async () => {
  control?.close();
  await server?.destroy();
});

const validBodies = [
  { scenario: 'tutorial', options: { rounds: 3 } },
  { scenario: 'tutorial', options: { phases: { negotiation: 60 }, seed: 'x', autoApprove: true, variants: {} } },
  { code: 'abcdefghijkl.abcdefghijklmnopqrstuvwxyz', name: 'Someone' },
];

/** Bodies that cannot be valid: extra keys, wrong types, out-of-range values, or not an object at all. */
const bodies = fc.oneof(
  fc.anything(),
  fc.jsonValue(),
  fc
    .tuple(
      fc.constantFrom(...validBodies),
      fc.string({ minLength: 1, maxLength: 10 }).filter((k) => !['scenario', 'options', 'code', 'name'].includes(k)),
      fc.jsonValue(),
    )
    .map(([b, k, v]) => ({ ...b, [k]: v })),
  fc.constantFrom(...validBodies).map((b) => ({ ...b, options: { rounds: 0 } })),
  fc.constantFrom(...validBodies).map((b) => ({ ...b, options: { phases: { negotiation: -1 } } })),
  fc.constantFrom(...validBodies).map((b) => ({ ...b, options: { variants: { us: 'nonexistent' } } })),
  fc.constantFrom(...validBodies).map((b) => ({ ...b, scenario: 'no-such-scenario' })),
  fc.constantFrom(...validBodies).map((b) => ({ ...b, name: 'n'.repeat(41) })),
);

type Request = { method: string; path: string; body?: string; contentType?: string; auth?: string };

const paths = fc.oneof(
  fc.constantFrom('/api/games', '/api/join', `/api/games/GAME/codes`, `/api/games/GAME/codes/rotate`, '/api/scenarios'),
  // (No dots: fetch would resolve "/api/.." to "/", the client app, which is not an error.)
  fc
    .string({ maxLength: 20 })
    .filter((s) => !s.includes('.'))
    .map((s) => `/api/${encodeURIComponent(s)}`),
  fc
    .string({ maxLength: 20 })
    .filter((s) => !s.includes('.'))
    .map((s) => `/api/games/${encodeURIComponent(s)}/codes`),
);

const requests: fc.Arbitrary<Request> = fc.oneof(
  // JSON bodies to the POST routes; the codes routes get tokens that are wrong in one way or another.
  fc.record({
    method: fc.constant('POST'),
    path: fc.constantFrom('/api/games', '/api/join', '/api/games/GAME/codes/rotate'),
    body: bodies.map((b) => JSON.stringify(b) ?? 'null'),
    contentType: fc.constant('application/json'),
    auth: fc.constantFrom(
      '',
      'Bearer ',
      'Bearer PLAYER',
      'Bearer GAME.aaaaaaaaaaaaaaaaaaaaaaaaaa',
      'Basic abc',
      'Bearer x.y.z',
    ),
  }),
  // Not JSON at all, or JSON sent as something else.
  fc.record({
    method: fc.constant('POST'),
    path: fc.constantFrom('/api/games', '/api/join'),
    body: fc.oneof(
      fc.string({ maxLength: 200 }).map((s) => `{${s}`),
      fc.string({ maxLength: 200 }),
    ),
    contentType: fc.constantFrom(
      'application/json',
      'text/plain',
      'application/x-www-form-urlencoded',
      'application/json; charset=latin1',
    ),
  }),
  // Unknown routes and methods under /api.
  fc
    .record({ method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'), path: paths })
    .filter((r) => !(r.method === 'GET' && r.path === '/api/scenarios')),
  // The White Cell routes with every kind of bad token.
  fc.record({
    method: fc.constantFrom('GET', 'POST'),
    path: fc.constantFrom('/api/games/GAME/codes', '/api/games/GAME/codes/rotate'),
    auth: fc.oneof(
      fc.string({ maxLength: 80 }).map((s) => `Bearer ${s}`),
      fc.constant('Bearer PLAYER'),
      fc.constant(undefined as unknown as string),
    ),
  }),
);

function fill(s: string | undefined): string | undefined {
  return s?.replaceAll('GAME', gameId).replaceAll('PLAYER', playerToken);
}

async function state() {
  const ack = await control.resync();
  assert.ok(ack.ok);
  return ack.ok ? JSON.stringify({ version: ack.version, view: ack.view }) : '';
}

test('random and malformed REST requests each get an error, and change nothing', async () => {
  const before = await state();
  const statuses = new Map<number, number>();
  try {
    await fc.assert(
      fc.asyncProperty(requests, async (r) => {
        const headers: Record<string, string> = {};
        if (r.contentType) headers['content-type'] = r.contentType;
        const auth = fill(r.auth);
        if (auth) headers.authorization = auth;
        let res: Response;
        try {
          res = await fetch(`${server.url}${fill(r.path)}`, {
            method: r.method,
            headers,
            body: r.method === 'GET' ? undefined : fill(r.body),
          });
        } catch (err) {
          // fetch itself refuses some header values (control characters); nothing reached the server.
          if (err instanceof TypeError) return;
          throw err;
        }
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        assert.ok(
          res.status >= 400 && res.status < 500,
          `${r.method} ${r.path} -> ${res.status} ${text.slice(0, 200)}`,
        );
        if (fill(r.path)!.startsWith('/api')) {
          const body = JSON.parse(text) as { error: { code: string; message: string } };
          assert.type(body.error.code, 'string');
          assert.type(body.error.message, 'string');
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  } catch (err) {
    console.error(`fast-check seed ${SEED} (${RUNS} runs) failed`);
    throw err;
  }
  console.log(
    `  ${RUNS} random REST requests (seed ${SEED}); statuses: ${JSON.stringify(Object.fromEntries(statuses))}`,
  );
  assert.is((await call(server.url, 'GET', '/healthz')).status, 200);
  assert.is(await state(), before, 'the game is unchanged');
});

test('bodies over 64 KB are refused with 413', async () => {
  const res = await call(server.url, 'POST', '/api/join', { code: 'x'.repeat(70 * 1024), name: 'big' });
  assert.is(res.status, 413);
  assert.equal(res.body, { error: { code: 'PAYLOAD_TOO_LARGE', message: 'The body is too large' } });
});

test('malformed JSON is refused with 400 BAD_JSON', async () => {
  const res = await call(server.url, 'POST', '/api/games', '{"scenario": "tutorial",');
  assert.is(res.status, 400);
  assert.equal(res.body, { error: { code: 'BAD_JSON', message: 'The body is not valid JSON' } });
});

test('a key named __proto__ is refused, not quietly dropped', async () => {
  const body = '{"scenario": "tutorial", "options": {"variants": {"__proto__": "hawk"}}}';
  const res = await call(server.url, 'POST', '/api/games', body);
  assert.is(res.status, 400);
  assert.equal(res.body, {
    error: { code: 'BAD_REQUEST', message: 'options.variants.__proto__: a key may not be named "__proto__"' },
  });
});

test('a body nested thousands deep, under the size limit, is a 400, not a 500', async () => {
  const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
  const res = await call(
    server.url,
    'POST',
    '/api/games',
    `{"scenario": "tutorial", "options": {"variants": ${deep}}}`,
  );
  assert.is(res.status, 400);
  const body = res.body as { error: { code: string; message: string } };
  assert.is(body.error.code, 'BAD_REQUEST');
  assert.ok(body.error.message.endsWith('nested more than 32 levels deep'), body.error.message);
});

test('a name with nothing visible, a line break or a control in it is refused at join', async () => {
  const game = await createGame(server.url, 'tutorial', {});
  for (const name of ['\u200b', 'a\nb', '\u0000', '\u202eevil', '\ud800']) {
    const res = await call(server.url, 'POST', '/api/join', { code: game.codes.teams.us, name });
    assert.is(res.status, 400, JSON.stringify(name));
  }
  const ok = await call(server.url, 'POST', '/api/join', { code: game.codes.teams.us, name: '김민준' });
  assert.is(ok.status, 200);
});

test("headers or a query string past the parser's limit, or a request that is not HTTP, get the error body", async () => {
  const long = await call(server.url, 'GET', `/api/bots/strategies?scenario=${'x'.repeat(20 * 1024)}`);
  assert.is(long.status, 431);
  assert.equal(long.body, {
    error: { code: 'HEADERS_TOO_LARGE', message: 'The request headers, or the address with its query, are too large' },
  });
  const header = await call(server.url, 'GET', '/api/scenarios', undefined, { 'x-filler': 'y'.repeat(20 * 1024) });
  assert.is(header.status, 431);
  assert.is((header.body as { error: { code: string } }).error.code, 'HEADERS_TOO_LARGE');
  // Not HTTP at all, over a bare connection.
  const raw = await new Promise<string>((resolve, reject) => {
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1', () => socket.write('HELLO there\r\n\r\n'));
    let text = '';
    socket.on('data', (d) => (text += d));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
  assert.match(raw, /^HTTP\/1\.1 400 Bad Request\r\n/);
  assert.match(raw, /content-type: application\/json/i);
  assert.ok(raw.endsWith('{"error":{"code":"BAD_REQUEST","message":"The request is not valid HTTP"}}'), raw);
  assert.is((await call(server.url, 'GET', '/healthz')).status, 200);
});

test('a query parameter given twice, as a list or under a name the route does not read is refused, not ignored', async () => {
  const game = await createGame(server.url, 'tutorial', {});
  const asWhiteCell = { authorization: `Bearer ${game.controlToken}` };
  const refused = [
    ['/api/bots/strategies?scenario[]=tutorial', {}],
    ['/api/bots/strategies?scenario=tutorial&scenario=flywheel-2022', {}],
    ['/api/bots/strategies?__proto__[scenario]=tutorial', {}],
    ['/api/bots/strategies?scenarios=tutorial', {}],
    [`/api/games/${game.gameId}/export?pseudonymise[]=1`, asWhiteCell],
    [`/api/games/${game.gameId}/export?format[]=json`, asWhiteCell],
    [`/api/games/${game.gameId}/report?format=md&pseudonymized=1`, asWhiteCell],
    [`/api/games/${game.gameId}/replay?audience[]=control`, asWhiteCell],
  ] as const;
  for (const [path, headers] of refused) {
    const res = await call(server.url, 'GET', path, undefined, headers);
    assert.is(res.status, 400, path);
    assert.is((res.body as { error: { code: string } }).error.code, 'BAD_REQUEST', path);
  }
  const unknown = await call(server.url, 'GET', '/api/bots/strategies?scenarios=tutorial');
  assert.is(
    (unknown.body as { error: { message: string } }).error.message,
    'Unknown query parameter "scenarios": this address reads scenario',
  );
  // Given as the routes read them, they answer.
  assert.is((await call(server.url, 'GET', '/api/bots/strategies?scenario=tutorial')).status, 200);
  const named = await call(
    server.url,
    'GET',
    `/api/games/${game.gameId}/export?format=json&pseudonymise=1`,
    undefined,
    asWhiteCell,
  );
  assert.is(named.status, 200);
  assert.is((named.body as { pseudonymised: boolean }).pseudonymised, true);
});

test.run();
