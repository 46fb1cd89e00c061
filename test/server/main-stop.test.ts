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
import type { GameEvent } from '../../server/engine/index.ts';
import { FileStore } from '../../server/store/file-store.ts';
import { createGame, join as joinGame } from '../helpers/http.ts';
import { type CommandAck, ResendingClient } from '../helpers/resending-client.ts';
import { freePort, startServer, type SpawnedServer } from '../helpers/spawn-server.ts';
import { chatCounts } from '../helpers/scale.ts';

const TEAMS = ['us', 'dprk', 'prc', 'rok'] as const;
const PER_CLIENT = 60;
const IN_FLIGHT = 4;

/** Each client posts PER_CLIENT chat lines, IN_FLIGHT at a time; `interrupt` runs once a third have been answered. */
async function underLoad(server: SpawnedServer, interrupt: () => Promise<void>) {
  const game = await createGame(server.url, 'tutorial', {});
  const clients: ResendingClient[] = [];
  for (const team of TEAMS) {
    const { token } = await joinGame(server.url, game.codes.teams[team], team);
    const c = new ResendingClient(server.url, token);
    clients.push(c);
    await new Promise<void>((resolve) => c.socket.once('connect', () => resolve()));
  }
  let answered = 0;
  let interrupted: Promise<void> | null = null;
  const acks = await Promise.all(
    clients.map(async (c, n) => {
      const all: { text: string; ack: CommandAck }[] = [];
      let next = 0;
      const lane = async () => {
        while (next < PER_CLIENT) {
          const text = `${TEAMS[n]} ${next++}`;
          const ack = await c.send({ type: 'chat.post', channel: 'plenary', text });
          all.push({ text, ack });
          if (++answered === Math.floor((TEAMS.length * PER_CLIENT) / 3)) interrupted = interrupt();
        }
      };
      await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
      return all;
    }),
  );
  await interrupted;
  for (const c of clients) c.close();
  return { game, clients, acks: acks.flat() };
}

async function storedChat(dataDir: string, gameId: string) {
  const store = new FileStore(dataDir);
  try {
    return chatCounts((await store.load(gameId)) as GameEvent[]);
  } finally {
    await store.close();
  }
}

test('SIGTERM under load: commands sent before it are answered before their socket closes; none is lost', async () => {
  const server = await startServer({ env: { COMMAND_RATE: '10000', COMMAND_BURST: '10000' } });
  try {
    let signalledAt = 0;
    let exitCode: number | null = -1;
    const run = await underLoad(server, async () => {
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
    const run = await underLoad(server, async () => {
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
