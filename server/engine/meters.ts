// Meters: clamped 0..100, each with an audience. Effects are resolved to whole-number changes when adjudicated.
import type { Effect, Visibility } from '../../shared/scenario.ts';
import type { Audience, GameState, LineVisibility, MeterChange } from './types.ts';

export const clamp = (v: number) => Math.max(0, Math.min(100, v));

/** Whether an audience may read something published to `v`. The White Cell reads everything. */
export function canRead(audience: Audience, v: Visibility | LineVisibility): boolean {
  if (audience.kind === 'control') return true;
  if (v === 'all') return true;
  if (v === 'control') return false;
  return audience.kind === 'team' && v.includes(audience.team);
}

/** A meter's name as the scenario gives it (its id if the scenario has no such meter). */
export const meterName = (s: GameState, meterId: string): string =>
  s.scenario.meters.find((x) => x.id === meterId)?.name ?? meterId;

export function meterVisible(s: GameState, audience: Audience, meterId: string): boolean {
  const m = s.scenario.meters.find((x) => x.id === meterId);
  return !!m && canRead(audience, m.visibleTo);
}

/**
 * The change an effect makes now: scaled by another meter where
 * the scenario says so (relief worth less under dependence).
 */
export function resolveEffect(s: GameState, e: Effect, factor = 1): MeterChange {
  let delta = e.delta * factor;
  if (e.scaleBy) delta *= 1 - ((s.meters[e.scaleBy.meter] ?? 0) / 100) * e.scaleBy.factor;
  return { meter: e.meter, delta: Math.round(delta) };
}

export function applyChanges(meters: Record<string, number>, changes: readonly MeterChange[]): Record<string, number> {
  const next = { ...meters };
  for (const c of changes) if (Object.hasOwn(next, c.meter)) next[c.meter] = clamp(next[c.meter] + c.delta);
  return next;
}

/** Adds up changes to the same meter, dropping zeros. */
export function sumChanges(changes: readonly MeterChange[]): MeterChange[] {
  const total = new Map<string, number>();
  for (const c of changes) total.set(c.meter, (total.get(c.meter) ?? 0) + c.delta);
  return [...total].filter(([, d]) => d !== 0).map(([meter, delta]) => ({ meter, delta }));
}
