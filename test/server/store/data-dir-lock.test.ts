// One server owns a data directory: a second server on it refuses to start, naming the owner; a lock left by a
// process that died is taken over; a lock naming another host is not; a clean stop gives the directory back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE, lockDataDir } from '../../../server/store/data-dir-lock.ts';
import { freePort, startServer } from '../../helpers/spawn-server.ts';

const root = new URL('../../..', import.meta.url).pathname;
const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-lock-'));
  dirs.push(dir);
  return dir;
};
const owner = (dir: string) => JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
const holdBy = (dir: string, host: string, pid: number) =>
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ host, pid }));

test.after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test('the lock names this process, is re-entrant within it, and a release gives it back', () => {
  const dir = freshDir();
  const release = lockDataDir(dir);
  const { started, ...who } = owner(dir);
  assert.equal(who, { host: hostname(), pid: process.pid });
  assert.match(started, /^[0-9a-f-]+\/\d+$/, 'the boot and the start time, on Linux');
  lockDataDir(dir);
  assert.equal(readdirSync(dir), [LOCK_FILE], 'the lock is written whole beside it, then linked, and nothing is left');
  assert.is(statSync(join(dir, LOCK_FILE)).mode & 0o777, 0o600);
  release();
  assert.not.ok(existsSync(join(dir, LOCK_FILE)));
});

test('a lock file that does not read as one (damaged, or emptied) is taken over', () => {
  for (const text of ['', 'garbage', '{"host": 3}']) {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE), text);
    const release = lockDataDir(dir);
    assert.is(owner(dir).pid, process.pid, JSON.stringify(text));
    release();
  }
});

test('a live process of this host keeps it; a dead one loses it; another host keeps it', async () => {
  const dir = freshDir();
  const sleeper = spawn('sleep', ['30']);
  try {
    holdBy(dir, hostname(), sleeper.pid!);
    assert.throws(() => lockDataDir(dir), new RegExp(`in use by process ${sleeper.pid}`));
  } finally {
    sleeper.kill('SIGKILL');
    await once(sleeper, 'exit');
  }
  lockDataDir(dir)();
  holdBy(dir, hostname(), spawnSync('true').pid!);
  const release = lockDataDir(dir);
  assert.is(owner(dir).pid, process.pid, 'taken over from a process that is gone');
  release();
  holdBy(dir, 'elsewhere.example', process.pid);
  assert.throws(() => lockDataDir(dir), /on elsewhere\.example.*If that process is gone, remove/);
});

test('a process id now held by another program is not the owner; the one that wrote the lock is', async () => {
  const dir = freshDir();
  const sleeper = spawn('sleep', ['30']);
  try {
    const stat = readFileSync(`/proc/${sleeper.pid}/stat`, 'utf8');
    const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    const hold = (started: string) =>
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ host: hostname(), pid: sleeper.pid, started }));
    hold(`${boot}/${ticks}`);
    assert.throws(() => lockDataDir(dir), /in use by process/, 'the very process that wrote it');
    // The same id, but a process that started at another time (the owner died, and its id was given again).
    hold(`${boot}/${Number(ticks) - 1}`);
    lockDataDir(dir)();
    hold(`another-boot/${ticks}`);
    lockDataDir(dir)();
  } finally {
    sleeper.kill('SIGKILL');
    await once(sleeper, 'exit');
  }
});

test('a second server on the same data directory refuses to start, and the first keeps serving', async () => {
  const first = await startServer();
  try {
    const second = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: first.dataDir, PORT: String(await freePort()), LOG_LEVEL: 'silent' },
    });
    let err = '';
    second.stderr.on('data', (chunk) => {
      err += chunk;
    });
    const [code] = await once(second, 'exit');
    assert.is(code, 1);
    assert.match(err, /is in use by process \d+/);
    assert.is((await fetch(`${first.url}/healthz`)).status, 200);
    // A crash leaves the lock behind: the restart takes it over.
    await first.kill();
    await first.restart();
    assert.is((await fetch(`${first.url}/healthz`)).status, 200);
    // A clean stop gives the directory back.
    assert.is(await first.stop('SIGTERM'), 0);
    assert.not.ok(existsSync(join(first.dataDir, LOCK_FILE)));
  } finally {
    await first.destroy();
  }
});

test.run();
