// One socket's life: join its audience's room, get the full view, then commands and resyncs. Handlers only parse,
// call games/, and answer; each is wrapped so that nothing a client sends can throw out of it.
import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io';
import {
  CatalogueRequest,
  HistoryRequest,
  RevealsRequest,
  ArchiveRequest,
  type Ack,
  type ClientToServer,
  type ServerToClient,
} from '../../shared/protocol.ts';
import { errorBody } from '../games/app-error.ts';
import type { Games } from '../games/games.ts';
import type { Lobby } from '../lobby/lobby.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { commandLabel, recordCommand } from '../games/command-log.ts';
import { actorOf, audienceOf, type Seat } from '../games/seat.ts';
import { StoreUnavailable } from '../store/event-store.ts';
import { parseCommand } from './parse-command.ts';
import { gameRoom, playerRoom, seatRoom } from './rooms.ts';
import type { Limits } from '../config.ts';
import { messageCount } from '../engine/index.ts';

/**
 * What a socket carries. Plain data only: with the Redis adapter, fetchSockets() ships it to the other processes
 * (and an object it cannot encode would throw inside the adapter).
 */
export interface SocketData {
  seat: Seat;
}
export type FlySocket = Socket<ClientToServer, ServerToClient, InterServer, SocketData>;

/** Between server processes, through the adapter. */
export interface InterServer {
  /** A game's deadline moved (see Games.noticed). */
  moved: (notice: unknown) => void;
}

/** What the server (realtime.ts) is given and passes on to every connection, so the two cannot drift apart. */
export interface ServerDeps {
  games: Games;
  lobby: Lobby;
  log: Logger;
  metrics: Metrics;
  commandRate: number;
  commandBurst: number;
}

/** What a connection needs: the server's dependencies, and what the server works out for each connection. */
export interface ConnectionDeps extends ServerDeps {
  /** Sends the game's presence to its White Cell room. */
  announcePresence(gameId: string): void;
  limits: Limits;
  /** The client's address, for the log of refusals. */
  ip: string;
  /** Takes one message from the seat's budget (shared by all its sockets on this process). */
  takeCommand(seatKey: string): boolean;
  /** Takes one chat line from the seat's chat budget. */
  takeChat(seatKey: string): boolean;
}

type Reply = (res: Ack<object>) => void;

/** Socket.IO passes the ack callback last, if the client asked for one; a missing one must not crash anything. */
function replyOf(args: unknown[]): Reply {
  const last = args[args.length - 1];
  if (typeof last !== 'function') return () => {};
  return (res) => {
    try {
      (last as Reply)(res);
    } catch {
      // The socket is gone; there is nobody to answer.
    }
  };
}

const KNOWN_EVENTS = new Set(['command', 'resync', 'history', 'reveals', 'catalogue', 'archive']);

export function onConnection(socket: FlySocket, deps: ConnectionDeps): void {
  const { games, lobby, log, metrics } = deps;
  const seat = socket.data.seat;
  const audience = audienceOf(seat);
  const seatKey = `${seat.gameId}/${seat.playerId}`;
  const bucket = { take: () => deps.takeCommand(seatKey) };
  // The handshake loaded the game and caught it up with the store.
  const game = games.peek(seat.gameId);
  if (!game) {
    socket.disconnect(true);
    return;
  }

  // Joining and sending the view happen in one synchronous step, so no patch from this process can fall between
  // them; one from another process that does is answered by the protocol: the next patch shows a gap, and a resync.
  void socket.join([seatRoom(seat), gameRoom(seat.gameId), playerRoom(seat.gameId, seat.playerId)]);
  socket.emit('view', games.fullView(game, audience));
  deps.announcePresence(seat.gameId);
  lobby
    .ensureSeated(seat)
    .catch((err: unknown) => log.warn('seat check failed', { game: seat.gameId, player: seat.playerId, err }));

  const safe =
    <A extends unknown[]>(what: string, fn: (...args: A) => void) =>
    (...args: A) => {
      try {
        fn(...args);
      } catch (err) {
        log.error('socket handler failed', { game: seat.gameId, player: seat.playerId, event: what, err });
      }
    };

  socket.on(
    'command',
    safe('command', (...args: unknown[]) => {
      const started = performance.now();
      const reply = replyOf(args);
      const refuse = (code: string, message: string) => {
        recordCommand(log, metrics, {
          game: seat.gameId,
          role: seat.role === 'team' ? `team:${seat.team}` : seat.role,
          player: seat.playerId,
          command: commandLabel(args[0]),
          outcome: code,
          ms: performance.now() - started,
          ip: deps.ip,
        });
        reply({ ok: false, error: errorBody(code, message) });
      };
      if (!bucket.take()) return refuse('RATE_LIMITED', 'Too many messages; slow down');
      const parsed = parseCommand(seat, args[0]);
      if (!parsed.ok) return refuse(parsed.error.code, parsed.error.message);
      if (parsed.command.type === 'chat.post') {
        const held = games.peek(seat.gameId);
        if (held && messageCount(held.state) >= deps.limits.chatPerGame)
          return refuse('CHAT_FULL', 'This game has reached its limit of chat lines');
        if (!deps.takeChat(seatKey)) return refuse('RATE_LIMITED', 'Too many chat lines; slow down');
      }
      // The ack carries the seat's own version (docs/protocol.md, "Versions"), never the game's.
      const own = (ack: Awaited<ReturnType<typeof games.submit>>) =>
        reply(ack.ok ? ({ ...ack, version: games.audienceVersion(seat.gameId, audience) ?? 0 } as Ack<object>) : ack);
      const options = { id: parsed.id, receivedAt: started };
      games.submit(seat.gameId, actorOf(seat), parsed.command, options).then(own, (err: unknown) => {
        log.error('command crashed', { game: seat.gameId, err });
        reply({ ok: false, error: errorBody('INTERNAL', 'The command could not be completed; try again') });
      });
    }),
  );

  socket.on(
    'resync',
    safe('resync', (...args: unknown[]) => {
      const reply = replyOf(args);
      if (!bucket.take()) return reply({ ok: false, error: errorBody('RATE_LIMITED', 'Too many messages; slow down') });
      // Another process may have moved the game on since this one last ran a command for it.
      games.sync(seat.gameId).then(
        (current) => {
          if (!current) return reply({ ok: false, error: errorBody('NO_GAME', 'No such game') });
          reply({ ok: true, ...games.fullView(current, audience) });
        },
        (err: unknown) => {
          log.warn('resync failed', { game: seat.gameId, err });
          reply({
            ok: false,
            error: errorBody(
              err instanceof StoreUnavailable ? 'STORE_UNAVAILABLE' : 'INTERNAL',
              'The game could not be loaded; try again',
            ),
          });
        },
      );
    }),
  );

  /**
   * A read of this process's copy of the game, shaped by the seat's own projection: rate-limited, its input
   * checked at the edge; `answer` gets the game and the parsed request, and returns the reply.
   */
  const readOnly = <T>(
    event: 'history' | 'reveals' | 'catalogue' | 'archive',
    schema: { safeParse(x: unknown): { success: true; data: T } | { success: false } },
    expected: string,
    answer: (game: NonNullable<ReturnType<Games['peek']>>, request: T) => Ack<object>,
  ) =>
    socket.on(
      event,
      safe(event, (...args: unknown[]) => {
        const reply = replyOf(args);
        if (!bucket.take())
          return reply({ ok: false, error: errorBody('RATE_LIMITED', 'Too many messages; slow down') });
        const request = schema.safeParse(args[0]);
        if (!request.success) return reply({ ok: false, error: errorBody('BAD_REQUEST', expected) });
        const current = games.peek(seat.gameId);
        if (!current) return reply({ ok: false, error: errorBody('NO_GAME', 'No such game') });
        reply(answer(current, request.data));
      }),
    );

  // Older chat, a page at a time: lines never change once posted, so a copy that lags behind another process still
  // answers a page the client's whole view pointed to.
  readOnly('history', HistoryRequest, 'Expected {channel, before}', (current, request) => {
    const page = games.olderMessages(current, audience, request);
    return page ? { ok: true, ...page } : { ok: false, error: errorBody('UNKNOWN_CHANNEL', 'No such channel for you') };
  });
  // Older reveals: a reveal never changes once made, except that a finished game's debrief adds the hidden meters
  // to it (each older round's summary says `final`, so the client fetches it again); any process's copy will do.
  readOnly('reveals', RevealsRequest, 'Expected {before}', (current, request) => ({
    ok: true,
    ...games.olderReveals(current, audience, request),
  }));
  // Deals and injects of earlier rounds, by id: a copy that lags behind names them with other hashes, and the client
  // keeps only entries whose hash its own view names, so any process's copy will do.
  readOnly('archive', ArchiveRequest, 'Expected {kind: "deals" | "injects", ids}', (current, request) => ({
    ok: true,
    ...games.archive(current, audience, request),
  }));
  // The static part of the seat's actions and meters, once per connection at most (the client keeps it by hash).
  const catalogueRequest = { safeParse: (x: unknown) => CatalogueRequest.safeParse(x ?? {}) };
  readOnly('catalogue', catalogueRequest, 'Expected {scenarioId, hash} or nothing', (current) => ({
    ok: true,
    ...games.catalogue(current, audience),
  }));

  // Any other event is answered with an error if the client waits for an answer, and otherwise ignored.
  socket.onAny(
    safe('any', (event: unknown, ...args: unknown[]) => {
      if (typeof event === 'string' && KNOWN_EVENTS.has(event)) return;
      if (!bucket.take()) return replyOf(args)({ ok: false, error: errorBody('RATE_LIMITED', 'Too many messages') });
      replyOf(args)({ ok: false, error: errorBody('UNKNOWN_EVENT', 'No such event') });
    }),
  );

  // The socket has left its rooms by now, so the presence gathered next no longer counts it.
  socket.on(
    'disconnect',
    safe('disconnect', () => deps.announcePresence(seat.gameId)),
  );
}
