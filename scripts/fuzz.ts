// npm run fuzz -- --n 100000 [--seed S]: commands and REST calls, well-formed and malformed, generated from the zod
// schemas of shared/commands.ts and shared/protocol.ts (with ids taken from the game, and prototype-named ones),
// sent from every kind of seat to a real server started in this process (HTTP and Socket.IO on a loopback port,
// memory store). Counts inputs, crashes (errors logged or thrown anywhere in the server), INTERNAL answers, and
// refused commands after which the game's log had moved. Exits 1 unless the last three are all 0.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { io, type Socket } from 'socket.io-client';
import type { z } from 'zod';
import { ControlCommand, PlayerCommand } from '../shared/commands.ts';
import {
  ArchiveRequest,
  ClientCommand,
  CreateGameBody,
  ForkBody,
  HistoryRequest,
  MovePlayerBody,
  RenamePlayerBody,
  RevealsRequest,
  RotateCodesBody,
  type CreateGameResult,
} from '../shared/protocol.ts';
import {
  AnnounceBody,
  CohortActBody,
  CohortJoinBody,
  CreateCohortBody,
  JoiningBody,
  MoveStudentBody,
  type CohortJoinResult,
  type CreateCohortResult,
} from '../shared/cohorts.ts';
import { SeatAssignBody } from '../shared/seat-assignment.ts';
import { STRATEGIES } from '../server/bots/library.ts';
import { BotRunner } from '../server/bots/runner.ts';
import { SeatHands } from '../server/bots/seat-hands.ts';
import { Cohorts } from '../server/cohorts/cohorts.ts';
import { RecordDesk } from '../server/record/desk.ts';
import type { GameView } from '../shared/views.ts';
import { readConfig } from '../server/config.ts';
import { Dice } from '../server/engine/index.ts';
import { Games } from '../server/games/games.ts';
import { createApp } from '../server/http/app.ts';
import { AuthBook } from '../server/lobby/auth-book.ts';
import { Lobby } from '../server/lobby/lobby.ts';
import { createLogger, type Logger } from '../server/log.ts';
import { Metrics } from '../server/metrics.ts';
import { attachRealtime } from '../server/realtime/realtime.ts';
import { loadScenarioLibrary } from '../server/scenario-library.ts';
import { MemoryStore } from '../server/store/memory-store.ts';

export const PROTO_IDS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'];

export interface FuzzReport {
  inputs: number;
  commands: number;
  rest: number;
  /** Socket messages other than commands: the reads, and events the server does not know. */
  reads: number;
  /** REST calls by route (method and path pattern). */
  routes: Record<string, number>;
  wellFormed: number;
  malformed: number;
  crashes: number;
  internal: number;
  refusedButChanged: number;
  answers: Record<string, number>;
  seconds: number;
}

type Zod = z.ZodType & { _zod: { def: Record<string, unknown> & { type: string } } };
const def = (t: unknown) => (t as Zod)._zod.def;

/** What the generator draws ids from: the game as the seat last saw it, and names no id should ever match. */
interface Pool {
  actions: string[];
  deals: string[];
  lines: string[];
  injects: string[];
  channels: string[];
  teams: string[];
  meters: string[];
}

class Gen {
  constructor(
    readonly d: Dice,
    readonly pool: Pool,
  ) {}
  int = (n: number) => Math.floor(this.d.next() * n);
  pick = <T>(xs: readonly T[]): T => xs[this.int(xs.length)];
  chance = (p: number) => this.d.next() < p;

  /** An id for a field, by its name: mostly one that exists, sometimes a prototype name or garbage. */
  idFor(field: string): string {
    const p = this.pool;
    const known: Record<string, string[]> = {
      dealId: p.deals,
      lineId: p.lines,
      injectId: p.injects,
      channel: p.channels,
      team: p.teams,
      action: p.actions,
      meter: p.meters,
      to: p.teams,
      overt: p.actions,
      covert: p.actions,
    };
    const ids = known[field] ?? [];
    if (ids.length && this.chance(0.75)) return this.pick(ids);
    return this.chance(0.7) ? this.pick(PROTO_IDS) : this.pick(['x', 'r1-1', 'plenary', 'us', '', 'A'.repeat(41)]);
  }

  /** A value for a zod type, well-formed most of the time. */
  value(t: unknown, field = ''): unknown {
    const x = def(t);
    switch (x.type) {
      case 'optional':
        return this.chance(0.4) ? undefined : this.value(x.innerType, field);
      case 'default':
        return this.chance(0.3) ? undefined : this.value(x.innerType, field);
      case 'nullable':
        return this.chance(0.3) ? null : this.value(x.innerType, field);
      case 'literal':
        return (x.values as unknown[])[0];
      case 'enum':
        return this.pick(Object.values(x.entries as Record<string, unknown>));
      case 'boolean':
        return this.chance(0.5);
      case 'number':
        return this.pick([0, 1, 0.5, 2, 5, 60, -60, 100, 0.99, 0.01, 3600]);
      case 'string':
        if (this.chance(0.15)) return this.pick(['', ' ', 'x'.repeat(3000), 'ünïcødé ✓', '<script>']);
        return /id$|^channel$|^team$|^action$|^meter$/i.test(field) || field === '' ? this.idFor(field) : 'fuzz text';
      case 'array': {
        const n = this.int(4);
        return Array.from({ length: n }, () => this.value(x.element, field));
      }
      case 'union':
        return this.value(this.pick(x.options as unknown[]), field);
      case 'record':
        return this.chance(0.5) ? {} : { [this.pick(this.pool.teams)]: 'engagement' };
      case 'object': {
        const shape = x.shape as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(shape)) {
          const val = this.value(v, k);
          if (val !== undefined) out[k] = val;
        }
        return out;
      }
      default:
        return null;
    }
  }

  /** A malformed version of a value: a field dropped, retyped, added or replaced by a prototype name. */
  mangle(cmd: Record<string, unknown>): unknown {
    const keys = Object.keys(cmd);
    const out: Record<string, unknown> = { ...cmd };
    switch (this.int(7)) {
      case 0:
        if (keys.length > 1) delete out[this.pick(keys.filter((k) => k !== 'type'))];
        return out;
      case 1:
        out[this.pick(keys)] = this.pick([null, 42, 'str', [], {}, true, Number.NaN, -1e308]);
        return out;
      case 2:
        out[this.pick(['extra', '__proto__', 'constructor', 'actor', 'team'])] = { polluted: true };
        return out;
      case 3:
        out.type = this.pick(['', 'tick', 'seat.take', 'seat.leave', '__proto__', 'chat', 'deal.accept ']);
        return out;
      case 4:
        return this.pick([null, 0, 'command', [], [cmd], true, { type: { type: 'chat.post' } }]);
      case 5:
        return JSON.parse(`{"type":${JSON.stringify(cmd.type ?? 'x')},"__proto__":{"isAdmin":true}}`);
      default:
        for (const k of keys) if (/Id$/.test(k)) out[k] = this.pick(PROTO_IDS);
        return out;
    }
  }
}

const variants = (u: unknown) => (def(u).options as unknown[]).filter((o) => def(o).type === 'object');

function poolOf(v: GameView | null): Pool {
  return {
    actions: v?.actions.map((a) => a.id) ?? [],
    deals: v?.deals.map((d) => d.id) ?? [],
    lines: [...(v?.control?.adjudication?.lines.map((l) => l.id) ?? []), ...(v?.me?.estimating.map((l) => l.id) ?? [])],
    injects: v?.injects.map((i) => i.id) ?? [],
    channels: v?.channels.map((c) => c.id) ?? [],
    teams: v?.teams.map((t) => t.id) ?? [],
    meters: v?.meters.map((m) => m.id) ?? [],
  };
}

/** A logger that counts errors: any error logged by the server is a crash caught somewhere. */
function countingLogger(onError: (msg: string, fields: unknown) => void): Logger {
  const quiet = createLogger('silent');
  return { ...quiet, error: (msg, fields) => onError(msg, fields) };
}

interface Seat {
  label: string;
  token: string;
  socket: Socket;
  view: GameView | null;
}

export async function runFuzz(opts: { n: number; seed?: number; log?: (line: string) => void }): Promise<FuzzReport> {
  const started = performance.now();
  const say = opts.log ?? (() => {});
  const errors: string[] = [];
  const onError = (msg: string, fields: unknown) => {
    errors.push(`${msg} ${JSON.stringify(fields, (_k, v) => (v instanceof Error ? v.stack : v)).slice(0, 400)}`);
  };
  const crash = (err: unknown) => onError('uncaught', err);
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
  const log = countingLogger(onError);
  const store = new MemoryStore();
  const metrics = new Metrics();
  const games = new Games({ store, log, metrics, snapshotEvery: 50 });
  // Every part the server mounts, as server/main.ts puts them together: every route is there to be fuzzed.
  const auth = new AuthBook(store);
  const scenarios = loadScenarioLibrary('scenarios');
  const lobby = new Lobby({ games, auth, scenarios, log });
  const bots = new BotRunner({ games, log, strategies: STRATEGIES });
  const seatHands = new SeatHands({ games, lobby, auth, runner: bots, strategies: STRATEGIES, log });
  const cohorts = new Cohorts({ store, games, lobby, auth, hands: seatHands, scenarios, log });
  const record = new RecordDesk(games, lobby);
  const limits = { ...readConfig({}).limits, createRate: 1e9, joinFailures: 1e9, chatRate: 1e9, chatBurst: 1e9 };
  const app = createApp({
    lobby,
    store,
    metrics,
    log,
    clientDir: '/nonexistent',
    limits,
    seats: seatHands,
    cohorts,
    record,
  });
  const http: Server = createServer(app);
  const rt = attachRealtime(http, { games, lobby, log, metrics, commandRate: 1e6, commandBurst: 1e6, limits });
  await games.start();
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const d = new Dice(opts.seed ?? 20261203);
  const report: FuzzReport = {
    inputs: 0,
    commands: 0,
    rest: 0,
    reads: 0,
    routes: {},
    wellFormed: 0,
    malformed: 0,
    crashes: 0,
    internal: 0,
    refusedButChanged: 0,
    answers: {},
    seconds: 0,
  };
  const answer = (code: string) => {
    report.answers[code] = (report.answers[code] ?? 0) + 1;
    if (code === 'INTERNAL') report.internal++;
  };
  const rest = async (method: string, path: string, body?: unknown, token?: string) => {
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        // A route that never answers is a fault like a crash, not a reason for the fuzzer to wait for ever.
        signal: AbortSignal.timeout(15_000),
      });
      text = await res.text();
    } catch (err) {
      onError('no answer', { method, path, err: String(err) });
      return { status: 0, code: 'NO_ANSWER', text: '' };
    }
    let code = String(res.status);
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? code;
    } catch {}
    return { status: res.status, code, text };
  };

  let seats: Seat[] = [];
  let game: CreateGameResult | null = null;
  const closeSeats = () => {
    for (const s of seats) s.socket.close();
    seats = [];
  };
  const newGame = async () => {
    closeSeats();
    const scenario = d.next() < 0.5 ? 'tutorial' : 'flywheel-2022';
    const phases = { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 };
    const created = await rest('POST', '/api/games', { scenario, options: { phases, rounds: 3 } });
    game = JSON.parse(created.text) as CreateGameResult;
    const tokens: [string, string][] = [['control', game.controlToken]];
    for (const [team, code] of Object.entries(game.codes.teams)) {
      const j = await rest('POST', '/api/join', { code, name: `${team} fuzz` });
      tokens.push([team, (JSON.parse(j.text) as { token: string }).token]);
    }
    const obs = await rest('POST', '/api/join', { code: game.codes.observer, name: 'observer fuzz' });
    tokens.push(['observer', (JSON.parse(obs.text) as { token: string }).token]);
    for (const [label, token] of tokens) {
      const socket = io(base, { auth: { token }, transports: ['websocket'], forceNew: true, reconnection: false });
      const seat: Seat = { label, token, socket, view: null };
      socket.on('view', (p: { view: GameView }) => {
        seat.view = p.view;
      });
      socket.on('patch', (p: { from: number; sections: Partial<GameView> }) => {
        seat.view = p.from === 0 ? (p.sections as GameView) : seat.view ? { ...seat.view, ...p.sections } : null;
      });
      await new Promise<void>((r) => socket.once('view', () => r()));
      seats.push(seat);
    }
  };

  /** A seminar of the fuzzed game's scenario, one cell, one student: the ids and tokens its routes take. */
  let cohort: (CreateCohortResult & { student: CohortJoinResult | null }) | null = null;
  const newCohort = async () => {
    const made = await rest('POST', '/api/cohorts', { scenario: 'tutorial', cells: 1, options: { rounds: 2 } });
    const c = JSON.parse(made.text) as CreateCohortResult;
    const joined = await rest('POST', '/api/cohorts/join', { code: c.joinCode, name: 'student fuzz' });
    cohort = { ...c, student: joined.status === 200 ? (JSON.parse(joined.text) as CohortJoinResult) : null };
  };

  /** Every REST route the server mounts: its method, its path pattern, the path filled in, and a body for it. */
  const routeFor = (g: Gen): { method: string; pattern: string; path: string; body?: unknown } => {
    const c = cohort!;
    const players = seats.find((x) => x.label === 'control')?.view?.control?.players.map((p) => p.id) ?? [];
    const id = () => g.pick([game!.gameId, game!.gameId, ...PROTO_IDS, 'zzzzzzzzzzzz']);
    const cid = () => g.pick([c.cohortId, c.cohortId, ...PROTO_IDS, 'zzzzzzzzzzzz']);
    const param = (known: string[]) => encodeURIComponent(g.pick([...known, ...known, ...PROTO_IDS, 'x y', '.x']));
    const body = (schema: unknown) =>
      g.chance(0.15)
        ? g.pick(['{', '[]', 'null', '"text"', '{"__proto__":{"admin":true}}', `{"a":${'['.repeat(200)}`])
        : g.chance(0.3)
          ? g.mangle((g.value(schema) as Record<string, unknown>) ?? {})
          : g.value(schema);
    const query = () =>
      g.pick(['', '?format=json', '?format=zip&pseudonymise=1', '?format=md', '?format=csv', '?pseudonymise=maybe']);
    const audience = () => g.pick(['', '?audience=control', '?audience=team:us', '?audience=observer', '?audience=x']);
    const routes: (() => { method: string; pattern: string; path: string; body?: unknown })[] = [
      () => ({ method: 'POST', pattern: '/games', path: '/api/games', body: body(CreateGameBody) }),
      () => ({
        method: 'POST',
        pattern: '/join',
        path: '/api/join',
        body: g.chance(0.7)
          ? {
              code: g.pick([game!.codes.observer, game!.codes.short!.observer, `${game!.gameId}.${'b'.repeat(26)}`]),
              name: 'n',
            }
          : body(CohortJoinBody),
      }),
      () => ({
        method: 'POST',
        pattern: '/join/preview',
        path: '/api/join/preview',
        body: g.chance(0.7) ? { code: g.pick([game!.codes.teams.us, c.joinCode, 'K7QM-3XHD-9TPA']) } : body(ForkBody),
      }),
      () => ({ method: 'GET', pattern: '/games/:id/codes', path: `/api/games/${id()}/codes` }),
      () => ({
        method: 'POST',
        pattern: '/games/:id/codes/rotate',
        path: `/api/games/${id()}/codes/rotate`,
        body: body(RotateCodesBody),
      }),
      ...(['remove', 'rename', 'move'] as const).map((what) => () => ({
        method: 'POST',
        pattern: `/games/:id/players/:playerId/${what}`,
        path: `/api/games/${id()}/players/${param(players)}/${what}`,
        body: what === 'rename' ? body(RenamePlayerBody) : what === 'move' ? body(MovePlayerBody) : {},
      })),
      () => ({
        method: 'POST',
        pattern: '/games/:id/seats/:team',
        path: `/api/games/${id()}/seats/${param(['us', 'dprk', 'prc', 'rok', 'jpn'])}`,
        body: body(SeatAssignBody),
      }),
      () => ({
        method: 'POST',
        pattern: '/games/:id/seats/:team/reclaim',
        path: `/api/games/${id()}/seats/${param(['us', 'jpn'])}/reclaim`,
      }),
      () => ({ method: 'GET', pattern: '/games/:id/export', path: `/api/games/${id()}/export${query()}` }),
      () => ({ method: 'GET', pattern: '/games/:id/report', path: `/api/games/${id()}/report${query()}` }),
      () => ({ method: 'GET', pattern: '/games/:id/replay', path: `/api/games/${id()}/replay${audience()}` }),
      () => ({
        method: 'GET',
        pattern: '/games/:id/replay/:version',
        path: `/api/games/${id()}/replay/${param(['1', '2', '0', '-1', '1e9', '99999999999999999999'])}${audience()}`,
      }),
      () => ({ method: 'POST', pattern: '/games/:id/fork', path: `/api/games/${id()}/fork`, body: body(ForkBody) }),
      () => ({
        method: 'GET',
        pattern: '/bots/strategies',
        path: `/api/bots/strategies${g.pick(['', '?scenario=tutorial', '?scenario=__proto__', '?scenario=a&scenario=b'])}`,
      }),
      () => ({
        method: 'GET',
        pattern: '/games/:id/bots/strategies',
        path: `/api/games/${id()}/bots/strategies`,
      }),
      () => ({ method: 'GET', pattern: '/scenarios', path: '/api/scenarios' }),
      () => ({
        method: 'POST',
        pattern: '/cohorts',
        path: '/api/cohorts',
        // A seminar is many games: most bodies ask for one or two cells.
        body: ((b) => (typeof b === 'object' && b && g.chance(0.9) ? { ...b, cells: g.pick([1, 2]) } : b))(
          body(CreateCohortBody),
        ),
      }),
      () => ({ method: 'POST', pattern: '/cohorts/join', path: '/api/cohorts/join', body: body(CohortJoinBody) }),
      () => ({ method: 'POST', pattern: '/cohorts/:id/seat', path: `/api/cohorts/${cid()}/seat` }),
      () => ({ method: 'GET', pattern: '/cohorts/:id', path: `/api/cohorts/${cid()}` }),
      () => ({
        method: 'POST',
        pattern: '/cohorts/:id/act',
        path: `/api/cohorts/${cid()}/act`,
        body: body(CohortActBody),
      }),
      () => ({
        method: 'POST',
        pattern: '/cohorts/:id/announce',
        path: `/api/cohorts/${cid()}/announce`,
        body: body(AnnounceBody),
      }),
      () => ({
        method: 'POST',
        pattern: '/cohorts/:id/joining',
        path: `/api/cohorts/${cid()}/joining`,
        body: body(JoiningBody),
      }),
      ...(['move', 'remove', 'rejoin'] as const).map((what) => () => ({
        method: 'POST',
        pattern: `/cohorts/:id/students/:student/${what}`,
        path: `/api/cohorts/${cid()}/students/${param(c.student ? [c.student.studentId] : [])}/${what}`,
        body: what === 'move' ? body(MoveStudentBody) : {},
      })),
      () => ({ method: 'GET', pattern: '/cohorts/:id/debrief', path: `/api/cohorts/${cid()}/debrief` }),
      () => ({ method: 'GET', pattern: '/cohorts/:id/export', path: `/api/cohorts/${cid()}/export` }),
      () => ({
        method: 'POST',
        pattern: '/cohorts/:id/cells/:cell/console',
        path: `/api/cohorts/${cid()}/cells/${param(['0', '1', '-1', '39'])}/console`,
      }),
    ];
    return g.pick(routes)();
  };
  /** Whom a REST call comes as: every kind of seat of the game and the seminar, another's, or none. */
  const tokenFor = (g: Gen) => {
    const c = cohort!;
    return g.pick([
      game!.controlToken,
      game!.controlToken,
      c.instructorToken,
      c.student?.studentToken,
      c.student?.seat.token,
      ...seats.map((x) => x.token),
      'x',
      `${game!.gameId}.${'a'.repeat(26)}`,
      ...PROTO_IDS,
      undefined,
    ]);
  };

  await newGame();
  await newCohort();
  const playerTypes = variants(PlayerCommand);
  const controlTypes = variants(ControlCommand);
  const readTypes: [string, unknown][] = [
    ['history', HistoryRequest],
    ['reveals', RevealsRequest],
    ['archive', ArchiveRequest],
    ['catalogue', null],
    ['resync', null],
    ['nope', null],
    ['__proto__', null],
    ['constructor', null],
  ];
  // A fault of the fuzzer itself ends the run as a failure, through the same teardown, rather than leaving the
  // process waiting on its own server.
  try {
    for (let i = 0; i < opts.n; i++) {
      if (i > 0 && i % 200 === 0) {
        await newGame();
        await newCohort();
      }
      if (i > 0 && i % 5000 === 0) say(`  ${i} inputs, ${errors.length} crashes, ${report.internal} INTERNAL`);
      report.inputs++;
      const g = new Gen(d, poolOf(seats[0]?.view ?? null));
      // Whatever the bots a fuzzed seat assignment started are doing is done before the log is read below.
      await bots.idle();
      const roll = d.next();
      if (roll < 0.2) {
        // A REST call: any route, any body, any token.
        report.rest++;
        const { method, pattern, path, body } = routeFor(g);
        report.routes[`${method} ${pattern}`] = (report.routes[`${method} ${pattern}`] ?? 0) + 1;
        const res = await rest(method, path, method === 'GET' ? undefined : body, tokenFor(g));
        answer(res.code);
        // A route the server mounts never answers "No such route" (only an empty or a stray path segment would).
        if (res.code === 'NOT_FOUND' && res.text.includes('No such route'))
          onError('route not mounted', { method, path });
        // Revoking seats, moving or removing players may sign the fuzzer's own sockets out: start afresh.
        if (res.status === 200 && /rotate|remove|move|seats/.test(pattern)) await newGame();
        continue;
      }
      if (roll < 0.3) {
        // A read, or an event the server does not know, with any payload; now and then with no callback at all.
        report.reads++;
        const seat = g.pick(seats);
        // A seat the game no longer holds (a fuzzed command or call moved or removed its player) was closed by the
        // server, as it should be: the run goes on in a new game.
        if (!seat.socket.connected) {
          await newGame();
          continue;
        }
        const [event, schema] = g.pick(readTypes);
        const payload = schema
          ? g.chance(0.3)
            ? g.mangle((g.value(schema) as Record<string, unknown>) ?? {})
            : g.value(schema)
          : g.pick([undefined, null, {}, 'x', 42, [], { scenarioId: '__proto__', hash: 'x' }]);
        const before = games.peek(game!.gameId)?.version ?? -1;
        if (g.chance(0.1)) {
          seat.socket.emit(event, payload);
          continue;
        }
        let ack: { ok: boolean; error?: { code: string } } | undefined;
        try {
          ack = (await seat.socket.timeout(10_000).emitWithAck(event, payload)) as typeof ack;
        } catch {
          if (seat.socket.connected) onError('no answer', { seat: seat.label, event, payload });
          continue;
        }
        answer(ack?.ok ? 'ok' : (ack?.error?.code ?? 'NO_CODE'));
        if ((games.peek(game!.gameId)?.version ?? -1) !== before) onError('a read moved the log', { event, payload });
        continue;
      }
      report.commands++;
      const seat = g.pick(seats);
      // A seat the game no longer holds (a fuzzed command or call moved or removed its player) was closed by the
      // server, as it should be: the run goes on in a new game.
      if (!seat.socket.connected) {
        await newGame();
        continue;
      }
      const g2 = new Gen(d, poolOf(seat.view));
      const type = seat.label === 'control' ? g2.pick(controlTypes) : g2.pick(playerTypes);
      let cmd: unknown = g2.value(type);
      if (d.next() < 0.35) cmd = g2.mangle(cmd as Record<string, unknown>);
      if (ClientCommand.safeParse(cmd).success) report.wellFormed++;
      else report.malformed++;
      const held = games.peek(game!.gameId);
      const before = held?.version ?? -1;
      let ack: { ok: boolean; error?: { code: string } } | undefined;
      try {
        ack = (await seat.socket.timeout(10_000).emitWithAck('command', cmd)) as typeof ack;
      } catch {
        if (seat.socket.connected) onError('no answer', { seat: seat.label, cmd });
        continue;
      }
      answer(ack?.ok ? 'ok' : (ack?.error?.code ?? 'NO_CODE'));
      if (ack && !ack.ok && (games.peek(game!.gameId)?.version ?? -1) !== before) {
        report.refusedButChanged++;
        errors.push(`refused ${ack.error?.code} but the log moved: ${JSON.stringify(cmd).slice(0, 200)}`);
      }
    }
  } catch (err) {
    onError('fuzzer fault', err);
  }
  await bots.idle();
  closeSeats();
  // The server still answers.
  const health = await rest('GET', '/healthz');
  if (health.status !== 200) onError('unhealthy at the end', health.text);
  await rt.close();
  process.off('uncaughtException', crash);
  process.off('unhandledRejection', crash);
  report.crashes = errors.filter((e) => !e.startsWith('refused')).length;
  report.seconds = Math.round((performance.now() - started) / 100) / 10;
  for (const e of errors.slice(0, 10)) say(`  ! ${e}`);
  return report;
}

const isMain = import.meta.url === `file://${process.argv[1]}`;
if (isMain) {
  const args = process.argv.slice(2);
  const arg = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? Number(args[i + 1]) : fallback;
  };
  const n = arg('n', 2000);
  const seed = arg('seed', 20261203);
  console.log(`fuzz: ${n} inputs, seed ${seed}`);
  const r = await runFuzz({ n, seed, log: (l) => console.log(l) });
  console.log(
    `fuzz: ${r.inputs} inputs (${r.commands} socket commands: ${r.wellFormed} well-formed, ${r.malformed} malformed;` +
      ` ${r.reads} other socket messages; ${r.rest} REST calls over ${Object.keys(r.routes).length} routes) in ${r.seconds} s`,
  );
  console.log(`answers: ${JSON.stringify(r.answers)}`);
  console.log(
    `crashes: ${r.crashes}, INTERNAL answers: ${r.internal}, refused commands that changed ` +
      `state: ${r.refusedButChanged}`,
  );
  process.exit(r.crashes + r.internal + r.refusedButChanged === 0 ? 0 : 1);
}
