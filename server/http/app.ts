// The Express app: JSON API under /api, health and metrics, and the built client. Socket.IO shares its server.
import { networkInterfaces } from 'node:os';
import express from 'express';
import type { Lobby } from '../lobby/lobby.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import type { EventStore } from '../store/event-store.ts';
import { errorHandler, sendError } from './errors.ts';
import { lobbyRoutes } from './lobby-routes.ts';
import { opsRoutes } from './ops-routes.ts';
import { staticClient } from './static-client.ts';

export interface AppDeps {
  lobby: Lobby;
  store: EventStore;
  metrics: Metrics;
  log: Logger;
  clientDir: string;
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
  app.use(opsRoutes(deps.store, deps.metrics));
  // Where join links should point: the configured public address, or hints for a facilitator on localhost.
  app.get('/api/address', (_req, res) => {
    res.json({ publicUrl: deps.publicUrl ?? null, lan: lanAddresses() });
  });
  app.use('/api', express.json({ limit: '64kb' }), lobbyRoutes(deps.lobby));
  app.use('/api', (_req, res) => sendError(res, 404, 'NOT_FOUND', 'No such route'));
  app.use(staticClient(deps.clientDir));
  app.use(errorHandler(deps.log));
  return app;
}
