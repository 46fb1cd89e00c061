// The dashboard's summary of each cell, kept per state of the cell's game. The dashboard is polled every few
// seconds for every cell; building each cell's whole public view for it (chat, deals, actions and all) held up the
// cells' commands. A summary is read from only the few small sections of the observer's projection it shows, and
// only when the game has moved since the last poll: evolve never mutates a state, so the same state object means
// the same version and the same summary.
import type { CellSummary } from '../../shared/cohorts.ts';
import { viewFor, type GameState } from '../engine/index.ts';
import { cellSummary, SUMMARY_SECTIONS, type SummarySource } from './comparative.ts';

/** The public audience: the dashboard shows nothing an observer of the cell could not see. */
const PUBLIC = { kind: 'observer' } as const;

export class CellSummaries {
  readonly #memo = new Map<string, { state: GameState; summary: CellSummary }>();

  /** The cell's summary at this state of its game, with the cohort's own count of its students and of those online. */
  of(cell: number, label: string, state: GameState, students: number, online: number | null): CellSummary {
    let memo = this.#memo.get(state.id);
    if (!memo || memo.state !== state || memo.summary.cell !== cell || memo.summary.label !== label) {
      const source = viewFor(state, PUBLIC, SUMMARY_SECTIONS) as SummarySource;
      memo = { state, summary: cellSummary(cell, label, source, 0) };
      this.#memo.set(state.id, memo);
    }
    return { ...memo.summary, students, online };
  }
}
