// npm run bench — the load benchmark of docs/benchmarks.md. Bots play N concurrent games on one server process
// (20 sockets a game: five teams of three, two White Cell, three observers); one command at a time per game
// (a plenary chat message, which every audience sees). Prints, for Flywheel and for two bare Socket.IO servers in
// the same run (one sending ~4 KB per room, one sending as many bytes per update as Flywheel just did): ack p50/p99,
// fan-out p50/p99 (sent until the game's last socket has the update), server CPU per command, and memory. Server on
// core 0, load generator on core 1 (taskset), loopback only, bounded in time. Flywheel logs at BENCH_LOG_LEVEL
// (default info, the server's own default: one line per command), and the generator drains its stdout.
//   BENCH_GAMES=100,500 BENCH_RATE=0.25 BENCH_SECONDS=20 STORE=file|memory|redis REDIS_URL=... PROCESSES=1|2
// With PROCESSES=N the servers share one Redis (STORE=redis): server i is pinned to core i mod the core count, and a
// game's sockets are spread over them, so fan-out crosses the Redis adapter; BENCH_AFFINE=1 instead puts all of
// game g's sockets on process g mod N, as a balancer routing by game id does (docs/operations.md).
// BENCH_HISTORY=N first plays N chat lines into each game (spread over plenary, team and bilateral channels, by every
// team), so that the load runs on games with a long session behind them; RSS per game then includes that history.
// BENCH_HISTORY=session instead plays one long game of the real scenario through the server's sockets (the session
// mix below at full length, to the reveal of round BENCH_SESSION_ROUNDS, default 6), then creates every game as a
// fork of it from that round (POST /api/games/:id/fork, docs/export.md), joins 20 seats per fork and takes it into
// the next round; it prints the long game's size, the time per fork and per game, and RSS per game from after the
// long game. A comma-separated list (BENCH_HISTORY=0,session) runs Flywheel once for each, side by side.
// BENCH_MIX=session (default chat: the plenary line above, so that earlier figures stay comparable) sends the command
// mix of a real session's round instead (bench/session-mix.ts: chat in every channel, draft edits, deal offers and
// answers, locks, and the White Cell's phase moves and adjudication approval, from the seats that would send them),
// on the real scenario (flywheel-2022, 20 rounds, clocks off: the White Cell's commands move the phases, so no game is
// clocked). Each game starts at a random point of its round. BENCH_MIX_ROUND=N scales a round's chat, drafts and
// deals to N commands (default 383, a real round) so that a short run sees rounds go by. Fan-out is timed on the chat
// lines, until every socket that reads the line's channel has it; the bench also prints acks and fan-outs by kind of
// command, refusals by code, and the phase changes seen during the load.
// Without REDIS_URL each run starts a private redis-server (appendonly yes, appendfsync BENCH_FSYNC=always|everysec,
// default always) and reports its CPU beside the servers'. The load generator (this process) and Redis are left to the
// scheduler: pinned beside one server they would load that one alone.
// Deadlines under load: BENCH_CLOCK_GAMES of the Flywheel games (default a tenth) run on BENCH_CLOCK_SECONDS phase
// clocks (default 3) with adjudication approved by itself, so their phases end by deadline throughout the run; the
// bench prints how late each phase change reached the last socket of its game, and the servers' own histogram.
// Scale-out: BENCH_SCALE=1 with PROCESSES=N runs Flywheel alone, three ways in each pass: one process with the n
// games, one process with n/N of them (the share each of the N processes carries), and N processes with the n games;
// it prints the N processes' CPU per command against each of the two single processes (docs/performance.md).
// BENCH_STORE is a synonym of STORE. BENCH_NODE_FLAGS="--trace-gc ..." are given to every server, bare or Flywheel.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createNetServer } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { startRedis, type RedisServer } from '../test/helpers/redis-server.ts';
import type { WireView } from '../shared/views.ts';
import { readConfig } from '../server/config.ts';
import { ROUND_COMMANDS, SessionGame, type CommandKind } from './session-mix.ts';

// BENCH_SCENARIO=cohort: the seminar benchmark instead (bench/cohort.ts): 20 cells with bot-played seats.
if (process.env.BENCH_SCENARIO === 'cohort') {
  await import('./cohort.ts');
  process.exit(0);
}

const gamesList = (process.env.BENCH_GAMES ?? '100,500').split(',').map(Number);
const ratePerGame = Number(process.env.BENCH_RATE ?? 0.25);
const seconds = Number(process.env.BENCH_SECONDS ?? 20);
// STORE picks the server's store; BENCH_STORE is the same setting under the benchmark's own prefix.
const store = process.env.BENCH_STORE ?? process.env.STORE ?? 'file';
const processes = Number(process.env.PROCESSES ?? 1);
const scale = process.env.BENCH_SCALE === '1';
if (scale && !(processes > 1)) throw new Error('BENCH_SCALE=1 compares PROCESSES=N (N > 1) with one process');
const only = process.env.BENCH_ONLY; // 'bare', 'flywheel' or 'same-bytes'
const logLevel = process.env.BENCH_LOG_LEVEL ?? 'info';
const affine = process.env.BENCH_AFFINE === '1';
// What each game carries before the load: a number of chat lines played into it, or 'session' (forks of one long
// game played through the server). A comma-separated list runs Flywheel once for each, side by side.
const histories = (process.env.BENCH_HISTORY ?? '0').split(',').map((h): History => {
  if (h === 'session') return h;
  if (!/^\d+$/.test(h)) throw new Error(`BENCH_HISTORY: a number of chat lines, or 'session' (got ${h})`);
  return Number(h);
});
type History = number | 'session';
// The command stream: 'chat' (a plenary line each, the figures of docs/performance.md) or 'session' (the mix of a
// real session's round, bench/session-mix.ts).
const mix = process.env.BENCH_MIX ?? 'chat';
if (mix !== 'chat' && mix !== 'session') throw new Error(`BENCH_MIX: chat or session (got ${mix})`);
const mixRound = Number(process.env.BENCH_MIX_ROUND ?? ROUND_COMMANDS);
// The long game the forks start from: the scenario of a real three-hour session, played to this round's reveal.
const sessionRounds = Number(process.env.BENCH_SESSION_ROUNDS ?? 6);
const sessionScenario = 'flywheel-2022';
const fsync = process.env.BENCH_FSYNC === 'everysec' ? 'everysec' : 'always';
// Some Flywheel games run on short phase clocks (every clocked phase BENCH_CLOCK_SECONDS long, adjudication approved
// by itself), so that phases end by deadline during the load and the lateness of deadlines under it can be measured.
// Under the session mix, or on forks of the long game (whose clocks are off), the White Cell moves the phases: no
// game is clocked.
const clockGamesOf = (n: number, h: History = histories[0]) =>
  mix === 'session' || h === 'session'
    ? 0
    : Math.min(n, Number(process.env.BENCH_CLOCK_GAMES ?? Math.max(1, Math.round(n / 10))));
const clockSeconds = Number(process.env.BENCH_CLOCK_SECONDS ?? 3);
if (!Number.isInteger(clockSeconds) || clockSeconds < 1) throw new Error('BENCH_CLOCK_SECONDS: whole seconds, ≥ 1');
if (processes > 1 && store !== 'redis')
  throw new Error('PROCESSES > 1 needs STORE=redis: the processes share the store and the rooms');
// One source address slows connects past ~13,600 sockets (docs/benchmarks.md): spread them over four loopback
// addresses.
const sources = ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5'];
let sourceTurn = 0;
const nextSource = () => sources[sourceTurn++ % sources.length];

interface Server {
  proc: ChildProcess;
  ports: number[];
  pids: number[];
  redisPid?: number;
  stop(): Promise<void>;
}

function pinned(cmd: string, args: string[], env: Record<string, string>, core: number): ChildProcess {
  return spawn('taskset', ['-c', String(core), cmd, ...args], {
    // As `npm start` runs the server: glibc returns large freed blocks to the system (docs/operations.md).
    env: { MALLOC_MMAP_THRESHOLD_: '131072', ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function waitForLine(proc: ChildProcess, re: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${buf.slice(-500)}`)), 60_000);
    proc.stdout!.on('data', (d) => {
      buf += d;
      const m = re.exec(buf);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    proc.once('exit', (code) => reject(new Error(`server exited ${code}: ${buf.slice(-500)}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createNetServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** Whatever the log level, readiness is told by /healthz. */
async function waitForHealth(port: number, proc: ChildProcess): Promise<void> {
  let exited = false;
  proc.once('exit', () => {
    exited = true;
  });
  for (let i = 0; i < 600 && !exited; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`flywheel server on port ${port} did not become healthy`);
}

// Flywheel's heartbeat (its defaults, or PING_INTERVAL_MS and PING_TIMEOUT_MS from the environment, which its
// servers inherit), given to the bare servers too: both hold their idle sockets at the same cost.
const heartbeat = readConfig(process.env);

// BENCH_CPU_PROF=<dir>: each server, bare or Flywheel, writes a V8 CPU profile there when it stops (open it in
// Chrome's devtools, or read it with bench/profile-top.ts).
const cpuProfileFlags = () =>
  process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];

async function startBare(bytes: number): Promise<Server> {
  const proc = pinned(
    process.execPath,
    [...cpuProfileFlags(), ...serverFlags(), '--import', 'tsx', 'bench/bare-server.ts'],
    {
      PORT: '0',
      BARE_BYTES: String(bytes),
      PING_INTERVAL_MS: String(heartbeat.pingIntervalMs),
      PING_TIMEOUT_MS: String(heartbeat.pingTimeoutMs),
    },
    0,
  );
  const m = await waitForLine(proc, /listening (\d+)/).catch((err: unknown) => {
    proc.kill('SIGKILL');
    throw err;
  });
  // BENCH_SERVER_LOG=<file> keeps the bare server's output too (file.bare-<bytes>), e.g. with BENCH_NODE_FLAGS=--trace-gc.
  if (process.env.BENCH_SERVER_LOG)
    proc.stdout!.pipe(createWriteStream(`${process.env.BENCH_SERVER_LOG}.bare-${bytes}`));
  return {
    proc,
    ports: [Number(m[1])],
    pids: [proc.pid!],
    stop: () => exited(proc, 'SIGTERM'),
  };
}

async function startFlywheel(dataDir: string, count: number): Promise<Server> {
  const procs: ChildProcess[] = [];
  const ports: number[] = [];
  // A private Redis per run, so each run starts from an empty store (the servers load every game at start).
  const redis: RedisServer | undefined =
    store === 'redis' && !process.env.REDIS_URL ? await startRedis({ appendOnly: true, fsync }) : undefined;
  const redisUrl = redis?.url ?? process.env.REDIS_URL ?? '';
  const stopAll = async () => {
    await Promise.all(procs.map((p) => exited(p, 'SIGTERM')));
    await redis?.destroy();
  };
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const profile = [...cpuProfileFlags(), ...serverFlags()];
    const proc = pinned(
      process.execPath,
      [...profile, '--import', 'tsx', 'server/main.ts'],
      {
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        STORE: store,
        REDIS_URL: redisUrl,
        LOG_LEVEL: logLevel,
        COMMAND_RATE: '1000',
        COMMAND_BURST: '1000',
        CREATE_RATE: '100000',
        CHAT_RATE: '1000000',
        CHAT_BURST: '100000',
      },
      i % availableParallelism(),
    );
    procs.push(proc);
    // The logs: read and dropped, as a log shipper would read them; BENCH_SERVER_LOG=<file> keeps them (file.<i>).
    if (process.env.BENCH_SERVER_LOG) proc.stdout!.pipe(createWriteStream(`${process.env.BENCH_SERVER_LOG}.${i}`));
    else proc.stdout!.resume();
    try {
      await waitForHealth(port, proc);
    } catch (err) {
      for (const p of procs) p.kill('SIGKILL'); // never leave a server behind
      await redis?.destroy();
      throw err;
    }
    ports.push(port);
  }
  return { proc: procs[0], ports, pids: procs.map((p) => p.pid!), redisPid: redis?.pid, stop: stopAll };
}

/** Signals a process and waits for its exit (SIGKILL if it takes more than 10 s). */
async function exited(proc: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const done = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill(signal);
  const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
  await done;
  clearTimeout(timer);
}

/** CPU seconds used so far by a process and its children threads (utime + stime from /proc). */
function cpuSeconds(pid: number): number {
  // taskset execs the command in place, so the pid is the server's own.
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

async function http<T>(port: number, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: body ? 'POST' : 'GET',
    headers: { 'content-type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface BenchGame {
  id: string;
  sockets: Socket[];
  sender: Socket;
  /** Chat lines sent and not yet seen by every socket that reads them, by sequence number within the game. */
  pending: Map<number, { sentAt: number; seen: number; readers: number; kind?: CommandKind }>;
  /** Commands sent to this game so far: a Flywheel chat line carries its number in its text. */
  sent: number;
  /** On a short phase clock (Flywheel only). */
  clocked: boolean;
  /** The session mix's driver of this game (Flywheel with BENCH_MIX=session). */
  mix?: SessionGame;
}

/**
 * Deadline lateness as the clients see it: from a phase's deadline (in the server's wall clock, which is this
 * machine's) to the moment the last of the game's sockets receives the patch that leaves that phase.
 */
const lateness = {
  recording: false,
  /** One figure (ms) per phase change, once all of a game's sockets have it. */
  ms: [] as number[],
  /** Phase changes by deadline that began while recording and did not reach every socket. */
  pending: new Map<string, { seen: number; lastAt: number; deadline: number }>(),
};

interface GameSection {
  phase: string;
  round: number;
  deadline: number | null;
}

/** Follows each socket's phase and deadline from its view and patches, and records when a deadline moved it on. */
function trackDeadlines(gameIndex: number, sockets: Socket[]): void {
  for (const s of sockets) {
    let last: GameSection | null = null;
    const seen = (game: GameSection | undefined) => {
      if (!game) return;
      const at = Date.now();
      const moved = last && (last.phase !== game.phase || last.round !== game.round);
      const due = last?.deadline ?? null;
      last = { phase: game.phase, round: game.round, deadline: game.deadline };
      // A phase left after its deadline: the tick moved it (the bench sends no phase commands to these games).
      if (!moved || due === null || at < due || !lateness.recording) return;
      const key = `${gameIndex}:${due}`;
      const change = lateness.pending.get(key) ?? { seen: 0, lastAt: 0, deadline: due };
      change.seen++;
      change.lastAt = Math.max(change.lastAt, at);
      if (change.seen < sockets.length) lateness.pending.set(key, change);
      else {
        lateness.pending.delete(key);
        lateness.ms.push(change.lastAt - change.deadline);
      }
    };
    s.on('view', (v: { view: { game: GameSection } }) => seen(v.view.game));
    s.on('patch', (p: { sections?: { game?: GameSection } }) => seen(p.sections?.game));
  }
}

/** The view each socket was sent on connecting, kept from before its connect resolves (a later listener may miss it). */
const firstViews = new WeakMap<Socket, WireView>();

function open(url: string, auth: Record<string, string>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(url, {
      transports: ['websocket'],
      auth,
      reconnection: false,
      forceNew: true,
      localAddress: nextSource(),
    } as Parameters<typeof connect>[1]);
    s.once('view', (p: { view: WireView }) => firstViews.set(s, p.view));
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

async function setupBare(server: Server, n: number): Promise<BenchGame[]> {
  const games: BenchGame[] = [];
  for (let g = 0; g < n; g++) {
    const rooms = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5, 6, 6, 6];
    const sockets = await Promise.all(
      rooms.map((r) => open(`http://127.0.0.1:${server.ports[0]}`, { game: `g${g}`, room: String(r) })),
    );
    games.push({ id: `g${g}`, sockets, sender: sockets[0], pending: new Map(), sent: 0, clocked: false });
  }
  return games;
}

interface Created {
  gameId: string;
  controlToken: string;
  codes: { control: string; observer: string; teams: Record<string, string> };
}

/** How long the last Flywheel setup took, per game: forks (BENCH_HISTORY=session), joins and sockets, moves. */
const setupTimes = {
  longGameSeconds: 0,
  longGameCommands: 0,
  longGameEvents: 0,
  fork: [] as number[],
  join: [] as number[],
};

async function setupFlywheel(
  server: Server,
  n: number,
  history: History,
  longGamePlayed: () => Promise<void> = async () => {},
): Promise<BenchGame[]> {
  const games: BenchGame[] = [];
  const teams: string[][] = [];
  // The clocked games are spread evenly among the others.
  const clocks = clockGamesOf(n, history);
  const clockedAt = new Set(Array.from({ length: clocks }, (_, i) => Math.floor((i * n) / clocks)));
  setupTimes.fork = [];
  setupTimes.join = [];
  const long = history === 'session' ? await playLongGame(server) : null;
  if (long) await longGamePlayed();
  for (let g = 0; g < n; g++) {
    const port = server.ports[g % server.ports.length];
    const clocked = clockedAt.has(g);
    const c = clockSeconds;
    const t0 = performance.now();
    // A fork starts where the long game's last played round ended, with its whole history (docs/export.md).
    const created = long
      ? await forkOf(port, long.gameId, long.controlToken, sessionRounds)
      : await http<Created>(port, '/api/games', {
          scenario: mix === 'session' ? sessionScenario : 'tutorial',
          options: clocked
            ? {
                seed: g,
                rounds: 20,
                autoApprove: true,
                phases: { briefing: 0, injects: c, negotiation: c, submission: c, reveal: c },
              }
            : {
                seed: g,
                // The session mix plays round after round: more of them than a run can reach.
                ...(mix === 'session' ? { rounds: 20, autoApprove: false } : {}),
                phases: { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 },
              },
        });
    const t1 = performance.now();
    if (long) setupTimes.fork.push(t1 - t0);
    const join = (code: string, name: string) =>
      http<{ token: string }>(server.ports[(g + 1) % server.ports.length], '/api/join', { code, name }).then(
        (r) => r.token,
      );
    const tokens: string[] = [];
    for (const [team, code] of Object.entries(created.codes.teams))
      for (let i = 0; i < 3; i++) tokens.push(await join(code, `${team}-${i}`));
    tokens.push(created.controlToken, await join(created.codes.control, 'wc-2'));
    for (let i = 0; i < 3; i++) tokens.push(await join(created.codes.observer, `obs-${i}`));
    // Spread a game's sockets over the processes, so that fan-out crosses the Redis adapter when there are several.
    const at = (i: number) => server.ports[(affine ? g : i) % server.ports.length];
    const sockets = await Promise.all(tokens.map((token, i) => open(`http://127.0.0.1:${at(i)}`, { token })));
    if (clocked) trackDeadlines(g, sockets);
    const control = sockets[15];
    const bg: BenchGame = {
      id: created.gameId,
      sockets,
      // Socket i is on process i mod P, and sockets 0-14 are players: game g's commands go through process g mod P.
      sender: sockets[g % server.ports.length],
      pending: new Map(),
      sent: 0,
      clocked,
    };
    if (mix === 'session') {
      // The mix's White Cell takes the game into play (from the lobby, or from the fork's reveal) and on to a random
      // point of its round.
      await waitFor(() => sockets.every((s) => firstViews.has(s)), 'the first views');
      bg.mix = new SessionGame(
        sockets,
        sockets.map((s) => firstViews.get(s)),
        Object.keys(created.codes.teams),
        g,
        mixRound,
      );
      await bg.mix.ready();
      if (!long) {
        const ack = await control.timeout(10_000).emitWithAck('command', { type: 'game.start' });
        if (!ack.ok) throw new Error(JSON.stringify(ack));
        await waitFor(() => bg.mix!.phase.phase === 'briefing', 'the briefing');
      }
      await bg.mix.stagger();
    } else {
      // Into negotiation: from the lobby (start, injects, negotiation), or from a fork's reveal (the next round's
      // injects, negotiation).
      for (const type of long ? ['phase.advance', 'phase.advance'] : ['game.start', 'phase.advance', 'phase.advance']) {
        const ack = await control.timeout(10_000).emitWithAck('command', { type });
        if (!ack.ok) throw new Error(JSON.stringify(ack));
      }
    }
    setupTimes.join.push(performance.now() - t1);
    // With the chat load, the game is now in negotiation: with no clocks it stays there; with one, the rounds go by on
    // their deadlines (twenty rounds of four clocked phases outlast the run). Versions are each audience's own, so a
    // command's patches are told apart by the chat line's text, which carries its number.
    games.push(bg);
    teams.push(Object.keys(created.codes.teams));
  }
  // Every game's history at once, one line at a time per game.
  if (typeof history === 'number' && history > 0) {
    process.stderr.write(`  playing ${history} chat lines into each game...\n`);
    await Promise.all(
      games.map(async (bg, g) => {
        await playHistory(bg.sockets, teams[g], history);
      }),
    );
  }
  if (long) {
    const f = setupTimes.fork;
    process.stderr.write(
      `  ${n} forks: ${(f.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s, p50 / max ${pct(f, 50).toFixed(0)} / ` +
        `${Math.max(...f).toFixed(0)} ms a fork; joins, sockets and moves ${pct(setupTimes.join, 50).toFixed(0)} ms a game (p50)\n`,
    );
  }
  return games;
}

async function waitFor(ok: () => boolean, what: string): Promise<void> {
  const end = performance.now() + 30_000;
  while (!ok()) {
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The long game of BENCH_HISTORY=session: one session of the real scenario played through the server's sockets, one
 * command at a time, with the session mix at its full proportions (bench/session-mix.ts), to the reveal of round
 * BENCH_SESSION_ROUNDS. Its clocks are off and its adjudications wait for the White Cell, so its forks are the same.
 */
async function playLongGame(server: Server): Promise<{ gameId: string; controlToken: string }> {
  const t0 = performance.now();
  const port = server.ports[0];
  const created = await http<Created>(port, '/api/games', {
    scenario: sessionScenario,
    options: {
      seed: 7,
      // More rounds than are played, so that the forks play on from the last one.
      rounds: 20,
      autoApprove: false,
      phases: { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 },
    },
  });
  const tokens: string[] = [];
  for (const [team, code] of Object.entries(created.codes.teams))
    for (let i = 0; i < 3; i++)
      tokens.push((await http<{ token: string }>(port, '/api/join', { code, name: `${team}-${i}` })).token);
  tokens.push(created.controlToken);
  const sockets = await Promise.all(tokens.map((token) => open(`http://127.0.0.1:${port}`, { token })));
  await waitFor(() => sockets.every((s) => firstViews.has(s)), 'the first views');
  const game = new SessionGame(
    sockets,
    sockets.map((s) => firstViews.get(s)),
    Object.keys(created.codes.teams),
    7,
  );
  await game.ready();
  const ack = await sockets[15].timeout(10_000).emitWithAck('command', { type: 'game.start' });
  if (!ack.ok) throw new Error(JSON.stringify(ack));
  await waitFor(() => game.phase.phase === 'briefing', 'the briefing');
  const { commands, refused } = await game.play(sessionRounds);
  for (const s of sockets) s.disconnect();
  const exported = await fetch(`http://127.0.0.1:${port}/api/games/${created.gameId}/export?format=json`, {
    headers: { authorization: `Bearer ${created.controlToken}` },
  });
  const record = (await exported.json()) as { events: unknown[] };
  setupTimes.longGameSeconds = (performance.now() - t0) / 1000;
  setupTimes.longGameCommands = commands;
  setupTimes.longGameEvents = record.events.length;
  process.stderr.write(
    `  long game: ${commands} commands to the reveal of round ${sessionRounds} in ` +
      `${setupTimes.longGameSeconds.toFixed(1)} s, ${record.events.length} events; refused: ` +
      `${[...refused].map(([code, k]) => `${code} ${k}`).join(', ') || 'none'}\n`,
  );
  return { gameId: created.gameId, controlToken: created.controlToken };
}

async function forkOf(port: number, gameId: string, controlToken: string, round: number): Promise<Created> {
  const res = await fetch(`http://127.0.0.1:${port}/api/games/${gameId}/fork`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${controlToken}` },
    body: JSON.stringify({ round, name: 'White Cell' }),
  });
  if (!res.ok) throw new Error(`fork: ${res.status} ${await res.text()}`);
  return (await res.json()) as Created;
}

/** Plays `history` chat lines into a game, one at a time, by each team in turn in the channels it can write to. */
async function playHistory(sockets: Socket[], teams: string[], history: number): Promise<void> {
  for (let i = 0; i < history; i++) {
    const t = i % teams.length;
    const other = teams[(t + 1 + (Math.floor(i / teams.length) % (teams.length - 1))) % teams.length];
    const pair = [teams[t], other].sort((a, b) => teams.indexOf(a) - teams.indexOf(b));
    const channel = i % 3 === 0 ? 'plenary' : i % 3 === 1 ? `team:${teams[t]}` : `bi:${pair[0]}:${pair[1]}`;
    const text = `Line ${i} of a long session: what would you give for a freeze?`;
    const ack = await sockets[t * 3].timeout(30_000).emitWithAck('command', { type: 'chat.post', channel, text });
    if (!ack.ok) throw new Error(`history: ${JSON.stringify(ack)}`);
  }
}

/** Commands run, catch-ups, version conflicts and deadline ticks of one server process since it started (/metrics). */
async function processCounters(port: number): Promise<string> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sum = (name: string) =>
    text
      .split('\n')
      .filter((l) => l.startsWith(name))
      .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  return (
    `${sum('flywheel_commands_total')} commands, ${sum('flywheel_catchups_total')} catch-ups, ` +
    `${sum('flywheel_version_conflicts_total')} conflicts, ticks ` +
    ['fired', 'noop', 'lease_lost', 'failed']
      .map((o) => `${o} ${sum(`flywheel_ticks_total{outcome="${o}"}`)}`)
      .join(' ')
  );
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : NaN;
};

type Kind = 'bare' | 'flywheel' | 'same-bytes';

/** The command numbers a patch answers: the bare server echoes it as the version, Flywheel's chat line carries it. */
function commandsIn(kind: Kind, p: { version: number; appendMessages?: { text: string }[] }): number[] {
  if (kind !== 'flywheel') return [p.version];
  const seqs: number[] = [];
  for (const m of p.appendMessages ?? []) {
    const match = /^bench message (\d+)$/.exec(m.text);
    if (match) seqs.push(Number(match[1]));
  }
  return seqs;
}

async function measure(kind: Kind, server: Server, games: BenchGame[]) {
  const acks: number[] = [];
  const fanouts: number[] = [];
  /** The session mix's acks by kind of command, its refusals by code, and fan-outs by kind of channel. */
  const acksByKind = new Map<CommandKind, number[]>();
  const fanoutsByKind = new Map<CommandKind, number[]>();
  const refusals = new Map<string, number>();
  let chatLines = 0;
  let bytes = 0,
    updates = 0,
    errors = 0;
  for (const g of games) {
    for (const s of g.sockets) {
      s.on('patch', (p: { version: number; appendMessages?: { text: string }[] }) => {
        updates++;
        for (const seq of commandsIn(kind, p)) {
          const pend = g.pending.get(seq);
          if (!pend) continue;
          // A plenary line (and every bare update) reaches all 20 sockets; a team's line its 3 players and the 2
          // White Cell sockets, a bilateral line 6 players and the White Cell's 2.
          if (++pend.seen === pend.readers) {
            fanouts.push(performance.now() - pend.sentAt);
            if (pend.kind)
              fanoutsByKind.set(pend.kind, [...(fanoutsByKind.get(pend.kind) ?? []), performance.now() - pend.sentAt]);
            g.pending.delete(seq);
          }
        }
      });
      // Count bytes of what arrives, as the client library receives it.
      (s.io.engine as unknown as { on(e: string, f: (d: string | Buffer) => void): void }).on('data', (d) => {
        bytes += typeof d === 'string' ? d.length : d.byteLength;
      });
    }
  }
  const serverLate0 = kind === 'flywheel' ? await serverLateness(server.ports) : null;
  lateness.ms = [];
  lateness.pending.clear();
  lateness.recording = kind === 'flywheel';
  const cpu0 = server.pids.reduce((n, pid) => n + cpuSeconds(pid), 0);
  const redisCpu0 = server.redisPid ? cpuSeconds(server.redisPid) : 0;
  const generatorCpu0 = process.cpuUsage();
  for (const g of games) if (g.mix) g.mix.counting = true;
  const total = Math.round(games.length * ratePerGame * seconds);
  const interval = 1000 / (games.length * ratePerGame);
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      while (sent < due) {
        const g = games[sent % games.length];
        sent++;
        const t0 = performance.now();
        const seq = ++g.sent;
        // The session mix picks the command and its seat from the game's views; its chat lines are the ones timed.
        const cmd = g.mix?.next(seq);
        if (cmd?.chat) chatLines++;
        const payload =
          kind !== 'flywheel'
            ? { version: seq, sentAt: t0 }
            : (cmd?.payload ?? { type: 'chat.post', channel: 'plenary', text: `bench message ${seq}` });
        if (!cmd) g.pending.set(seq, { sentAt: t0, seen: 0, readers: g.sockets.length });
        else if (cmd.chat) g.pending.set(seq, { sentAt: t0, seen: 0, readers: cmd.chat.readers, kind: cmd.kind });
        (cmd?.socket ?? g.sender)
          .timeout(30_000)
          .emitWithAck('command', payload)
          .then(
            (res: { ok: boolean; version?: number; error?: { code: string } }) => {
              acks.push(performance.now() - t0);
              if (cmd) acksByKind.set(cmd.kind, [...(acksByKind.get(cmd.kind) ?? []), performance.now() - t0]);
              // Flywheel's ack carries the sender's audience version, which the clock games' phases also move.
              if (!res.ok || (kind !== 'flywheel' && res.version !== seq)) errors++;
              if (!res.ok && cmd) {
                const code = `${cmd.kind} ${res.error?.code ?? '?'}`;
                refusals.set(code, (refusals.get(code) ?? 0) + 1);
                g.mix!.refused(cmd, res.error?.code ?? '');
                if (cmd.chat) g.pending.delete(seq);
              }
            },
            () => {
              errors++;
              if (cmd) refusals.set(`${cmd.kind} no answer`, (refusals.get(`${cmd.kind} no answer`) ?? 0) + 1);
            },
          );
      }
      if (sent < total) setTimeout(tick, Math.max(1, interval / 2));
      else resolve();
    };
    tick();
  });
  const deadline = performance.now() + 30_000;
  while (acks.length + errors < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 1000));
  lateness.recording = false;
  for (const g of games) if (g.mix) g.mix.counting = false;
  const elapsed = (performance.now() - start) / 1000;
  const cpu = server.pids.reduce((n, pid) => n + cpuSeconds(pid), 0) - cpu0;
  const redisCpu = server.redisPid ? cpuSeconds(server.redisPid) - redisCpu0 : 0;
  const generator = process.cpuUsage(generatorCpu0);
  // Cores kept busy by the servers, Redis and this load generator: on a small machine, whether it was saturated.
  const cores = [cpu, redisCpu, (generator.user + generator.system) / 1e6]
    .map((x) => (x / elapsed).toFixed(2))
    .join(' / ');
  return {
    cores,
    redisUsPerCommand: (redisCpu / total) * 1e6,
    commands: total,
    rate: total / elapsed,
    ackP50: pct(acks, 50),
    ackP99: pct(acks, 99),
    fanP50: pct(fanouts, 50),
    fanP99: pct(fanouts, 99),
    cpuUsPerCommand: (cpu / total) * 1e6,
    bytesPerUpdate: updates ? bytes / updates : 0,
    errors,
    completeFanouts: fanouts.length,
    lateness: [...lateness.ms],
    latenessIncomplete: lateness.pending.size,
    serverLateness: serverLate0 ? minus(await serverLateness(server.ports), serverLate0) : null,
    chatLines: games.some((g) => g.mix) ? chatLines : total,
    acksByKind,
    fanoutsByKind,
    refusals,
    phaseChanges: games.reduce((n, g) => n + (g.mix?.phaseChanges ?? 0), 0),
    roundsBegun: games.reduce((n, g) => n + (g.mix?.roundsBegun ?? 0), 0),
  };
}

interface Histogram {
  /** Cumulative counts by upper bound (seconds), as Prometheus keeps them. */
  buckets: Map<number, number>;
  sum: number;
  count: number;
}

/** The servers' own flywheel_deadline_lateness_seconds (from the tick that fired to the phase change stored), summed. */
async function serverLateness(ports: number[]): Promise<Histogram> {
  const h: Histogram = { buckets: new Map(), sum: 0, count: 0 };
  for (const port of ports) {
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    for (const line of text.split('\n')) {
      const value = Number(line.split(' ').pop());
      const bucket = /^flywheel_deadline_lateness_seconds_bucket\{le="([^"]+)"\}/.exec(line);
      if (bucket) {
        const le = bucket[1] === '+Inf' ? Infinity : Number(bucket[1]);
        h.buckets.set(le, (h.buckets.get(le) ?? 0) + value);
      } else if (line.startsWith('flywheel_deadline_lateness_seconds_sum')) h.sum += value;
      else if (line.startsWith('flywheel_deadline_lateness_seconds_count')) h.count += value;
    }
  }
  return h;
}

function minus(a: Histogram, b: Histogram): Histogram {
  return {
    buckets: new Map([...a.buckets].map(([le, n]) => [le, n - (b.buckets.get(le) ?? 0)])),
    sum: a.sum - b.sum,
    count: a.count - b.count,
  };
}

/** The bucket bound (ms) under which p percent of a histogram's observations fall. */
function bucketPct(h: Histogram, p: number): string {
  const want = (p / 100) * h.count;
  for (const [le, n] of [...h.buckets].sort((x, y) => x[0] - y[0]))
    if (n >= want) return le === Infinity ? '>30000' : `≤${le * 1000}`;
  return '-';
}

// BENCH_HEAP=<dir>: every server writes a heap snapshot there once started (idle) and once loaded, after the
// load and before its sockets close; the bench prints the live heap per game beside RSS (a snapshot counts live
// objects only, after a full collection, so it does not move with the allocator as RSS does), and
// bench/heap-top.ts sums a snapshot up by what holds the memory.
const heapDir = process.env.BENCH_HEAP;
// BENCH_NODE_FLAGS (space-separated, e.g. "--trace-gc --max-semi-space-size=32") go to every server, bare or not.
const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
// BENCH_ALLOC=<dir>: every server samples what it allocates during the load (bench/alloc-sample.mjs; it signals with
// SIGUSR2 as BENCH_HEAP does, so not both) and writes <dir>/alloc-<pid>.heapprofile; bench/alloc-top.ts reads it.
const allocDir = process.env.BENCH_ALLOC;
if (allocDir && heapDir) throw new Error('BENCH_ALLOC and BENCH_HEAP both signal with SIGUSR2: one at a time');
const serverFlags = () => [
  ...nodeFlags,
  ...(heapDir ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${heapDir}`] : []),
  ...(allocDir ? ['--import', './bench/alloc-sample.mjs'] : []),
];

/** Starts, or stops, the servers' allocation sampling (BENCH_ALLOC) around the load; stopping waits for the files. */
async function toggleAllocSampling(pids: number[], stop: boolean): Promise<void> {
  if (!allocDir) return;
  const file = (pid: number) => join(allocDir, `alloc-${pid}.heapprofile`);
  if (!stop) for (const pid of pids) rmSync(file(pid), { force: true });
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  for (let waited = 0; stop && waited < 60_000; waited += 200) {
    if (pids.every((pid) => readdirSync(allocDir).includes(`alloc-${pid}.heapprofile`))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Asks each server for a heap snapshot (SIGUSR2) and returns their live heaps, summed, in MB. */
async function liveHeapMB(pids: number[]): Promise<number> {
  if (!heapDir) return Number.NaN;
  const mine = (pid: number) =>
    readdirSync(heapDir).filter((f) => f.includes(`.${pid}.`) && f.endsWith('.heapsnapshot'));
  const before = new Map(pids.map((pid) => [pid, new Set(mine(pid))]));
  for (const pid of pids) process.kill(pid, 'SIGUSR2');
  let total = 0;
  for (const pid of pids) {
    let file: string | undefined;
    for (let i = 0; i < 600 && !file; i++) {
      file = mine(pid).find((f) => !before.get(pid)!.has(f));
      if (!file) await new Promise((r) => setTimeout(r, 500));
    }
    if (!file) throw new Error(`no heap snapshot from ${pid}`);
    // The file appears when writing starts: wait until it parses.
    for (let i = 0; ; i++) {
      try {
        total += liveBytes(JSON.parse(readFileSync(join(heapDir, file), 'utf8')));
        break;
      } catch (err) {
        if (i > 300) throw err;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }
  return total / 1048576;
}

/** The sum of every object's own size in a V8 heap snapshot. */
function liveBytes(snap: { snapshot: { meta: { node_fields: string[] } }; nodes: number[] }): number {
  const width = snap.snapshot.meta.node_fields.length;
  const at = snap.snapshot.meta.node_fields.indexOf('self_size');
  let bytes = 0;
  for (let i = at; i < snap.nodes.length; i += width) bytes += snap.nodes[i];
  return bytes;
}

async function run(kind: Kind, n: number, bareBytes = 4000, history: History = 0, procs = processes) {
  const dataDir = mkdtempSync(join(tmpdir(), 'flywheel-bench-'));
  const server = kind === 'flywheel' ? await startFlywheel(dataDir, procs) : await startBare(bareBytes);
  try {
    let idle = server.pids.reduce((n, pid) => n + rssMB(pid), 0);
    const heapIdle = await liveHeapMB(server.pids);
    const setupStart = performance.now();
    // With forks, memory per game is taken from after the long game was played: what the forks add, not the long
    // game's own state nor the heap its 2,000-odd commands grew (RSS seldom shrinks).
    const afterLongGame = async () => {
      await new Promise((r) => setTimeout(r, 2000));
      idle = server.pids.reduce((n, pid) => n + rssMB(pid), 0);
    };
    const games =
      kind === 'flywheel' ? await setupFlywheel(server, n, history, afterLongGame) : await setupBare(server, n);
    const setupSeconds = (performance.now() - setupStart) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    const loaded = server.pids.reduce((n, pid) => n + rssMB(pid), 0);
    await toggleAllocSampling(server.pids, false);
    const r = await measure(kind, server, games);
    await toggleAllocSampling(server.pids, true);
    if (kind === 'flywheel')
      process.stderr.write(`  per process: ${(await Promise.all(server.ports.map(processCounters))).join('; ')}\n`);
    const heapLoaded = await liveHeapMB(server.pids);
    if (r.completeFanouts < r.chatLines)
      process.stderr.write(
        `  ${r.chatLines - r.completeFanouts} ${kind === 'flywheel' ? 'chat lines' : 'commands'} did not reach every ` +
          'socket that reads them\n',
      );
    for (const g of games) for (const s of g.sockets) s.disconnect();
    return {
      kind,
      processes: kind === 'flywheel' ? procs : 1,
      games: n,
      sockets: n * 20,
      history: kind === 'flywheel' ? history : 0,
      setupSeconds,
      setup: { ...setupTimes },
      ...r,
      idleMB: idle,
      rssMB: loaded,
      kbPerGame: ((loaded - idle) * 1024) / n,
      heapIdleMB: heapIdle,
      heapLoadedMB: heapLoaded,
      heapKbPerGame: ((heapLoaded - heapIdle) * 1024) / n,
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// The bare payload's envelope (ids, version, timestamps and Socket.IO framing) on top of its filler, as measured at
// 4 KB: the same-bytes run's filler is Flywheel's mean update less this.
const rows: (Awaited<ReturnType<typeof run>> & { pass: number })[] = [];
for (const [pass, n] of gamesList.entries()) {
  let envelope = 120;
  let flywheelBytes = 0;
  // Flywheel once per history asked for; the same-bytes server matches the last of them.
  const runs: { kind: Kind; history: History; games?: number; procs?: number }[] = scale
    ? [
        { kind: 'flywheel', history: histories[0], procs: 1 },
        { kind: 'flywheel', history: histories[0], procs: 1, games: Math.round(n / processes) },
        { kind: 'flywheel', history: histories[0], procs: processes },
      ]
    : [
        { kind: 'bare', history: 0 },
        ...histories.map((history) => ({ kind: 'flywheel' as const, history })),
        { kind: 'same-bytes', history: 0 },
      ];
  for (const { kind, history, games = n, procs = processes } of runs) {
    if (only && only !== kind) continue;
    const filler = kind === 'same-bytes' ? Math.max(0, Math.round(flywheelBytes - envelope)) : 4000;
    if (kind === 'same-bytes' && !flywheelBytes) continue; // nothing to match without a Flywheel run
    process.stderr.write(
      `${kind}${procs > 1 ? ` ×${procs}` : ''}: ${games} games, ${+(ratePerGame * games).toFixed(2)} commands/s for ${seconds} s` +
        `${kind === 'flywheel' ? `, ${mix} mix, history ${history}` : ''}...\n`,
    );
    const r = await run(kind, games, filler, history, procs);
    if (kind === 'bare' && r.bytesPerUpdate) envelope = r.bytesPerUpdate - 4000;
    if (kind === 'flywheel') flywheelBytes = r.bytesPerUpdate;
    rows.push({ ...r, pass });
  }
}
console.log(
  `\nload: ${ratePerGame} commands per game per second, ${seconds} s, log level ${logLevel}, store=${store}` +
    `${store === 'redis' && !process.env.REDIS_URL ? ` (private, appendfsync ${fsync})` : ''}, processes=${processes}` +
    `${processes > 1 ? (affine ? ' (game-affine sockets)' : ' (sockets spread)') : ''}, mix ${mix}` +
    `${mix === 'session' ? ` (${mixRound} commands a round)` : ''}`,
);
console.log(
  '| server | history | games (sockets) | commands/s | ack p50 / p99 ms | fan-out p50 / p99 ms | CPU µs/command ' +
    '| Redis CPU µs/command | cores busy: servers / Redis / generator | bytes/update | RSS MB | KB/game | errors |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const privateRedis = r.kind === 'flywheel' && store === 'redis' && !process.env.REDIS_URL;
  const row = [
    r.processes > 1 ? `${r.kind} ×${r.processes}` : r.kind,
    r.kind === 'flywheel' ? String(r.history) : '-',
    `${r.games} (${r.sockets})`,
    r.rate.toFixed(0),
    `${r.ackP50.toFixed(1)} / ${r.ackP99.toFixed(1)}`,
    `${r.fanP50.toFixed(1)} / ${r.fanP99.toFixed(1)}`,
    r.cpuUsPerCommand.toFixed(0),
    privateRedis ? r.redisUsPerCommand.toFixed(0) : '-',
    r.cores,
    r.bytesPerUpdate.toFixed(0),
    r.rssMB.toFixed(0),
    r.kbPerGame.toFixed(0),
    r.errors,
  ];
  console.log(`| ${row.join(' | ')} |`);
}
if (heapDir)
  for (const n of gamesList) {
    const at = rows.filter((r) => r.games === n && Number.isFinite(r.heapKbPerGame));
    if (!at.length) continue;
    const floor = at.find((r) => r.kind === 'same-bytes') ?? at.find((r) => r.kind === 'bare');
    console.log(
      `${n} games: live heap per game (heap snapshots, loaded less idle): ` +
        at
          .map(
            (r) =>
              `${r.kind}${r.kind === 'flywheel' ? ` (history ${r.history})` : ''} ${r.heapKbPerGame.toFixed(0)} KB ` +
              `(${r.heapIdleMB.toFixed(1)} → ${r.heapLoadedMB.toFixed(1)} MB)` +
              (r.kind === 'flywheel' && floor
                ? `, ${(r.heapKbPerGame - floor.heapKbPerGame).toFixed(0)} KB beyond ${floor.kind}`
                : ''),
          )
          .join('; '),
    );
  }
// The session mix, and games with a session behind them: what was sent and refused, the phases the games went
// through, how long the setup took, and memory per game beside the other histories of the same game count.
const p50p99 = (xs: number[] | undefined) =>
  xs?.length ? `${pct(xs, 50).toFixed(1)} / ${pct(xs, 99).toFixed(1)} (${xs.length})` : '-';
for (const r of rows.filter((x) => x.kind === 'flywheel')) {
  const label = `${r.games} games, history ${r.history}`;
  if (mix === 'session') {
    console.log(`\n${label}: session mix, ack p50 / p99 ms (commands) by kind, and fan-out of the chat lines`);
    console.log('| command | ack p50 / p99 ms (n) | fan-out p50 / p99 ms (n) | readers a line |');
    console.log('|---|---|---|---|');
    const readers: Partial<Record<CommandKind, string>> = {
      'chat.plenary': '20',
      'chat.team': '5 (3 players, 2 White Cell)',
      'chat.bilateral': '8 (6 players, 2 White Cell)',
    };
    for (const [kind, xs] of [...r.acksByKind].sort((a, b) => b[1].length - a[1].length))
      console.log(`| ${kind} | ${p50p99(xs)} | ${p50p99(r.fanoutsByKind.get(kind))} | ${readers[kind] ?? '-'} |`);
    console.log(
      `phase changes seen during the load: ${r.phaseChanges} (${r.roundsBegun} rounds begun); refused: ` +
        `${[...r.refusals].map(([code, k]) => `${code} ×${k}`).join(', ') || 'none'}`,
    );
  }
  if (r.history === 'session') {
    const f = r.setup.fork;
    console.log(
      `${label}: long game ${r.setup.longGameCommands} commands, ${r.setup.longGameEvents} events, played in ` +
        `${r.setup.longGameSeconds.toFixed(1)} s; forks p50 / p99 ${pct(f, 50).toFixed(0)} / ${pct(f, 99).toFixed(0)} ms ` +
        `(${(f.reduce((a, b) => a + b, 0) / 1000).toFixed(1)} s for ${f.length}); setup ${r.setupSeconds.toFixed(1)} s, ` +
        `${((r.setupSeconds * 1000) / r.games).toFixed(0)} ms a game`,
    );
  } else
    console.log(
      `${label}: setup ${r.setupSeconds.toFixed(1)} s, ${((r.setupSeconds * 1000) / r.games).toFixed(0)} ms a game`,
    );
}
for (const n of gamesList) {
  const fly = rows.filter((r) => r.kind === 'flywheel' && r.games === n);
  if (fly.length)
    console.log(
      `${n} games: RSS per game (sockets included; loaded less idle, over the games): ` +
        fly
          .map(
            (r) =>
              `history ${r.history}: ${r.kbPerGame.toFixed(0)} KB (RSS ${r.idleMB.toFixed(0)} → ${r.rssMB.toFixed(0)} MB` +
              `${r.history === 'session' ? ', from after the long game' : ''})`,
          )
          .join('; '),
    );
}
// Deadline lateness under the load (docs/performance.md, "Deadlines under load"): the target is p99 ≤ 50 ms.
const clocked = rows.filter((r) => r.kind === 'flywheel' && clockGamesOf(r.games, r.history) > 0);
if (clocked.length) {
  console.log(
    `\ndeadline lateness, clocked games on ${clockSeconds} s phases: from the deadline to the last socket of the game ` +
      "receiving the phase change (client), and the server's flywheel_deadline_lateness_seconds (to the change stored)",
  );
  console.log(
    '| games (clocked) | store | phase changes | client p50 / p90 / p99 / max ms | not seen by all | ' +
      'server n | server mean ms | server p50 / p99 (bucket) ms |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of clocked) {
    const ms = r.lateness;
    const h = r.serverLateness;
    const row = [
      `${r.games} (${clockGamesOf(r.games, r.history)})`,
      store,
      ms.length,
      `${[50, 90, 99].map((p) => pct(ms, p).toFixed(1)).join(' / ')} / ${ms.length ? Math.max(...ms).toFixed(1) : NaN}`,
      r.latenessIncomplete,
      h?.count ?? '-',
      h?.count ? ((h.sum / h.count) * 1000).toFixed(1) : '-',
      h?.count ? `${bucketPct(h, 50)} / ${bucketPct(h, 99)}` : '-',
    ];
    console.log(`| ${row.join(' | ')} |`);
  }
}
// Flywheel's CPU per command against each yardstick, per pass (a game count listed twice is run twice: on a noisy
// machine, the median of several interleaved pairs says more than any one of them).
const ratios = new Map<number, { same: number[]; bare: number[] }>();
const times = (x: number | undefined) => (x === undefined ? '-' : `${x.toFixed(2)}×`);
for (const [pass, n] of gamesList.entries()) {
  const at = rows.filter((r) => r.pass === pass);
  const fly = at.find((r) => r.kind === 'flywheel');
  if (!fly || scale) continue;
  const ratio = (kind: Kind) => {
    const b = at.find((r) => r.kind === kind);
    return b ? fly.cpuUsPerCommand / b.cpuUsPerCommand : undefined;
  };
  const [same, bare] = [ratio('same-bytes'), ratio('bare')];
  const seen = ratios.get(n) ?? { same: [], bare: [] };
  if (same !== undefined) seen.same.push(same);
  if (bare !== undefined) seen.bare.push(bare);
  ratios.set(n, seen);
  console.log(
    `${n} games: Flywheel CPU per command / bare at the same bytes: ${times(same)}; / bare at 4 KB: ${times(bare)}`,
  );
}
const median = (xs: number[]) => (xs.length ? [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1] : undefined);
// Scale-out: the N processes against one process with the same games (the same total load, which one process runs
// at N times the rate of each of the N), and against one process with its share of them (the same load a process).
const scaling = { whole: [] as number[], share: [] as number[] };
for (const pass of gamesList.keys()) {
  const at = rows.filter((r) => r.pass === pass && r.kind === 'flywheel');
  const many = at.find((r) => r.processes > 1);
  const [whole, share] = [
    at.find((r) => r.processes === 1 && r.games === many?.games),
    at.find((r) => r.processes === 1 && r.games !== many?.games),
  ];
  if (!many || !whole || !share) continue;
  const [w, s] = [many.cpuUsPerCommand / whole.cpuUsPerCommand, many.cpuUsPerCommand / share.cpuUsPerCommand];
  scaling.whole.push(w);
  scaling.share.push(s);
  console.log(
    `scale-out, pass ${pass + 1}: ${many.processes} processes with ${many.games} games ${many.cpuUsPerCommand.toFixed(0)} µs/command; ` +
      `/ one process with the ${whole.games} games (${whole.cpuUsPerCommand.toFixed(0)}): ${times(w)}; ` +
      `/ one process with ${share.games} games, a process's share (${share.cpuUsPerCommand.toFixed(0)}): ${times(s)}`,
  );
}
if (scaling.whole.length > 1)
  console.log(
    `scale-out, median of ${scaling.whole.length} passes: / one process with the same games: ` +
      `${times(median(scaling.whole))}; / one process with a process's share: ${times(median(scaling.share))}`,
  );
for (const [n, { same, bare }] of ratios)
  if (Math.max(same.length, bare.length) > 1)
    console.log(
      `${n} games, median of ${Math.max(same.length, bare.length)} passes: / bare at the same bytes: ` +
        `${times(median(same))}; / bare at 4 KB: ${times(median(bare))}`,
    );
process.exit(0);
