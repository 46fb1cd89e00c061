// The phases of an exercise, in order. The round machine (server/engine/machine.ts) is built from these lists and is
// the only place that says which phase follows which; everything else names phases through these types.
export const ROUND_PHASES = ['injects', 'negotiation', 'submission', 'adjudication', 'reveal'] as const;
export type RoundPhase = (typeof ROUND_PHASES)[number];

/** Phases a running game can be paused in (and resumed to). */
export const PAUSABLE_PHASES = ['briefing', ...ROUND_PHASES] as const;
export type PausablePhase = (typeof PAUSABLE_PHASES)[number];

export const PHASES = ['lobby', ...PAUSABLE_PHASES, 'paused', 'debrief', 'ended'] as const;
export type Phase = (typeof PHASES)[number];

export const isRoundPhase = (p: string): p is RoundPhase => (ROUND_PHASES as readonly string[]).includes(p);

/** The exercise is over: the debrief (or the record after it), when every secret may be shown. */
export const isOverPhase = (p: string): boolean => p === 'debrief' || p === 'ended';

/**
 * Whether an ending was reached before the last round: the exercise may end there or play on, and the White Cell
 * decides (the engine holds the reveal's clock; every screen says so). For a game's header, a seminar cell's summary,
 * or the engine's state with its number of rounds.
 */
export const endsEarly = (g: { ending: unknown; round: number; rounds: number }): boolean =>
  !!g.ending && g.round < g.rounds;
