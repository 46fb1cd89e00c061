// Starts the Flywheel server: configuration from the environment, the store, the games, HTTP and Socket.IO.
// SIGTERM or SIGINT stops it cleanly: no new connections or commands, sockets closed, commands under way finished
// and stored, the store closed, exit 0.
import { createServer } from 'node:http';
import type { Scenario } from '../shared/scenario.ts';
import { readConfig, type Config } from './config.ts';
import { AuthBook } from './lobby/auth-book.ts';
import { Games } from './games/games.ts';
import { Lobby } from './lobby/lobby.ts';
import { createApp } from './http/app.ts';
import { createLogger } from './log.ts';
import { Metrics } from './metrics.ts';
import { openStore } from './open-store.ts';
import { attachRealtime } from './realtime/realtime.ts';
import { openRedisAdapter, type RedisAdapter } from './realtime/redis-adapter.ts';
import { loadScenarioLibrary } from './scenario-library.ts';
import { RedisStore } from './store/redis-store.ts';

/** How long a clean stop may take before the process gives up and exits anyway. */
const STOP_TIMEOUT_MS = 10_000;

function loadScenarios(config: Config): Map<string, Scenario> {
  const all = new Map<string, Scenario>();
  for (const dir of config.scenarioDirs) {
    for (const [id, scenario] of loadScenarioLibrary(dir)) {
      if (all.has(id)) throw new Error(`scenario id "${id}" is used twice (again in ${dir})`);
      all.set(id, scenario);
    }
  }
  return all;
}

async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  const scenarios = loadScenarios(config);
  const store = openStore(config);
  const metrics = new Metrics();
  // With Redis, other processes share the store and the rooms: any of them can serve any game.
  const shared = store instanceof RedisStore ? store : undefined;
  const games = new Games({
    store,
    log,
    metrics,
    snapshotEvery: config.snapshotEvery,
    sharedStore: !!shared,
    leases: shared,
  });
  const lobby = new Lobby({ games, auth: new AuthBook(store), scenarios, log });
  const cluster: RedisAdapter | undefined = shared ? await openRedisAdapter(config.redisUrl, log) : undefined;
  const httpServer = createServer(createApp({ lobby, store, metrics, log, clientDir: config.clientDir }));
  const realtime = attachRealtime(httpServer, {
    games,
    lobby,
    log,
    metrics,
    commandRate: config.commandRate,
    commandBurst: config.commandBurst,
    adapter: cluster?.adapter,
  });
  cluster?.onResubscribed(() => void realtime.refreshViews());

  // Every game is loaded and its deadline re-armed before the first client is let in.
  await games.start();
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address();
  log.info('listening', {
    port: typeof address === 'object' && address ? address.port : config.port,
    store: config.store,
    dataDir: config.dataDir,
    scenarios: [...scenarios.keys()],
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    setTimeout(() => {
      log.error('stop timed out; exiting anyway', {});
      process.exit(1);
    }, STOP_TIMEOUT_MS).unref();
    games.beginClose();
    // Socket.IO before the adapter's Redis client, which it uses until it is closed.
    await realtime.close();
    await games.drain();
    await cluster?.close();
    await store.close();
    log.info('stopped', {});
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stop(signal).catch((err: unknown) => {
        log.error('stop failed', { err });
        process.exit(1);
      });
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`flywheel: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
