// Drives one game through the real engine, command by command (decide, then evolve), as seated players and a White
// Cell would: the simulator's games are games of the product, not of a model of it.
import { Dice, seedState } from '../engine/index.ts';
import { createGame, decide, evolve, fold, isDomainError, type Actor, type Command } from '../engine/index.ts';
import type { Deal, GameState, TeamId } from '../engine/index.ts';
import { actionOpen } from '../engine/index.ts';
import { spentOnce } from '../engine/index.ts';
import type { Action, Scenario } from '../../shared/scenario.ts';
import type { GameOptions } from '../../shared/commands.ts';

export const CONTROL: Actor = { kind: 'control', playerId: 'sim-control', name: 'Simulator' };
export const player = (team: string): Actor => ({ kind: 'team', team, playerId: `sim-${team}`, name: `${team} bot` });

export class Driver {
  state: GameState;
  now = 0;
  private seq = 0;
  /** Each team draws its choices from its own seeded stream, so one team's strategy never shifts another's dice. */
  readonly dice: Record<TeamId, Dice> = {};

  constructor(
    scenario: Scenario,
    readonly seed: number,
    options: GameOptions = {},
  ) {
    const created = createGame(`sim${seed}`, scenario, { seed, autoApprove: true, ...options }, this.now);
    if (isDomainError(created)) throw new Error(created.message);
    this.state = fold(created);
    for (const t of scenario.teams) {
      this.dice[t.id] = new Dice(seedState(`${seed}/${t.id}`));
      this.run({ kind: 'system' }, { type: 'seat.take', playerId: `sim-${t.id}`, name: t.id, role: t.id });
    }
  }

  /** Runs a command; false (and nothing changes) when the engine refuses it. */
  run(actor: Actor, command: Command): boolean {
    this.now += 1000;
    const out = decide(this.state, { command, actor, now: this.now, ids: [`s${++this.seq}`, `s${++this.seq}`] });
    if (isDomainError(out)) return false;
    for (const e of out) this.state = evolve(this.state, e);
    return true;
  }

  /** The actions a team may put in its draft now: its own, gate open, one-off steps not yet spent. */
  open(team: TeamId, covert = false): Action[] {
    return this.state.scenario.actions.filter(
      (a) => a.team === team && !!a.covert === covert && actionOpen(this.state, a) && !spentOnce(this.state, a),
    );
  }

  /** Proposes a deal; returns its id, or null when refused. */
  propose(
    from: TeamId,
    to: TeamId[],
    obligations: { team: TeamId; action: string; byRound: number }[],
    snapback = false,
  ) {
    const ok = this.run(player(from), {
      type: 'deal.propose',
      to,
      obligations,
      secret: false,
      snapback,
      note: '',
    });
    return ok ? this.state.dealOrder[this.state.dealOrder.length - 1] : null;
  }

  /** Deals a team is bound by whose obligations on it are still open and due by the given round. */
  due(team: TeamId): { deal: Deal; action: string }[] {
    const out: { deal: Deal; action: string }[] = [];
    for (const id of this.state.dealOrder) {
      const d = this.state.deals[id];
      if (d.status !== 'accepted') continue;
      for (const o of d.obligations)
        if (o.team === team && o.fulfilledRound === null) out.push({ deal: d, action: o.action });
    }
    return out;
  }
}
