// The process: SIGTERM and SIGINT stop it cleanly with exit 0, keeping what was acknowledged; bad settings stop it
// at once with a message; each command is one JSON log line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { ScenarioSummary } from '../../shared/protocol.ts';
import { miniInput } from '../fixtures/mini-scenario.ts';
import { TestClient } from '../helpers/client.ts';
import { call, createGame, join } from '../helpers/http.ts';
import { startRedis } from '../helpers/redis-server.ts';
import { startServer } from '../helpers/spawn-server.ts';

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} closes the sockets, keeps acknowledged commands and exits 0`, async () => {
    const server = await startServer();
    try {
      const game = await createGame(server.url, 'tutorial', {});
      const us = await TestClient.connect(server.url, (await join(server.url, game.codes.teams.us, 'A')).token, 'us');
      await us.do({ type: 'chat.post', channel: 'plenary', text: 'before the stop' });
      assert.is(await server.stop(signal), 0);
      await us.until(() => !us.connected, 'the socket was closed');
      await server.restart();
      await us.waitFor((v) => v.messages.some((m) => m.text === 'before the stop'), 'the message after the restart');
      us.close();
    } finally {
      await server.destroy();
    }
  });
}

test('each command is logged as one JSON line', async () => {
  const server = await startServer({ env: { LOG_LEVEL: 'info' } });
  try {
    const game = await createGame(server.url, 'tutorial', {});
    const c = await TestClient.connect(server.url, game.controlToken, 'control');
    await c.do({ type: 'game.start' });
    await c.command({ type: 'draft.lock' });
    c.close();
    await server.stop();
    const lines = server
      .output()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const commands = lines.filter((l) => l.msg === 'command');
    const start = commands.find((l) => l.command === 'game.start')!;
    assert.is(start.game, game.gameId);
    assert.is(start.role, 'control');
    assert.is(start.outcome, 'ok');
    assert.type(start.ms, 'number');
    assert.is(commands.find((l) => l.command === 'draft.lock')!.outcome, 'NOT_ALLOWED');
    assert.ok(lines.some((l) => l.msg === 'stopped'));
  } finally {
    await server.destroy();
  }
});

test('SCENARIO_DIR adds scenarios to the library, and games can be played from them', async () => {
  const dir = mkdtempSync(joinPath(tmpdir(), 'flywheel-scenarios-'));
  writeFileSync(joinPath(dir, 'mini.json'), JSON.stringify(miniInput));
  const server = await startServer({ env: { SCENARIO_DIR: dir } });
  try {
    const ids = (await call<ScenarioSummary[]>(server.url, 'GET', '/api/scenarios')).body.map((s) => s.id);
    assert.ok(ids.includes('mini') && ids.includes('tutorial'));
    const game = await createGame(server.url, 'mini', { variants: { dprk: 'soft' } });
    assert.equal(Object.keys(game.codes.teams), ['us', 'dprk', 'prc']);
  } finally {
    await server.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad setting stops the start with a message naming it', () => {
  const out = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: { ...process.env, PORT: 'eighty', LOG_LEVEL: 'silent' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.is(out.status, 1);
  assert.match(out.stderr, 'PORT must be an integer');
});

test('a Redis that cannot serve stops the start naming the setting and what Redis said', async () => {
  const redis = await startRedis();
  try {
    const start = (env: Record<string, string>) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
        env: { ...process.env, STORE: 'redis', PORT: '0', LOG_LEVEL: 'silent', ...env },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const db = start({ REDIS_URL: `redis://:secret@127.0.0.1:${redis.port}/99` });
    assert.is(db.status, 1);
    assert.match(db.stderr, `REDIS_URL=redis://127.0.0.1:${redis.port}/99`);
    assert.match(db.stderr, 'DB index is out of range');
    assert.not.match(db.stderr, 'secret', 'no password in the message');
    const notCluster = start({ REDIS_CLUSTER: `127.0.0.1:${redis.port}` });
    assert.is(notCluster.status, 1);
    assert.match(notCluster.stderr, `REDIS_CLUSTER=127.0.0.1:${redis.port}`);
    assert.match(notCluster.stderr, 'cluster support disabled');
  } finally {
    await redis.destroy();
  }
});

test.run();
