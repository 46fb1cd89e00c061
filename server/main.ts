// Starts the Flywheel server: configuration from the environment, the store, the games, HTTP and Socket.IO.
// SIGTERM or SIGINT stops it cleanly, in this order: /healthz answers 503 "draining" and new connections are refused
// (a balancer sends new clients elsewhere); new commands are answered SHUTTING_DOWN; commands under way finish, are
// stored and answered; only then are the sockets closed (once those answers have left), the store last; exit 0.
import { createServer } from 'node:http';
import { readConfig } from './config.ts';
import { AuthBook } from './lobby/auth-book.ts';
import { Games } from './games/games.ts';
import { Lobby } from './lobby/lobby.ts';
import express from 'express';
import { createApp } from './http/app.ts';
import { FaultLog } from './fault-log.ts';
import { Health } from './health.ts';
import { clientAddress, type TrustFn } from './http/client-address.ts';
import { answerClientErrors } from './http/client-errors.ts';
import { metricsRoutes } from './http/ops-routes.ts';
import { RecordDesk } from './record/desk.ts';
import { createLogger } from './log.ts';
import { Metrics } from './metrics.ts';
import { openStore } from './open-store.ts';
import { lockDataDir } from './store/data-dir-lock.ts';
import { attachRealtime } from './realtime/realtime.ts';
import { openRedisAdapter, type RedisAdapter } from './realtime/redis-adapter.ts';
import { loadScenarios } from './scenario-library.ts';
import { GuardedStore } from './store/guarded-store.ts';
import { DamageBook } from './store/damage-book.ts';
import { checkStoredRecord } from './record-checks.ts';
import { BotRunner } from './bots/runner.ts';
import { SeatHands } from './bots/seat-hands.ts';
import { STRATEGIES } from './bots/library.ts';
import { Cohorts } from './cohorts/cohorts.ts';

/** How long a clean stop may take before the process gives up and exits anyway. */
const STOP_TIMEOUT_MS = 10_000;

async function main(): Promise<void> {
  const config = readConfig();
  const log = createLogger(config.logLevel);
  for (const warning of config.warnings) log.warn('setting', { warning });
  const scenarios = loadScenarios(config.scenarioDirs);
  const metrics = new Metrics({ process: true });
  const faults = new FaultLog(log);
  // With a shared store (Redis), other processes share the games and the rooms: any of them can serve any game.
  // The file store's versions live in this process: a second server on the same directory is refused.
  const releaseDataDir = config.store === 'file' ? lockDataDir(config.dataDir) : () => {};
  const { store: opened, shared, leases, settingsWarnings } = openStore(config);
  // Every caller goes through the breaker, so that an outage is answered at once rather than after a timeout.
  // Damaged records, whichever noticed them: the store's guard (a line that does not read, in any record, or a
  // sign-in, seminar or short code record whose events its fold cannot take) or Games (a game log that does not
  // replay). /healthz lists them all.
  const damage = new DamageBook(log);
  const store = new GuardedStore(opened, { metrics, faults, damage, check: checkStoredRecord });
  const games = new Games({
    store,
    log,
    metrics,
    snapshotEvery: config.snapshotEvery,
    sharedStore: shared,
    leases,
    faults,
    damage,
  });
  const health = new Health({ store, storeCondition: () => store.condition(), damaged: () => games.damaged() });
  const auth = new AuthBook(store, Date.now, config.limits.seatsPerCode);
  const lobby = new Lobby({ games, auth, scenarios, log });
  const bots = new BotRunner({ games, log, strategies: STRATEGIES });
  const seats = new SeatHands({ games, lobby, auth, runner: bots, strategies: STRATEGIES, log });
  const cohorts = new Cohorts({ store, games, lobby, auth, hands: seats, scenarios, log, sharedStore: !!shared });
  const cluster: RedisAdapter | undefined = shared
    ? await openRedisAdapter(config.redisCluster ? { cluster: config.redisCluster } : config.redisUrl, log)
    : undefined;
  const record = new RecordDesk(games, lobby);
  const app = createApp({
    lobby,
    store,
    metrics,
    log,
    clientDir: config.clientDir,
    health,
    seats,
    cohorts,
    record,
    publicUrl: config.publicUrl,
    limits: config.limits,
    trustProxy: config.trustProxy,
    metricsAccess: { onMain: config.metricsPort === undefined, token: config.metricsToken },
  });
  const httpServer = createServer(app);
  answerClientErrors(httpServer);
  const trust = app.get('trust proxy fn') as TrustFn;
  const realtime = attachRealtime(httpServer, {
    games,
    lobby,
    log,
    metrics,
    commandRate: config.commandRate,
    commandBurst: config.commandBurst,
    heartbeat: { intervalMs: config.pingIntervalMs, timeoutMs: config.pingTimeoutMs },
    limits: config.limits,
    addressOf: (req) => clientAddress(req, trust),
    adapter: cluster?.adapter,
    faults,
    draining: () => health.draining,
  });
  cluster?.onResubscribed(() => void realtime.refreshViews());
  cohorts.watchPresence(realtime.onlinePlayers);

  // Every game is loaded and its deadline re-armed before the first client is let in.
  await games.start();
  await cohorts.start();
  // Games.start read every game's log; the sign-in and seminar records are read only when someone uses them. Each is
  // read once now (small files; a short code's too), so that a damaged one is named in /healthz and the log from the start, not only once
  // its players are refused; the guard notes the damage (GuardedStore), and nothing else is refused for it.
  for (const id of await store.listGames())
    if (id.endsWith('-auth') || id.endsWith('-cohort') || id.endsWith('-joincode'))
      await store.load(id).catch(() => undefined);
  // Redis answered the games' loading just now: its settings are read once, and what breaks an ack is logged.
  for (const warning of (await settingsWarnings?.().catch(() => [])) ?? []) log.warn('redis setting', { warning });
  bots.start();
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => resolve());
  });
  // Metrics on a port of their own (loopback by default), out of the balancer's reach.
  let metricsServer: ReturnType<typeof createServer> | undefined;
  if (config.metricsPort !== undefined) {
    const metricsApp = express();
    metricsApp.disable('x-powered-by');
    metricsApp.use(metricsRoutes(metrics, config.metricsToken));
    metricsServer = createServer(metricsApp);
    answerClientErrors(metricsServer);
    await new Promise<void>((resolve, reject) => {
      metricsServer!.once('error', reject);
      metricsServer!.listen(config.metricsPort, config.metricsHost, () => resolve());
    });
  }
  const address = httpServer.address();
  log.info('listening', {
    port: typeof address === 'object' && address ? address.port : config.port,
    store: config.store,
    ...(config.store === 'file' ? { dataDir: config.dataDir } : {}),
    ...(config.metricsPort !== undefined ? { metricsPort: config.metricsPort } : {}),
    // Whether creating a game needs CREATE_KEY: said at the start, since an open server is a choice to see.
    creation: config.limits.createKey ? 'needs CREATE_KEY' : 'open',
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
    // At once: /healthz says "draining" and new connections are refused, while the sockets open stay open.
    health.drain();
    bots.close();
    // New commands are answered SHUTTING_DOWN; those under way finish, are stored, and are answered.
    games.beginClose();
    metricsServer?.close();
    // Two turns of the event loop, so that commands already received by the kernel are read and answered too.
    for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
    await games.drain();
    // Only now the sockets, once their answers have left; Socket.IO before the adapter's Redis client.
    await realtime.close();
    await cluster?.close();
    await store.close();
    releaseDataDir();
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
