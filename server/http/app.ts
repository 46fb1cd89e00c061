// The Express app: JSON API under /api, health and metrics, and the built client. Socket.IO shares its server.
import { networkInterfaces } from 'node:os';
import express from 'express';
import type { Lobby } from '../lobby/lobby.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { Health } from '../health.ts';
import type { EventStore } from '../store/event-store.ts';
import { errorHandler, sendError } from './errors.ts';
import { Gates } from './gates.ts';
import { lobbyRoutes } from './lobby-routes.ts';
import { recordRoutes } from './record-routes.ts';
import type { RecordDesk } from '../record/desk.ts';
import { fromThisMachine, opsRoutes } from './ops-routes.ts';
import type { SeatHands } from '../bots/seat-hands.ts';
import { seatRoutes } from './seat-routes.ts';
import type { Cohorts } from '../cohorts/cohorts.ts';
import { cohortRoutes } from './cohort-routes.ts';
import { staticClient } from './static-client.ts';
import { readConfig, type Config, type Limits } from '../config.ts';
import { securityHeaders } from './security-headers.ts';
import type { MetricsAccess } from './ops-routes.ts';

export interface AppDeps {
  lobby: Lobby;
  store: EventStore;
  metrics: Metrics;
  log: Logger;
  clientDir: string;
  /** What /healthz reports; absent, the store's probe alone. */
  health?: Health;
  /** The White Cell's seat menu (bots, playing a seat); absent, those routes answer 404. */
  seats?: SeatHands;
  /** Seminar cohorts; absent, those routes answer 404. */
  cohorts?: Cohorts;
  /** Limits on creating and joining games (the defaults of config.ts when absent). */
  limits?: Limits;
  trustProxy?: Config['trustProxy'];
  /** How /metrics is reached on this app: see ops-routes.ts. */
  metricsAccess?: MetricsAccess;
  /** Exports, replay and fork (absent in tests that need only the lobby). */
  record?: RecordDesk;
  /** PUBLIC_URL, if set: the address join links and QR codes should carry. */
  publicUrl?: string | null;
}

/** This machine's LAN addresses (IPv4, not loopback): what a phone in the room can reach when no PUBLIC_URL is set. */
function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && i.family === 'IPv4' && !i.internal)
    .map((i) => i!.address);
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(securityHeaders());
  const access = deps.metricsAccess ?? { onMain: true, token: undefined };
  app.use(opsRoutes(deps.health ?? new Health({ store: deps.store }), deps.metrics, access));
  // Where join links should point: the configured public address, or hints for a facilitator on localhost.
  // The LAN addresses only to a page opened on this machine (the facilitator's laptop on localhost, the one case the
  // hint is for): the network's layout is nobody else's business.
  app.get('/api/address', (req, res) => {
    res.json({ publicUrl: deps.publicUrl ?? null, lan: fromThisMachine(req) ? lanAddresses() : [] });
  });
  const limits = deps.limits ?? readConfig({}).limits;
  const gates = new Gates(limits, deps.log);
  app.use(
    '/api',
    express.json({ limit: '64kb' }),
    lobbyRoutes(deps.lobby, gates, deps.cohorts?.byShortCode.bind(deps.cohorts)),
  );
  if (deps.seats) app.use('/api', express.json({ limit: '64kb' }), seatRoutes(deps.seats));
  if (deps.cohorts) app.use('/api', express.json({ limit: '64kb' }), cohortRoutes(deps.cohorts, gates));
  if (deps.record) app.use('/api', recordRoutes(deps.record, deps.lobby));
  app.use('/api', (_req, res) => sendError(res, 404, 'NOT_FOUND', 'No such route'));
  app.use(staticClient(deps.clientDir));
  app.use(errorHandler(deps.log));
  return app;
}
