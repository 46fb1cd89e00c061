// The game id in the connection URL (`?game=`) is what a load balancer routes by; the seat's token decides the game,
// and a URL naming another game is refused rather than served.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { io } from 'socket.io-client';
import { createGame } from '../../helpers/http.ts';
import { startServer, type SpawnedServer } from '../../helpers/spawn-server.ts';

let server: SpawnedServer;

test.before(async () => {
  server = await startServer({ env: { STORE: 'memory' } });
});

test.after(async () => {
  await server?.destroy();
});

/** 'connected' or the connect_error's message. */
function attempt(token: string, query: Record<string, string>): Promise<string> {
  const socket = io(server.url, { auth: { token }, query, transports: ['websocket'], reconnection: false });
  return new Promise<string>((resolve) => {
    socket.once('connect', () => resolve('connected'));
    socket.once('connect_error', (err) => resolve(err.message));
  }).finally(() => socket.close());
}

test('a connection names its game in the URL; the token must belong to it', async () => {
  const a = await createGame(server.url, 'tutorial', { seed: 'a' });
  const b = await createGame(server.url, 'tutorial', { seed: 'b' });
  assert.is(await attempt(a.controlToken, { game: a.gameId }), 'connected');
  assert.is(await attempt(a.controlToken, {}), 'connected', 'the URL parameter is optional');
  assert.is(await attempt(a.controlToken, { game: b.gameId }), 'UNAUTHORIZED');
});

test.run();
