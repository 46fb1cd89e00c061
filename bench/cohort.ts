// BENCH_SCENARIO=cohort npm run bench — a seminar on one server process: BENCH_CELLS cells (default 20) of the
// tutorial, three students' teams a cell with three sockets each, two bot-played teams, two White Cell sockets and
// three observers a cell (about 300 sockets), and the instructor's dashboard polled every two seconds. Each cell
// gets BENCH_RATE commands a second (default 1): plenary messages, and every fourth a deal offered to a bot, which
// answers through the players' own path. Prints ack and fan-out p50/p99 of the messages, the bots' moves, the
// dashboard's answer time, server CPU per command and memory. Server on core 0, loopback only, bounded in time.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as connect, type Socket } from 'socket.io-client';
import type { CohortJoinResult, CohortSummary, CreateCohortResult } from '../shared/cohorts.ts';
import { withCatalogue, type Ack, type JoinCodes, type JoinResult } from '../shared/protocol.ts';
import type { Catalogue, WireView } from '../shared/views.ts';

const CELLS = Number(process.env.BENCH_CELLS ?? 20);
const RATE = Number(process.env.BENCH_RATE ?? 1);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
/** How often the dashboard is polled; 0 turns it off (to see what it costs). */
const DASHBOARD_MS = Number(process.env.BENCH_DASHBOARD_MS ?? 2000);
const NO_CLOCKS = { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 };

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
const cpuSeconds = (pid: number) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const rssMB = (pid: number) =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] : Number.NaN;
};

async function startServer(dataDir: string): Promise<{ proc: ChildProcess; url: string }> {
  const port = await freePort();
  // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (read it with bench/profile-top.ts).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : [];
  const proc = spawn('taskset', ['-c', '0', process.execPath, ...profile, '--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      STORE: process.env.STORE ?? 'file',
      LOG_LEVEL: 'warn',
      COMMAND_RATE: '1000',
      COMMAND_BURST: '1000',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return { proc, url };
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  proc.kill('SIGKILL');
  throw new Error('the server did not become healthy');
}

async function rest<T>(url: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface Client {
  socket: Socket;
  /** The view as sent (actions without their static part) and the seat's catalogue, fetched once as a browser does. */
  view: WireView | null;
  catalogue: Catalogue | null;
}
function open(url: string, token: string, onPatch: (text: string) => void): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c: Client = {
      socket: connect(url, { transports: ['websocket'], auth: { token }, forceNew: true }),
      view: null,
      catalogue: null,
    };
    c.socket.on('view', async (p: { view: WireView }) => {
      c.view = p.view;
      if (!c.catalogue) {
        const ack = (await c.socket.emitWithAck('catalogue', {})) as Ack<Catalogue>;
        if (!ack.ok) return reject(new Error(`catalogue: ${ack.error.code}`));
        c.catalogue = ack;
      }
      resolve(c);
    });
    c.socket.on('patch', (p: { sections: Partial<WireView>; appendMessages?: { text: string }[] }) => {
      if (c.view) c.view = { ...c.view, ...p.sections };
      // Versions are per audience, so a cell's sockets see different numbers for one message: it is known by text.
      for (const m of p.appendMessages ?? []) if (m.text.startsWith('bench ')) onPatch(m.text);
    });
    c.socket.once('connect_error', reject);
  });
}

interface Cell {
  clients: Client[];
  senders: Client[];
  /** A bench message's text -> sockets that have received it. */
  seen: Map<string, number>;
  /** A bench message's text -> when it was sent, once acked and until every socket has it. */
  waiting: Map<string, number>;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'flywheel-cohort-bench-'));
  const { proc, url } = await startServer(dataDir);
  try {
    const idle = rssMB(proc.pid!);
    process.stderr.write(`cohort: ${CELLS} cells, ${RATE} commands/s a cell for ${SECONDS} s...\n`);
    const made = await rest<CreateCohortResult>(url, 'POST', '/api/cohorts', {
      scenario: 'tutorial',
      title: 'Bench seminar',
      cells: CELLS,
      options: { phases: NO_CLOCKS, autoApprove: true },
      bots: 'cooperative',
    });
    const token = made.instructorToken;
    const students: CohortJoinResult[] = [];
    for (let i = 0; i < CELLS * 3; i++)
      students.push(await rest(url, 'POST', '/api/cohorts/join', { code: made.joinCode, name: `s${i}` }));
    const fanouts: number[] = [];
    const cells: Cell[] = [];
    for (let i = 0; i < CELLS; i++) {
      const cell: Cell = { clients: [], senders: [], seen: new Map(), waiting: new Map() };
      const onPatch = (text: string) => {
        const n = (cell.seen.get(text) ?? 0) + 1;
        cell.seen.set(text, n);
        const sentAt = cell.waiting.get(text);
        if (sentAt !== undefined && n === cell.clients.length) {
          fanouts.push(performance.now() - sentAt);
          cell.waiting.delete(text);
        }
      };
      const wc = await rest<JoinResult>(url, 'POST', `/api/cohorts/${made.cohortId}/cells/${i}/console`, {}, token);
      const codes = await rest<JoinCodes>(url, 'GET', `/api/games/${wc.gameId}/codes`, undefined, wc.token);
      const tokens = [wc.token, wc.token];
      for (let k = 0; k < 3; k++)
        tokens.push((await rest<JoinResult>(url, 'POST', '/api/join', { code: codes.observer, name: `o${k}` })).token);
      for (const st of students.filter((s) => s.cell === i)) {
        const seat = await rest<{ seat: JoinResult }>(
          url,
          'POST',
          `/api/cohorts/${made.cohortId}/seat`,
          {},
          st.studentToken,
        );
        for (let k = 0; k < 3; k++) tokens.push(seat.seat.token);
      }
      for (const t of tokens) cell.clients.push(await open(url, t, onPatch));
      // One socket of each student team sends.
      cell.senders = cell.clients.filter((_, k) => k >= 5 && (k - 5) % 3 === 0);
      cells.push(cell);
    }
    const sockets = cells.reduce((n, c) => n + c.clients.length, 0);
    const act = (command: string) => rest(url, 'POST', `/api/cohorts/${made.cohortId}/act`, { command }, token);
    await act('game.start');
    await act('phase.advance');
    await act('phase.advance');
    await new Promise((r) => setTimeout(r, 2000));
    const summary = await rest<CohortSummary>(url, 'GET', `/api/cohorts/${made.cohortId}`, undefined, token);
    const bots = summary.cells.reduce((n, c) => n + c.teams.filter((t) => t.bot).length, 0);
    const loaded = rssMB(proc.pid!);

    const acks: number[] = [];
    /** The same acks by kind: the plain load sends chat only, so its figures compare with the chat lines'. */
    const chatAcks: number[] = [];
    const dealAcks: number[] = [];
    const dashboard: number[] = [];
    let errors = 0;
    let deals = 0;
    const cpu0 = cpuSeconds(proc.pid!);
    const commands0 = await commandCount(url);
    const start = performance.now();
    const total = Math.round(CELLS * RATE * SECONDS);
    const interval = 1000 / (CELLS * RATE);
    let sent = 0;
    const poller = setInterval(() => {
      if (!DASHBOARD_MS) return;
      const t0 = performance.now();
      rest(url, 'GET', `/api/cohorts/${made.cohortId}`, undefined, token).then(
        () => dashboard.push(performance.now() - t0),
        () => errors++,
      );
    }, DASHBOARD_MS || 60_000);
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
        while (sent < due) {
          const i = sent % CELLS;
          const cell = cells[i];
          const sender = cell.senders[Math.floor(sent / CELLS) % cell.senders.length];
          const dealTurn = Math.floor(sent / CELLS) % 4 === 3;
          sent++;
          // Actions are joined to the catalogue only on a deal's turn: the load generator's own cost stays off the
          // figures it takes.
          const v = dealTurn ? withCatalogue(sender.view!, sender.catalogue!) : null;
          const team = sender.view!.audience.team!;
          const mine = v?.actions.find((a) => a.team === team && !a.covert && a.open);
          const botTeam = sender.view!.teams.find((t) => t.bot);
          const theirs = botTeam && v?.actions.find((a) => a.team === botTeam.id && !a.covert && a.open);
          const command =
            dealTurn && mine && theirs
              ? {
                  type: 'deal.propose',
                  to: [botTeam.id],
                  obligations: [
                    { team, action: mine.id, byRound: sender.view!.game.round },
                    { team: botTeam.id, action: theirs.id, byRound: sender.view!.game.round },
                  ],
                  secret: false,
                  snapback: false,
                  note: '',
                }
              : { type: 'chat.post', channel: 'plenary', text: `bench ${sent}` };
          const t0 = performance.now();
          sender.socket
            .timeout(30_000)
            .emitWithAck('command', command)
            .then(
              (res: { ok: boolean; version?: number }) => {
                acks.push(performance.now() - t0);
                (command.type === 'deal.propose' ? dealAcks : chatAcks).push(performance.now() - t0);
                if (!res.ok) errors++;
                else if (command.type === 'deal.propose') deals++;
                else if (command.type === 'chat.post') {
                  // Every audience reads the plenary: the message is out once each of the cell's sockets has it.
                  const text = (command as { text: string }).text;
                  if ((cell.seen.get(text) ?? 0) >= cell.clients.length) fanouts.push(performance.now() - t0);
                  else cell.waiting.set(text, t0);
                }
              },
              () => errors++,
            );
        }
        if (sent < total) setTimeout(tick, Math.max(1, interval / 2));
        else resolve();
      };
      tick();
    });
    const deadline = performance.now() + 30_000;
    while (acks.length + errors < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1500));
    clearInterval(poller);
    const elapsed = (performance.now() - start) / 1000;
    const cpu = cpuSeconds(proc.pid!) - cpu0;
    const stored = (await commandCount(url)) - commands0;
    const botMoves = stored - total;
    console.log(
      `\ncohort: ${CELLS} cells, ${sockets} sockets + the dashboard, ${bots} bot seats, ` +
        `${RATE} commands/s a cell, ${SECONDS} s`,
    );
    console.log(
      '| cells (sockets) | bot seats | commands/s (players) | bot moves | ack p50 / p99 ms | fan-out p50 / p99 ms ' +
        '| dashboard p50 / p99 ms | CPU µs/command | RSS MB | errors |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    const p50p99 = (xs: number[]) => `${pct(xs, 50).toFixed(1)} / ${pct(xs, 99).toFixed(1)}`;
    const row = [
      `${CELLS} (${sockets})`,
      bots,
      (total / elapsed).toFixed(0),
      `${botMoves} (${deals} deals offered)`,
      p50p99(acks),
      p50p99(fanouts),
      p50p99(dashboard),
      ((cpu / stored) * 1e6).toFixed(0),
      `${loaded.toFixed(0)} (idle ${idle.toFixed(0)})`,
      errors,
    ];
    console.log(`| ${row.join(' | ')} |`);
    console.log(`ack p50 / p99 ms: chat lines ${p50p99(chatAcks)}, deal offers to bots ${p50p99(dealAcks)}`);
    for (const c of cells) for (const cl of c.clients) cl.socket.disconnect();
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Commands the server has run, from its /metrics (players', White Cell's, bots' and the clock's). */
async function commandCount(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith('flywheel_commands_total'))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
}

await main();
