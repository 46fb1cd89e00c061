// Plays one whole game with a strategy per team, through the driver (the real engine), and sums it up.
import { scores as scoresOf } from '../engine/index.ts';
import type { TeamId } from '../engine/index.ts';
import type { Scenario } from '../../shared/scenario.ts';
import type { GameOptions } from '../../shared/commands.ts';
import { CONTROL, Driver, player } from './driver.ts';
import type { TeamStrategy } from './strategies.ts';

export interface GameResult {
  seed: number;
  ending: string;
  endingRound: number;
  meters: Record<string, number>;
  /** Meter values at each round end (index 0: the start). */
  history: Record<string, number[]>;
  scores: Record<TeamId, { total: number; max: number }>;
  /** The second side's cheating was exposed at least once. */
  exposed: boolean;
  cheated: boolean;
  mainPairs: number;
  /** Reveals at which unguarded relief eroded (no step of the wheel's kinds that still counted). */
  erodedRounds: number;
}

export function playGame(
  scenario: Scenario,
  plan: Record<TeamId, TeamStrategy>,
  seed: number,
  options: GameOptions = {},
): GameResult {
  const d = new Driver(scenario, seed, options);
  const teams = scenario.teams.map((t) => t.id);
  d.run(CONTROL, { type: 'game.start' });
  d.run(CONTROL, { type: 'phase.advance' }); // briefing -> round 1 injects
  while (d.state.phase === 'injects') {
    d.run(CONTROL, { type: 'phase.advance' }); // publish injects, open negotiation
    const before = d.state.dealOrder.length;
    for (const t of teams) plan[t].propose?.(d, t);
    for (const id of d.state.dealOrder.slice(before)) {
      const deal = d.state.deals[id];
      for (const t of deal.parties)
        if (t !== deal.from && d.state.deals[id].status === 'proposed')
          d.run(player(t), { type: plan[t].accept(d, t, deal) ? 'deal.accept' : 'deal.reject', dealId: id });
    }
    d.run(CONTROL, { type: 'phase.advance' }); // negotiation -> submission
    for (const t of teams) {
      const draft = plan[t].draft(
        d,
        t,
        d.due(t).map((x) => x.action),
      );
      if (!d.run(player(t), { type: 'draft.set', ...draft, freeform: null }))
        d.run(player(t), { type: 'draft.set', overt: [], covert: [], freeform: null });
    }
    for (const t of teams) d.run(player(t), { type: 'draft.lock' });
    d.run(CONTROL, { type: 'phase.advance' }); // reveal -> next round or debrief
  }
  const s = d.state;
  const second = scenario.rules.sides[1];
  const cheats = s.taken.filter(
    (t) => t.team === second && t.covert && scenario.actions.find((a) => a.id === t.actionId)?.exposure?.cheating,
  );
  const scores: GameResult['scores'] = Object.fromEntries(
    scoresOf(s).map(({ team, total, max }) => [team, { total, max }]),
  );
  return {
    seed,
    ending: s.ending?.id ?? 'none',
    endingRound: s.ending?.round ?? s.round,
    meters: s.meters,
    history: s.history,
    scores,
    cheated: cheats.length > 0,
    exposed: cheats.some((t) => t.exposedRound !== null),
    mainPairs: s.pairs.filter((p) => p.sides).length,
    erodedRounds: s.reveals.filter((r) => r.lines.some((l) => l.kind === 'erosion' && !l.cancelled)).length,
  };
}
