// Tiers: larger wins open only when the wheel is turning (momentum) and both sides have proved themselves at the tier
// below. Under rules v2, exposed cheating closes the tier it reached until new pairs reopen it, and side-track actions
// are gated by their own track's meter instead.
import type { Action } from '../../shared/scenario.ts';
import type { GameState } from './types.ts';
import { meterName } from './meters.ts';
import { publicMainPairs, rulesV2 } from './wheel.ts';

/** Main pairs at or above a tier, as the gates count them (rules v4: those made in public). */
export function sidePairsAtOrAbove(s: GameState, tier: number): number {
  return publicMainPairs(s).filter((p) => p.tier >= tier).length;
}

/** The latest closure that still holds for a tier: fewer than `reopenPairs` main pairs since it. */
function closedBy(s: GameState, tier: number) {
  const need = s.scenario.rules.wheel?.reopenPairs ?? 0;
  const c = [...(s.closures ?? [])].reverse().find((x) => x.tier <= tier);
  if (!c) return null;
  const since = publicMainPairs(s).filter((p) => p.round > c.round).length;
  return since < need ? c : null;
}

export function tierOpen(s: GameState, tier: number): boolean {
  if (tier === 0) return true;
  const gate = s.scenario.rules.tiers[tier];
  if (!gate) return false;
  if (rulesV2(s) && closedBy(s, tier)) return false;
  return (
    (s.meters[s.scenario.rules.momentumMeter] ?? 0) >= gate.momentum &&
    sidePairsAtOrAbove(s, tier - 1) >= gate.pairsBelow
  );
}

/** Plain words for a locked tier: what opens it. */
export function tierLockReason(s: GameState, tier: number): string {
  const gate = s.scenario.rules.tiers[tier];
  const c = rulesV2(s) ? closedBy(s, tier) : null;
  if (c)
    return (
      `Tier ${tier} (${gate.name}) was closed by exposed cheating in round ${c.round}; it reopens ` +
      `after ${s.scenario.rules.wheel?.reopenPairs} new pairs`
    );
  const meter = meterName(s, s.scenario.rules.momentumMeter).toLowerCase();
  return (
    `Tier ${tier} (${gate.name}) opens at ${meter} ${gate.momentum} with ${gate.pairsBelow} completed ` +
    `pair${gate.pairsBelow === 1 ? '' : 's'} at tier ${tier - 1} or above`
  );
}

function trackOf(s: GameState, a: Action) {
  return rulesV2(s) && a.track ? s.scenario.rules.tracks?.find((t) => t.id === a.track) : undefined;
}

/** Whether an action's gate is open: its track's meter for side-track actions, the main tiers for the rest. */
export function actionOpen(s: GameState, a: Action): boolean {
  const track = trackOf(s, a);
  if (track) return (s.meters[track.meter] ?? 0) >= track.open[a.tier];
  return tierOpen(s, a.tier);
}

export function actionLockReason(s: GameState, a: Action): string {
  const track = trackOf(s, a);
  if (track) return `${track.name}: opens when ${track.meter} reaches ${track.open[a.tier]}`;
  return tierLockReason(s, a.tier);
}
