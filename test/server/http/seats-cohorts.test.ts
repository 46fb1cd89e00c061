// The seat menu's and the cohorts' REST routes against a real server process: every bad request is answered
// {error: {code, message}} with a 4xx status and changes nothing; the good ones do what they say.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CohortJoinResult, CohortSummary, CreateCohortResult } from '../../../shared/cohorts.ts';
import { call, createGame, join } from '../../helpers/http.ts';
import { startServer, type SpawnedServer } from '../../helpers/spawn-server.ts';
import { TestClient } from '../../helpers/client.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';

let server: SpawnedServer;
/** The tutorial with its wheel undulled: no meter scales the pairs' momentum, so the China strategies mean nothing. */
const extra = mkdtempSync(joinPath(tmpdir(), 'fw-scenarios-'));
test.before(async () => {
  const plain = JSON.parse(readFileSync('scenarios/tutorial.json', 'utf8'));
  plain.id = 'tutorial-plain';
  delete plain.rules.wheel.scaleBy;
  writeFileSync(joinPath(extra, 'tutorial-plain.json'), JSON.stringify(plain));
  server = await startServer({ env: { SCENARIO_DIR: extra } });
});
test.after(async () => {
  await server?.destroy();
  rmSync(extra, { recursive: true, force: true });
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
function refused(r: { status: number; body: unknown }, status: number, code: string) {
  assert.is(r.status, status, JSON.stringify(r.body));
  const e = (r.body as { error?: { code?: unknown; message?: unknown } }).error;
  assert.is(e?.code, code);
  assert.type(e?.message, 'string');
}

test('the seat menu refuses bad requests and answers good ones', async () => {
  const game = await createGame(server.url, 'tutorial');
  const path = `/api/games/${game.gameId}/seats`;
  const wc = bearer(game.controlToken);
  refused(
    await call(server.url, 'POST', `${path}/us`, '{"by":', { ...wc, 'content-type': 'application/json' }),
    400,
    'BAD_JSON',
  );
  refused(await call(server.url, 'POST', `${path}/us`, { by: 'robot' }, wc), 400, 'BAD_REQUEST');
  refused(await call(server.url, 'POST', `${path}/us`, { by: 'bot', strategy: 'nope' }, wc), 400, 'UNKNOWN_STRATEGY');
  refused(await call(server.url, 'POST', `${path}/xx`, { by: 'whiteCell' }, wc), 404, 'UNKNOWN_TEAM');
  refused(await call(server.url, 'POST', `${path}/us`, { by: 'whiteCell' }), 401, 'UNAUTHORIZED');
  refused(
    await call(server.url, 'POST', '/api/games/zzzzzzzzzzzz/seats/us', { by: 'whiteCell' }, wc),
    401,
    'UNAUTHORIZED',
  );
  const player = await join(server.url, game.codes.teams.us, 'Al');
  refused(await call(server.url, 'POST', `${path}/us`, { by: 'whiteCell' }, bearer(player.token)), 403, 'NOT_ALLOWED');
  const ok = await call<{ seat: { token: string; team: string; name: string; playerId: string } }>(
    server.url,
    'POST',
    `${path}/jpn`,
    { by: 'whiteCell' },
    wc,
  );
  assert.is(ok.status, 200);
  assert.is(ok.body.seat.team, 'jpn');
  // Typing the name of a bot's or the White Cell's hand on a team seats a new player beside it, never that hand.
  const bot = await call(server.url, 'POST', `${path}/prc`, { by: 'bot', strategy: 'pocketing' }, wc);
  assert.is(bot.status, 200);
  const asBot = await join(server.url, game.codes.teams.prc, 'BOT');
  assert.is.not(asBot.playerId, 'bot-prc');
  const wcHand = await join(server.url, game.codes.teams.jpn, ok.body.seat.name);
  assert.is.not(wcHand.playerId, ok.body.seat.playerId);
  const strategies = await call<{ id: string; name: string; summary: string }[]>(
    server.url,
    'GET',
    '/api/bots/strategies',
  );
  assert.equal(
    strategies.body.map((s) => s.id),
    ['cooperative', 'hawkish', 'pocketing', 'china-heavy', 'china-restrained', 'no-deals'],
  );
});

test('strategies that mean nothing in an exercise are neither offered nor taken there', async () => {
  const list = (scenario: string) =>
    call<{ id: string }[]>(server.url, 'GET', `/api/bots/strategies?scenario=${scenario}`).then((r) =>
      r.body.map((s) => s.id),
    );
  assert.equal(await list('tutorial'), [
    'cooperative',
    'hawkish',
    'pocketing',
    'china-heavy',
    'china-restrained',
    'no-deals',
  ]);
  assert.equal(await list('tutorial-plain'), ['cooperative', 'hawkish', 'pocketing', 'no-deals']);
  refused(await call(server.url, 'GET', '/api/bots/strategies?scenario=nope'), 404, 'NO_SCENARIO');
  const game = await createGame(server.url, 'tutorial-plain');
  const wc = bearer(game.controlToken);
  // A game's menu is read from the scenario it was made with, and only its White Cell asks for it.
  const menu = await call<{ id: string }[]>(
    server.url,
    'GET',
    `/api/games/${game.gameId}/bots/strategies`,
    undefined,
    wc,
  );
  assert.equal(
    menu.body.map((s) => s.id),
    ['cooperative', 'hawkish', 'pocketing', 'no-deals'],
  );
  refused(await call(server.url, 'GET', `/api/games/${game.gameId}/bots/strategies`), 401, 'UNAUTHORIZED');
  const player = await join(server.url, game.codes.teams.us, 'Al');
  refused(
    await call(server.url, 'GET', `/api/games/${game.gameId}/bots/strategies`, undefined, bearer(player.token)),
    403,
    'NOT_ALLOWED',
  );
  const seat = (strategy: string) =>
    call(server.url, 'POST', `/api/games/${game.gameId}/seats/prc`, { by: 'bot', strategy }, wc);
  refused(await seat('china-heavy'), 400, 'UNKNOWN_STRATEGY');
  assert.is((await seat('pocketing')).status, 200);
  refused(
    await call(server.url, 'POST', '/api/cohorts', { scenario: 'tutorial-plain', cells: 2, bots: 'china-restrained' }),
    400,
    'UNKNOWN_STRATEGY',
  );
  assert.is(
    (await call(server.url, 'POST', '/api/cohorts', { scenario: 'tutorial', cells: 1, bots: 'china-restrained' }))
      .status,
    201,
  );
});

test('the dashboard tells which students are connected now, cell by cell', async () => {
  const made = await call<CreateCohortResult>(server.url, 'POST', '/api/cohorts', { scenario: 'tutorial', cells: 2 });
  const { cohortId, instructorToken, joinCode } = made.body;
  const joinAs = (name: string) =>
    call<CohortJoinResult>(server.url, 'POST', '/api/cohorts/join', { code: joinCode, name }).then((r) => r.body);
  const ada = await joinAs('Ada');
  const bo = await joinAs('Bo');
  const summary = () =>
    call<CohortSummary>(server.url, 'GET', `/api/cohorts/${cohortId}`, undefined, bearer(instructorToken)).then(
      (r) => r.body,
    );
  /** Polls the dashboard, as the page does, until it reads as `want` says. */
  const until = async (want: (s: CohortSummary) => boolean) => {
    for (let i = 0; i < 100; i++) {
      const s = await summary();
      if (want(s)) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`the dashboard never read as wanted: ${JSON.stringify(await summary())}`);
  };
  const at = (s: CohortSummary, who: CohortJoinResult) => s.students.find((x) => x.id === who.studentId)!;
  let s = await until((x) => x.students.length === 2 && x.students.every((y) => y.online === false));
  assert.equal(
    s.cells.map((c) => c.online),
    [0, 0],
  );
  const tab = await TestClient.connect(server.url, ada.seat.token, 'ada');
  s = await until((x) => at(x, ada).online === true);
  assert.is(at(s, bo).online, false);
  assert.is(s.cells[ada.cell].online, 1, "Ada's cell counts her");
  assert.is(s.cells[bo.cell].online, ada.cell === bo.cell ? 1 : 0);
  tab.close();
  s = await until((x) => at(x, ada).online === false);
  assert.equal(
    s.cells.map((c) => c.online),
    [0, 0],
  );
});

test('cohort routes refuse bad requests; the instructor, the students and the export work', async () => {
  refused(await call(server.url, 'POST', '/api/cohorts', { scenario: 'tutorial', cells: 0 }), 400, 'BAD_REQUEST');
  refused(await call(server.url, 'POST', '/api/cohorts', { scenario: 'nope', cells: 2 }), 404, 'NO_SCENARIO');
  refused(
    await call(server.url, 'POST', '/api/cohorts', { scenario: 'tutorial', cells: 2, bots: 'nope' }),
    400,
    'UNKNOWN_STRATEGY',
  );
  const made = await call<CreateCohortResult>(server.url, 'POST', '/api/cohorts', { scenario: 'tutorial', cells: 2 });
  assert.is(made.status, 201);
  const { cohortId, instructorToken, joinCode } = made.body;
  const wc = bearer(instructorToken);
  refused(await call(server.url, 'POST', '/api/cohorts/join', { code: 'nonsense', name: 'x' }), 403, 'BAD_CODE');
  refused(await call(server.url, 'POST', '/api/cohorts/join', { code: joinCode }), 400, 'BAD_REQUEST');
  const student = await call<CohortJoinResult>(server.url, 'POST', '/api/cohorts/join', { code: joinCode, name: 'Bo' });
  assert.is(student.status, 200);
  refused(await call(server.url, 'GET', `/api/cohorts/${cohortId}`), 401, 'UNAUTHORIZED');
  refused(
    await call(server.url, 'GET', `/api/cohorts/${cohortId}`, undefined, bearer(student.body.studentToken)),
    401,
    'UNAUTHORIZED',
  );
  refused(
    await call(server.url, 'POST', `/api/cohorts/${cohortId}/act`, { command: 'game.end' }, wc),
    400,
    'BAD_REQUEST',
  );
  refused(
    await call(server.url, 'POST', `/api/cohorts/${cohortId}/act`, { command: 'game.start', cells: [5] }, wc),
    404,
    'NO_CELL',
  );
  refused(await call(server.url, 'POST', `/api/cohorts/${cohortId}/announce`, { text: '' }, wc), 400, 'BAD_REQUEST');
  refused(
    await call(server.url, 'POST', `/api/cohorts/${cohortId}/students/nobody/move`, { cell: 1, team: 'us' }, wc),
    404,
    'NO_STUDENT',
  );
  refused(await call(server.url, 'POST', `/api/cohorts/${cohortId}/students/nobody/remove`, {}, wc), 404, 'NO_STUDENT');
  refused(
    await call(
      server.url,
      'POST',
      `/api/cohorts/${cohortId}/students/${student.body.studentId}/remove`,
      {},
      bearer(student.body.studentToken),
    ),
    401,
    'UNAUTHORIZED',
  );
  refused(await call(server.url, 'POST', `/api/cohorts/${cohortId}/cells/x/console`, {}, wc), 404, 'NO_CELL');
  refused(await call(server.url, 'POST', `/api/cohorts/${cohortId}/seat`, {}, wc), 401, 'UNAUTHORIZED');
  refused(await call(server.url, 'POST', `/api/cohorts/${cohortId}/joining`, { open: 'no' }, wc), 400, 'BAD_REQUEST');
  refused(
    await call(
      server.url,
      'POST',
      `/api/cohorts/${cohortId}/joining`,
      { open: false },
      bearer(student.body.studentToken),
    ),
    401,
    'UNAUTHORIZED',
  );
  // Nothing above changed the cohort.
  const s = await call<CohortSummary>(server.url, 'GET', `/api/cohorts/${cohortId}`, undefined, wc);
  assert.equal(
    s.body.cells.map((c) => [c.phase, c.students]),
    [
      ['lobby', 1],
      ['lobby', 0],
    ],
  );
  const started = await call<{ ok: boolean }[]>(
    server.url,
    'POST',
    `/api/cohorts/${cohortId}/act`,
    { command: 'game.start' },
    wc,
  );
  assert.ok(started.body.every((o) => o.ok));
  // Once everyone is in, the instructor closes joining: the code seats nobody new.
  const closed = await call(server.url, 'POST', `/api/cohorts/${cohortId}/joining`, { open: false }, wc);
  assert.equal([closed.status, closed.body], [200, { joiningOpen: false }]);
  refused(await call(server.url, 'POST', '/api/cohorts/join', { code: joinCode, name: 'Cy' }), 403, 'JOINING_CLOSED');
  const seat = await call<{ seat: { token: string } }>(
    server.url,
    'POST',
    `/api/cohorts/${cohortId}/seat`,
    {},
    bearer(student.body.studentToken),
  );
  assert.is(seat.status, 200);
  const res = await fetch(`${server.url}/api/cohorts/${cohortId}/export`, { headers: wc });
  assert.is(res.status, 200);
  assert.match(res.headers.get('content-disposition') ?? '', /cohort-/);
  const x = (await res.json()) as { cells: { events: { type: string }[] }[] };
  assert.is(x.cells.length, 2);
  assert.is(x.cells[0].events[0].type, 'GameCreated');

  // After a crash the seminar is still there, and an id nobody created is still unknown.
  await server.kill();
  await server.restart();
  // Every record the seminar wrote reads back as whole: its joins, their answers, the closing of joining.
  const health = await call<{ status: string; damaged: unknown[] }>(server.url, 'GET', '/healthz');
  assert.equal([health.body.status, health.body.damaged], ['ok', []]);
  const back = await call<CohortSummary>(server.url, 'GET', `/api/cohorts/${cohortId}`, undefined, wc);
  assert.is(back.status, 200);
  assert.equal(
    back.body.cells.map((c) => [c.phase, c.students]),
    [
      ['briefing', 1],
      ['briefing', 0],
    ],
  );
  refused(await call(server.url, 'GET', `/api/cohorts/${'a'.repeat(12)}`, undefined, wc), 401, 'UNAUTHORIZED');
});

test.run();
