// The figures an instructor compares across cells: the dashboard's summary of a cell, read from the cell's public
// (observer) projection, of which it needs only a few sections; and the comparative debrief, read from the cell's
// White Cell view (the instructor is every cell's White Cell), which adds hidden meters and covert moves.
import type { CellDebrief, CellSummary, CohortDebrief } from '../../shared/cohorts.ts';
import type { GameView } from '../../shared/views.ts';

/** The sections of the observer's view a cell's summary is read from: small, unlike chat, deals or actions. */
export const SUMMARY_SECTIONS = ['game', 'teams', 'meters', 'debrief'] as const;
export type SummarySource = Pick<GameView, (typeof SUMMARY_SECTIONS)[number]>;

/** How many public meters the dashboard shows per cell: the scenario's first ones, which lead its board too. */
const KEY_METERS = 4;

export function cellSummary(cell: number, label: string, v: SummarySource, students: number): CellSummary {
  const teams = v.teams.map((t) => ({
    id: t.id,
    short: t.short,
    players: t.players,
    bot: t.bot,
    whiteCell: t.whiteCell,
    submitted: t.submitted,
  }));
  return {
    cell,
    label,
    gameId: v.game.id,
    phase: v.game.phase,
    round: v.game.round,
    rounds: v.game.rounds,
    roundLabel: v.game.roundLabel,
    deadline: v.game.deadline,
    paused: v.game.paused !== null,
    pausedFrom: v.game.paused?.from ?? null,
    remaining: v.game.paused?.remaining ?? null,
    seated: teams.filter((t) => t.players > 0).length,
    locked: teams.filter((t) => t.submitted).length,
    teams,
    meters: v.meters
      .filter((m) => m.public)
      .slice(0, KEY_METERS)
      .map((m) => ({ id: m.id, name: m.name, value: m.value })),
    students,
    online: null,
    ending: v.debrief ? { id: v.debrief.ending.id, name: v.debrief.ending.name, round: v.debrief.ending.round } : null,
  };
}

// Every deal the cell saw put to a vote, so that its count agrees with the cell's own export; only a proposal still
// awaiting an answer is left out.
const SETTLED = new Set(['accepted', 'fulfilled', 'broken', 'expired', 'rejected', 'withdrawn']);

export function cellDebrief(cell: number, label: string, v: GameView): CellDebrief {
  const deals = v.deals
    .filter((d) => SETTLED.has(d.status))
    .map((d) => ({
      id: d.id,
      from: d.from,
      parties: d.parties,
      status: d.status,
      acceptedRound: d.acceptedRound,
      settledRound: d.settledRound,
      breakers: d.breakers,
      secret: d.secret,
    }));
  return {
    cell,
    label,
    gameId: v.game.id,
    phase: v.game.phase,
    round: v.game.round,
    ending: v.debrief ? { id: v.debrief.ending.id, name: v.debrief.ending.name, round: v.debrief.ending.round } : null,
    meters: v.meters.map((m) => ({ id: m.id, name: m.name, history: m.history })),
    deals,
    pocketed: deals.flatMap((d) => d.breakers.map((team) => ({ team, dealId: d.id, round: d.settledRound }))),
    covert: (v.control?.covertLog ?? []).map((c) => ({
      team: c.team,
      round: c.round,
      name: c.name,
      exposedRound: c.exposedRound,
    })),
    scores: v.debrief ? v.debrief.scores.map((s) => ({ team: s.team, total: s.total, max: s.max })) : null,
  };
}

/** Endings side by side: which cells reached each, and when. */
export function endingsOf(cells: readonly CellDebrief[]): CohortDebrief['endings'] {
  const by = new Map<string, CohortDebrief['endings'][number]>();
  for (const c of cells) {
    if (!c.ending) continue;
    const e = by.get(c.ending.id) ?? { id: c.ending.id, name: c.ending.name, cells: [], rounds: [] };
    e.cells.push(c.cell);
    e.rounds.push(c.ending.round);
    by.set(e.id, e);
  }
  return [...by.values()].sort((a, b) => b.cells.length - a.cells.length || a.id.localeCompare(b.id));
}
