// Rules version 2: the parts of adjudication that make the flywheel hard to game. Which pairs turn the main wheel
// (decided by action categories in the scenario), side tracks, repeats that wear out, and the brake.
import type { Action, Track } from '../../shared/scenario.ts';
import type { Deal, GameState, PairRecord, TeamId } from './types.ts';

/** Whether a game is played under rules version 2 or later (games created before versioning are version 1). */
export const rulesV2 = (s: GameState) => (s.options.rulesVersion ?? 1) >= 2;
/**
 * Rules version 3: relief delivered under a deal that later broke still erodes, and the debrief scores effects still
 * under way as landed (docs/rules.md). Games created under version 2 keep its erosion and its scores.
 */
export const rulesV3 = (s: GameState) => (s.options.rulesVersion ?? 1) >= 3;

/**
 * Rules version 4: what everyone sees moves only on what everyone can see. A pair made under a secret deal earns its
 * parties momentum and trust (which the others read only as "Other developments"), but the public gates (the tiers,
 * reopening after a closure, friction, the endings) count public pairs alone, and relief under a secret deal erodes
 * on a line its parties alone read: counted in public, a secret pair opened a tier or spared the round its friction
 * for all to see, and told every team that Washington and Pyongyang had a deal, and which steps it covered.
 */
export const rulesV4 = (s: GameState) => (s.options.rulesVersion ?? 1) >= 4;

/**
 * Rules version 5: a step worn down by repetition no longer holds relief's erosion off. Each earlier use halves what a
 * repeatable step is worth, but before version 5 any restraint counted as a step for erosion, however often it had
 * been taken: a DPRK that pocketed relief held erosion off for ever with a token it had taken many times before.
 */
export const rulesV5 = (s: GameState) => (s.options.rulesVersion ?? 1) >= 5;

/** Under rules version 5, the least share of its first-use worth a repeated step keeps and still holds erosion off. */
export const EROSION_STEP_WORTH = 0.5;

/** Whether an action is of the kinds of step the wheel takes from the second side (a restraint, denuclearization). */
export const wheelStep = (s: GameState, a: Action | undefined): a is Action =>
  !!a?.category && !!s.scenario.rules.wheel?.take.includes(a.category);

/**
 * Whether the second side's step holds erosion off this round: a step of the kinds the wheel takes, and (rules v5)
 * still worth at least half of what it was worth the first time, so that a token repeat does not.
 */
export function holdsErosionOff(s: GameState, a: Action | undefined): boolean {
  return wheelStep(s, a) && (!rulesV5(s) || repeatFactor(s, a) >= EROSION_STEP_WORTH);
}

/** Whether a deal counts for the public gates: always before rules version 4, then only if it was made in public. */
export const dealInPublic = (s: GameState, d: Deal | undefined) => !rulesV4(s) || !d?.secret;

/** Whether a pair counts for the public gates: when the deal that made it does. */
export const pairInPublic = (s: GameState, p: PairRecord) => dealInPublic(s, s.deals[p.dealId]);

/** The main pairs the public gates count (the tiers, reopening after a closure): under rules v4, those made in public. */
export const publicMainPairs = (s: GameState): PairRecord[] => s.pairs.filter((p) => p.sides && pairInPublic(s, p));

/** How many times a team has already taken an action (held steps count once, when they were taken). */
export function usesBefore(s: GameState, team: TeamId, actionId: string): number {
  return s.taken.filter((t) => t.team === team && t.actionId === actionId).length;
}

/** What a repeat is worth: one-off steps cannot be repeated; repeatable ones lose effect each time. */
export function repeatFactor(s: GameState, a: Action): number {
  const f = s.scenario.rules.wheel?.repeatFactor;
  // Covert programmes accumulate rather than wear out: only overt steps lose effect when repeated.
  if (!rulesV2(s) || f === undefined || a.once || a.covert) return 1;
  return f ** usesBefore(s, a.team, a.id);
}

/** A one-off step already taken (under rules v2): it cannot be drafted or promised again. */
export function spentOnce(s: GameState, a: Action): boolean {
  return rulesV2(s) && !!a.once && usesBefore(s, a.team, a.id) > 0;
}

export interface Pledge {
  team: TeamId;
  action: Action;
}

/**
 * Classifies a fulfilled deal. Main: exactly the two sides, the first giving an inducement and the second a restraint
 * or denuclearization step (by category). Track: exactly a track's two sides, each giving an action of the track's
 * categories. Anything else (provocations, third parties, one-sided lists) is a fulfilled deal and no more.
 */
export function classifyPair(
  s: GameState,
  parties: TeamId[],
  promises: Pledge[],
): { main: true } | { main: false; track: Track } | null {
  const rules = s.scenario.rules;
  const wheel = rules.wheel;
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  const gives = (team: TeamId, cats: readonly string[]) =>
    promises.some((p) => p.team === team && !!p.action.category && cats.includes(p.action.category));
  if (!wheel) return same(parties, rules.sides) ? { main: true } : null;
  const [first, second] = rules.sides;
  if (same(parties, rules.sides) && gives(first, wheel.give) && gives(second, wheel.take)) return { main: true };
  for (const track of rules.tracks ?? []) {
    if (!same(parties, track.sides)) continue;
    const cats = [...wheel.give, ...wheel.take, 'engagement'];
    if (track.sides.every((t) => gives(t, cats))) return { main: false, track };
  }
  return null;
}

/** The multiplier China's engagement puts on what a main pair earns. */
export function pairScale(s: GameState): number {
  const by = s.scenario.rules.wheel?.scaleBy;
  if (!by) return 1;
  return 1 - ((s.meters[by.meter] ?? 0) / 100) * by.factor;
}
