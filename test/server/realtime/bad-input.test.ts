// Thousands of random and malformed socket events from every kind of seat (fast-check, pinned seed): each command
// is answered with an error, nothing crashes the server, and the game's version and views stay exactly as they were.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { TestClient } from '../../helpers/client.ts';
import { call, createGame, join } from '../../helpers/http.ts';
import { startServer, type SpawnedServer } from '../../helpers/spawn-server.ts';

const SEED = 20261201;
const RUNS = 5000;

let server: SpawnedServer;
const seats: Record<'team' | 'control' | 'observer', TestClient> = {} as never;

test.before(async () => {
  // No rate limit here: every event must reach the parser (the limit has its own test).
  server = await startServer({ env: { COMMAND_RATE: '1000000', COMMAND_BURST: '1000000' } });
  const game = await createGame(server.url, 'tutorial', { seed: 'fuzz' });
  seats.control = await TestClient.connect(server.url, game.controlToken, 'control');
  seats.team = await TestClient.connect(server.url, (await join(server.url, game.codes.teams.us, 'Fuzzy')).token, 'us');
  seats.observer = await TestClient.connect(
    server.url,
    (await join(server.url, game.codes.observer, 'Wall')).token,
    'observer',
  );
  // A game under way, so that player commands reach rules that could change it if a bad one got through.
  await seats.control.do({ type: 'game.start' });
  await seats.control.do({ type: 'phase.advance' });
  await seats.control.do({ type: 'phase.advance' });
  await seats.team.waitFor((v) => v.game.phase === 'negotiation', 'negotiation');
});

test.after(async () => {
  for (const c of Object.values(seats)) c?.close();
  await server?.destroy();
});

const PLAYER = [
  { type: 'chat.post', channel: 'plenary', text: 'hello' },
  {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [{ team: 'us', action: 'us-talks', byRound: 1 }],
    secret: false,
    snapback: false,
    note: '',
  },
  { type: 'deal.accept', dealId: 'abc' },
  { type: 'deal.reject', dealId: 'abc' },
  { type: 'deal.withdraw', dealId: 'abc' },
  { type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null },
  { type: 'draft.lock' },
  { type: 'draft.unlock' },
  { type: 'freeform.estimate', lineId: 'abc', probability: 0.5 },
];
const CONTROL = [
  { type: 'game.start' },
  { type: 'phase.advance' },
  { type: 'phase.extend', seconds: 60 },
  { type: 'game.pause' },
  { type: 'game.resume' },
  { type: 'game.end' },
  { type: 'inject.publish', injectId: 'icbm-launch' },
  { type: 'inject.skip', injectId: 'icbm-launch' },
  { type: 'inject.add', title: 'T', text: 'X', audience: 'all', effects: [], publish: true },
  { type: 'adjudication.approve' },
  { type: 'chat.post', channel: 'announcements', text: 'hi' },
];
const TYPES = new Set([...PLAYER, ...CONTROL].map((c) => c.type));

/** A value of another JSON type than `v`, so that the field can never parse. */
const otherType = (v: unknown): fc.Arbitrary<unknown> => {
  if (typeof v === 'string')
    return fc.oneof(fc.integer(), fc.constant(null), fc.dictionary(fc.string(), fc.string()), fc.boolean());
  if (typeof v === 'number') return fc.oneof(fc.string(), fc.constant(null), fc.boolean(), fc.array(fc.integer()));
  if (typeof v === 'boolean') return fc.oneof(fc.string(), fc.integer(), fc.constant(null));
  return fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.boolean());
};

/** Commands that are well-formed but for one thing; `pool` is what the seat is otherwise allowed to send. */
const malformed = (pool: Record<string, unknown>[]) =>
  fc.oneof(
    // The actor or the team smuggled into the payload: refused, never believed.
    // (jsonValue, not anything: an undefined field vanishes on the wire and would leave a valid command.)
    fc
      .tuple(
        fc.constantFrom(...pool),
        fc.constantFrom('team', 'actor', 'playerId', 'role', 'gameId', 'by', 'from', 'kind'),
        fc.jsonValue(),
      )
      .map(([c, k, v]) => ({ ...c, [k]: v })),
    fc
      .tuple(fc.constantFrom(...pool), fc.string())
      .filter(([, t]) => !TYPES.has(t))
      .map(([c, t]) => ({ ...c, type: t })),
    fc
      .constantFrom(...pool.filter((c) => Object.keys(c).length > 1))
      .chain((c) =>
        fc
          .constantFrom(...Object.keys(c).filter((k) => k !== 'type' && c[k] !== null))
          .chain((k) => otherType(c[k]).map((v) => ({ ...c, [k]: v }))),
      ),
    fc.constantFrom(...pool).map((c) => ({ ...c, text: 'x'.repeat(5000), note: 'y'.repeat(5000) })),
  );

const garbage = fc.oneof(
  fc.anything(),
  fc.uint8Array({ maxLength: 64 }),
  fc.string({ maxLength: 2000 }),
  fc.constantFrom(
    null,
    0,
    -1,
    true,
    '',
    '{}',
    [],
    [[[[[[]]]]]],
    { type: null },
    { type: ['chat.post'] },
    { type: 'tick' },
    { type: 'seat.take', playerId: 'x', name: 'x', role: 'control' },
    { type: 'seat.leave', playerId: 'x' },
  ),
);

type Event =
  | { seat: 'team' | 'control' | 'observer'; kind: 'command'; payload: unknown; ack: boolean }
  | { seat: 'team' | 'control' | 'observer'; kind: 'other'; name: string; args: unknown[]; ack: boolean }
  | { seat: 'team' | 'control' | 'observer'; kind: 'resync'; args: unknown[] };

const CLIENT_RESERVED = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);
const eventName = fc
  .oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(
      'error',
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'toString',
      'view',
      'patch',
      'presence',
      'COMMAND',
      'command ',
      'ping',
    ),
  )
  .filter((n) => n !== 'command' && n !== 'resync' && !CLIENT_RESERVED.has(n));

const events: fc.Arbitrary<Event> = fc.oneof(
  // Players: garbage, malformed player commands, and (well-formed) White Cell commands they may not send.
  fc.record({
    seat: fc.constant('team' as const),
    kind: fc.constant('command' as const),
    payload: fc.oneof(garbage, malformed(PLAYER), fc.constantFrom(...CONTROL.filter((c) => c.type !== 'chat.post'))),
    ack: fc.boolean(),
  }),
  // The White Cell: garbage, malformed White Cell commands, and player commands it may not send.
  fc.record({
    seat: fc.constant('control' as const),
    kind: fc.constant('command' as const),
    payload: fc.oneof(garbage, malformed(CONTROL), fc.constantFrom(...PLAYER.filter((c) => c.type !== 'chat.post'))),
    ack: fc.boolean(),
  }),
  // Observers may send nothing at all, even a perfectly good command.
  fc.record({
    seat: fc.constant('observer' as const),
    kind: fc.constant('command' as const),
    payload: fc.oneof(garbage, fc.constantFrom(...PLAYER, ...CONTROL)),
    ack: fc.boolean(),
  }),
  fc.record({
    seat: fc.constantFrom('team' as const, 'control' as const, 'observer' as const),
    kind: fc.constant('other' as const),
    name: eventName,
    args: fc.array(fc.anything(), { maxLength: 3 }),
    ack: fc.boolean(),
  }),
  fc.record({
    seat: fc.constantFrom('team' as const, 'observer' as const),
    kind: fc.constant('resync' as const),
    args: fc.array(fc.anything(), { maxLength: 2 }),
  }),
);

async function snapshot() {
  const out: Record<string, string> = {};
  for (const [seat, c] of Object.entries(seats)) {
    const ack = await c.resync();
    assert.ok(ack.ok);
    if (ack.ok) out[seat] = JSON.stringify({ version: ack.version, view: ack.view });
  }
  return out;
}

test('random and malformed socket events are refused, and change nothing', async () => {
  const before = await snapshot();
  const codes = new Map<string, number>();
  try {
    await fc.assert(
      fc.asyncProperty(events, async (e) => {
        const c = seats[e.seat];
        if (e.kind === 'resync') {
          // Garbage after the event name: answered if there is an ack, ignored otherwise. Never a crash.
          c.raw.emit('resync', ...e.args);
          return;
        }
        if (e.kind === 'other') {
          if (!e.ack) {
            c.raw.emit(e.name, ...e.args);
            return;
          }
          const ack = (await c.raw.timeout(30_000).emitWithAck(e.name, ...e.args)) as {
            ok: boolean;
            error?: { code: string };
          };
          assert.equal(ack, { ok: false, error: { code: 'UNKNOWN_EVENT', message: 'No such event' } });
          codes.set('UNKNOWN_EVENT', (codes.get('UNKNOWN_EVENT') ?? 0) + 1);
          return;
        }
        if (!e.ack) {
          c.raw.emit('command', e.payload);
          return;
        }
        const ack = await c.command(e.payload);
        assert.is(ack.ok, false, `accepted ${JSON.stringify(e.payload)?.slice(0, 200)} from ${e.seat}`);
        if (!ack.ok) {
          assert.type(ack.error.code, 'string');
          assert.type(ack.error.message, 'string');
          codes.set(ack.error.code, (codes.get(ack.error.code) ?? 0) + 1);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  } catch (err) {
    console.error(`fast-check seed ${SEED} (${RUNS} runs) failed`);
    throw err;
  }
  console.log(
    `  ${RUNS} random socket events (seed ${SEED}); errors answered, by ` +
      `code: ${JSON.stringify(Object.fromEntries(codes))}`,
  );
  assert.ok((codes.get('BAD_COMMAND') ?? 0) > 100 && (codes.get('NOT_ALLOWED') ?? 0) > 100);

  assert.is((await call(server.url, 'GET', '/healthz')).status, 200);
  for (const c of Object.values(seats)) assert.ok(c.connected, `${c.label} is still connected`);
  assert.equal(await snapshot(), before, 'the version and every view are unchanged');
});

test('an oversize message closes that socket only; the server and the game carry on', async () => {
  const before = await snapshot();
  const big = new TestClient(server.url, seats.team.token, 'big');
  await big.until(() => big.view !== null, 'connected');
  big.raw.emit('command', { type: 'chat.post', channel: 'plenary', text: 'x'.repeat(100 * 1024) });
  await big.until(() => !big.connected, 'disconnected by the server');
  big.close();
  assert.is((await call(server.url, 'GET', '/healthz')).status, 200);
  assert.equal(await snapshot(), before);
});

test('a payload nested thousands deep, under the size limit, is answered BAD_COMMAND or BAD_REQUEST', async () => {
  const before = await snapshot();
  // Written as a raw Socket.IO frame: socket.io-client's own encoder cannot walk such a payload either.
  const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
  const c = seats.team;
  let next = 1_000_000;
  const send = (json: string) =>
    new Promise<{ ok: boolean; error?: { code: string; message: string } }>((resolve, reject) => {
      const id = next++;
      const raw = c.raw as unknown as { acks: Record<number, unknown>; io: { engine: { send(d: string): void } } };
      const timer = setTimeout(() => reject(new Error(`no answer to ${json.slice(0, 40)}`)), 30_000);
      raw.acks[id] = (res: never) => {
        clearTimeout(timer);
        resolve(res);
      };
      raw.io.engine.send(`2${id}${json}`);
    });
  const command = await send(`["command",{"type":"chat.post","channel":"plenary","text":"hi","extra":${deep}}]`);
  assert.is(command.error?.code, 'BAD_COMMAND');
  assert.ok(/nested more than \d+ levels deep/.test(command.error?.message ?? ''), 'the message says why');
  for (const [event, request] of [
    ['history', `{"channel":"plenary","before":${deep}}`],
    ['reveals', deep],
    ['archive', `{"kind":"deals","ids":${deep}}`],
    ['catalogue', `{"deep":${deep}}`],
  ]) {
    const ack = await send(`["${event}",${request}]`);
    assert.is(ack.error?.code, 'BAD_REQUEST', event);
  }
  assert.ok(c.connected, 'the socket stays open');
  assert.is((await call(server.url, 'GET', '/healthz')).status, 200);
  assert.equal(await snapshot(), before);
});

test('garbage at the transport level is refused without harm', async () => {
  for (const path of [
    '/socket.io/?EIO=4&transport=polling&sid=nope',
    '/socket.io/?EIO=99&transport=polling',
    '/socket.io/?EIO=4&transport=carrier-pigeon',
  ]) {
    const res = await call(server.url, 'GET', path);
    assert.is(res.status, 400, path);
  }
  const res = await call(
    server.url,
    'POST',
    '/socket.io/?EIO=4&transport=polling&sid=nope',
    '\u0000\u0001 not a packet',
  );
  assert.is(res.status, 400);
  assert.is((await call(server.url, 'GET', '/healthz')).status, 200);
});

test('a socket that floods is rate limited', async () => {
  const limited = await startServer();
  try {
    const game = await createGame(limited.url, 'tutorial', {});
    const c = await TestClient.connect(limited.url, game.controlToken, 'flood');
    const acks = await Promise.all(Array.from({ length: 200 }, () => c.command({ type: 'nonsense' })));
    const limitedCount = acks.filter((a) => !a.ok && a.error.code === 'RATE_LIMITED').length;
    assert.ok(limitedCount > 0, 'some commands were refused with RATE_LIMITED');
    assert.ok(acks.every((a) => !a.ok));
    c.close();
  } finally {
    await limited.destroy();
  }
});

test.run();
