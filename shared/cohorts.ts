// Seminar cohorts: many cells (games) of one scenario run side by side by one instructor. REST bodies and answers;
// docs/seminars.md describes the instructor's side and docs/protocol.md the routes.
import { z } from 'zod';
import { GameOptions } from './commands.ts';
import { lineOfText, personName, visibleText } from './text.ts';
import type { JoinResult } from './protocol.ts';
import type { GameView } from './views.ts';

export const CreateCohortBody = z.strictObject({
  scenario: z.string().regex(/^[a-z][a-z0-9_-]{0,47}$/),
  title: lineOfText(120).default('Seminar'),
  cells: z.number().int().min(1).max(40),
  /** Shared by every cell. A seed, if given, is varied per cell: each cell still rolls its own dice. */
  options: GameOptions.default({}),
  /** A bot strategy for seats no student fills when a cell starts; null leaves them empty. */
  bots: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,39}$/)
    .nullable()
    .default(null),
  name: personName.default('Instructor'),
});
export type CreateCohortBody = z.infer<typeof CreateCohortBody>;

export interface CreateCohortResult {
  cohortId: string;
  /** The instructor's bearer token for every cohort route. */
  instructorToken: string;
  /** The one link code every student joins with. */
  joinCode: string;
}

export const CohortJoinBody = z.strictObject({
  code: z.string().min(4).max(80),
  name: personName,
});
export type CohortJoinBody = z.infer<typeof CohortJoinBody>;

/** Where a student sits now, with a fresh token for that cell's team seat. */
export interface CohortSeat {
  cohortId: string;
  studentId: string;
  cell: number;
  label: string;
  team: string;
  /** The team's name as the scenario gives it ("Japan"), for the seminar page to say whom the student plays. */
  teamName: string;
  seat: JoinResult;
}
export interface CohortJoinResult extends CohortSeat {
  /** The student's bearer token for POST /api/cohorts/:id/seat (after a move, or on another device). */
  studentToken: string;
}

export const MoveStudentBody = z.strictObject({ cell: z.number().int().min(0).max(39), team: z.string().max(48) });
export type MoveStudentBody = z.infer<typeof MoveStudentBody>;

export const CohortActBody = z.strictObject({
  command: z.enum(['game.start', 'game.pause', 'game.resume', 'phase.advance']),
  /** Cell indexes; absent means every cell. */
  cells: z.array(z.number().int().min(0).max(39)).max(40).optional(),
});
export type CohortActBody = z.infer<typeof CohortActBody>;

export const AnnounceBody = z.strictObject({ text: visibleText(2000) });
export type AnnounceBody = z.infer<typeof AnnounceBody>;

/** Opens or closes the seminar to new students. */
export const JoiningBody = z.strictObject({ open: z.boolean() });
export type JoiningBody = z.infer<typeof JoiningBody>;

/** One cell's answer to a command sent to several cells. */
export interface CellOutcome {
  cell: number;
  ok: boolean;
  error?: { code: string; message: string };
}

export interface CellSummary {
  cell: number;
  label: string;
  gameId: string;
  phase: string;
  round: number;
  rounds: number;
  roundLabel: string;
  deadline: number | null;
  paused: boolean;
  /** While paused: the phase it was paused in, and the ms its clock had left (null: no clock). */
  pausedFrom: string | null;
  remaining: number | null;
  /** Teams with someone (a person, a bot or the White Cell) in the seat, and how many have locked this round. */
  seated: number;
  locked: number;
  teams: { id: string; short: string; players: number; bot: boolean; whiteCell: boolean; submitted: boolean | null }[];
  meters: { id: string; name: string; value: number }[];
  students: number;
  /** How many of them are connected now (on any process); null when it could not be told. */
  online: number | null;
  ending: { id: string; name: string; round: number } | null;
}

export interface CohortSummary {
  cohortId: string;
  title: string;
  scenario: string;
  bots: string | null;
  joinCode: string | null;
  /** The seminar's short code (`K7QM-3XHD-9TPA`), typed at /join; null if none could be bound. */
  shortCode: string | null;
  teams: { id: string; short: string; name: string; color: string }[];
  cells: CellSummary[];
  /** `online`: connected to the seat now (null when it could not be told). */
  students: { id: string; name: string; cell: number; team: string; online: boolean | null }[];
  /** Students the instructor removed: their names stay taken. */
  removed: { id: string; name: string }[];
  /** Whether the seminar link still seats new students. */
  joiningOpen: boolean;
}

export interface CellDebrief {
  cell: number;
  label: string;
  gameId: string;
  phase: string;
  round: number;
  ending: { id: string; name: string; round: number } | null;
  /** Each meter's value at every round end (index 0: the start). */
  meters: { id: string; name: string; history: number[] }[];
  deals: {
    id: string;
    from: string;
    parties: string[];
    status: string;
    acceptedRound: number | null;
    settledRound: number | null;
    breakers: string[];
    /** Made in secret: only its parties (and the White Cell) ever read it in the cell, its debrief included. */
    secret: boolean;
  }[];
  /** Teams that broke a deal they made, and in which round it was found broken. */
  pocketed: { team: string; dealId: string; round: number | null }[];
  /** Covert moves, each with the round it was exposed in (null: never). */
  covert: { team: string; round: number; name: string; exposedRound: number | null }[];
  /** Team scores, once the cell has reached its debrief. */
  scores: { team: string; total: number; max: number }[] | null;
}

export interface CohortDebrief {
  cohortId: string;
  title: string;
  scenario: string;
  teams: CohortSummary['teams'];
  meters: { id: string; name: string }[];
  cells: CellDebrief[];
  /** How many cells reached each ending (and in which rounds). */
  endings: { id: string; name: string; cells: number[]; rounds: number[] }[];
}

/**
 * One entry of the seminar's own record as exported (docs/export.md, "The seminar export"): who joined, where each
 * student was placed and moved, who was removed, when joining opened or closed. Without any token, hash or code.
 */
export type CohortRecordEntry =
  | {
      type: 'CohortCreated';
      at: number;
      scenario: string;
      title: string;
      teams: string[];
      cells: { cell: number; label: string; gameId: string; controlPlayerId: string }[];
      bots: string | null;
      instructor: string;
    }
  | { type: 'StudentJoined'; at: number; studentId: string; name: string }
  /** Placed at a join, or moved by the instructor: the seat (player id) in that cell's game. */
  | { type: 'StudentSeated'; at: number; studentId: string; cell: number; team: string; playerId: string }
  /** One more way in for the same student (a way back in, or a join finished after a crash). */
  | { type: 'StudentReturned'; at: number; studentId: string }
  /** The same name typed again while the student's join was still unanswered (a crash cut it short): retried. */
  | { type: 'JoinClaimed'; at: number; studentId: string }
  /** The join (or its retry) was answered: the student received their seat. */
  | { type: 'JoinAnswered'; at: number; studentId: string }
  | { type: 'JoiningSet'; at: number; open: boolean }
  | { type: 'StudentRemoved'; at: number; studentId: string };

export interface CohortExport {
  format: 'flywheel-cohort-export';
  version: 1;
  cohortId: string;
  title: string;
  /** When the file was asked for: the one field that differs between two downloads of the same cells. */
  exportedAt: number;
  /** The seminar's own record, in order. */
  seminar: CohortRecordEntry[];
  cells: {
    cell: number;
    label: string;
    gameId: string;
    /** The cell's whole event log, in order. */
    events: unknown[];
    /** The final view of every audience, as the record keeps it: every line of its channels (recordView). */
    views: Record<string, GameView>;
  }[];
}
