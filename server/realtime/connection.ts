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
import { actorOf, audienceOf, seatGone, type Seat } from '../games/seat.ts';
import { StoreUnavailable } from '../store/event-store.ts';
import { parseCommand } from './parse-command.ts';
import { gameRoom, playerRoom, seatRoom } from './rooms.ts';
import type { Limits } from '../config.ts';
import { audienceKey, channelLength, readableChannels, seatChanged, type GameState } from '../engine/index.ts';
import { inputShapeProblem } from '../input-shape.ts';

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

/** What every connection needs: the server's dependencies, and its budgets and presence. One per server. */
export interface ConnectionDeps extends ServerDeps {
  /** Sends the game's presence to its White Cell room. */
  announcePresence(gameId: string): void;
  limits: Limits;
  /** Takes one message from the seat's budget (shared by all its sockets on this process). */
  takeCommand(seatKey: string): boolean;
  /** Takes one chat line from the seat's chat budget. */
  takeChat(seatKey: string): boolean;
  /** False once an audience of a game (Connection.readKey) has spent its budget of reads, until it refills. */
  readsLeft(audienceKey: string): boolean;
  /** Takes the KB a read's answer weighs from its audience's budget, going into debt if it weighs more. */
  chargeRead(audienceKey: string, kb: number): void;
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

const refusal = (code: string, message: string): Ack<object> => ({ ok: false, error: errorBody(code, message) });
const SLOW_DOWN = 'Too many messages; slow down';
const READ_A_LOT = 'Your team has read a lot in a short time; try again in a few seconds';
/** A game that could not be loaded or caught up with the store, for a resync or a read. */
const unloaded = (err: unknown): Ack<object> =>
  refusal(
    err instanceof StoreUnavailable ? 'STORE_UNAVAILABLE' : 'INTERNAL',
    'The game could not be loaded; try again',
  );

type Held = NonNullable<ReturnType<Games['peek']>>;

/**
 * A read of this process's copy of the game, shaped by the seat's own projection: rate-limited, its input checked
 * at the edge; `answer` gets the connection, the game and the parsed request, and returns the reply.
 */
interface ReadOnly<T> {
  schema: { safeParse(x: unknown): { success: true; data: T } | { success: false } };
  expected: string;
  answer: (c: Connection, game: Held, request: T) => Ack<object>;
  /** Whether the answer is charged to the audience's read budget. */
  weighed: boolean;
  /**
   * Whether the copy is caught up with the store first (with a shared store; alone, a process's copy is the game).
   * The seat's view may have come from another process, further on than this one's copy: at the debrief, say, whose
   * reveals are final where a lagging copy's are not, and the client would ask again and again.
   */
  fresh?: boolean;
}
const readOnly = <T>(r: ReadOnly<T>) => r as ReadOnly<unknown>;

const READS: Record<string, ReadOnly<unknown>> = {
  // Older chat, a page at a time: lines never change once posted, so a copy that lags behind another process still
  // answers a page the client's whole view pointed to.
  history: readOnly({
    weighed: true,
    schema: HistoryRequest,
    expected: 'Expected {channel, before}',
    answer: (c, game, request) => {
      const page = c.deps.games.olderMessages(game, c.audience, request);
      return page ? { ok: true, ...page } : refusal('UNKNOWN_CHANNEL', 'No such channel for you');
    },
  }),
  // Older reveals: a reveal never changes once made, except that a finished game's debrief adds the hidden meters
  // to it (each older round's summary says `final`, so the client fetches it again): a copy that lags behind the
  // debrief would answer with rounds that are not, so the copy catches up first.
  reveals: readOnly({
    weighed: true,
    fresh: true,
    schema: RevealsRequest,
    expected: 'Expected {before}',
    answer: (c, game, request) => ({ ok: true, ...c.deps.games.olderReveals(game, c.audience, request) }),
  }),
  // Deals and injects of earlier rounds, by id: a copy that lags behind names them with other hashes, and the client
  // keeps only entries whose hash its own view names, asking for each once: so the copy catches up first.
  archive: readOnly({
    weighed: true,
    fresh: true,
    schema: ArchiveRequest,
    expected: 'Expected {kind: "deals" | "injects", ids}',
    answer: (c, game, request) => ({ ok: true, ...c.deps.games.archive(game, c.audience, request) }),
  }),
  // The static part of the seat's actions and meters, once per connection at most (the client keeps it by hash). Not
  // weighed: a screen shows nothing without it, it is the same few KB for the whole audience, and the seat's budget of
  // messages bounds it; a lecture hall of observers connecting at once must not spend the budget their history needs.
  catalogue: readOnly({
    weighed: false,
    schema: { safeParse: (x: unknown) => CatalogueRequest.safeParse(x ?? {}) },
    expected: 'Expected {scenarioId, hash} or nothing',
    answer: (c, game) => ({ ok: true, ...c.deps.games.catalogue(game, c.audience) }),
  }),
};

export function onConnection(socket: FlySocket, deps: ConnectionDeps, ip: string): void {
  const { games, lobby, log } = deps;
  const seat = socket.data.seat;
  // The handshake loaded the game and caught it up with the store.
  const game = games.peek(seat.gameId);
  if (!game) {
    socket.disconnect(true);
    return;
  }
  const connection = new Connection(deps, seat, ip, () => socket.disconnect(true));

  // Joining and sending the view happen in one synchronous step, so no patch from this process can fall between
  // them; one from another process that does is answered by the protocol: the next patch shows a gap, and a resync.
  void socket.join([seatRoom(seat), gameRoom(seat.gameId), playerRoom(seat.gameId, seat.playerId)]);
  socket.emit('view', games.fullView(game, connection.audience));
  deps.announcePresence(seat.gameId);
  lobby
    .ensureSeated(seat)
    .catch((err: unknown) => log.warn('seat check failed', { game: seat.gameId, player: seat.playerId, err }));

  // Every event goes through one listener and the connection's methods, so that a socket costs a few objects,
  // not a closure per event (with 20,000 sockets, those were tens of KB per game).
  socket.onAny((event: unknown, ...args: unknown[]) => connection.dispatch(event, args));
  // The socket has left its rooms by now, so the presence gathered next no longer counts it.
  socket.on('disconnect', () => connection.guard('disconnect', () => deps.announcePresence(seat.gameId)));
}

/** One socket's seat and what it may do: the handlers only parse, call games/, and answer. */
class Connection {
  readonly audience: ReturnType<typeof audienceOf>;
  readonly seatKey: string;
  /** The budget of reads shared by the seat's audience in its game. */
  readonly readKey: string;

  constructor(
    readonly deps: ConnectionDeps,
    readonly seat: Seat,
    /** The client's address, for the log of refusals. */
    readonly ip: string,
    /** Closes the socket: its seat is no longer what the game holds (the client reconnects to its seat as it is). */
    readonly close: () => void,
  ) {
    this.audience = audienceOf(seat);
    this.seatKey = `${seat.gameId}/${seat.playerId}`;
    this.readKey = `${seat.gameId}/${audienceKey(this.audience)}`;
  }

  /**
   * Runs a handler so that nothing a client sends can throw out of it; a client waiting for an answer gets INTERNAL
   * rather than silence until its own timeout.
   */
  guard(what: string, fn: () => void, args: unknown[] = []): void {
    try {
      fn();
    } catch (err) {
      this.deps.log.error('socket handler failed', {
        game: this.seat.gameId,
        player: this.seat.playerId,
        event: what,
        err,
      });
      replyOf(args)(refusal('INTERNAL', 'The server could not handle that message'));
    }
  }

  dispatch(event: unknown, args: unknown[]) {
    this.guard(
      typeof event === 'string' ? event : 'any',
      () => {
        if (event === 'command') return this.command(args);
        if (event === 'resync') return this.resync(args);
        const read = typeof event === 'string' && Object.hasOwn(READS, event) ? READS[event] : undefined;
        if (read) return this.read(read, args);
        // Any other event is answered with an error if the client waits for an answer, and otherwise ignored.
        const reply = replyOf(args);
        if (!this.deps.takeCommand(this.seatKey)) return reply(refusal('RATE_LIMITED', 'Too many messages'));
        reply(refusal('UNKNOWN_EVENT', 'No such event'));
      },
      args,
    );
  }

  // No named closures on this path: run through tsx, each one costs a defineProperty of its name per command.
  private command(args: unknown[]) {
    const { deps, seat, audience } = this;
    const { games, log } = deps;
    const started = performance.now();
    const reply = replyOf(args);
    if (!deps.takeCommand(this.seatKey)) return this.refuse(args, reply, started, 'RATE_LIMITED', SLOW_DOWN);
    const parsed = parseCommand(seat, args[0]);
    if (!parsed.ok) return this.refuse(args, reply, started, parsed.error.code, parsed.error.message);
    if (parsed.command.type === 'chat.post') {
      // The cap is per channel, and only told for a channel the poster reads: a cap on the whole game counted, in
      // when it came, the lines of channels the poster cannot see, and let one team's flood silence everyone.
      const held = games.peek(seat.gameId);
      const channel = parsed.command.channel;
      if (
        held &&
        readableChannels(held.state, audience).includes(channel) &&
        channelLength(held.state, channel) >= deps.limits.chatPerChannel
      )
        return this.refuse(args, reply, started, 'CHAT_FULL', 'This channel has reached its limit of chat lines');
      if (!deps.takeChat(this.seatKey))
        return this.refuse(args, reply, started, 'RATE_LIMITED', 'Too many chat lines; slow down');
    }
    const options = { id: parsed.id, receivedAt: started };
    games.submit(seat.gameId, actorOf(seat), parsed.command, options).then(
      // The ack carries the seat's own version (docs/protocol.md, "Versions"), never the game's.
      (ack) => {
        reply(ack.ok ? ({ ...ack, version: games.audienceVersion(seat.gameId, audience) ?? 0 } as Ack<object>) : ack);
        // Moved or signed out while this socket missed the word (on another process): it goes, answer first.
        if (!ack.ok && ack.error.code === 'SEAT_CHANGED') this.close();
      },
      (err: unknown) => {
        log.error('command crashed', { game: seat.gameId, err });
        reply(refusal('INTERNAL', 'The command could not be completed; try again'));
      },
    );
  }

  /**
   * Whether the game no longer holds this socket's seat (moved or signed out, the word of it missed on another
   * process): then it is answered so and closed, and reads nothing more of its old seat.
   */
  private gone(state: GameState, reply: Reply): boolean {
    if (!seatGone(state, this.seat)) return false;
    const { code, message } = seatChanged();
    reply(refusal(code, message));
    this.close();
    return true;
  }

  /** Refuses a command before it reaches the game: logged and counted like any other outcome. */
  private refuse(args: unknown[], reply: Reply, started: number, code: string, message: string) {
    const { seat, deps } = this;
    recordCommand(deps.log, deps.metrics, {
      game: seat.gameId,
      role: seat.role === 'team' ? `team:${seat.team}` : seat.role,
      player: seat.playerId,
      command: commandLabel(args[0]),
      outcome: code,
      ms: performance.now() - started,
      ip: this.ip,
    });
    reply(refusal(code, message));
  }

  private resync(args: unknown[]) {
    const { games, log } = this.deps;
    const reply = replyOf(args);
    if (!this.deps.takeCommand(this.seatKey)) return reply(refusal('RATE_LIMITED', SLOW_DOWN));
    // Another process may have moved the game on since this one last ran a command for it.
    games.sync(this.seat.gameId).then(
      (current) => {
        if (!current) return reply(refusal('NO_GAME', 'No such game'));
        if (this.gone(current.state, reply)) return;
        reply({ ok: true, ...games.fullView(current, this.audience) });
      },
      (err: unknown) => {
        log.warn('resync failed', { game: this.seat.gameId, err });
        reply(unloaded(err));
      },
    );
  }

  private read(r: ReadOnly<unknown>, args: unknown[]) {
    const reply = replyOf(args);
    if (!this.deps.takeCommand(this.seatKey)) return reply(refusal('RATE_LIMITED', SLOW_DOWN));
    if (r.weighed && !this.deps.readsLeft(this.readKey)) return reply(refusal('RATE_LIMITED', READ_A_LOT));
    // Sent with no payload, the ack callback comes first: the request is then "nothing", not the callback.
    const payload = typeof args[0] === 'function' ? undefined : args[0];
    const request = inputShapeProblem(payload) ? null : r.schema.safeParse(payload);
    if (!request?.success) return reply(refusal('BAD_REQUEST', r.expected));
    const held = this.deps.games.peek(this.seat.gameId);
    if (!r.fresh || !held) return this.answer(r, held, request.data, reply);
    this.deps.games
      .sync(this.seat.gameId)
      .then((current) => this.answer(r, current ?? undefined, request.data, reply))
      .catch((err: unknown) => {
        this.deps.log.warn('read failed', { game: this.seat.gameId, err });
        reply(unloaded(err));
      });
  }

  private answer(r: ReadOnly<unknown>, current: Held | undefined, request: unknown, reply: Reply) {
    if (!current) return reply(refusal('NO_GAME', 'No such game'));
    if (this.gone(current.state, reply)) return;
    // Checked again after a catch-up: reads sent together all passed the first check before any was charged.
    if (r.weighed && !this.deps.readsLeft(this.readKey)) return reply(refusal('RATE_LIMITED', READ_A_LOT));
    const answer = r.answer(this, current, request);
    if (r.weighed) this.deps.chargeRead(this.readKey, JSON.stringify(answer).length / 1024);
    reply(answer);
  }
}
