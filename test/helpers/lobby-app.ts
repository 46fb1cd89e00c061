// The lobby's HTTP routes in this process, on a given store and on a clock the test can move: for tests that need
// several "server processes" on one store, or a store another process (a script) writes to as well.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { createApp } from '../../server/http/app.ts';
import { readConfig } from '../../server/config.ts';
import { Games } from '../../server/games/games.ts';
import { AuthBook } from '../../server/lobby/auth-book.ts';
import { Lobby } from '../../server/lobby/lobby.ts';
import { createLogger } from '../../server/log.ts';
import { Metrics } from '../../server/metrics.ts';
import type { EventStore } from '../../server/store/event-store.ts';
import { Scenario } from '../../shared/scenario.ts';

const tutorial = Scenario.parse(
  JSON.parse(readFileSync(new URL('../../scenarios/tutorial.json', import.meta.url), 'utf8')),
);

export interface LobbyApp {
  url: string;
  lobby: Lobby;
  /** Stops serving and closes the store it was given. */
  close(): Promise<void>;
  /** Moves this app's clock (the auth records' and the games') on by `ms`. */
  advance(ms: number): void;
}

export async function startLobbyApp(
  store: EventStore,
  opts: { shared?: boolean; env?: Record<string, string> } = {},
): Promise<LobbyApp> {
  let offset = 0;
  const now = () => Date.now() + offset;
  const log = createLogger('silent');
  const games = new Games({ store, log, metrics: new Metrics(), snapshotEvery: 1000, now, sharedStore: opts.shared });
  await games.start();
  const lobby = new Lobby({
    games,
    auth: new AuthBook(store, now),
    scenarios: new Map([[tutorial.id, tutorial]]),
    log,
  });
  const config = readConfig({ TRUST_PROXY: 'loopback', ...opts.env });
  const app = createApp({
    lobby,
    store,
    metrics: new Metrics(),
    log,
    clientDir: '/nonexistent',
    limits: config.limits,
    trustProxy: config.trustProxy,
  });
  const server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    lobby,
    advance: (ms) => {
      offset += ms;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      games.beginClose();
      await games.drain();
      await store.close();
    },
  };
}
