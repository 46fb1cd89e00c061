// A corrupt log (a bad line before the end, not a torn tail): the game is named as damaged in /healthz (200,
// "degraded": the other games play on) and /metrics, its players are refused with GAME_DAMAGED rather than a
// "retry later" without end, and `npm run game:repair` exports what reads and lets it be played again: from the
// game's last snapshot when it is ahead of the damage (a StateRestored event in the log stands for the events that no
// longer read), from the last whole batch before the damage otherwise.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fold, type GameState } from '../../server/engine/index.ts';
import { Games } from '../../server/games/games.ts';
import { RECEIPT_KEY, takeReceipts } from '../../server/games/receipts.ts';
import { actorOf, SYSTEM, type Seat } from '../../server/games/seat.ts';
import { silentLogger } from '../../server/log.ts';
import { Metrics } from '../../server/metrics.ts';
import { buildExport } from '../../server/record/export.ts';
import { CorruptLog, FileStore } from '../../server/store/file-store.ts';
import { mini } from '../fixtures/mini-scenario.ts';
import { TestClient } from '../helpers/client.ts';
import { call, createGame, join as joinGame } from '../helpers/http.ts';
import { startServer } from '../helpers/spawn-server.ts';

interface Health {
  status: string;
  damaged: { game: string; problem: string }[];
}

test('a damaged game is named in /healthz and /metrics, refused with GAME_DAMAGED, and repaired', async () => {
  const server = await startServer();
  try {
    const game = await createGame(server.url, 'tutorial', {});
    const other = await createGame(server.url, 'tutorial', {});
    const us = await TestClient.connect(server.url, (await joinGame(server.url, game.codes.teams.us, 'A')).token);
    for (let i = 0; i < 3; i++) await us.do({ type: 'chat.post', channel: 'plenary', text: `line ${i}` });
    us.close();
    assert.is(await server.stop(), 0);

    const logPath = join(server.dataDir, 'games', `${game.gameId}.jsonl`);
    const lines = readFileSync(logPath, 'utf8').split('\n');
    const bad = lines.length - 3; // the second-to-last event: not a torn tail
    lines[bad] = '{"v": oops';
    writeFileSync(logPath, lines.join('\n'));

    await server.restart();
    const health = await call<Health>(server.url, 'GET', '/healthz');
    assert.is(health.status, 200, 'the other games play on');
    assert.is(health.body.status, 'degraded');
    assert.equal(
      health.body.damaged.map((d) => d.game),
      [game.gameId],
    );
    // The problem names the file from the data directory on: anyone may ask /healthz.
    assert.match(health.body.damaged[0].problem, new RegExp(`^games/${game.gameId}\\.jsonl:\\d+: `));
    assert.not.ok(health.body.damaged[0].problem.includes(server.dataDir), 'no path of the server');
    assert.match(await (await fetch(`${server.url}/metrics`)).text(), /^flywheel_games_damaged 1$/m);
    assert.is(await TestClient.refused(server.url, game.controlToken), 'GAME_DAMAGED');
    // A token that seats nobody learns nothing of the game's damage: the answer it gets for any game.
    const bogus = `${game.gameId}.${'a'.repeat(26)}`;
    assert.is(await TestClient.refused(server.url, bogus), 'UNAUTHORIZED');
    const stranger = await call(server.url, 'GET', `/api/games/${game.gameId}/codes`, undefined, {
      authorization: `Bearer ${bogus}`,
    });
    assert.is(stranger.status, 401);
    const codes = await call<{ error: { code: string } }>(
      server.url,
      'GET',
      `/api/games/${game.gameId}/codes`,
      undefined,
      {
        authorization: `Bearer ${game.controlToken}`,
      },
    );
    assert.is.not(codes.body.error?.code, 'INTERNAL');
    const fine = await TestClient.connect(server.url, other.controlToken);
    fine.close();
    // A repair rewrites the log: not while a server owns the directory.
    const busy = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/repair-log.ts', game.gameId], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { ...process.env, DATA_DIR: server.dataDir },
      encoding: 'utf8',
    });
    assert.is(busy.status, 1);
    assert.match(busy.stderr, /stop the server first: .*in use by process/);
    assert.is(await server.stop(), 0);

    const report = repair(server.dataDir, game.gameId);
    assert.is(report.damagedAtLine, bad + 1);
    assert.is(report.restoredFromSnapshot, null, 'a game of a few events has no snapshot');
    assert.is(report.notRestored, 'no snapshot');
    const exported = readFileSync(report.export, 'utf8').trim().split('\n');
    assert.is(exported.length, lines.filter((l) => l.trim()).length - 1, 'every line that reads is exported');
    // Whatever the umask, readable by the server's user alone, as every file the server writes in DATA_DIR.
    for (const file of [report.export, join(server.dataDir, 'games', `${game.gameId}.jsonl`)])
      assert.is(statSync(file).mode & 0o777, 0o600, file);
    assert.ok(
      readdirSync(join(server.dataDir, 'games')).some((f) => f.startsWith(`${game.gameId}.jsonl.damaged-`)),
      'the original is kept',
    );

    await server.restart();
    const after = await call<Health>(server.url, 'GET', '/healthz');
    assert.is(after.body.status, 'ok');
    const control = await TestClient.connect(server.url, game.controlToken);
    assert.ok(control.version === report.keptEvents, 'the game continues from the last whole batch before the damage');
    await control.do({ type: 'chat.post', channel: 'plenary', text: 'after the repair' });
    control.close();
  } finally {
    await server.destroy();
  }
});

/** A seminar of one cell of the tutorial, as its instructor creates it. */
const oneCellSeminar = (url: string) =>
  call<{ cohortId: string; instructorToken: string; joinCode: string }>(url, 'POST', '/api/cohorts', {
    scenario: 'tutorial',
    cells: 1,
  });

interface Damaged {
  status: string;
  damaged: { game?: string; cohort?: string; record: string; stream: string; problem: string }[];
}

test('a damaged sign-in or seminar record is named in /healthz at start, worded as what it is, and repaired', async () => {
  const server = await startServer({ env: { LOG_LEVEL: 'warn' } });
  try {
    const game = await createGame(server.url, 'tutorial', {});
    const cohort = await oneCellSeminar(server.url);
    const { cohortId, instructorToken } = cohort.body;
    assert.is(await server.stop(), 0);

    const auth = join(server.dataDir, 'games', `${game.gameId}-auth.jsonl`);
    const seminar = join(server.dataDir, 'games', `${cohortId}-cohort.jsonl`);
    for (const file of [auth, seminar]) writeFileSync(file, `garbage\n${readFileSync(file, 'utf8')}`);

    await server.restart();
    const health = await call<Damaged>(server.url, 'GET', '/healthz');
    assert.is(health.body.status, 'degraded', 'found at start, before anyone is refused');
    const entries = [...health.body.damaged].sort((a, b) => a.record.localeCompare(b.record));
    assert.equal(entries, [
      {
        game: game.gameId,
        record: 'auth',
        stream: `${game.gameId}-auth`,
        problem: `games/${game.gameId}-auth.jsonl:1: unreadable line`,
      },
      {
        cohort: cohortId,
        record: 'cohort',
        stream: `${cohortId}-cohort`,
        problem: `games/${cohortId}-cohort.jsonl:1: unreadable line`,
      },
    ]);
    assert.match(await (await fetch(`${server.url}/metrics`)).text(), /^flywheel_games_damaged 2$/m);
    await server.logged(/sign-in record is damaged/);
    await server.logged(/seminar's record is damaged/);
    assert.is(await TestClient.refused(server.url, game.controlToken), 'GAME_DAMAGED');
    const dashboard = await call<{ error: { code: string; message: string } }>(
      server.url,
      'GET',
      `/api/cohorts/${cohortId}`,
      undefined,
      { authorization: `Bearer ${instructorToken}` },
    );
    assert.is(dashboard.body.error.code, 'COHORT_DAMAGED');
    assert.match(dashboard.body.error.message, /seminar's record is damaged/);
    assert.is(await server.stop(), 0);

    for (const stream of [`${game.gameId}-auth`, `${cohortId}-cohort`]) {
      const report = repair(server.dataDir, stream);
      assert.is(report.damagedAtLine, 1, stream);
      assert.is(report.notRestored, 'only a game log has a snapshot', stream);
      assert.ok(existsSync(report.original), stream);
    }
    await server.restart();
    const after = await call<Damaged>(server.url, 'GET', '/healthz');
    assert.is(after.body.status, 'ok');
  } finally {
    await server.destroy();
  }
});

test('sign-in, seminar and short code records that read but do not fold are damage: listed, worded, repaired', async () => {
  const server = await startServer({ env: { LOG_LEVEL: 'warn' } });
  try {
    const game = await createGame(server.url, 'tutorial', {});
    const cohort = await oneCellSeminar(server.url);
    const { cohortId, instructorToken, joinCode } = cohort.body;
    const student = await call<{ studentToken: string }>(server.url, 'POST', '/api/cohorts/join', {
      code: joinCode,
      name: 'Stu',
    });
    assert.is(await server.stop(), 0);

    // One letter of a type changed: every line still reads as JSON.
    const dir = join(server.dataDir, 'games');
    const flip = (file: string, from: string, to: string) => {
      const text = readFileSync(join(dir, file), 'utf8');
      assert.ok(text.includes(from), `${from} in ${file}`);
      writeFileSync(join(dir, file), text.replace(from, to));
    };
    flip(`${game.gameId}-auth.jsonl`, '"SeatIssued"', '"SeatIssuee"');
    flip(`${cohortId}-cohort.jsonl`, '"StudentJoined"', '"StudentJoinee"');
    const short = readdirSync(dir).find((f) => f.endsWith('-joincode.jsonl'))!;
    flip(short, 'CodeBound"', 'CodeBounc"');

    await server.restart();
    const health = await call<Damaged>(server.url, 'GET', '/healthz');
    const entries = [...health.body.damaged].sort((a, b) => a.record.localeCompare(b.record));
    assert.equal(entries, [
      { game: game.gameId, record: 'auth', stream: `${game.gameId}-auth`, problem: 'event 2 is of no known type' },
      { cohort: cohortId, record: 'cohort', stream: `${cohortId}-cohort`, problem: 'event 2 is of no known type' },
      { record: 'joincode', stream: short.slice(0, -'.jsonl'.length), problem: 'event 1 is of no known type' },
    ]);
    const ask = (method: string, path: string, token?: string, body?: unknown) =>
      call<{ error?: { code: string } }>(
        server.url,
        method,
        path,
        body,
        token ? { authorization: `Bearer ${token}` } : {},
      ).then((r) => `${r.status} ${r.body.error?.code ?? 'OK'}`);
    // Those the damaged record holds are told of the damage; a stranger gets what any record answers.
    assert.is(await TestClient.refused(server.url, game.controlToken), 'GAME_DAMAGED');
    assert.is(await ask('GET', `/api/games/${game.gameId}/codes`, game.controlToken), '500 GAME_DAMAGED');
    assert.is(await ask('POST', '/api/join', undefined, { code: game.codes.teams.us, name: 'X' }), '500 GAME_DAMAGED');
    const bogusGame = `${game.gameId}.${'a'.repeat(26)}`;
    assert.is(await ask('GET', `/api/games/${game.gameId}/codes`, bogusGame), '401 UNAUTHORIZED');
    assert.is(await ask('POST', '/api/join', undefined, { code: bogusGame, name: 'X' }), '403 BAD_CODE');
    assert.is(await ask('GET', `/api/cohorts/${cohortId}`, instructorToken), '500 COHORT_DAMAGED');
    assert.is(await ask('POST', `/api/cohorts/${cohortId}/seat`, student.body.studentToken, {}), '500 COHORT_DAMAGED');
    assert.is(await ask('POST', '/api/cohorts/join', undefined, { code: joinCode, name: 'Stu' }), '500 COHORT_DAMAGED');
    const bogusCohort = `${cohortId}.${'a'.repeat(26)}`;
    assert.is(await ask('GET', `/api/cohorts/${cohortId}`, bogusCohort), '401 UNAUTHORIZED');
    assert.is(await ask('POST', '/api/cohorts/join', undefined, { code: bogusCohort, name: 'X' }), '403 BAD_CODE');
    assert.is(await server.stop(), 0);
    assert.not.match(server.output(), /"level":"error"/, 'no stack traces: damage, not a bug');

    for (const stream of [`${game.gameId}-auth`, `${cohortId}-cohort`, short.slice(0, -'.jsonl'.length)]) {
      const report = repair(server.dataDir, stream);
      assert.is(report.notRestored, 'only a game log has a snapshot', stream);
    }
    await server.restart();
    const after = await call<Damaged>(server.url, 'GET', '/healthz');
    assert.is(after.body.status, 'ok');
  } finally {
    await server.destroy();
  }
});

interface Report {
  damagedAtLine: number;
  keptEvents: number;
  restoredFromSnapshot: number | null;
  replayedAfterSnapshot: number;
  notRestored: string | null;
  version: number;
  lostLines: number;
  lostEvents: number;
  snapshot: string;
  original: string;
  export: string;
}

function repair(dataDir: string, gameId: string, ...flags: string[]): Report {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/repair-log.ts', gameId, ...flags], {
    cwd: new URL('../..', import.meta.url).pathname,
    env: { ...process.env, DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  assert.is(run.status, 0, run.stderr);
  return JSON.parse(run.stdout) as Report;
}

const GAME = 'restore00001';
const wc: Seat = { gameId: GAME, playerId: 'wc', name: 'Control', role: 'control', team: null };
const us: Seat = { gameId: GAME, playerId: 'p-us', name: 'Alice', role: 'team', team: 'us' };
const dprk: Seat = { gameId: GAME, playerId: 'p-dprk', name: 'Kim', role: 'team', team: 'dprk' };
/** Written by DPRK where only DPRK (and the White Cell) may read it: in its team chat and in its draft. */
const DPRK_CHAT = 'DPRK_ONLY_chat_written_between_the_damage_and_the_snapshot';
const DPRK_DRAFT = 'DPRK_ONLY_draft_written_between_the_damage_and_the_snapshot';

/** The store and service the server runs on a data directory (server/main.ts), snapshots every 100 events. */
async function open(dataDir: string) {
  const store = new FileStore(dataDir);
  const games = new Games({ store, log: silentLogger, metrics: new Metrics(), snapshotEvery: 100 });
  await games.start();
  return {
    store,
    games,
    async close() {
      games.beginClose();
      await games.drain();
      await store.close();
    },
  };
}

const ok = async (games: Games, seat: Seat | null, command: Parameters<Games['submit']>[2], id?: string) => {
  const ack = await games.submit(GAME, seat ? actorOf(seat) : SYSTEM, command, id ? { id } : {});
  assert.ok(ack.ok, JSON.stringify(ack));
  return ack;
};
const chat = (channel: string, text: string) => ({ type: 'chat.post' as const, channel, text });

/**
 * A game played through the service to `events` events or more: seats, the first round under way, DPRK's secrets
 * written from version 40 on, chat with command ids (receipts) throughout. Returns its state, as the server held it.
 */
async function play(dataDir: string, events: number): Promise<GameState> {
  const { games, close } = await open(dataDir);
  await games.create(GAME, mini, { seed: 'restore' });
  for (const s of [wc, us, dprk])
    await ok(games, null, { type: 'seat.take', playerId: s.playerId, name: s.name, role: s.team ?? 'control' });
  await ok(games, wc, { type: 'game.start' });
  await ok(games, wc, { type: 'phase.advance' });
  await ok(games, wc, { type: 'phase.advance' });
  let n = 0;
  for (let game = await games.get(GAME); game && game.version < events; n++) {
    if (game.version >= 40 && game.version < 45) {
      await ok(games, dprk, chat('team:dprk', DPRK_CHAT));
      await ok(games, dprk, {
        type: 'draft.set',
        overt: [],
        covert: [],
        freeform: { text: DPRK_DRAFT, intent: 'hidden', rationale: 'hidden', open: false },
      });
    } else await ok(games, n % 2 ? us : wc, chat('plenary', `line ${n}`), `chat-${n}`);
  }
  const state = (await games.get(GAME))!.state;
  await close();
  return state;
}

const logPath = (dataDir: string) => join(dataDir, 'games', `${GAME}.jsonl`);
const snapPath = (dataDir: string) => join(dataDir, 'games', `${GAME}.snap.json`);
const snapVersion = (dataDir: string) =>
  (JSON.parse(readFileSync(snapPath(dataDir), 'utf8')) as { version: number }).version;

/** Replaces the line of version `v` with one that does not read (a disk error, a bad hand edit). */
function damage(dataDir: string, v: number): string[] {
  const lines = readFileSync(logPath(dataDir), 'utf8').split('\n');
  lines[v - 1] = '{"v": oops';
  writeFileSync(logPath(dataDir), lines.join('\n'));
  return lines.filter((l) => l !== '');
}

/** The state the log alone folds to, from its first event (what a replay or an export sees). */
const replayed = async (store: FileStore) => fold(takeReceipts(await store.load(GAME), 1, () => undefined));

test('a damaged log is restored from the snapshot ahead of the damage, then the events after it that still read', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'flywheel-restore-'));
  try {
    const before = await play(dataDir, 130);
    const S = snapVersion(dataDir);
    const N = readFileSync(logPath(dataDir), 'utf8').trim().split('\n').length;
    assert.ok(S >= 100 && S < N, `a snapshot at ${S}, events after it up to ${N}`);
    damage(dataDir, 30);

    const report = repair(dataDir, GAME);
    assert.is(report.damagedAtLine, 30);
    assert.is(report.keptEvents, 29, 'one command per batch here: the cut is just before the damage');
    assert.is(report.restoredFromSnapshot, S);
    assert.is(report.replayedAfterSnapshot, N - S, 'every event after the snapshot reads');
    assert.is(report.notRestored, null);
    assert.is(report.version, 29 + 1 + (N - S));
    assert.is(report.lostEvents, 0, 'the snapshot stands for every event between the damage and itself');
    assert.is(report.lostLines, S - 29);
    assert.is(report.snapshot, 'set aside', "the snapshot counts the damaged log's versions, not the repaired one's");
    assert.not.ok(existsSync(snapPath(dataDir)));
    assert.ok(existsSync(report.original));

    const { store, games, close } = await open(dataDir);
    try {
      const game = (await games.get(GAME))!;
      assert.is(game.version, report.version);
      // The game as it was before the damage, every audience's version one step on (the restore changed each view).
      const { seqs, ...play } = game.state;
      const { seqs: seqsBefore, ...playBefore } = before;
      assert.equal(play, playBefore);
      for (const [key, seq] of Object.entries(seqsBefore ?? {})) assert.is(seqs?.[key], seq + 1, key);
      // The log is the truth: replaying it from its first event gives the loaded state byte for byte.
      assert.is(JSON.stringify(await replayed(store)), JSON.stringify(game.state));

      const log = (await games.log(GAME))!;
      const restored = log[29];
      assert.is(restored.type, 'StateRestored');
      assert.is(restored.type === 'StateRestored' && restored.snapshotVersion, S);

      // A command stored after the snapshot and sent again is still recognised, at its renumbered version.
      const tail = readFileSync(logPath(dataDir), 'utf8').trim().split('\n').slice(30);
      const receipt = tail
        .map((l) => JSON.parse(l) as { v: number; event: Record<string, { id?: string }> })
        .find((r) => r.event[RECEIPT_KEY]?.id);
      assert.ok(receipt, 'a command id after the snapshot');
      const id = receipt.event[RECEIPT_KEY].id!;
      const repeat = await games.submit(GAME, actorOf(Number(id.slice(5)) % 2 ? us : wc), chat('plenary', 'x'), {
        id,
      });
      assert.equal(repeat, { ok: true, version: receipt.v });
      assert.is(game.version, report.version, 'the repeat stored nothing');

      // The game plays on.
      const next = await ok(games, us, chat('plenary', 'after the restore'), 'after-1');
      assert.equal(next, { ok: true, version: report.version + 1 });
      assert.is(JSON.stringify(await replayed(store)), JSON.stringify((await games.get(GAME))!.state));

      // The record: a team's export holds what that team saw, never the restored state and its secrets; the White
      // Cell's says a restore happened, and from which snapshot.
      const full = (await games.log(GAME))!;
      const mine = JSON.stringify(buildExport(full, { kind: 'team', team: 'us' }));
      for (const secret of [DPRK_CHAT, DPRK_DRAFT, 'SECRET_dprk', 'HIDDEN_dprk', 'StateRestored'])
        assert.not.ok(mine.includes(secret), `the US export holds ${secret}`);
      const observers = JSON.stringify(buildExport(full, { kind: 'observer' }));
      for (const secret of [DPRK_CHAT, DPRK_DRAFT, 'SECRET_dprk', 'SECRET_us'])
        assert.not.ok(observers.includes(secret), `the observers' export holds ${secret}`);
      const theirs = JSON.stringify(buildExport(full, { kind: 'team', team: 'dprk' }));
      assert.ok(theirs.includes(DPRK_CHAT), 'DPRK still reads its own chat: the restore kept it');
      const control = buildExport(full, { kind: 'control' });
      assert.ok(control.json.steps.some((s) => s.event === 'StateRestored' && s.version === 30));
      assert.ok(control.json.events?.some((e) => e.type === 'StateRestored' && e.snapshotVersion === S));
    } finally {
      await close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('events after the snapshot are kept up to the first that does not read', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'flywheel-restore-'));
  try {
    await play(dataDir, 130);
    const S = snapVersion(dataDir);
    damage(dataDir, 30);
    const lines = damage(dataDir, S + 5);
    const report = repair(dataDir, GAME);
    assert.is(report.restoredFromSnapshot, S);
    assert.is(report.replayedAfterSnapshot, 4);
    assert.is(report.lostEvents, lines.length - (S + 4), 'from the second damage on');
    const { store, games, close } = await open(dataDir);
    try {
      const game = (await games.get(GAME))!;
      assert.is(game.version, 29 + 1 + 4);
      assert.is(JSON.stringify(await replayed(store)), JSON.stringify(game.state));
      await ok(games, us, chat('plenary', 'after the restore'));
    } finally {
      await close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('without a snapshot ahead of the damage, or with --cut-only, the log is cut at the damage as before', async () => {
  const cases: [string, (dataDir: string, S: number) => number, string[], string, string][] = [
    [
      'no snapshot',
      (d) => {
        unlinkSync(snapPath(d));
        return 30;
      },
      [],
      'no snapshot',
      'none',
    ],
    ['snapshot behind the damage', (_d, S) => S + 10, [], 'is not ahead of the damage', 'kept'],
    [
      'unreadable snapshot',
      (d) => {
        writeFileSync(snapPath(d), '{"version": 1');
        return 30;
      },
      [],
      'does not read',
      'set aside',
    ],
    ['--cut-only', () => 30, ['--cut-only'], '--cut-only', 'set aside'],
  ];
  for (const [name, setUp, flags, why, snapshot] of cases) {
    const dataDir = mkdtempSync(join(tmpdir(), 'flywheel-restore-'));
    try {
      await play(dataDir, 130);
      const S = snapVersion(dataDir);
      const bad = setUp(dataDir, S);
      damage(dataDir, bad);
      const report = repair(dataDir, GAME, ...flags);
      assert.is(report.restoredFromSnapshot, null, name);
      assert.is(report.replayedAfterSnapshot, 0, name);
      assert.ok(report.notRestored?.includes(why), `${name}: ${report.notRestored}`);
      assert.is(report.snapshot, snapshot, name);
      assert.is(report.keptEvents, bad - 1, name);
      assert.is(report.version, bad - 1, name);
      const { store, games, close } = await open(dataDir);
      try {
        const game = await games.get(GAME);
        assert.ok(game, name);
        assert.is(game.version, bad - 1, name);
        assert.is(JSON.stringify(await replayed(store)), JSON.stringify(game.state), name);
        await ok(games, us, chat('plenary', 'after the cut'));
      } finally {
        await close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
});

/**
 * Flips two letters of the first MessagePosted at version `from` or later (a bit flip on disk): the line still reads
 * as JSON and as a log line, but its event is none the engine knows. Returns its version.
 */
function flipType(dataDir: string, from: number): number {
  const lines = readFileSync(logPath(dataDir), 'utf8').split('\n');
  const i = lines.findIndex((l, n) => n >= from - 1 && l.includes('"type":"MessagePosted"'));
  assert.ok(i >= 0, 'a chat line to damage');
  lines[i] = lines[i].replace('"type":"MessagePosted"', '"type":"MXXsagePosted"');
  writeFileSync(logPath(dataDir), lines.join('\n'));
  return i + 1;
}

/** Rejects with a CorruptLog, as Games refuses a damaged game. */
async function damaged(promise: Promise<unknown>): Promise<CorruptLog> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  assert.instance(err, CorruptLog);
  return err as CorruptLog;
}

test('an event that reads but does not replay is damage, under the snapshot too, and is repaired like a bad line', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'flywheel-restore-'));
  try {
    await play(dataDir, 130);
    const S = snapVersion(dataDir);
    const bad = flipType(dataDir, 30);
    assert.ok(bad < S, 'the snapshot stands for the damaged event');

    const { games, close } = await open(dataDir);
    try {
      // Not played on over a log that no longer replays: refused as damaged, and named as the bad lines are.
      const err = await damaged(games.get(GAME));
      assert.is(err.message, `event ${bad} of the log does not replay: an event of no known type`);
      const ack = await games.submit(GAME, actorOf(us), chat('plenary', 'on a broken log'));
      assert.is(ack.ok ? null : ack.error.code, 'GAME_DAMAGED');
      assert.equal(games.damaged(), [{ game: GAME, record: 'game', stream: GAME, problem: err.message }]);
      await damaged(games.log(GAME));
    } finally {
      await close();
    }

    const report = repair(dataDir, GAME) as Report & { problem: string };
    assert.is(report.damagedAtLine, bad);
    assert.is(report.problem, `event ${bad} does not replay: an event of no known type`);
    assert.is(report.keptEvents, bad - 1, 'one command per batch: the cut is just before the damage');
    assert.is(report.restoredFromSnapshot, S, 'the same repair as for a line that does not read');
    const again = await open(dataDir);
    try {
      const game = (await again.games.get(GAME))!;
      assert.is(JSON.stringify(await replayed(again.store)), JSON.stringify(game.state), 'the log replays again');
      await ok(again.games, us, chat('plenary', 'after the repair'));
      assert.ok(await again.games.log(GAME));
    } finally {
      await again.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test('an event of a known type that the engine cannot fold: damage found at load, or by the export under a snapshot', async () => {
  for (const snapshot of [false, true]) {
    const dataDir = mkdtempSync(join(tmpdir(), 'flywheel-restore-'));
    try {
      await play(dataDir, 130);
      const S = snapVersion(dataDir);
      if (!snapshot) unlinkSync(snapPath(dataDir));
      const lines = readFileSync(logPath(dataDir), 'utf8').split('\n');
      const i = lines.findIndex((l) => l.includes('"type":"SeatTaken"'));
      const record = JSON.parse(lines[i]) as { event: { player: unknown } };
      record.event.player = null; // its type reads, its content does not fold
      lines[i] = JSON.stringify(record);
      writeFileSync(logPath(dataDir), lines.join('\n'));

      const { games, close } = await open(dataDir);
      try {
        if (snapshot) {
          // Loading checks the events under the snapshot by their type only (folding them all at every start is what
          // the snapshot saves); the whole log is replayed before it is exported or forked.
          assert.ok(await games.get(GAME));
          await damaged(games.log(GAME));
        }
        const err = await damaged(games.get(GAME));
        assert.match(err.message, new RegExp(`^event ${i + 1} of the log does not replay: `));
        assert.is(games.damaged().length, 1);
        const ack = await games.submit(GAME, actorOf(us), chat('plenary', 'on a broken log'));
        assert.is(ack.ok ? null : ack.error.code, 'GAME_DAMAGED', `snapshot ${snapshot}`);
      } finally {
        await close();
      }
      const report = repair(dataDir, GAME);
      assert.is(report.damagedAtLine, i + 1, `snapshot ${snapshot}`);
      assert.is(report.restoredFromSnapshot, snapshot ? S : null, 'restored from the snapshot when there is one');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
});

test.run();
