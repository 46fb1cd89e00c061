// REST calls for bots, seats played for a team, and seminar cohorts; and the tokens this browser keeps for them.
import type {
  AnnounceBody,
  CellOutcome,
  CohortActBody,
  CohortDebrief,
  CohortJoinResult,
  CohortSeat,
  CohortSummary,
  CreateCohortBody,
  CreateCohortResult,
  MoveStudentBody,
} from '../../shared/cohorts.ts';
import type { JoinResult } from '../../shared/protocol.ts';
import type { BotStrategyInfo, SeatAssignBody, SeatAssignResult } from '../../shared/seat-assignment.ts';
import { call } from './api.ts';

const id = encodeURIComponent;

/** The bot strategies a game's White Cell may seat, from the scenario the game was made with. */
export const gameStrategies = (gameId: string, token: string) =>
  call<BotStrategyInfo[]>('GET', `/api/games/${id(gameId)}/bots/strategies`, undefined, token);
/** The bot strategies that mean something in one exercise of the library (the seminar form). */
export const listStrategies = (scenario: string) =>
  call<BotStrategyInfo[]>('GET', `/api/bots/strategies?scenario=${encodeURIComponent(scenario)}`);
export const assignSeat = (gameId: string, team: string, token: string, body: SeatAssignBody) =>
  call<SeatAssignResult>('POST', `/api/games/${id(gameId)}/seats/${id(team)}`, body, token);

/** A team's own player takes its seat back from a bot or the White Cell. */
export const reclaimSeat = (gameId: string, team: string, token: string) =>
  call<SeatAssignResult>('POST', `/api/games/${id(gameId)}/seats/${id(team)}/reclaim`, {}, token);

/** `createKey`: the organizer key, on a server that sets CREATE_KEY (a seminar's cells are games). */
export const createCohort = (
  body: Partial<CreateCohortBody> & Pick<CreateCohortBody, 'scenario' | 'cells'>,
  createKey?: string,
) => call<CreateCohortResult>('POST', '/api/cohorts', body, createKey);
export const joinCohort = (code: string, name: string) =>
  call<CohortJoinResult>('POST', '/api/cohorts/join', { code, name });
export const cohortSeat = (cohortId: string, token: string) =>
  call<CohortSeat>('POST', `/api/cohorts/${id(cohortId)}/seat`, {}, token);
/** The instructor's way back in for a student on another device: a fresh student token. */
export const rejoinStudent = (cohortId: string, token: string, student: string) =>
  call<{ studentToken: string }>('POST', `/api/cohorts/${id(cohortId)}/students/${id(student)}/rejoin`, {}, token);
export const cohortSummary = (cohortId: string, token: string) =>
  call<CohortSummary>('GET', `/api/cohorts/${id(cohortId)}`, undefined, token);
export const cohortAct = (cohortId: string, token: string, body: CohortActBody) =>
  call<CellOutcome[]>('POST', `/api/cohorts/${id(cohortId)}/act`, body, token);
export const cohortAnnounce = (cohortId: string, token: string, body: AnnounceBody) =>
  call<CellOutcome[]>('POST', `/api/cohorts/${id(cohortId)}/announce`, body, token);
/** Takes a student out of the seminar (their seat closes; the seminar's bot takes the team back). */
export const removeStudent = (cohortId: string, token: string, student: string) =>
  call<{ removed: string }>('POST', `/api/cohorts/${id(cohortId)}/students/${id(student)}/remove`, {}, token);
/** Opens or closes the seminar to new students. */
export const setJoining = (cohortId: string, token: string, open: boolean) =>
  call<{ joiningOpen: boolean }>('POST', `/api/cohorts/${id(cohortId)}/joining`, { open }, token);
export const moveStudent = (cohortId: string, token: string, student: string, body: MoveStudentBody) =>
  call<unknown>('POST', `/api/cohorts/${id(cohortId)}/students/${id(student)}/move`, body, token);
export const cohortDebrief = (cohortId: string, token: string) =>
  call<CohortDebrief>('GET', `/api/cohorts/${id(cohortId)}/debrief`, undefined, token);
export const cohortExport = (cohortId: string, token: string) =>
  call<unknown>('GET', `/api/cohorts/${id(cohortId)}/export`, undefined, token);
export const cellConsole = (cohortId: string, token: string, cell: number) =>
  call<JoinResult>('POST', `/api/cohorts/${id(cohortId)}/cells/${cell}/console`, {}, token);

// ---- tokens kept in this browser ------------------------------------------------------------------------------

const KEY = 'flywheel.cohorts.v1';
interface Kept {
  instructor: Record<string, { token: string; joinCode: string }>;
  student: Record<string, string>;
}
function load(): Kept {
  try {
    const raw = localStorage.getItem(KEY);
    const k = raw ? (JSON.parse(raw) as Partial<Kept>) : {};
    return { instructor: k.instructor ?? {}, student: k.student ?? {} };
  } catch {
    return { instructor: {}, student: {} };
  }
}
function save(k: Kept) {
  try {
    localStorage.setItem(KEY, JSON.stringify(k));
  } catch {
    /* private mode: kept for this page only */
  }
}
export function keepInstructor(cohortId: string, token: string, joinCode: string) {
  const k = load();
  k.instructor[cohortId] = { token, joinCode };
  save(k);
}
export const instructorToken = (cohortId: string) => load().instructor[cohortId]?.token ?? null;
export function keepStudent(cohortId: string, token: string) {
  const k = load();
  k.student[cohortId] = token;
  save(k);
}
export const studentToken = (cohortId: string) => load().student[cohortId] ?? null;
