// Scripted strategies that play a whole game through the engine, for balance checks and benchmarks.
// Each team's choices come from the game's own seeded dice stream (a separate one per strategy run), so a seed
// reproduces a game exactly.
import { Dice } from '../engine/index.ts';
import {
  createGame,
  decide,
  evolve,
  fold,
  isDomainError,
  type Actor,
  type Command,
  type GameState,
} from '../engine/index.ts';
import { tierOpen } from '../engine/index.ts';
import type { Action, Scenario } from '../../shared/scenario.ts';

export type StrategyName = 'no-deals' | 'reciprocity' | 'pocketing' | 'china-heavy' | 'china-restrained';

export interface SimResult {
  seed: number;
  ending: string;
  endingRound: number;
  meters: Record<string, number>;
  /** Rounds from the DPRK's first covert cheating to its first exposure (null: never exposed). */
  roundsToExposure: number | null;
  /** DPRK economy gained from US relief lines, and the relief those lines carried. */
  reliefEconomy: number;
  reliefPoints: number;
  /** Economy the DPRK had gained by the end of round 2 (does pocketing pay?). */
  economyAfter2: number;
}

const CONTROL: Actor = { kind: 'control', playerId: 'sim-control', name: 'Simulator' };
const player = (team: string): Actor => ({ kind: 'team', team, playerId: `sim-${team}`, name: `${team} bot` });

class Sim {
  state: GameState;
  now = 0;
  private seq = 0;
  constructor(
    scenario: Scenario,
    seed: number,
    public dice: Dice,
  ) {
    const created = createGame(`sim${seed}`, scenario, { seed, autoApprove: true }, this.now);
    if (isDomainError(created)) throw new Error(created.message);
    this.state = fold(created);
    for (const t of scenario.teams)
      this.run({ kind: 'system' }, { type: 'seat.take', playerId: `sim-${t.id}`, name: t.id, role: t.id });
  }
  run(actor: Actor, command: Command): boolean {
    this.now += 1000;
    const out = decide(this.state, { command, actor, now: this.now, ids: [`s${++this.seq}`, `s${++this.seq}`] });
    if (isDomainError(out)) return false;
    for (const e of out) this.state = evolve(this.state, e);
    return true;
  }
  pick<T>(xs: T[]): T {
    return xs[Math.floor(this.dice.next() * xs.length)];
  }
  open(team: string, filter: (a: Action) => boolean = () => true): Action[] {
    return this.state.scenario.actions.filter(
      (a) => a.team === team && !a.covert && tierOpen(this.state, a.tier) && filter(a),
    );
  }
  /** A pair deal both sides carry out this round. */
  pair(usAction: string, dprkAction: string, snapback = false): string | null {
    const r = this.state.round;
    if (
      !this.run(player('us'), {
        type: 'deal.propose',
        to: ['dprk'],
        obligations: [
          { team: 'us', action: usAction, byRound: r },
          { team: 'dprk', action: dprkAction, byRound: r },
        ],
        secret: false,
        snapback,
        note: '',
      })
    )
      return null;
    const id = this.state.dealOrder[this.state.dealOrder.length - 1];
    return this.run(player('dprk'), { type: 'deal.accept', dealId: id }) ? id : null;
  }
}

const gains = (a: Action, meter: string) => a.effects.filter((e) => e.meter === meter).reduce((n, e) => n + e.delta, 0);
const best = (xs: Action[], score: (a: Action) => number) =>
  [...xs].sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id));

/** Random open overt actions for a team, avoiding the given ones. */
function randomOvert(sim: Sim, team: string, n: number, avoid: string[] = []): string[] {
  const pool = sim.open(team).filter((a) => !avoid.includes(a.id));
  const out: string[] = [];
  while (out.length < n && pool.length) out.push(pool.splice(Math.floor(sim.dice.next() * pool.length), 1)[0].id);
  return out;
}

function playRound(sim: Sim, name: StrategyName) {
  const s = sim.state;
  const drafts: Record<string, { overt: string[]; covert: string[] }> = {};
  for (const t of s.scenario.teams) drafts[t.id] = { overt: randomOvert(sim, t.id, 2), covert: [] };

  if (name === 'reciprocity') {
    // The two sides trade their strongest open steps, twice a round: what the flywheel asks of them.
    const us = best(sim.open('us'), (a) => a.tier * 10 + gains(a, 'trust') + (a.relief ? 3 : 0));
    const dprk = best(
      sim.open('dprk'),
      (a) => a.tier * 10 + gains(a, 'denuclearization') + gains(a, 'verification') / 2 + gains(a, 'trust'),
    );
    const pairs: [string, string][] = [
      [us[0].id, dprk[0].id],
      [us[1].id, dprk[1].id],
    ];
    for (const [u, d] of pairs) sim.pair(u, d);
    drafts.us.overt = pairs.map((p) => p[0]);
    drafts.dprk.overt = pairs.map((p) => p[1]);
  }
  if (name === 'pocketing') {
    // The US pays relief with snapback armed and invests in verification and intelligence; the DPRK takes the
    // relief, promises a step it never carries out, and cheats in secret.
    const relief = best(
      sim.open('us', (a) => a.relief),
      (a) => gains(a, 'relief'),
    );
    const promise = best(
      sim.open('dprk', (a) => gains(a, 'denuclearization') > 0 || gains(a, 'verification') > 0),
      (a) => -a.tier,
    )[0];
    const watch = best(
      sim.open('us', (a) => gains(a, 'us_intel') > 0 || gains(a, 'verification') > 0),
      (a) => gains(a, 'us_intel') + gains(a, 'verification'),
    );
    if (relief[0] && promise) {
      const r = sim.state.round;
      if (
        sim.run(player('us'), {
          type: 'deal.propose',
          to: ['dprk'],
          obligations: [
            { team: 'us', action: relief[0].id, byRound: r },
            { team: 'dprk', action: promise.id, byRound: Math.min(r + 1, sim.state.options.rounds) },
          ],
          secret: false,
          snapback: true,
          note: '',
        })
      )
        sim.run(player('dprk'), { type: 'deal.accept', dealId: sim.state.dealOrder[sim.state.dealOrder.length - 1] });
    }
    drafts.us.overt = [relief[0]?.id, watch[0]?.id].filter((x): x is string => !!x);
    drafts.us.covert = s.scenario.actions
      .filter((a) => a.team === 'us' && a.covert && tierOpen(s, a.tier) && gains(a, 'us_intel') > 0)
      .slice(0, 1)
      .map((a) => a.id);
    drafts.dprk.overt = randomOvert(sim, 'dprk', 2, [promise?.id ?? '']).filter(
      (id) => gains(s.scenario.actions.find((a) => a.id === id)!, 'denuclearization') <= 0,
    );
    drafts.dprk.covert = best(
      s.scenario.actions.filter((a) => a.team === 'dprk' && a.covert && a.exposure?.cheating && tierOpen(s, a.tier)),
      (a) => gains(a, 'capability'),
    )
      .slice(0, 1)
      .map((a) => a.id);
  }
  if (name === 'china-heavy' || name === 'china-restrained') {
    // The same US relief each round; China either pours in engagement or holds back.
    const relief = best(
      sim.open('us', (a) => a.relief),
      (a) => gains(a, 'economy'),
    );
    drafts.us.overt = relief.slice(0, 1).map((a) => a.id);
    drafts.prc.overt =
      name === 'china-heavy'
        ? best(sim.open('prc'), (a) => gains(a, 'dependence') * 10 + gains(a, 'economy'))
            .slice(0, 2)
            .map((a) => a.id)
        : best(
            sim.open('prc', (a) => gains(a, 'dependence') <= 0 && gains(a, 'economy') <= 0),
            (a) => -gains(a, 'dependence'),
          )
            .slice(0, 2)
            .map((a) => a.id);
    drafts.prc.covert =
      name === 'china-heavy'
        ? best(
            s.scenario.actions.filter((a) => a.team === 'prc' && a.covert),
            (a) => gains(a, 'dependence'),
          )
            .slice(0, 1)
            .map((a) => a.id)
        : [];
    drafts.dprk.overt = [];
    drafts.rok.overt = [];
    drafts.jpn.overt = [];
  }
  sim.run(CONTROL, { type: 'phase.advance' }); // negotiation -> submission
  for (const [team, d] of Object.entries(drafts))
    sim.run(player(team), { type: 'draft.set', overt: d.overt, covert: d.covert, freeform: null });
  for (const t of s.scenario.teams) sim.run(player(t.id), { type: 'draft.lock' });
}

export function simulate(scenario: Scenario, name: StrategyName, seed: number): SimResult {
  const sim = new Sim(scenario, seed, new Dice((seed * 2654435761) >>> 0));
  sim.run(CONTROL, { type: 'game.start' });
  sim.run(CONTROL, { type: 'phase.advance' }); // briefing -> round 1 injects
  let economyAfter2 = 0;
  while (sim.state.phase === 'injects') {
    sim.run(CONTROL, { type: 'phase.advance' }); // publish injects, open negotiation
    playRound(sim, name);
    if (sim.state.round === 2)
      economyAfter2 = sim.state.meters.economy - scenario.meters.find((m) => m.id === 'economy')!.start;
    sim.run(CONTROL, { type: 'phase.advance' }); // reveal -> next round or debrief
  }
  const s = sim.state;
  const cheats = s.taken.filter(
    (t) => t.team === 'dprk' && t.covert && scenario.actions.find((a) => a.id === t.actionId)?.exposure?.cheating,
  );
  const firstCheat = cheats[0]?.round ?? null;
  const firstExposed =
    cheats
      .filter((t) => t.exposedRound !== null)
      .map((t) => t.exposedRound!)
      .sort((a, b) => a - b)[0] ?? null;
  // What US relief was worth to the DPRK economy, unrounded: each relief action's scaled economy effects at the
  // meter values of the round it landed in, per point of relief it carried.
  let reliefEconomy = 0,
    reliefPoints = 0;
  for (const r of s.reveals)
    for (const l of r.lines) {
      const a = scenario.actions.find((x) => x.id === l.actionId);
      if (l.kind !== 'action' || l.team !== 'us' || !a?.relief) continue;
      for (const e of a.effects) {
        const at = (m: string) => s.history[m]?.[r.round - 1] ?? 0;
        if (e.meter === 'economy')
          reliefEconomy += e.delta * (e.scaleBy ? 1 - (at(e.scaleBy.meter) / 100) * e.scaleBy.factor : 1);
        if (e.meter === 'relief') reliefPoints += e.delta;
      }
    }
  return {
    seed,
    ending: s.ending?.id ?? 'none',
    endingRound: s.ending?.round ?? s.round,
    meters: s.meters,
    roundsToExposure: firstCheat !== null && firstExposed !== null ? firstExposed - firstCheat : null,
    reliefEconomy,
    reliefPoints,
    economyAfter2,
  };
}
