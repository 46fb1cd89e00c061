// The real server for the browser tests, started with the server work's helper (test/helpers/spawn-server.ts):
// its own free port and temporary DATA_DIR, the built client in dist/client.
import { spawn } from 'node:child_process';
import { startServer as spawnServer } from '../helpers/spawn-server.ts';

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  log(): string;
  /** Stops for good and deletes the data directory. */
  stop(): Promise<void>;
  /** Stops the process but keeps its data, as a crash or a deploy would; `resume` starts it again on the same port. */
  halt(): Promise<void>;
  resume(): Promise<void>;
}

/** The client must be built before the server serves it: the same check `npm start` runs. */
export async function ensureClient() {
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/ensure-client.mjs'], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ensure-client exited ${code}`))));
  });
}

export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  // A roomier rate limit than production's: one test page may click quickly.
  const s = await spawnServer({ env: { STORE: 'file', COMMAND_RATE: '200', COMMAND_BURST: '400', ...env } });
  return {
    url: s.url,
    port: s.port,
    dataDir: s.dataDir,
    log: s.output,
    stop: () => s.destroy(),
    halt: async () => {
      await s.stop('SIGTERM');
    },
    resume: () => s.restart(),
  };
}
