// Tiers: larger wins open only when the wheel is turning (momentum) and both sides have proved themselves at the tier below.
import type { GameState } from './types.ts';

export function sidePairsAtOrAbove(s: GameState, tier: number): number {
  return s.pairs.filter((p) => p.sides && p.tier >= tier).length;
}

export function tierOpen(s: GameState, tier: number): boolean {
  if (tier === 0) return true;
  const gate = s.scenario.rules.tiers[tier];
  if (!gate) return false;
  return (
    (s.meters[s.scenario.rules.momentumMeter] ?? 0) >= gate.momentum &&
    sidePairsAtOrAbove(s, tier - 1) >= gate.pairsBelow
  );
}

/** Plain words for a locked tier: what opens it. */
export function tierLockReason(s: GameState, tier: number): string {
  const gate = s.scenario.rules.tiers[tier];
  return `Tier ${tier} (${gate.name}) opens at momentum ${gate.momentum} with ${gate.pairsBelow} completed pairs at tier ${tier - 1} or above`;
}
