// Evaluates the scenario's structured conditions (endings, objectives) against a game state.
import type { Condition } from '../../shared/scenario.ts';
import { applyChanges } from './meters.ts';
import { dealInPublic, pairInPublic, rulesV3 } from './wheel.ts';
import type { GameState, MeterChange, TeamId } from './types.ts';

type Bounds = { gte?: number; lte?: number; gt?: number; lt?: number };

function within(value: number, b: Bounds): boolean {
  return (
    (b.gte === undefined || value >= b.gte) &&
    (b.lte === undefined || value <= b.lte) &&
    (b.gt === undefined || value > b.gt) &&
    (b.lt === undefined || value < b.lt)
  );
}

/**
 * Whether a condition holds. `inPublic` is for what is checked during play, where all can see the result (endings):
 * under rules v4 it counts no pair and no broken deal that was made in secret, which would give the secret away.
 */
export function holds(c: Condition, s: GameState, inPublic = false): boolean {
  if ('all' in c) return c.all.every((x) => holds(x, s, inPublic));
  if ('any' in c) return c.any.some((x) => holds(x, s, inPublic));
  if ('not' in c) return !holds(c.not, s, inPublic);
  if ('meter' in c) {
    const n = c.rounds ?? 0;
    if (n === 0) return within(s.meters[c.meter] ?? 0, c);
    // Held at each of the last n round ends (the start value does not count as a round end).
    const h = s.history[c.meter] ?? [];
    if (h.length - 1 < n) return false;
    return h.slice(-n).every((v) => within(v, c));
  }
  if ('round' in c) return within(s.round, c.round);
  if ('pairs' in c) {
    const tier = c.pairs.tier;
    const counted = s.pairs.filter((p) => p.sides && (tier === undefined || p.tier >= tier));
    return (inPublic ? counted.filter((p) => pairInPublic(s, p)) : counted).length >= c.pairs.gte;
  }
  if ('dealsBroken' in c) {
    const team = c.dealsBroken.team;
    const n = Object.values(s.deals).filter(
      (d) =>
        d.status === 'broken' && (team === undefined || d.breakers.includes(team)) && (!inPublic || dealInPublic(s, d)),
    ).length;
    return n >= c.dealsBroken.gte;
  }
  if ('exposed' in c) {
    const team = c.exposed.team;
    return (
      s.taken.filter((t) => t.exposedRound !== null && (team === undefined || t.team === team)).length >= c.exposed.gte
    );
  }
  return false;
}

/** A team's objectives: those of its chosen briefing variant when the variant has its own, else the team's. */
export function objectivesOf(s: GameState, team: TeamId) {
  const t = s.scenario.teams.find((x) => x.id === team)!;
  const variant = s.options.variants[team];
  return t.variants?.find((v) => v.id === variant)?.objectives ?? t.objectives;
}

/**
 * The effects still under way when the game ended (a step verified a round later), which the debrief scores as
 * landed (rules v3): a step taken in the last round counts as done. Scored on the meters alone, reciprocating in the
 * last round cost the side that gave first and earned it nothing, so breaking off then paid. The ending is not
 * changed: it is what had happened by the last reveal.
 */
export const underWay = (s: GameState): readonly MeterChange[] => (rulesV3(s) ? s.delayed : []);

/** Every team's objectives, each with whether it holds as the debrief scores the game, and the team's total. */
export function scores(s: GameState) {
  const pending = underWay(s);
  const scored = pending.length ? { ...s, meters: applyChanges(s.meters, pending) } : s;
  return s.scenario.teams.map((t) => {
    const objectives = objectivesOf(s, t.id).map((o) => ({
      id: o.id,
      text: o.text,
      points: o.points,
      achieved: holds(o.condition, scored),
    }));
    return {
      team: t.id,
      objectives,
      total: objectives.filter((o) => o.achieved).reduce((n, o) => n + o.points, 0),
      max: objectives.reduce((n, o) => n + o.points, 0),
    };
  });
}
