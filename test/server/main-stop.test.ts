// Stopping and crashing under load, with clients that re-send unanswered commands as the protocol advises:
// - SIGTERM: every command sent before the signal is answered before its socket closes, and none is lost;
// - kill -9: commands in flight go unanswered, and their re-sends (same ids) after the restart are not duplicated;
// - `npm start`: SIGTERM to the pid npm was started with stops the server (no orphan keeps the port).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chatLoad } from '../helpers/chat-load.ts';
import { freePort, startServer } from '../helpers/spawn-server.ts';
import { storedChat } from '../helpers/scale.ts';

test('SIGTERM under load: commands sent before it are answered before their socket closes; none is lost', async () => {
  const server = await startServer({ env: { COMMAND_RATE: '10000', COMMAND_BURST: '10000' } });
  try {
    let signalledAt = 0;
    let exitCode: number | null = -1;
    const run = await chatLoad(server.url, server.url, async () => {
      signalledAt = Date.now();
      exitCode = await server.stop('SIGTERM');
      await server.restart();
    });
    assert.is(exitCode, 0, 'a clean exit');
    const orphans = run.clients.flatMap((c) => c.unansweredAtDisconnect).filter((u) => u.sentAt < signalledAt);
    assert.equal(orphans, [], 'every command sent before the signal was answered before its socket closed');
    assert.ok(
      run.clients.every((c) => c.disconnects >= 1),
      'every socket was closed by the stop',
    );
    assert.ok(
      run.acks.every((a) => a.ack.ok),
      'every command succeeded in the end',
    );
    const counts = await storedChat(server.dataDir, run.game.gameId);
    for (const { text } of run.acks) assert.is(counts.get(text), 1, `"${text}" stored once`);
    const resent = run.clients.reduce((n, c) => n + c.resent, 0);
    console.log(`  SIGTERM: ${run.acks.length} commands, ${resent} sent again after the restart`);
  } finally {
    await server.destroy();
  }
});

test('kill -9 under load: commands re-sent after the restart are applied once', async () => {
  const server = await startServer({ env: { COMMAND_RATE: '10000', COMMAND_BURST: '10000' } });
  try {
    const run = await chatLoad(server.url, server.url, async () => {
      await server.kill();
      await server.restart();
    });
    assert.ok(
      run.acks.every((a) => a.ack.ok),
      'every command succeeded in the end',
    );
    const counts = await storedChat(server.dataDir, run.game.gameId);
    for (const { text } of run.acks) assert.is(counts.get(text), 1, `"${text}" stored once`);
    assert.is(
      [...counts.values()].reduce((a, b) => a + b, 0),
      run.acks.length,
      'and nothing else',
    );
    const unanswered = run.clients.reduce((n, c) => n + c.unansweredAtDisconnect.length, 0);
    console.log(`  kill -9: ${run.acks.length} commands, ${unanswered} unanswered at the crash and sent again`);
  } finally {
    await server.destroy();
  }
});

test('npm start: SIGTERM to the pid npm was started with drains and stops the server itself', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'flywheel-npm-start-'));
  const clientDir = mkdtempSync(join(tmpdir(), 'flywheel-no-client-'));
  const port = await freePort();
  const root = new URL('../..', import.meta.url).pathname;
  const npm = spawn('npm', ['start'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, CLIENT_DIR: clientDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  npm.stdout!.on('data', (d) => {
    out += d;
  });
  npm.stderr!.on('data', (d) => {
    out += d;
  });
  try {
    for (let i = 0; i < 600 && !out.includes('"listening"'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(out.includes('"listening"'), `the server started:\n${out}`);
    const exited = once(npm, 'exit');
    npm.kill('SIGTERM');
    const timer = setTimeout(() => npm.kill('SIGKILL'), 20_000);
    await exited;
    clearTimeout(timer);
    assert.ok(out.includes('"stopping"') && out.includes('"stopped"'), `the server itself stopped:\n${out}`);
    const refused = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(false);
      });
      s.once('error', () => resolve(true));
    });
    assert.ok(refused, 'nothing listens on the port any more');
  } finally {
    npm.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(clientDir, { recursive: true, force: true });
  }
});

test.run();
