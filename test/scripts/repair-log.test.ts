// A corrupt log (a bad line before the end, not a torn tail): the game is named as damaged in /healthz (200,
// "degraded": the other games play on) and /metrics, its players are refused with GAME_DAMAGED rather than a
// "retry later" without end, and `npm run game:repair` exports what reads and lets it be played again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
    assert.match(await (await fetch(`${server.url}/metrics`)).text(), /^flywheel_games_damaged 1$/m);
    assert.is(await TestClient.refused(server.url, game.controlToken), 'GAME_DAMAGED');
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
    assert.is(await server.stop(), 0);

    const repair = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/repair-log.ts', game.gameId], {
      cwd: new URL('../..', import.meta.url).pathname,
      env: { ...process.env, DATA_DIR: server.dataDir },
      encoding: 'utf8',
    });
    assert.is(repair.status, 0, repair.stderr);
    const report = JSON.parse(repair.stdout) as { damagedAtLine: number; keptEvents: number; export: string };
    assert.is(report.damagedAtLine, bad + 1);
    const exported = readFileSync(report.export, 'utf8').trim().split('\n');
    assert.is(exported.length, lines.filter((l) => l.trim()).length - 1, 'every line that reads is exported');
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

test.run();
