// A cohort's record: its cells and where each student sits. It lives in the same EventStore as the games, under its
// own stream `<cohortId>-cohort` (as a game's auth record does under `<gameId>-auth`), and never in a game's state
// or any view. Secrets are kept only as sha256 hashes, and the join code sealed under the instructor's token.
import type { CohortRecordEntry } from '../../shared/cohorts.ts';
import type { Sealed } from '../lobby/secrets.ts';
import {
  checkRecordEvents,
  type EventShapes,
  isObject,
  isString,
  isStrings,
  RecordDamage,
} from '../store/record-damage.ts';

export interface CellRecord {
  gameId: string;
  /** The cell's White Cell seat, created with the game: the instructor acts in the cell as this player. */
  controlPlayerId: string;
  label: string;
  /** The cell's White Cell token, sealed under the instructor's token: it opens the cell's own console. */
  sealedControl: Sealed;
}

export interface StudentRecord {
  id: string;
  name: string;
  tokenHash: string;
  /** Tokens given to the same student on other devices (joining again under the same name). */
  otherTokenHashes?: string[];
  cell: number;
  team: string;
  /** The student's player id in the cell's game (a new one after each move). */
  playerId: string;
  /**
   * Taken out of the seminar by the instructor (the name stays taken). The place above is kept: it names the seat
   * that must stay closed, so a removal a crash cut short can be finished from the record alone.
   */
  removed?: boolean;
  /** Seats the student held before each move: closed, and kept so for the same reason. */
  formerSeats?: StudentSeat[];
  /**
   * A join nobody has been answered for yet: the hash of the student token its answer is to carry (the join's own,
   * or that of the retry that claimed it last). Only such a join may be finished by typing the name again, or have
   * its seat emptied at start (server/cohorts/cohorts.ts, #claimUnfinished).
   */
  unanswered?: string;
}

/** A seat a student holds or held in a cell's game. */
export interface StudentSeat {
  cell: number;
  team: string;
  playerId: string;
}

export type CohortEvent =
  | {
      type: 'CohortCreated';
      cohortId: string;
      scenario: string;
      title: string;
      teams: string[];
      cells: CellRecord[];
      bots: string | null;
      instructor: string;
      instructorHash: string;
      joinHash: string;
      sealedJoinCode: Sealed;
      at: number;
    }
  /**
   * `pending`: the join is not answered yet (a JoinAnswered follows once it is). Joins written before the flag existed
   * have none and fold as answered: whether they were cannot be told from the seminar's record, and one that was must
   * never be given to whoever types its name. The flag is optional so that those logs still read.
   */
  | { type: 'StudentJoined'; student: { id: string; name: string; tokenHash: string }; pending?: true; at: number }
  /**
   * A retry under the name of a join not yet answered claims it: the answer is now to carry this token. Appended at the
   * record's version like every event, so of two retries (or a retry and the join itself) only the one whose
   * JoinAnswered still finds its own token pending is answered.
   */
  | { type: 'JoinClaimed'; studentId: string; tokenHash: string; at: number }
  /**
   * The join's game login was issued and its answer, carrying this token, is about to go out: from here the name is
   * taken for good. Written before answering, so that a join answered is never one a retry could take.
   */
  | { type: 'JoinAnswered'; studentId: string; tokenHash: string; at: number }
  | { type: 'StudentSeated'; studentId: string; cell: number; team: string; playerId: string; at: number }
  /** A student who joined again under the same name (another device): one more token for the same seat. */
  | { type: 'StudentReturned'; studentId: string; tokenHash: string; at: number }
  /** The instructor opened or closed the seminar to new students. */
  | { type: 'JoiningSet'; open: boolean; at: number }
  /** The instructor took a student out of the seminar: no seat, and none to find again. */
  | { type: 'StudentRemoved'; studentId: string; at: number };

export interface CohortState {
  version: number;
  created: Extract<CohortEvent, { type: 'CohortCreated' }>;
  students: Map<string, StudentRecord>;
  /** Whether the seminar code seats new students (it does until the instructor closes joining). */
  joiningOpen: boolean;
}

export const cohortStreamId = (cohortId: string) => `${cohortId}-cohort`;

const isCell = (c: unknown) =>
  isObject(c) && isString(c.gameId) && isString(c.controlPlayerId) && isString(c.label) && isString(c.sealedControl);
const isPlace = (e: Record<string, unknown>) =>
  isString(e.studentId) && Number.isSafeInteger(e.cell) && isString(e.team) && isString(e.playerId);

/** What foldCohort and its readers need of each event (server/store/record-damage.ts). */
const COHORT_SHAPES: EventShapes<CohortEvent['type']> = {
  CohortCreated: (e) =>
    isString(e.cohortId) &&
    isString(e.scenario) &&
    isString(e.title) &&
    isStrings(e.teams) &&
    Array.isArray(e.cells) &&
    e.cells.length > 0 &&
    e.cells.every(isCell) &&
    (e.bots === null || isString(e.bots)) &&
    isString(e.instructor) &&
    isString(e.instructorHash) &&
    isString(e.joinHash) &&
    isString(e.sealedJoinCode),
  StudentJoined: (e) =>
    isObject(e.student) && isString(e.student.id) && isString(e.student.name) && isString(e.student.tokenHash),
  StudentSeated: isPlace,
  StudentReturned: (e) => isString(e.studentId) && isString(e.tokenHash),
  JoiningSet: (e) => typeof e.open === 'boolean',
  StudentRemoved: (e) => isString(e.studentId),
  JoinClaimed: (e) => isString(e.studentId) && isString(e.tokenHash),
  JoinAnswered: (e) => isString(e.studentId) && isString(e.tokenHash),
};

/** Checks stored cohort events of versions first, first + 1… by their type and fields (a RecordDamage if not). */
export function checkCohortEvents(stream: string, events: readonly unknown[], first: number): void {
  checkRecordEvents(stream, events, first, COHORT_SHAPES, 'CohortCreated');
}

/**
 * Folds a cohort's events onto `from` (null: from the start). Stored events that are not ones it knows, with the
 * fields it needs, or that name a student or cell the seminar does not have, make the record damaged: a RecordDamage
 * naming `stream`. None is skipped: skipping a StudentJoined lost a student without a word (their name free again,
 * their token refused).
 */
export function foldCohort(
  stream: string,
  events: readonly CohortEvent[],
  from: CohortState | null,
): CohortState | null {
  const first = (from?.version ?? 0) + 1;
  const whole = from ? undefined : events;
  checkRecordEvents(stream, events, first, COHORT_SHAPES, 'CohortCreated', whole);
  let s: CohortState | null = from ? { ...from, students: new Map(from.students) } : null;
  for (const [i, e] of events.entries()) {
    const damaged = (what: string) => new RecordDamage(stream, `event ${first + i} (${e.type}) ${what}`, whole);
    if (e.type === 'CohortCreated') {
      s = { version: 0, created: e, students: new Map(), joiningOpen: true };
    } else if (!s) throw damaged('comes before the record begins');
    else if (e.type !== 'StudentJoined' && e.type !== 'JoiningSet' && !s.students.has(e.studentId))
      throw damaged('names no student of the seminar');
    else if (e.type === 'StudentSeated' && !(e.cell >= 0 && e.cell < s.created.cells.length))
      throw damaged('names no cell of the seminar');
    else if (e.type === 'StudentJoined')
      s.students.set(e.student.id, {
        id: e.student.id,
        name: e.student.name,
        tokenHash: e.student.tokenHash,
        cell: -1,
        team: '',
        playerId: '',
        // No flag (a log written before it existed): answered, never claimable (see the event's comment).
        ...(e.pending ? { unanswered: e.student.tokenHash } : {}),
      });
    else if (e.type === 'JoinClaimed') {
      const st = s.students.get(e.studentId);
      if (st?.unanswered) s.students.set(st.id, { ...st, unanswered: e.tokenHash });
    } else if (e.type === 'JoinAnswered') {
      // The answered token becomes the student's: a token the join or an earlier retry meant to give, and did not,
      // opens nothing (it never left the server).
      const st = s.students.get(e.studentId);
      if (st && st.unanswered === e.tokenHash) {
        const { unanswered: _, ...rest } = st;
        s.students.set(st.id, { ...rest, tokenHash: e.tokenHash });
      }
    } else if (e.type === 'JoiningSet') s.joiningOpen = e.open;
    else if (e.type === 'StudentRemoved') {
      // The place stays (earlier versions cleared it): every reader asks `removed` first (isPlaced), and recovery
      // reads the place to close the seat. Logs written before fold the same way; their removals were finished then.
      const st = s.students.get(e.studentId);
      if (st) s.students.set(st.id, { ...st, removed: true });
    } else if (e.type === 'StudentReturned') {
      // A way back in from the instructor answers the student too: their name is no longer one a retry may take.
      const st = s.students.get(e.studentId);
      if (st) {
        const { unanswered: _, ...rest } = st;
        s.students.set(st.id, { ...rest, otherTokenHashes: [...(st.otherTokenHashes ?? []), e.tokenHash] });
      }
    } else {
      // A move: the seat left behind is remembered, derived here rather than carried in the event so that logs
      // written before read the same way.
      const st = s.students.get(e.studentId);
      const former =
        st && st.cell >= 0 && st.playerId !== e.playerId
          ? [{ cell: st.cell, team: st.team, playerId: st.playerId }]
          : [];
      if (st)
        s.students.set(st.id, {
          ...st,
          cell: e.cell,
          team: e.team,
          playerId: e.playerId,
          ...(former.length ? { formerSeats: [...(st.formerSeats ?? []), ...former] } : {}),
        });
    }
    s.version += 1;
  }
  return s;
}

/** A student who holds a seat in a cell: placed, and not taken out by the instructor. */
export const isPlaced = (st: StudentRecord) => st.cell >= 0 && !st.removed;

/**
 * The seats of a cell the record says nobody may hold any more: a removed student's, and every seat a move left. They
 * are closed again at each start (docs/seminars.md), which costs nothing once they are.
 */
export function closedSeats(s: CohortState, cell: number): (StudentSeat & { name: string })[] {
  const out: (StudentSeat & { name: string })[] = [];
  for (const st of s.students.values()) {
    const seats = [...(st.formerSeats ?? []), ...(st.removed && st.cell >= 0 ? [st] : [])];
    for (const x of seats)
      if (x.cell === cell) out.push({ cell: x.cell, team: x.team, playerId: x.playerId, name: st.name });
  }
  return out;
}

/** The student a token belongs to, whichever of their devices it was given to. */
export const holdsToken = (st: StudentRecord, hash: string) =>
  st.tokenHash === hash || (st.otherTokenHashes ?? []).includes(hash);

/**
 * The least-filled cell (ties to the first), then its least-filled team: balanced whatever order people join in.
 * Teams that tie are drawn (`pick(n)`: an index below n), not taken in order: were the next team foreseeable, a
 * student could join again under other names until one landed on the team of their own cell they wanted to read.
 */
export function placeStudent(s: CohortState, pick: (n: number) => number): { cell: number; team: string } {
  const cells = s.created.cells.length;
  const load = Array.from({ length: cells }, () => new Map(s.created.teams.map((t) => [t, 0])));
  for (const st of s.students.values())
    if (isPlaced(st)) load[st.cell].set(st.team, (load[st.cell].get(st.team) ?? 0) + 1);
  const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  let cell = 0;
  for (let i = 1; i < cells; i++) if (total(load[i]) < total(load[cell])) cell = i;
  const fewest = Math.min(...load[cell].values());
  const tied = s.created.teams.filter((t) => load[cell].get(t) === fewest);
  return { cell, team: tied[pick(tied.length)] };
}

/**
 * The record as the seminar's export holds it: each event with what a researcher needs (names, places, times) and
 * nothing that opens anything (no token or code, nor their hashes or sealed forms). Fields are listed, not dropped,
 * so that a secret added to an event later stays out until someone chooses to export it.
 */
export function exportableRecord(events: readonly CohortEvent[]): CohortRecordEntry[] {
  return events.map((e): CohortRecordEntry => {
    switch (e.type) {
      case 'CohortCreated':
        return {
          type: e.type,
          at: e.at,
          scenario: e.scenario,
          title: e.title,
          teams: e.teams,
          cells: e.cells.map((c, cell) => ({
            cell,
            label: c.label,
            gameId: c.gameId,
            controlPlayerId: c.controlPlayerId,
          })),
          bots: e.bots,
          instructor: e.instructor,
        };
      case 'StudentJoined':
        return { type: e.type, at: e.at, studentId: e.student.id, name: e.student.name };
      case 'StudentSeated':
        return { type: e.type, at: e.at, studentId: e.studentId, cell: e.cell, team: e.team, playerId: e.playerId };
      case 'StudentReturned':
      case 'JoinClaimed':
      case 'JoinAnswered':
        return { type: e.type, at: e.at, studentId: e.studentId };
      case 'JoiningSet':
        return { type: e.type, at: e.at, open: e.open };
      default: {
        // Only StudentRemoved is left: an event type added later fails to compile here until it is listed.
        const removed: Extract<CohortEvent, { type: 'StudentRemoved' }> = e;
        return { type: removed.type, at: removed.at, studentId: removed.studentId };
      }
    }
  });
}
