// One socket's life: join its audience's room, get the full view, then commands and resyncs. Handlers only parse,
// call games/, and answer; each is wrapped so that nothing a client sends can throw out of it.
import { performance } from 'node:perf_hooks';
import type { Socket } from 'socket.io';
import type { Ack, ClientToServer, ServerToClient } from '../../shared/protocol.ts';
import { errorBody } from '../games/app-error.ts';
import { commandLabel, recordCommand } from '../games/command-log.ts';
import type { Games } from '../games/games.ts';
import type { Lobby } from '../games/lobby.ts';
import { actorOf, audienceOf, type Seat } from '../games/seat.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { parseCommand } from './parse-command.ts';
import type { PresenceBook } from './presence.ts';
import { controlRoom, seatRoom } from './rooms.ts';
import type { TokenBucket } from './token-bucket.ts';

export interface SocketData { seat: Seat; bucket: TokenBucket }
export type FlySocket = Socket<ClientToServer, ServerToClient, Record<string, never>, SocketData>;

export interface ConnectionDeps {
  games: Games;
  lobby: Lobby;
  presence: PresenceBook;
  log: Logger;
  metrics: Metrics;
  /** Sends the game's presence to its White Cell room. */
  announcePresence(gameId: string): void;
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

const KNOWN_EVENTS = new Set(['command', 'resync']);

export function onConnection(socket: FlySocket, deps: ConnectionDeps): void {
  const { games, lobby, presence, log, metrics } = deps;
  const seat = socket.data.seat;
  const audience = audienceOf(seat);
  const game = games.peek(seat.gameId);
  if (!game) {
    socket.disconnect(true);
    return;
  }

  // Joining and sending the view happen in one synchronous step, so no patch can fall between them.
  void socket.join(seatRoom(seat));
  socket.emit('view', games.fullView(game, audience));
  presence.add(seat, socket);
  deps.announcePresence(seat.gameId);
  lobby.ensureSeated(seat).catch((err: unknown) => log.warn('seat check failed', { game: seat.gameId, player: seat.playerId, err }));

  const safe = <A extends unknown[]>(what: string, fn: (...args: A) => void) => (...args: A) => {
    try {
      fn(...args);
    } catch (err) {
      log.error('socket handler failed', { game: seat.gameId, player: seat.playerId, event: what, err });
    }
  };

  socket.on('command', safe('command', (...args: unknown[]) => {
    const started = performance.now();
    const reply = replyOf(args);
    const refuse = (code: string, message: string) => {
      recordCommand(log, metrics, { game: seat.gameId, role: seat.role === 'team' ? `team:${seat.team}` : seat.role, player: seat.playerId, command: commandLabel(args[0]), outcome: code, ms: performance.now() - started });
      reply({ ok: false, error: errorBody(code, message) });
    };
    if (!socket.data.bucket.take()) return refuse('RATE_LIMITED', 'Too many messages; slow down');
    const parsed = parseCommand(seat, args[0]);
    if (!parsed.ok) return refuse(parsed.error.code, parsed.error.message);
    games.submit(seat.gameId, actorOf(seat), parsed.command).then(reply, (err: unknown) => {
      log.error('command crashed', { game: seat.gameId, err });
      reply({ ok: false, error: errorBody('INTERNAL', 'The command could not be completed; try again') });
    });
  }));

  socket.on('resync', safe('resync', (...args: unknown[]) => {
    const reply = replyOf(args);
    if (!socket.data.bucket.take()) return reply({ ok: false, error: errorBody('RATE_LIMITED', 'Too many messages; slow down') });
    const current = games.peek(seat.gameId);
    if (!current) return reply({ ok: false, error: errorBody('NO_GAME', 'No such game') });
    reply({ ok: true, ...games.fullView(current, audience) });
  }));

  // Any other event is answered with an error if the client waits for an answer, and otherwise ignored.
  socket.onAny(safe('any', (event: unknown, ...args: unknown[]) => {
    if (typeof event === 'string' && KNOWN_EVENTS.has(event)) return;
    if (!socket.data.bucket.take()) return;
    replyOf(args)({ ok: false, error: errorBody('UNKNOWN_EVENT', 'No such event') });
  }));

  socket.on('disconnect', safe('disconnect', () => {
    presence.remove(seat, socket);
    deps.announcePresence(seat.gameId);
  }));
}
