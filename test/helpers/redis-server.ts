// A private redis-server for one test file: its own free port and temp dir, so tests can kill and restart it.
// The system Redis on 6379 is never touched. Every server started here is SIGKILLed when the process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServerOptions {
  /** AOF with fsync on every write, so acknowledged data survives kill() and restart(). */
  appendOnly?: boolean;
  /**
   * With appendOnly: 'everysec' trades the last second of writes, on a crash of the machine, for speed (benchmarks).
   */
  fsync?: 'always' | 'everysec';
}

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  /** The running server's process id (for CPU figures). */
  readonly pid: number | undefined;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, then wait for the exit: a crash. */
  kill(): Promise<void>;
  /** Starts again on the same port and dir (stopping first if still running); resolves once it answers PING. */
  restart(): Promise<void>;
  /** Kills it and removes its dir. */
  destroy(): Promise<void>;
}

const live = new Set<ChildProcess>();
const dirs = new Set<string>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

export async function startRedis(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-redis-'));
  dirs.add(dir);
  let child: ChildProcess | undefined;
  let port = 0;
  // Another process may grab the free port between probe and bind: try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, dir, options);
      break;
    } catch (err) {
      if (attempt === 3) {
        rmSync(dir, { recursive: true, force: true });
        dirs.delete(dir);
        throw err;
      }
    }
  }

  const server: RedisServer = {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    get pid() {
      return child?.pid;
    },
    async stop() {
      if (child) await terminate(child, 'SIGTERM');
    },
    async kill() {
      if (child) await terminate(child, 'SIGKILL');
    },
    async restart() {
      if (child) await terminate(child, 'SIGTERM');
      child = await launch(port, dir, options);
    },
    async destroy() {
      if (child) await terminate(child, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
      dirs.delete(dir);
    },
  };
  return server;
}

async function launch(port: number, dir: string, options: RedisServerOptions): Promise<ChildProcess> {
  if (port === 6379) throw new Error('refusing to run a test redis on 6379');
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--dir',
    dir,
    '--logfile',
    join(dir, 'redis.log'),
  ];
  args.push(
    ...(options.appendOnly
      ? ['--appendonly', 'yes', '--appendfsync', options.fsync ?? 'always']
      : ['--appendonly', 'no']),
  );
  const child = spawn('redis-server', args, { stdio: 'ignore' });
  live.add(child);
  child.once('exit', () => live.delete(child));
  // A forgotten server must not keep the test process alive; the exit hook above still kills it.
  child.unref();
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined);

  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    const answered = await Promise.race([ping(port), spawnError]);
    if (answered) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  await terminate(child, 'SIGKILL');
  throw new Error(`redis-server on port ${port} did not answer PING:\n${logTail(dir)}`);
}

export async function terminate(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000); // a SIGTERM that is ignored must not hang a test
  await exited;
  clearTimeout(timer);
}

/** Resolves true once the server replies +PONG (a loading server replies -LOADING: not ready yet). */
export function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function logTail(dir: string): string {
  try {
    return readFileSync(join(dir, 'redis.log'), 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
