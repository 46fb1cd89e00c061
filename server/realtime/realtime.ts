// Socket.IO on the HTTP server: handshake auth, one room per audience, views out through the games' Publisher.
import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { ClientToServer, ServerToClient } from '../../shared/protocol.ts';
import type { Games } from '../games/games.ts';
import type { Lobby } from '../games/lobby.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { onConnection, type SocketData } from './connection.ts';
import { PresenceBook } from './presence.ts';
import { controlRoom, roomOf } from './rooms.ts';
import { TokenBucket } from './token-bucket.ts';

export interface RealtimeDeps {
  games: Games;
  lobby: Lobby;
  log: Logger;
  metrics: Metrics;
  commandRate: number;
  commandBurst: number;
}

/** Socket.IO's limit on one message; REST bodies have the same. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export interface Realtime {
  io: Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>;
  /** Disconnects every socket and closes the HTTP server under it. */
  close(): Promise<void>;
}

export function attachRealtime(httpServer: HttpServer, deps: RealtimeDeps): Realtime {
  const { games, lobby, log, metrics } = deps;
  const io = new Server<ClientToServer, ServerToClient, Record<string, never>, SocketData>(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
  });
  const presence = new PresenceBook();
  const rooms = io.of('/').adapter.rooms;

  games.setPublisher({
    listening: (gameId, key) => (rooms.get(roomOf(gameId, key))?.size ?? 0) > 0,
    // One emit per room: Socket.IO encodes the packet once for all of the room's sockets.
    patch: (gameId, key, patch) => io.to(roomOf(gameId, key)).emit('patch', patch),
  });
  lobby.onRevoked((seats) => {
    for (const seat of seats) presence.disconnect(seat.gameId, [seat.playerId]);
  });
  metrics.gauge('flywheel_sockets_connected', 'Sockets connected to this process.', () => io.of('/').sockets.size);

  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
    lobby.authenticate(token)
      .then((seat) => {
        if (!seat) return next(new Error('UNAUTHORIZED'));
        socket.data.seat = seat;
        socket.data.bucket = new TokenBucket(deps.commandRate, deps.commandBurst);
        next();
      })
      .catch((err: unknown) => {
        log.error('handshake failed', { err });
        next(new Error('UNAVAILABLE'));
      });
  });

  io.on('connection', (socket) => {
    try {
      onConnection(socket, { games, lobby, presence, log, metrics, announcePresence: (gameId) => io.to(controlRoom(gameId)).emit('presence', presence.of(gameId)) });
    } catch (err) {
      log.error('connection setup failed', { err });
      socket.disconnect(true);
    }
  });

  return { io, close: () => io.close() };
}
