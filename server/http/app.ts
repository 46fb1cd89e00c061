// The Express app: JSON API under /api, health and metrics, and the built client. Socket.IO shares its server.
import express from 'express';
import type { Lobby } from '../lobby/lobby.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { EventStore } from '../store/event-store.ts';
import { errorHandler, sendError } from './errors.ts';
import { lobbyRoutes } from './lobby-routes.ts';
import { recordRoutes } from './record-routes.ts';
import type { RecordDesk } from '../record/desk.ts';
import { opsRoutes } from './ops-routes.ts';
import { staticClient } from './static-client.ts';

export interface AppDeps {
  lobby: Lobby;
  store: EventStore;
  metrics: Metrics;
  log: Logger;
  clientDir: string;
  /** Exports, replay and fork (absent in tests that need only the lobby). */
  record?: RecordDesk;
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(opsRoutes(deps.store, deps.metrics));
  app.use('/api', express.json({ limit: '64kb' }), lobbyRoutes(deps.lobby));
  if (deps.record) app.use('/api', recordRoutes(deps.record, deps.lobby));
  app.use('/api', (_req, res) => sendError(res, 404, 'NOT_FOUND', 'No such route'));
  app.use(staticClient(deps.clientDir));
  app.use(errorHandler(deps.log));
  return app;
}
