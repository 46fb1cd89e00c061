// Socket.IO on the HTTP server: handshake auth, one room per audience, views out through the games' Publisher.
// With a cluster adapter (Redis sharded pub/sub) the rooms span every process: a patch emitted here reaches the game's
// sockets wherever they are connected, presence counts them all, and a revoked seat is closed wherever it is.
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import type { ClientToServer, ServerToClient } from '../../shared/protocol.ts';
import type { GameNotice, Games } from '../games/games.ts';
import type { Lobby } from '../lobby/lobby.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { audienceOf } from '../games/seat.ts';
import { onConnection, type InterServer, type SocketData } from './connection.ts';
import { PresenceAnnouncer } from './presence.ts';
import { controlRoom, gameRoom, playerRoom, roomOf } from './rooms.ts';

export interface RealtimeDeps {
  games: Games;
  lobby: Lobby;
  log: Logger;
  metrics: Metrics;
  commandRate: number;
  commandBurst: number;
  /** A cluster adapter (several processes); absent, Socket.IO's in-memory one (this process is alone). */
  adapter?: ServerOptions['adapter'];
}

/** Socket.IO's limit on one message; REST bodies have the same. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** How long presence waits for the other processes to list their sockets. */
const FETCH_TIMEOUT_MS = 3000;

export type FlyServer = Server<ClientToServer, ServerToClient, InterServer, SocketData>;

export interface Realtime {
  io: FlyServer;
  /**
   * Sends every socket of this process its whole view, caught up with the store: after the adapter lost Redis for a
   * while, patches published meanwhile by other processes are gone, and this closes the gap at once.
   */
  refreshViews(): Promise<void>;
  /** Disconnects every socket and closes the HTTP server under it (and the adapter). */
  close(): Promise<void>;
}

export function attachRealtime(httpServer: HttpServer, deps: RealtimeDeps): Realtime {
  const { games, lobby, log, metrics } = deps;
  const cluster = deps.adapter !== undefined;
  const io: FlyServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    ...(cluster ? { adapter: deps.adapter } : {}),
  });
  const rooms = io.of('/').adapter.rooms;
  const presence = new PresenceAnnouncer({
    seatsOf: async (gameId) =>
      (await io.in(gameRoom(gameId)).timeout(FETCH_TIMEOUT_MS).fetchSockets()).map((s) => s.data.seat),
    send: (p) => io.to(controlRoom(p.gameId)).emit('presence', p),
    log,
  });

  games.setPublisher({
    // This process cannot see the other processes' rooms: in a cluster every audience is assumed to be listening.
    listening: cluster ? () => true : (gameId, key) => (rooms.get(roomOf(gameId, key))?.size ?? 0) > 0,
    // One emit per room: Socket.IO encodes the packet once for all of the room's sockets (and the adapter once for Redis).
    patch: (gameId, key, patch) => io.to(roomOf(gameId, key)).emit('patch', patch),
    moved: cluster ? (notice) => io.serverSideEmit('moved', notice) : () => {},
  });
  if (cluster) {
    io.on('moved', (raw: unknown) => {
      const notice = parseNotice(raw);
      if (notice) games.noticed(notice);
    });
  }
  lobby.onRevoked((seats) => {
    // Through the adapter: the process holding the socket closes it.
    for (const seat of seats) io.in(playerRoom(seat.gameId, seat.playerId)).disconnectSockets(true);
  });
  metrics.gauge('flywheel_sockets_connected', 'Sockets connected to this process.', () => io.of('/').sockets.size);

  io.use((socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
    lobby
      .authenticate(token)
      .then(async (seat) => {
        if (!seat) return next(new Error('UNAUTHORIZED'));
        // The game id in the URL is for load balancers to route by; one naming another game is a confused client.
        const routed = socket.handshake.query.game;
        if (routed !== undefined && routed !== seat.gameId) return next(new Error('UNAUTHORIZED'));
        // The whole view sent on connection must be the game as stored, not as this process last saw it.
        await games.sync(seat.gameId);
        socket.data.seat = seat;
        next();
      })
      .catch((err: unknown) => {
        log.error('handshake failed', { err });
        next(new Error('UNAVAILABLE'));
      });
  });

  io.on('connection', (socket) => {
    try {
      onConnection(socket, {
        games,
        lobby,
        log,
        metrics,
        commandRate: deps.commandRate,
        commandBurst: deps.commandBurst,
        announcePresence: (gameId) => presence.announce(gameId),
      });
    } catch (err) {
      log.error('connection setup failed', { err });
      socket.disconnect(true);
    }
  });

  const refreshViews = async () => {
    const byGame = new Map<string, FlySocketList>();
    for (const socket of io.of('/').sockets.values()) {
      const seat = socket.data.seat;
      if (!seat) continue;
      byGame.set(seat.gameId, [...(byGame.get(seat.gameId) ?? []), socket]);
    }
    for (const [gameId, sockets] of byGame) {
      try {
        const game = await games.sync(gameId);
        if (!game) continue;
        for (const socket of sockets) socket.emit('view', games.fullView(game, audienceOf(socket.data.seat)));
      } catch (err) {
        log.warn('refreshing views failed', { game: gameId, err });
      }
    }
  };

  return {
    io,
    refreshViews,
    close: () => {
      presence.close();
      return io.close();
    },
  };
}

type FlySocketList = ReturnType<FlyServer['of']>['sockets'] extends Map<string, infer S> ? S[] : never;

/** A notice comes from another process through Redis: trusted, but checked before it reaches the games. */
function parseNotice(raw: unknown): GameNotice | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const { gameId, version, deadline } = raw as Record<string, unknown>;
  if (typeof gameId !== 'string' || !Number.isSafeInteger(version)) return null;
  if (deadline !== null && typeof deadline !== 'number') return null;
  return { gameId, version: version as number, deadline };
}
