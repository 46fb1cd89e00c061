// A real Flywheel server in a child process, as `npm start` runs it: its own free port and temp DATA_DIR, silent
// logs. It can be killed (SIGKILL: a crash) and restarted on the same port and data. Every server started here is
// killed when the test process exits.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ServerOptions {
  /** Extra environment (SCENARIO_DIR, COMMAND_RATE, STORE...). */
  env?: Record<string, string>;
  /** Reuse a data dir (default: a fresh temp dir, removed on destroy). */
  dataDir?: string;
}

export interface SpawnedServer {
  url: string;
  port: number;
  dataDir: string;
  /** What the server wrote to stdout and stderr (for failure messages). */
  output(): string;
  /**
   * Resolves with the output once it matches `pattern`, or rejects after 10 s: the server writes its log lines in
   * chunks, up to 200 ms after the event (server/log.ts).
   */
  logged(pattern: RegExp): Promise<string>;
  /** Sends a signal and waits for the exit; resolves with the exit code (null if killed by the signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL: the process dies at once, mid-whatever. */
  kill(): Promise<void>;
  /** Starts again on the same port and data dir; resolves once /healthz answers 200. */
  restart(): Promise<void>;
  /** Kills it and removes its data dir (if the helper made it). */
  destroy(): Promise<void>;
  alive(): boolean;
}

const root = new URL('../..', import.meta.url).pathname;
const live = new Set<ChildProcess>();
const dirs = new Set<string>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * A free port: any the system gives, or with TEST_PORTS="5100-5199" one in that range (a machine where several
 * people's tests run side by side, each in their own range).
 */
export async function freePort(): Promise<number> {
  const range = /^(\d+)-(\d+)$/.exec(process.env.TEST_PORTS ?? '');
  if (!range) return listenOn(0);
  const [lo, hi] = [Number(range[1]), Number(range[2])];
  const start = lo + Math.floor(Math.random() * (hi - lo + 1));
  for (let i = 0; i <= hi - lo; i++) {
    const port = lo + ((start - lo + i) % (hi - lo + 1));
    const got = await listenOn(port).catch(() => 0);
    if (got) return got;
  }
  throw new Error(`no free port in ${process.env.TEST_PORTS}`);
}

function listenOn(wanted: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(wanted, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startServer(options: ServerOptions = {}): Promise<SpawnedServer> {
  const ownDir = !options.dataDir;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'flywheel-server-'));
  if (ownDir) dirs.add(dataDir);
  let port = await freePort();
  let child: ChildProcess | undefined;
  let out = '';

  const launch = async () => {
    out = '';
    const c = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        LOG_LEVEL: 'silent',
        // Tests create games and post chat far faster than people do: the limits are raised unless a test sets them.
        CREATE_RATE: '100000',
        JOIN_FAILURES: '100000',
        CHAT_RATE: '1000000',
        CHAT_BURST: '100000',
        SOCKETS_PER_SEAT: '1000',
        ...options.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(c);
    c.once('exit', () => live.delete(c));
    c.stdout!.on('data', (d) => {
      out += d;
    });
    c.stderr!.on('data', (d) => {
      out += d;
    });
    child = c;
    await waitHealthy(c, port, () => out);
  };

  const stop = async (signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> => {
    const c = child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return c?.exitCode ?? null;
    const exited = once(c, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    c.kill(signal);
    const timer = setTimeout(() => c.kill('SIGKILL'), 20_000); // an ignored SIGTERM must not hang a test
    const [code] = await exited;
    clearTimeout(timer);
    return code;
  };

  // Another process may take the probed port before the server binds it: try a few.
  for (let attempt = 1; ; attempt++) {
    try {
      await launch();
      break;
    } catch (err) {
      if (attempt === 3 || !/EADDRINUSE/.test(out)) throw err;
      port = await freePort();
    }
  }

  return {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    dataDir,
    output: () => out,
    async logged(pattern) {
      for (let i = 0; i < 500 && !pattern.test(out); i++) await new Promise((r) => setTimeout(r, 20));
      if (!pattern.test(out)) throw new Error(`the server never logged ${pattern}:\n${out.slice(-2000)}`);
      return out;
    },
    stop,
    async kill() {
      await stop('SIGKILL');
    },
    async restart() {
      await stop('SIGKILL');
      await launch();
    },
    async destroy() {
      await stop('SIGKILL');
      if (ownDir) {
        rmSync(dataDir, { recursive: true, force: true });
        dirs.delete(dataDir);
      }
    },
    alive: () => !!child && child.exitCode === null && child.signalCode === null,
  };
}

async function waitHealthy(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server on port ${port} was not healthy within 60 s:\n${output()}`);
}
