// The command mix of a real session, for the load benchmark (bench/load.ts, BENCH_MIX=session) and for the long game
// its games are forked from (BENCH_HISTORY=session). One SessionGame drives one game's 20 sockets: it reads the
// phase from the White Cell's view and each team's open actions and deals from that team's view (joined to the
// seat's catalogue, fetched once as the browser does), and picks each command from the seat that would send it.
//
// The proportions are those of bench/long-game.ts, one round of a three-hour session of five teams of three:
//   300 chat lines, a third each in the plenary, the teams' own channels and the bilateral channels;
//   60 draft edits; 14 deal commands (about 7 offers, each answered: accepted, or rejected one time in three);
//   5 locks (one a team; the last moves the game to adjudication by itself);
//   4 White Cell commands: to negotiation, to submission, adjudication approved (to the reveal), to the next round.
// That is 383 commands a round; BENCH_MIX_ROUND scales the chat, drafts and deals to another round length (the locks
// and the White Cell's commands stay), so that a short run can see whole rounds go by.
// Within a round: negotiation holds half the chat, 40% of the drafts and all the deal commands; submission 30% of the
// chat and 60% of the drafts, then the locks; adjudication and the reveal a tenth of the chat each.
import type { Socket } from 'socket.io-client';
import { withCatalogue, type Ack } from '../shared/protocol.ts';
import type { Catalogue, GameView, WireView } from '../shared/views.ts';

export const ROUND_MIX = { chat: 300, drafts: 60, deals: 14, locks: 5, whiteCell: 4 };
export const ROUND_COMMANDS =
  ROUND_MIX.chat + ROUND_MIX.drafts + ROUND_MIX.deals + ROUND_MIX.locks + ROUND_MIX.whiteCell;

type Step = 'chat' | 'draft' | 'deal' | 'lock' | 'approve' | 'advance';
/** What a command is, for the acks by kind. */
export type CommandKind =
  | 'chat.plenary'
  | 'chat.team'
  | 'chat.bilateral'
  | 'draft.set'
  | 'deal.propose'
  | 'deal.answer'
  | 'draft.lock'
  | 'whiteCell';

export interface MixCommand {
  socket: Socket;
  kind: CommandKind;
  payload: Record<string, unknown>;
  /** For a chat line: its channel and how many of the game's sockets read it (the fan-out is complete at that). */
  chat?: { channel: string; readers: number };
}

/** A small seeded generator, so that two runs of one seed send the same mix. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Tracked {
  view: WireView | null;
  catalogue: Catalogue | null;
}

/** Keeps a socket's view up to date (sections replaced, as cohort.ts does; the bench reads no chat from it). */
function track(socket: Socket, first: WireView | undefined): Tracked {
  const t: Tracked = { view: first ?? null, catalogue: null };
  socket.on('view', (p: { view: WireView }) => {
    t.view = p.view;
  });
  socket.on('patch', (p: { sections?: Partial<WireView> }) => {
    if (t.view && p.sections) t.view = { ...t.view, ...p.sections };
  });
  return t;
}

const until = async (ok: () => boolean, what: string, ms = 10_000) => {
  const end = performance.now() + ms;
  while (!ok()) {
    if (performance.now() > end) throw new Error(`session mix: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};

export class SessionGame {
  readonly #teams: string[];
  readonly #sockets: Socket[];
  readonly #control: Tracked;
  /** One tracked socket a team (its first): a team's view is the same on its three sockets. */
  readonly #team: Tracked[];
  readonly #readers = new Map<string, number>();
  readonly #rand: () => number;
  readonly #scale: number;
  #plan: Step[] = [];
  #planKey = '';
  #turn = 0;
  /** Actions refused as one-off steps already taken: the view does not say so, the answer does. */
  readonly spent = new Set<string>();
  /** Phase changes seen on the White Cell's socket (counted while `counting`). */
  phaseChanges = 0;
  roundsBegun = 0;
  counting = false;

  /**
   * `sockets` as bench/load.ts opens them: teams' players 3 by 3 in the scenario's team order, then two White Cell
   * sockets, then three observers; `firstViews` the view each was sent on connecting (caught before its connect
   * resolved, as a later listener could miss it).
   */
  constructor(
    sockets: Socket[],
    firstViews: (WireView | undefined)[],
    teams: string[],
    seed: number,
    roundCommands = ROUND_COMMANDS,
  ) {
    this.#sockets = sockets;
    this.#teams = teams;
    this.#rand = random(seed);
    this.#scale = roundCommands / ROUND_COMMANDS;
    this.#control = track(sockets[teams.length * 3], firstViews[teams.length * 3]);
    this.#team = teams.map((_, i) => track(sockets[i * 3], firstViews[i * 3]));
    // Each channel's readers: the game's sockets whose audience reads it (a socket's view lists them).
    for (const v of firstViews)
      for (const ch of v?.channels ?? []) this.#readers.set(ch.id, (this.#readers.get(ch.id) ?? 0) + 1);
    let last: { phase: string; round: number } | null = firstViews[teams.length * 3]?.game ?? null;
    const seen = (game?: { phase: string; round: number }) => {
      if (!game) return;
      if (last && this.counting && (last.phase !== game.phase || last.round !== game.round)) {
        this.phaseChanges++;
        if (game.round !== last.round) this.roundsBegun++;
      }
      last = { phase: game.phase, round: game.round };
    };
    sockets[teams.length * 3].on('view', (p: { view: WireView }) => seen(p.view.game));
    sockets[teams.length * 3].on('patch', (p: { sections?: Partial<WireView> }) => seen(p.sections?.game));
  }

  /** Reads each team's catalogue once, as the browser does (the White Cell's is not needed: it only moves phases). */
  async ready(): Promise<void> {
    await until(() => !!this.#control.view && this.#team.every((t) => t.view), 'the first views');
    await Promise.all(
      this.#team.map(async (t, i) => {
        const ack = (await this.#sockets[i * 3].timeout(30_000).emitWithAck('catalogue', {})) as Ack<Catalogue>;
        if (!ack.ok) throw new Error(`catalogue: ${ack.error.code}`);
        t.catalogue = ack;
      }),
    );
  }

  get phase(): { phase: string; round: number } {
    const g = this.#control.view!.game;
    return { phase: g.phase, round: g.round };
  }

  #pick<T>(xs: T[]): T {
    return xs[Math.floor(this.#rand() * xs.length)];
  }

  #shuffle<T>(xs: T[]): T[] {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = Math.floor(this.#rand() * (i + 1));
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
    return xs;
  }

  /** The steps of the phase the game is in, in order; the last one leaves it (or, in submission, the locks do). */
  #planFor(phase: string): Step[] {
    const n = (count: number) => Math.round(count * this.#scale);
    const many = (step: Step, k: number): Step[] => Array.from({ length: Math.max(0, k) }, () => step);
    const { chat, drafts, deals, locks } = ROUND_MIX;
    switch (phase) {
      case 'negotiation':
        return [
          ...this.#shuffle([
            ...many('chat', n(chat * 0.5)),
            ...many('draft', n(drafts * 0.4)),
            ...many('deal', n(deals)),
          ]),
          'advance',
        ];
      case 'submission': {
        const body = this.#shuffle([...many('chat', n(chat * 0.3) - 2 * locks), ...many('draft', n(drafts * 0.6))]);
        // The locks come last, a few chat lines between them, as teams finish one by one.
        const tail = Array.from({ length: locks }, (): Step[] => ['chat', 'chat', 'lock']).flat();
        return [...body, ...tail];
      }
      case 'adjudication':
        return [...many('chat', n(chat * 0.1)), 'approve'];
      case 'reveal':
        return [...many('chat', n(chat * 0.1)), 'advance'];
      default:
        // Briefing and injects: the White Cell moves on.
        return ['advance'];
    }
  }

  /**
   * The game's next command, from the phase its White Cell's view shows now. A new phase starts a new plan, less the
   * steps `stagger` skipped. A plan run out (its last step sent, the phase change not seen yet, or a game that began
   * part-way through) goes on with the step that leaves the phase.
   */
  next(seq: number): MixCommand {
    const { phase, round } = this.phase;
    const key = `${round}:${phase}`;
    if (key !== this.#planKey) {
      this.#planKey = key;
      const plan = this.#planFor(phase);
      // The locks and the step that leaves the phase are never skipped, or the game would stay where it is.
      const keep = phase === 'submission' ? 3 * ROUND_MIX.locks : 1;
      this.#plan = plan.slice(Math.min(this.#skip, Math.max(0, plan.length - keep)));
      this.#skip = 0;
    }
    const step =
      this.#plan.shift() ?? (phase === 'submission' ? 'lock' : phase === 'adjudication' ? 'approve' : 'advance');
    return this.#command(step, seq) ?? this.#chat(seq);
  }

  #skip = 0;

  /**
   * Moves a game just put into play to a random point of its round, with the White Cell's and the locks' commands
   * only, so that the games of a run are spread over their rounds as real sessions would be, instead of all changing
   * phase together: a game then starts its share of the load part-way through a phase.
   */
  async stagger(): Promise<void> {
    const phases = ['injects', 'negotiation', 'submission', 'adjudication', 'reveal'];
    const lengths = phases.map((p) => this.#planFor(p).length);
    let at = Math.floor(this.#rand() * lengths.reduce((a, b) => a + b, 0));
    // Into the round first, from the briefing or a fork's reveal.
    while (!phases.slice(0, 4).includes(this.phase.phase)) await this.#leave();
    for (const [i, phase] of phases.entries()) {
      if (at < lengths[i]) break;
      at -= lengths[i];
      if (this.phase.phase === phase) await this.#leave();
    }
    this.#skip = at;
  }

  /** The White Cell's (or in submission, every team's lock) command that leaves the phase, sent and seen. */
  async #leave(): Promise<void> {
    const before = this.phase;
    if (before.phase === 'submission')
      for (const team of this.#teams) {
        if (this.#locked(team)) continue;
        const t = this.#teams.indexOf(team);
        await this.sendAndSee({ socket: this.#teamSocket(t), kind: 'draft.lock', payload: { type: 'draft.lock' } });
      }
    else await this.sendAndSee(this.#command(before.phase === 'adjudication' ? 'approve' : 'advance', 0)!);
    if (this.phase.phase === before.phase && this.phase.round === before.round) await this.moved(before);
  }

  /**
   * Plays the game one command at a time, each acked and its effect on the views awaited, until the reveal of round
   * `rounds`: the long session the load's games are forked from. Returns the refusals by code.
   */
  async play(rounds: number): Promise<{ commands: number; refused: Map<string, number> }> {
    const refused = new Map<string, number>();
    let commands = 0;
    while (!(this.phase.phase === 'reveal' && this.phase.round >= rounds)) {
      const cmd = this.next(++commands);
      const code = await this.sendAndSee(cmd, TOLERATED);
      if (code) refused.set(code, (refused.get(code) ?? 0) + 1);
    }
    return { commands, refused };
  }

  /**
   * Sends a command and waits for its effect where the next one depends on it: a phase change, a lock, playing on
   * (patches are sent before the ack, but to other sockets, whose events may come after the ack).
   */
  async sendAndSee(cmd: MixCommand, allow: string[] = []): Promise<string | null> {
    const before = this.phase;
    const type = cmd.payload.type;
    const team = cmd.kind === 'draft.lock' ? this.#teams[Math.floor(this.#sockets.indexOf(cmd.socket) / 3)] : null;
    const code = await send(cmd, allow);
    if (code) {
      this.refused(cmd, code);
      return code;
    }
    const changed = () => this.phase.phase !== before.phase || this.phase.round !== before.round;
    if (type === 'phase.advance' || type === 'adjudication.approve') await this.moved(before);
    else if (team) await until(() => this.#locked(team) || changed(), `${team}'s lock`);
    else if (type === 'game.playOn') await until(() => !this.#control.view!.game.ending, 'playing on');
    return null;
  }

  #controlCommand(type: string): MixCommand {
    return { socket: this.#sockets[this.#teams.length * 3], kind: 'whiteCell', payload: { type } };
  }

  #teamSocket(t: number): Socket {
    return this.#sockets[t * 3 + (this.#turn++ % 3)];
  }

  #chat(seq: number): MixCommand {
    const t = Math.floor(this.#rand() * this.#teams.length);
    const team = this.#teams[t];
    const r = this.#rand();
    let channel = 'plenary';
    let kind: CommandKind = 'chat.plenary';
    if (r >= 1 / 3 && r < 2 / 3) {
      channel = `team:${team}`;
      kind = 'chat.team';
    } else if (r >= 2 / 3) {
      const other = (t + 1 + Math.floor(this.#rand() * (this.#teams.length - 1))) % this.#teams.length;
      const [a, b] = [t, other].sort((x, y) => x - y);
      channel = `bi:${this.#teams[a]}:${this.#teams[b]}`;
      kind = 'chat.bilateral';
    }
    return {
      socket: this.#teamSocket(t),
      kind,
      payload: { type: 'chat.post', channel, text: `bench message ${seq}` },
      chat: { channel, readers: this.#readers.get(channel) ?? 0 },
    };
  }

  /** The team's view with its actions joined to its catalogue, open actions of `team` it may promise or draft. */
  #open(t: number, team: string): GameView['actions'] {
    const tr = this.#team[t];
    const v = withCatalogue(tr.view!, tr.catalogue!);
    return v.actions.filter((a) => a.team === team && !a.covert && a.open && !this.spent.has(a.id));
  }

  #locked(team: string): boolean {
    return this.#control.view!.drafts?.[team]?.locked ?? false;
  }

  #command(step: Step, seq: number): MixCommand | null {
    const view = this.#control.view!;
    switch (step) {
      case 'chat':
        return this.#chat(seq);
      case 'advance':
        // At a reveal where an ending was reached before the last round, the White Cell plays on first.
        if (view.game.phase === 'reveal' && view.game.ending && view.game.round < view.game.rounds) {
          this.#plan.unshift('advance');
          return this.#controlCommand('game.playOn');
        }
        return this.#controlCommand('phase.advance');
      case 'approve':
        return this.#controlCommand('adjudication.approve');
      case 'lock': {
        const t = this.#teams.findIndex((team) => !this.#locked(team));
        if (t < 0) return null;
        return { socket: this.#teamSocket(t), kind: 'draft.lock', payload: { type: 'draft.lock' } };
      }
      case 'draft': {
        const free = this.#teams.map((_, i) => i).filter((i) => !this.#locked(this.#teams[i]));
        if (!free.length) return null;
        const t = this.#pick(free);
        const menu = this.#open(t, this.#teams[t]);
        if (!menu.length) return null;
        const first = this.#pick(menu);
        const second = this.#rand() < 0.5 ? this.#pick(menu) : first;
        const overt = second.id === first.id ? [first.id] : [first.id, second.id];
        return {
          socket: this.#teamSocket(t),
          kind: 'draft.set',
          payload: { type: 'draft.set', overt, covert: [], freeform: null },
        };
      }
      case 'deal':
        return this.#answer() ?? this.#offer();
    }
  }

  /** A deal offered to a team that has not answered it: the team accepts it, or one time in three rejects it. */
  #answer(): MixCommand | null {
    for (let t = 0; t < this.#teams.length; t++) {
      const team = this.#teams[t];
      const d = this.#team[t].view!.deals.find(
        (x) => x.status === 'proposed' && x.from !== team && x.to.includes(team) && !x.acceptedBy.includes(team),
      );
      if (d)
        return {
          socket: this.#teamSocket(t),
          kind: 'deal.answer',
          payload: { type: this.#rand() < 1 / 3 ? 'deal.reject' : 'deal.accept', dealId: d.id },
        };
    }
    return null;
  }

  /** One team offers another a step for a step, both open now, due this round (as bench/long-game.ts does). */
  #offer(): MixCommand | null {
    const a = Math.floor(this.#rand() * this.#teams.length);
    const b = (a + 1 + Math.floor(this.#rand() * (this.#teams.length - 1))) % this.#teams.length;
    const mine = this.#open(a, this.#teams[a]);
    const theirs = this.#open(a, this.#teams[b]);
    if (!mine.length || !theirs.length) return null;
    const round = this.#control.view!.game.round;
    return {
      socket: this.#teamSocket(a),
      kind: 'deal.propose',
      payload: {
        type: 'deal.propose',
        to: [this.#teams[b]],
        obligations: [
          { team: this.#teams[a], action: this.#pick(mine).id, byRound: round },
          { team: this.#teams[b], action: this.#pick(theirs).id, byRound: round },
        ],
        secret: this.#rand() < 0.3,
        snapback: false,
        note: 'small wins for small wins',
      },
    };
  }

  /** After an answer: remember a one-off step refused as taken, so it is not drafted or promised again. */
  refused(cmd: MixCommand, code: string): void {
    if (code !== 'ALREADY_TAKEN') return;
    const p = cmd.payload as { overt?: string[]; obligations?: { action: string }[] };
    for (const id of p.overt ?? []) this.spent.add(id);
    for (const o of p.obligations ?? []) this.spent.add(o.action);
  }

  /** Waits until the White Cell's view shows a phase other than `from` (or round other than `round`). */
  async moved(from: { phase: string; round: number }): Promise<void> {
    await until(() => {
      const p = this.phase;
      return p.phase !== from.phase || p.round !== from.round;
    }, `a phase change from ${from.round}:${from.phase}`);
  }
}

/**
 * Refusals a session meets without a bug of the bench: a one-off step already taken (the view does not say so), a
 * deal answered from a view that had not yet seen it closed.
 */
export const TOLERATED = ['ALREADY_TAKEN', 'DEAL_CLOSED', 'NO_DEAL'];

/** Sends a command, awaits its ack, and throws on a refusal other than those listed. */
export async function send(cmd: MixCommand, allow: string[] = []): Promise<string | null> {
  const ack = (await cmd.socket.timeout(30_000).emitWithAck('command', cmd.payload)) as {
    ok: boolean;
    error?: { code: string };
  };
  if (ack.ok) return null;
  const code = ack.error?.code ?? 'UNKNOWN';
  if (!allow.includes(code)) throw new Error(`${cmd.kind} ${JSON.stringify(cmd.payload)}: ${code}`);
  return code;
}
