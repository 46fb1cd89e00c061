// The record over HTTP against a real server: exports per seat (and from the command line), the replay's
// permissions, and fork: a new game from a past round that can neither see nor change its parent.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { strFromU8, unzipSync } from 'fflate';
import type { CreateGameResult, ForkResult } from '../../../shared/protocol.ts';
import type { GameView, WireView } from '../../../shared/views.ts';
import { TABLES } from '../../../server/record/tables.ts';
import { TestClient } from '../../helpers/client.ts';
import { call as rawCall, createGame, join as joinGame } from '../../helpers/http.ts';
import { startServer, type SpawnedServer } from '../../helpers/spawn-server.ts';

let server: SpawnedServer;
let game: CreateGameResult;
let usToken: string;
const clients: TestClient[] = [];
const TABLE_COUNT = TABLES.length;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Node's fetch may reuse a kept-alive connection the server has just closed (the command-line test idles past the
 * server's keep-alive timeout); such a request never reached the server, so it is sent once more.
 */
async function again<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (err) {
    console.error('retrying after', (err as Error).message, (err as { cause?: unknown }).cause);
    return send();
  }
}
const call: typeof rawCall = (...args) => again(() => rawCall(...args));

async function download(path: string, token?: string) {
  const res = await again(() => fetch(`${server.url}${path}`, { headers: token ? bearer(token) : {} }));
  return { status: res.status, type: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
}
const unzipped = (bytes: Uint8Array) =>
  Object.fromEntries(Object.entries(unzipSync(bytes)).map(([k, v]) => [k, strFromU8(v)]));

async function playRound(c: TestClient) {
  for (let i = 0; i < 4; i++) await c.do({ type: 'phase.advance' });
  await c.do({ type: 'adjudication.approve' });
}

test.before(async () => {
  server = await startServer();
  game = await createGame(server.url, 'tutorial', { seed: 'record' }, 'Walter Vexley');
  usToken = (await joinGame(server.url, game.codes.teams.us, 'Zelda Quixote')).token;
  const wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  const us = await TestClient.connect(server.url, usToken, 'us');
  clients.push(wc, us);
  await wc.do({ type: 'game.start' });
  await wc.do({ type: 'phase.advance' });
  await wc.do({ type: 'phase.advance' });
  await us.do({ type: 'chat.post', channel: 'plenary', text: 'hello from the US' });
  await wc.do({ type: 'phase.advance' });
  await wc.do({ type: 'phase.advance' });
  await wc.do({ type: 'adjudication.approve' });
  await playRound(wc);
});

test.after(async () => {
  for (const c of clients) c.close();
  await server?.destroy();
});

test('each seat exports its own audience; no token, no export', async () => {
  const control = await download(`/api/games/${game.gameId}/export`, game.controlToken);
  assert.is(control.status, 200);
  assert.is(control.type, 'application/zip');
  const files = unzipped(control.bytes);
  const record = JSON.parse(files['record.json']);
  assert.is(record.audience, 'control');
  assert.ok(record.events.length > 10);
  assert.ok(files['messages.csv'].includes('hello from the US'));

  const us = await download(`/api/games/${game.gameId}/export?format=json&pseudonymise=1`, usToken);
  assert.is(us.status, 200);
  const usRecord = JSON.parse(strFromU8(us.bytes));
  assert.is(usRecord.audience, 'team:us');
  assert.is(usRecord.events, undefined);
  assert.not.ok(strFromU8(us.bytes).includes('Zelda Quixote'));
  // Any spelling a researcher might use turns names off; anything unreadable is refused, never read as "off".
  for (const q of ['pseudonymize=1', 'pseudonymise=yes', 'pseudonymise=TRUE', 'pseudonymise=on']) {
    const r = await download(`/api/games/${game.gameId}/export?format=json&${q}`, usToken);
    assert.is(r.status, 200, q);
    assert.not.ok(strFromU8(r.bytes).includes('Zelda Quixote'), q);
  }
  for (const q of ['pseudonymise=maybe', 'pseudonymise=1&pseudonymise=1', 'format=xml', 'format=json&format=json']) {
    const r = await download(`/api/games/${game.gameId}/export?${q}`, usToken);
    assert.is(r.status, 400, q);
    assert.is(JSON.parse(strFromU8(r.bytes)).error.code, 'BAD_REQUEST', q);
  }
  assert.is((await download(`/api/games/${game.gameId}/report?format=pdf`, usToken)).status, 400);
  const named = await fetch(`${server.url}/api/games/${game.gameId}/export?pseudonymise=1`, {
    headers: bearer(usToken),
  });
  assert.match(named.headers.get('content-disposition') ?? '', /flywheel-[a-z0-9]+-team-us-pseudonymised\.zip/);

  assert.is((await download(`/api/games/${game.gameId}/export`)).status, 401);
  assert.is((await download(`/api/games/${game.gameId}/export`, 'x'.repeat(30))).status, 401);
});

test('the command line exports from the file store', () => {
  const out = join(mkdtempSync(join(tmpdir(), 'flywheel-export-')), 'us.zip');
  const said = execFileSync(
    process.execPath,
    ['--import', 'tsx', 'scripts/export.ts', game.gameId, '--team', 'us', '--pseudonymise', '--out', out],
    { env: { ...process.env, DATA_DIR: server.dataDir }, stdio: 'pipe' },
  );
  assert.is(statSync(out).mode & 0o777, 0o600, 'the export is readable by whoever ran it alone');
  const files = unzipped(new Uint8Array(readFileSync(out)));
  const written = JSON.parse(files['record.json']);
  assert.is(written.audience, 'team:us');
  // It says what it wrote: a team's steps, and no event log (the log's length would say how much the team missed).
  assert.is(
    said.toString().trim(),
    `${out}: team:us, ${written.steps.length} steps, no event log, ${TABLE_COUNT} tables`,
  );
  assert.ok(files['messages.csv'].includes('hello from the US'));
  assert.not.ok(Object.values(files).join('').includes('Zelda Quixote'));

  // It only reads: a log whose last line is torn (an append under way) is left as it is.
  const copy = mkdtempSync(join(tmpdir(), 'flywheel-export-data-'));
  mkdirSync(join(copy, 'games'));
  const log = join(copy, 'games', `${game.gameId}.jsonl`);
  writeFileSync(log, `${readFileSync(join(server.dataDir, 'games', `${game.gameId}.jsonl`), 'utf8')}{"v":999,"batch`);
  const size = statSync(log).size;
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/export.ts', game.gameId, '--out', join(copy, 'x.zip')], {
    env: { ...process.env, DATA_DIR: copy },
    stdio: 'pipe',
  });
  assert.is(statSync(log).size, size, 'the torn tail is still there');
  rmSync(copy, { recursive: true, force: true });
});

test('the replay: the White Cell any audience at any time; a team its own, once the game is over', async () => {
  const steps = await call<{ steps: { version: number }[]; version: number }>(
    server.url,
    'GET',
    `/api/games/${game.gameId}/replay?audience=team:us`,
    undefined,
    bearer(game.controlToken),
  );
  assert.is(steps.status, 200);
  assert.ok(steps.body.steps.length > 5);
  const at = steps.body.steps[3].version;
  const view = await call<{ view: GameView }>(
    server.url,
    'GET',
    `/api/games/${game.gameId}/replay/${at}?audience=team:us`,
    undefined,
    bearer(game.controlToken),
  );
  assert.is(view.status, 200);
  assert.is(view.body.view.audience.team, 'us');
  // A team's steps are numbered by its own changes: no gap counts what it did not see.
  assert.equal(
    steps.body.steps.map((s) => s.version),
    steps.body.steps.map((_, i) => i + 1),
  );
  assert.is(steps.body.version, steps.body.steps.length);
  for (const odd of ['0x4', '1e1', '4.0', '-1', '0', String(steps.body.steps.length + 1), 'abc']) {
    const r = await call(server.url, 'GET', `/api/games/${game.gameId}/replay/${odd}?audience=team:us`, undefined, {
      ...bearer(game.controlToken),
    });
    assert.is(r.status, 404, `version ${odd}`);
    assert.is((r.body as { error: { code: string } }).error.code, 'NO_VERSION');
  }
  const early = await call(server.url, 'GET', `/api/games/${game.gameId}/replay`, undefined, bearer(usToken));
  assert.is(early.status, 403);
  assert.is((early.body as { error: { code: string } }).error.code, 'NOT_YET');
  const bad = await call(server.url, 'GET', `/api/games/${game.gameId}/replay?audience=team:nobody`, undefined, {
    ...bearer(game.controlToken),
  });
  assert.is(bad.status, 400);
});

test('a fork starts from a past round, with its own codes, and cannot reach its parent', async () => {
  const wc2 = await TestClient.connect(server.url, game.controlToken, 'wc2');
  clients.push(wc2);
  assert.is(wc2.view!.game.round, 2);
  const refused = await call(server.url, 'POST', `/api/games/${game.gameId}/fork`, { round: 1 }, bearer(usToken));
  assert.is(refused.status, 403, 'a team cannot fork');
  const early = await call(
    server.url,
    'POST',
    `/api/games/${game.gameId}/fork`,
    { round: 3 },
    bearer(game.controlToken),
  );
  assert.is(early.status, 400, 'round 3 has not been played');

  const res = await call<ForkResult>(
    server.url,
    'POST',
    `/api/games/${game.gameId}/fork`,
    { round: 1, name: 'Fork facilitator' },
    bearer(game.controlToken),
  );
  assert.is(res.status, 201);
  const fork = res.body;
  assert.is.not(fork.gameId, game.gameId);
  assert.equal(fork.parent, { gameId: game.gameId, round: 1 });
  assert.is.not(fork.codes.teams.us, game.codes.teams.us);

  const wc = await TestClient.connect(server.url, fork.controlToken, 'fork-wc');
  clients.push(wc);
  const v = wc.view!;
  assert.is(v.game.round, 1);
  assert.is(v.game.phase, 'reveal');
  assert.equal(v.record.forkedFrom?.gameId, game.gameId);
  assert.ok(
    v.messages.some((m) => m.text === 'hello from the US'),
    'the history came along',
  );
  assert.is.not(v.control!.seed, 'record', 'new dice');
  await playRound(wc);

  // Neither token opens the other game.
  assert.is((await download(`/api/games/${game.gameId}/export`, fork.controlToken)).status, 401);
  assert.is((await download(`/api/games/${fork.gameId}/export`, game.controlToken)).status, 401);
  const parentNow = await download(`/api/games/${game.gameId}/export?format=json`, game.controlToken);
  const parentLog = JSON.parse(strFromU8(parentNow.bytes)).events as { type: string }[];
  assert.not.ok(
    parentLog.some((e) => e.type === 'GameForked'),
    'the parent is untouched',
  );
});

/** What a seat's screen shows at a version: enough to tell one step of a game from the next. */
const shown = (v: GameView | WireView) =>
  JSON.stringify({
    round: v.game.round,
    phase: v.game.phase,
    paused: v.game.paused !== null,
    meters: v.meters.map((m) => [m.id, m.value]),
    submitted: v.teams.map((t) => t.submitted),
    lastPlenary: v.messages.filter((m) => m.channel === 'plenary').at(-1)?.id ?? null,
  });

test("the export and the replay number a seat's versions as its live socket did, command by command", async () => {
  const g = await createGame(server.url, 'tutorial', { seed: 'versions', rounds: 2 }, 'Walter Vexley');
  const tokens = {
    us: (await joinGame(server.url, g.codes.teams.us, 'Zelda Quixote')).token,
    observer: (await joinGame(server.url, g.codes.observer, 'Otto Observer')).token,
  };
  const wc = await TestClient.connect(server.url, g.controlToken, 'versions-wc');
  clients.push(wc);
  // Every version each seat was shown, with what its screen showed at it.
  const live: Record<string, Map<number, string>> = {};
  const seats: Record<string, TestClient> = {};
  for (const [key, token] of [
    ['team:us', tokens.us],
    ['observer', tokens.observer],
  ] as const) {
    const c = await TestClient.connect(server.url, token, key);
    clients.push(c);
    seats[key] = c;
    live[key] = new Map([[c.version, shown(c.view!)]]);
    // Registered after the client's own handler: it runs once the patch is applied.
    c.socket.on('patch', () => live[key].set(c.version, shown(c.view!)));
  }
  const us = seats['team:us'];
  const advanceTo = async (phase: string) => {
    while (wc.view!.game.phase !== phase) await wc.do({ type: 'phase.advance' });
  };
  // Commands of several events each: phase advances (a phase change and its injects), an approval (the reveal, the
  // meters, the next round's intelligence), a pause and a resume; and chat, one event.
  await wc.do({ type: 'game.start' });
  for (let round = 1; round <= 2; round++) {
    await advanceTo('negotiation');
    await us.do({ type: 'chat.post', channel: 'plenary', text: `round ${round} from the US` });
    await wc.do({ type: 'game.pause' });
    await wc.do({ type: 'game.resume' });
    await advanceTo('adjudication');
    await wc.do({ type: 'adjudication.approve' });
  }
  await advanceTo('debrief');
  for (const [key, c] of Object.entries(seats)) {
    const token = key === 'team:us' ? tokens.us : tokens.observer;
    const x = await download(`/api/games/${g.gameId}/export?format=json`, token);
    const record = JSON.parse(strFromU8(x.bytes)) as {
      version: number;
      steps: { version: number; phase: string; round: number }[];
    };
    await c.waitFor((v) => v.game.phase === 'debrief', 'the debrief');
    assert.is(record.version, c.version, `${key}: the export's last version is the live one`);
    const steps = new Map(record.steps.map((s) => [s.version, s]));
    // Every version from the seat's first on (its earlier ones came before it joined).
    const first = Math.min(...live[key].keys());
    assert.equal(
      [...steps.keys()].filter((v) => v >= first),
      [...live[key].keys()].sort((a, b) => a - b),
      `${key}: one step per version shown`,
    );
    for (const [version, screen] of live[key]) {
      const r = await call<{ view: GameView }>(
        server.url,
        'GET',
        `/api/games/${g.gameId}/replay/${version}?audience=${key}`,
        undefined,
        bearer(g.controlToken),
      );
      assert.is(r.status, 200, `${key} v${version}`);
      assert.is(shown(r.body.view), screen, `${key}: the replay at v${version} is what the socket showed`);
      const { phase, round } = JSON.parse(screen);
      assert.equal([steps.get(version)!.phase, steps.get(version)!.round], [phase, round], `${key} step v${version}`);
    }
  }
  // The White Cell's export numbers its steps by log position; its live version at a position N is 1 plus the
  // number of events up to N marked as seen by "control" (docs/export.md).
  const control = JSON.parse(
    strFromU8((await download(`/api/games/${g.gameId}/export?format=json`, g.controlToken)).bytes),
  );
  const events = control.events as { seen?: string[] }[];
  assert.is(1 + events.filter((e) => e.seen?.includes('control')).length, wc.version);
});

test.run();
