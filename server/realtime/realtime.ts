// Socket.IO on the HTTP server: handshake auth, one room per audience, views out through the games' Publisher.
// With a cluster adapter (Redis sharded pub/sub) the rooms span every process: a patch emitted here reaches the game's
// sockets wherever they are connected, presence counts them all, and a revoked seat is closed wherever it is.
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import type { ClientToServer, ServerToClient } from '../../shared/protocol.ts';
import type { GameNotice } from '../games/games.ts';
import type { FaultLog } from '../fault-log.ts';
import { CorruptLog, StoreUnavailable } from '../store/event-store.ts';
import { onConnection, type ServerDeps, type InterServer, type SocketData } from './connection.ts';
import { audienceOf, seatGone } from '../games/seat.ts';
import { PresenceAnnouncer } from './presence.ts';
import { readConfig, type Limits } from '../config.ts';
import { KeyedBuckets } from '../http/keyed-buckets.ts';
import { controlRoom, gameRoom, playerRoom, roomOf } from './rooms.ts';

export interface RealtimeDeps extends ServerDeps {
  /** A cluster adapter (several processes); absent, Socket.IO's in-memory one (this process is alone). */
  adapter?: ServerOptions['adapter'];
  /** Expected faults (storage down) are logged once per condition. */
  faults?: FaultLog;
  /** True once the process is stopping: new connections are refused with SHUTTING_DOWN (retry elsewhere). */
  draining?: () => boolean;
  /** Per-seat limits (config.ts); the defaults when absent. */
  limits?: Limits;
  /** The client's address behind the trusted proxies (http/client-address.ts). */
  addressOf?: (req: IncomingMessage) => string;
  /** Socket.IO's heartbeat (config.ts); absent: a ping every 10 s, given 5 s to answer. */
  heartbeat?: { intervalMs: number; timeoutMs: number };
}

/** How long a stop waits for the answers already written to a socket to leave before closing it anyway. */
const FLUSH_TIMEOUT_MS = 2000;

/** Socket.IO's limit on one message; REST bodies have the same. */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** How long presence waits for the other processes to list their sockets. */
const FETCH_TIMEOUT_MS = 3000;
/** How long a game's connected players, once gathered for a dashboard, answer again without asking. */
const ONLINE_KEPT_MS = 1500;

export type FlyServer = Server<ClientToServer, ServerToClient, InterServer, SocketData>;

export interface Realtime {
  io: FlyServer;
  /**
   * Sends every socket of this process its whole view, caught up with the store: after the adapter lost Redis for a
   * while, patches published meanwhile by other processes are gone, and this closes the gap at once.
   */
  refreshViews(): Promise<void>;
  /** The players connected to a game now, on any process; null if the processes did not all answer in time. */
  onlinePlayers(gameId: string): Promise<ReadonlySet<string> | null>;
  /**
   * Closes every socket once what was written to it has been sent (answers to the last commands included), then
   * the HTTP server under them (and the adapter). Clients see a transport close and reconnect by themselves.
   */
  close(): Promise<void>;
}

export function attachRealtime(httpServer: HttpServer, deps: RealtimeDeps): Realtime {
  const { games, lobby, log, metrics } = deps;
  const cluster = deps.adapter !== undefined;
  const io: FlyServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    // A silent link (a sleeping laptop, a dropped Wi-Fi) is noticed within pingInterval + pingTimeout on both
    // sides: 15 s by default instead of Socket.IO's 45 s, for a ping and a pong per socket every 10 s.
    pingInterval: deps.heartbeat?.intervalMs ?? 10_000,
    pingTimeout: deps.heartbeat?.timeoutMs ?? 5_000,
    ...(cluster ? { adapter: deps.adapter } : {}),
  });
  const rooms = io.of('/').adapter.rooms;
  /** The seats of every socket connected to a game, on any process (through the adapter when there are several). */
  const seatsOf = async (gameId: string) =>
    (await io.in(gameRoom(gameId)).timeout(FETCH_TIMEOUT_MS).fetchSockets()).map((s) => s.data.seat);
  const presence = new PresenceAnnouncer({
    seatsOf,
    send: (p) => io.to(controlRoom(p.gameId)).emit('presence', p),
    log,
    watched: function* () {
      for (const socket of io.of('/').sockets.values())
        if (socket.data.seat?.role === 'control') yield socket.data.seat.gameId;
    },
  });

  games.setPublisher({
    // This process cannot see the other processes' rooms: in a cluster every audience is assumed to be listening.
    listening: cluster ? () => true : (gameId, key) => (rooms.get(roomOf(gameId, key))?.size ?? 0) > 0,
    // One emit per room: Socket.IO encodes the packet once for
    // all of the room's sockets (and the adapter once for Redis).
    patch: (gameId, key, patch) => io.to(roomOf(gameId, key)).emit('patch', patch),
    moved: cluster ? (notice) => io.serverSideEmit('moved', notice) : () => {},
    seatsChanged: (gameId, state, playerIds) => {
      for (const playerId of playerIds)
        for (const id of rooms.get(playerRoom(gameId, playerId)) ?? []) {
          const socket = io.of('/').sockets.get(id);
          if (socket?.data.seat && seatGone(state, socket.data.seat)) socket.disconnect(true);
        }
    },
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
  // A renamed or moved seat is closed the same way; its client reconnects with the same token to the new seat.
  lobby.onReseated((seat) => io.in(playerRoom(seat.gameId, seat.playerId)).disconnectSockets(true));
  metrics.gauge('flywheel_sockets_connected', 'Sockets connected to this process.', () => io.of('/').sockets.size);

  const limits = deps.limits ?? readConfig({}).limits;
  const addressOf = deps.addressOf ?? ((req: IncomingMessage) => req.socket.remoteAddress ?? 'unknown');
  // Budgets per seat, not per socket: opening more sockets on one token buys no more messages.
  const seatCommands = new KeyedBuckets(deps.commandRate * 60, deps.commandBurst);
  const seatChat = new KeyedBuckets(limits.chatRate, limits.chatBurst);
  // Reads by what they weigh, per audience: a team's forty players share one budget, so that a code handed round
  // cannot multiply it, and a page of 100 long lines costs what it sends.
  const audienceReads = new KeyedBuckets(limits.readRateKb, limits.readBurstKb);

  io.use((socket, next) => {
    if (deps.draining?.()) return next(new Error('SHUTTING_DOWN'));
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
    lobby
      .authenticate(token)
      .then(async (seat) => {
        if (!seat) {
          log.warn('socket refused', { ip: addressOf(socket.request), code: 'UNAUTHORIZED' });
          return next(new Error('UNAUTHORIZED'));
        }
        // Counted on this process (docs/operations.md): enough for a player's tabs, not for a flood.
        if ((rooms.get(playerRoom(seat.gameId, seat.playerId))?.size ?? 0) >= limits.socketsPerSeat) {
          log.warn('socket refused', { ip: addressOf(socket.request), game: seat.gameId, code: 'TOO_MANY_SOCKETS' });
          return next(new Error('TOO_MANY_SOCKETS'));
        }
        // The game id in the URL is for load balancers to route by; one naming another game is a confused client.
        const routed = socket.handshake.query.game;
        if (routed !== undefined && routed !== seat.gameId) return next(new Error('UNAUTHORIZED'));
        // The whole view sent on connection must be the game as stored, not as this process last saw it.
        await games.sync(seat.gameId);
        deps.faults?.clear('handshake:store_unavailable', 'connections accepted again');
        // A move or a removal may have landed while the game loaded. It closed the seat's sockets by their room, which
        // this one has not joined yet: read the seat again rather than join the old team's rooms.
        const current = await lobby.authenticate(token);
        if (!current || current.gameId !== seat.gameId) return next(new Error('UNAUTHORIZED'));
        socket.data.seat = current;
        next();
      })
      .catch((err: unknown) => {
        if (err instanceof CorruptLog) return next(new Error('GAME_DAMAGED'));
        if (!(err instanceof StoreUnavailable)) log.error('handshake failed', { err });
        else if (deps.faults)
          deps.faults.warn('handshake:store_unavailable', 'connections refused: storage unavailable');
        else log.warn('handshake failed', { err: err.message });
        next(new Error('UNAVAILABLE'));
      });
  });

  // One set of dependencies for every connection: a socket holds its seat and a few fields, not closures of its own.
  const connectionDeps = {
    games,
    lobby,
    log,
    metrics,
    commandRate: deps.commandRate,
    commandBurst: deps.commandBurst,
    announcePresence: (gameId: string) => presence.announce(gameId),
    limits,
    takeCommand: (seatKey: string) => seatCommands.take(seatKey),
    takeChat: (seatKey: string) => seatChat.take(seatKey),
    readsLeft: (audienceKey: string) => !audienceReads.empty(audienceKey),
    chargeRead: (audienceKey: string, kb: number) => void audienceReads.spend(audienceKey, kb),
  };
  io.on('connection', (socket) => {
    try {
      onConnection(socket, connectionDeps, addressOf(socket.request));
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
        for (const socket of sockets) {
          // A seat moved or signed out while this process's subscription was down missed its closing: closed now.
          if (seatGone(game.state, socket.data.seat)) socket.disconnect(true);
          else socket.emit('view', games.fullView(game, audienceOf(socket.data.seat)));
        }
      } catch (err) {
        log.warn('refreshing views failed', { game: gameId, err });
      }
    }
  };

  // Asked by a seminar's dashboard for each of its cells every few seconds: one gathering a game at a time, and
  // its answer kept for a moment, so that instructors polling together cost one fetch (a round trip to every
  // process through Redis when there are several) per cell, not one each.
  const onlineSeen = new Map<string, { at: number; players: Promise<ReadonlySet<string> | null> }>();
  const onlinePlayers = (gameId: string) => {
    const now = Date.now();
    const kept = onlineSeen.get(gameId);
    if (kept && now - kept.at < ONLINE_KEPT_MS) return kept.players;
    const players = seatsOf(gameId).then(
      (seats): ReadonlySet<string> => new Set(seats.map((seat) => seat.playerId)),
      () => null,
    );
    onlineSeen.set(gameId, { at: now, players });
    for (const [id, x] of onlineSeen) if (now - x.at >= ONLINE_KEPT_MS) onlineSeen.delete(id);
    return players;
  };

  return {
    io,
    refreshViews,
    onlinePlayers,
    close: async () => {
      presence.close();
      // io.close() alone discards what is still buffered for each socket: the answers to the last commands would
      // be lost. Closing each connection without discarding waits for its buffer to drain first.
      const closing = [...io.of('/').sockets.values()].map(
        (socket) =>
          new Promise<void>((resolve) => {
            if (socket.conn.readyState === 'closed') return resolve();
            socket.conn.once('close', () => resolve());
            socket.conn.close();
          }),
      );
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.all(closing),
        new Promise((resolve) => {
          timer = setTimeout(resolve, FLUSH_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      await io.close();
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
