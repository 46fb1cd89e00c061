// A game in which no team does anything must not hand any team its full score: objectives that already hold at the
// start (or drift into holding) reward absence, and a "time runs out" debrief would then crown an idle team. Played
// through the real engine, for every combination of a team's variants, so the check sees what a room would see.
import type { Scenario } from '../../shared/scenario.ts';
import type { TeamId } from '../engine/index.ts';
import { playGame } from './play.ts';
import type { TeamStrategy } from './strategies.ts';

const idle: TeamStrategy = {
  name: 'idle',
  teams: [],
  summary: 'proposes nothing, accepts nothing, submits no moves',
  accept: () => false,
  draft: () => ({ overt: [], covert: [] }),
};

export interface IdleFullScore {
  team: TeamId;
  /** The variant choices the game was created with, e.g. { rok: 'engagement' }. */
  variants: Record<string, string>;
  ending: string;
  total: number;
}

/** Every team that an idle game scores at its maximum, under every variant of every team (first seed). */
export function idleFullScores(scenario: Scenario): IdleFullScore[] {
  let combos: Record<string, string>[] = [{}];
  for (const t of scenario.teams)
    if (t.variants?.length) combos = combos.flatMap((c) => t.variants!.map((v) => ({ ...c, [t.id]: v.id })));
  const plan = Object.fromEntries(scenario.teams.map((t) => [t.id, idle]));
  const out: IdleFullScore[] = [];
  for (const variants of combos) {
    const r = playGame(scenario, plan, 1, Object.keys(variants).length ? { variants } : {});
    for (const [team, s] of Object.entries(r.scores))
      if (s.max > 0 && s.total >= s.max) out.push({ team, variants, ending: r.ending, total: s.total });
  }
  return out;
}
