// Seminar cohorts: one instructor, N cells (ordinary games) of one scenario with shared options, each with its own
// dice. Students join with one cohort code and are placed, balanced, in a cell and a team; the instructor can move
// them, command many cells at once, announce to all, and compare the cells. Every move in a cell goes through that
// cell's game like any White Cell or player command: the cohort holds no back door into a game.
import { createHmac, randomInt } from 'node:crypto';
import type { ControlCommand } from '../../shared/commands.ts';
import type {
  AnnounceBody,
  CellOutcome,
  CohortActBody,
  CohortDebrief,
  CohortExport,
  CohortJoinBody,
  CohortJoinResult,
  CohortSeat,
  CohortSummary,
  CreateCohortBody,
  CreateCohortResult,
  MoveStudentBody,
} from '../../shared/cohorts.ts';
import type { JoinResult } from '../../shared/protocol.ts';
import type { Scenario } from '../../shared/scenario.ts';
import type { SeatHands } from '../bots/seat-hands.ts';
import { audienceKey, audiences, viewFor, type Actor, type Audience } from '../engine/index.ts';
import { AppError } from '../games/app-error.ts';
import type { Games } from '../games/games.ts';
import { GAME_ID, newId, newSecret } from '../games/ids.ts';
import { KeyedQueue } from '../games/keyed-queue.ts';
import { SYSTEM, type Seat } from '../games/seat.ts';
import type { AuthBook } from '../lobby/auth-book.ts';
import type { Lobby } from '../lobby/lobby.ts';
import { seal, sha256, stretchShortCode, unseal } from '../lobby/secrets.ts';
import { ShortCodeIndex } from '../lobby/short-code-index.ts';
import { formatShortCode, normaliseShortCode, shortCodeFromBytes } from '../../shared/join-code.ts';
import type { Logger } from '../log.ts';
import { exportableEvents } from '../record/export.ts';
import { recordView } from '../record/replay.ts';
import { VersionConflict, type EventStore } from '../store/event-store.ts';
import {
  closedSeats,
  cohortStreamId,
  exportableRecord,
  foldCohort,
  holdsToken,
  isPlaced,
  placeStudent,
  type CohortEvent,
  type CohortState,
  type StudentRecord,
} from './cohort-records.ts';
import { sameName } from '../../shared/format.ts';
import { CellSummaries } from './cell-summaries.ts';
import { cellDebrief, endingsOf } from './comparative.ts';

/** A student of the seminar who holds a place in a cell (not one the instructor has removed). */
function placed(s: CohortState, studentId: string): StudentRecord {
  const student = s.students.get(studentId);
  if (!student || student.removed) throw new AppError(404, 'NO_STUDENT', 'No such student');
  return student;
}

export interface CohortsDeps {
  store: EventStore;
  games: Games;
  lobby: Lobby;
  auth: AuthBook;
  hands: SeatHands;
  scenarios: ReadonlyMap<string, Scenario>;
  log: Logger;
  now?: () => number;
  /**
   * Whether other processes create cohorts in the same store (Redis). If not, the cohorts listed at start plus those
   * created here are all there are, and an unknown id is refused without asking the store (which, for the file
   * store, would remember every id ever asked about).
   */
  sharedStore?: boolean;
}

const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

const CREDENTIAL = /^([0-9a-z]{12})\.[0-9a-z]{26}$/;
const CONFLICT_RETRIES = 5;

const unauthorized = () => new AppError(401, 'UNAUTHORIZED', "A valid instructor's token is required");
const nameTaken = () =>
  new AppError(
    409,
    'NAME_TAKEN',
    'Someone has already joined under this name. If it was you, press "Find my seat" on the device you ' +
      'joined from, or ask the instructor for a way back in; if not, join under another name.',
  );
// The same answer for an unknown cohort and a wrong code: nothing about what exists leaks.
const badCode = () => new AppError(403, 'BAD_CODE', 'That cohort code is not valid');

/** A, B, ... Z, then A2, B2, ...: short enough to say aloud in a seminar room. */
export const cellLabel = (i: number) =>
  String.fromCharCode(65 + (i % 26)) + (i >= 26 ? String(1 + Math.floor(i / 26)) : '');

function credential(raw: unknown): { cohortId: string; raw: string } | null {
  if (typeof raw !== 'string' || raw.length > 80) return null;
  const text = raw.trim().toLowerCase();
  const m = CREDENTIAL.exec(text);
  return m && GAME_ID.test(m[1]) ? { cohortId: m[1], raw: text } : null;
}

export class Cohorts {
  readonly #d: CohortsDeps;
  readonly #now: () => number;
  readonly #cache = new Map<string, CohortState>();
  readonly #writes = new KeyedQueue();
  readonly #claims = new KeyedQueue();
  /** Students whose join this process is serving now. */
  readonly #joining = new Set<string>();
  readonly #known = new Set<string>();
  readonly #summaries = new CellSummaries();
  /** Who is connected to a game now: set once the realtime layer is up (see watchPresence). */
  #online: ((gameId: string) => Promise<ReadonlySet<string> | null>) | undefined;
  /** Cohorts whose short code this process has bound in the index (binding again is harmless, but a write). */
  readonly #shortBound = new Set<string>();
  readonly #index: ShortCodeIndex;

  constructor(deps: CohortsDeps) {
    this.#d = deps;
    this.#index = new ShortCodeIndex(deps.store);
    this.#now = deps.now ?? Date.now;
  }

  /** Learns which cohorts the store holds (their games are loaded by Games.start). */
  async start(): Promise<void> {
    for (const stream of await this.#d.store.listGames())
      if (stream.endsWith('-cohort')) this.#known.add(stream.slice(0, -'-cohort'.length));
    // The record is written before the cells are changed to match it (a removal, a move): whatever a crash cut short
    // is finished here, before anyone is let in. A cell that cannot be settled now is left as it is and logged; the
    // rest of the server starts regardless.
    for (const cohortId of this.#known) {
      const s = await this.#fresh(cohortId).catch(() => null);
      for (const [i] of s?.created.cells.entries() ?? [])
        await this.#recover(s!, i).catch((err: unknown) =>
          this.#d.log.warn('seminar cell not settled at start', { cohort: cohortId, cell: i, err }),
        );
    }
  }

  async create(body: CreateCohortBody): Promise<CreateCohortResult> {
    const scenario = this.#d.scenarios.get(body.scenario);
    if (!scenario) throw new AppError(404, 'NO_SCENARIO', 'No such scenario');
    if (body.bots && !this.#d.hands.strategyIn(body.bots, scenario))
      throw new AppError(400, 'UNKNOWN_STRATEGY', 'No bot strategy of that name for this exercise');
    const cohortId = newId();
    const instructorToken = `${cohortId}.${newSecret()}`;
    const cells = [];
    for (let i = 0; i < body.cells; i++) {
      const label = cellLabel(i);
      const { seed, ...rest } = body.options;
      const made = await this.#d.lobby.createGame({
        scenario: body.scenario,
        name: body.name,
        // Each cell rolls its own dice: without a seed each game seeds itself; a chosen seed is varied per cell.
        options: {
          ...rest,
          ...(seed !== undefined ? { seed: cellSeed(String(seed), label) } : {}),
          title: `${body.title} · ${label}`,
        },
      });
      const state = (await this.#d.games.get(made.gameId))!.state;
      const control = Object.values(state.players).find((p) => p.role === 'control')!;
      const sealedControl = seal(instructorToken, cohortId, Buffer.from(made.controlToken));
      cells.push({ gameId: made.gameId, controlPlayerId: control.id, label, sealedControl });
    }
    const joinCode = `${cohortId}.${newSecret()}`;
    await this.#d.store.append(cohortStreamId(cohortId), 0, [
      {
        type: 'CohortCreated',
        cohortId,
        scenario: scenario.id,
        title: body.title,
        teams: scenario.teams.map((t) => t.id),
        cells,
        bots: body.bots,
        instructor: body.name,
        instructorHash: sha256(instructorToken),
        joinHash: sha256(joinCode),
        sealedJoinCode: seal(instructorToken, cohortId, Buffer.from(joinCode)),
        at: this.#now(),
      } satisfies CohortEvent,
    ]);
    this.#known.add(cohortId);
    this.#d.log.info('cohort created', { cohort: cohortId, cells: cells.length, scenario: scenario.id });
    return { cohortId, instructorToken, joinCode };
  }

  /** A student joins with the cohort's code: placed in the least-filled cell and team, and seated there. */
  async join(body: CohortJoinBody): Promise<CohortJoinResult> {
    const code = credential(body.code);
    const s = code && (await this.#fresh(code.cohortId));
    if (!code || !s || sha256(code.raw) !== s.created.joinHash) throw badCode();
    const studentToken = `${code.cohortId}.${newSecret()}`;
    // A name already taken is refused, not given its seat back: every student holds the seminar's code, and names are
    // signed on every plenary line, so a name would open any classmate's team (briefing, channel, moves). A student
    // back on the same browser finds the seat with the token kept there; on another device, the instructor gives
    // a way back in (`rejoin`). Looked up in the state the append is made on, so two joins under one name at once
    // make one student. The one exception is a join that never answered anyone (#claimUnfinished).
    const claimed = await this.#claimUnfinished(code.cohortId, body.name);
    if (claimed) return claimed;
    const studentId = newId();
    const playerId = newId();
    this.#joining.add(studentId);
    try {
      return await this.#newStudent(code.cohortId, body.name, studentId, playerId, studentToken);
    } finally {
      this.#joining.delete(studentId);
    }
  }

  async #newStudent(
    cohortId: string,
    name: string,
    studentId: string,
    playerId: string,
    studentToken: string,
  ): Promise<CohortJoinResult> {
    await this.#append(cohortId, (st) => {
      const at = this.#now();
      if (!st.joiningOpen)
        throw new AppError(
          403,
          'JOINING_CLOSED',
          'This seminar takes no new students now. If you joined before, press "Find my seat" on the device you ' +
            'joined from; if not, ask the instructor to open joining.',
        );
      if ([...st.students.values()].some((x) => sameName(x.name, name))) throw nameTaken();
      const place = placeStudent(st, randomInt);
      return [
        // Pending until JoinAnswered: a crash before then leaves a join a retry may finish (#claimUnfinished).
        { type: 'StudentJoined', student: { id: studentId, name, tokenHash: sha256(studentToken) }, pending: true, at },
        { type: 'StudentSeated', studentId, ...place, playerId, at },
      ];
    });
    const seat = await this.#seatOf(cohortId, studentId);
    await this.#answer(cohortId, studentId, studentToken);
    return { ...seat, studentToken };
  }

  /**
   * Records that a join (or its retry) is answered with `studentToken`, before the answer goes out, so that a name
   * whose answer may have arrived is never claimable (#claimUnfinished). Appended at the record's version only if
   * this token is still the one pending: a retry that claimed the join meanwhile (here or in another process on the
   * same store) wins it, and this request gets NAME_TAKEN. The game login issued for the seat is then never given to
   * anyone; the winner gets one of its own.
   */
  async #answer(cohortId: string, studentId: string, studentToken: string): Promise<void> {
    const tokenHash = sha256(studentToken);
    await this.#append(cohortId, (s) => {
      const st = s.students.get(studentId);
      if (st?.removed) throw new AppError(403, 'STUDENT_REMOVED', 'The instructor has taken you out of this seminar');
      if (st?.unanswered !== tokenHash) throw nameTaken();
      return [{ type: 'JoinAnswered', studentId, tokenHash, at: this.#now() }];
    });
  }

  /**
   * A join a crash cut short after the record but before it was answered: the seminar's record says so itself, with
   * a StudentJoined marked pending and no JoinAnswered (cohort-records.ts), since the answer is recorded before it
   * goes out. The student never received anything, so the name they typed belongs to nobody who could use it. A
   * student expects typing their name again to work, as it would had the server not failed, so their retry finishes
   * the join in the place it was given, rather than answering NAME_TAKEN (which would leave them locked out of their
   * own name until the instructor removed it). Handing it over is safe: nobody ever played that seat, and whoever
   * types the name gets no more than joining under a new name gives.
   *
   * Only the record decides, not the sign-in record's tokens: `npm run game:repair <cell>-auth` may cut the logins of
   * students long answered (docs/operations.md), and their names must stay theirs. A join recorded before the
   * pending flag existed folds as answered. The claim is itself an append at the record's version (JoinClaimed), and
   * the answer another (JoinAnswered, #answer), which succeeds only for the latest claim: of two retries, or of a
   * retry and the join it meets still running in another process on the same store, exactly one is answered and the
   * other gets NAME_TAKEN. In one process, joins still being served are not claimed (#joining) and claims go one at
   * a time per cohort, so the first comes first there.
   */
  async #claimUnfinished(cohortId: string, name: string): Promise<CohortJoinResult | null> {
    const find = async () => {
      const s = await this.#fresh(cohortId);
      const st = s && [...s.students.values()].find((x) => sameName(x.name, name));
      return s?.joiningOpen && st && this.#unfinishedJoin(st) ? st : null;
    };
    if (!(await find())) return null;
    return this.#claims.run(cohortId, async () => {
      const st = await find();
      if (!st) return null;
      const studentToken = `${cohortId}.${newSecret()}`;
      await this.#append(cohortId, (s) => {
        const now = s.students.get(st.id);
        if (!now || !this.#unfinishedJoin(now)) throw nameTaken();
        return [{ type: 'JoinClaimed', studentId: st.id, tokenHash: sha256(studentToken), at: this.#now() }];
      });
      const seat = await this.#seatOf(cohortId, st.id);
      await this.#answer(cohortId, st.id, studentToken);
      this.#d.log.info('unfinished join finished', { cohort: cohortId, student: st.id });
      return { ...seat, studentToken };
    });
  }

  /** A student whose join never answered them, and which this process is not serving now: see #claimUnfinished. */
  #unfinishedJoin(st: StudentRecord): boolean {
    return isPlaced(st) && st.unanswered !== undefined && !this.#joining.has(st.id);
  }

  /**
   * A way back in for a student on another device (a lost phone, a cleared browser): a fresh student token, given by
   * the instructor alone. The student's other tokens keep working.
   */
  async rejoin(cohortId: string, bearer: string | undefined, studentId: string): Promise<{ studentToken: string }> {
    const s = await this.#instructor(cohortId, bearer);
    placed(s, studentId);
    const studentToken = `${cohortId}.${newSecret()}`;
    await this.#append(cohortId, () => [
      { type: 'StudentReturned', studentId, tokenHash: sha256(studentToken), at: this.#now() },
    ]);
    this.#d.log.info('student let back in', { cohort: cohortId, student: studentId });
    return { studentToken };
  }

  /**
   * Opens or closes the seminar to new students. Once everyone is in, closing it means nobody can join again under
   * other names to reach another team; students already in find their seats as before.
   */
  async setJoining(cohortId: string, bearer: string | undefined, open: boolean): Promise<{ joiningOpen: boolean }> {
    await this.#instructor(cohortId, bearer);
    const s = await this.#append(cohortId, () => [{ type: 'JoiningSet', open, at: this.#now() }]);
    this.#d.log.info(open ? 'seminar joining opened' : 'seminar joining closed', { cohort: cohortId });
    return { joiningOpen: s.joiningOpen };
  }

  /** A fresh token for a student's current seat (after a move, a new device, or a lost tab). */
  async seat(cohortId: string, bearer: string | undefined): Promise<CohortSeat> {
    const s = await this.#fresh(cohortId);
    const token = credential(bearer);
    const hash = token && token.cohortId === cohortId ? sha256(token.raw) : null;
    const student = s && hash ? [...s.students.values()].find((x) => holdsToken(x, hash)) : undefined;
    if (!student) throw new AppError(401, 'UNAUTHORIZED', "A valid student's token is required");
    if (student.removed) throw new AppError(403, 'STUDENT_REMOVED', 'The instructor has taken you out of this seminar');
    return this.#seatOf(cohortId, student.id);
  }

  async move(cohortId: string, bearer: string | undefined, studentId: string, body: MoveStudentBody) {
    const s = await this.#instructor(cohortId, bearer);
    const student = placed(s, studentId);
    if (body.cell >= s.created.cells.length) throw new AppError(404, 'NO_CELL', 'No such cell');
    if (!s.created.teams.includes(body.team)) throw new AppError(404, 'UNKNOWN_TEAM', 'No such team');
    if (student.cell === body.cell && student.team === body.team) return this.#placeOf(s, studentId);
    // The record first: it then names the old seat as closed (formerSeats), so that a crash at any later step is
    // finished at start (#settle). Then the old seat's tokens stop working and its socket is closed, its team goes
    // to the bot if left empty, and the new seat is taken; the student asks for its login.
    const playerId = newId();
    const next = await this.#append(cohortId, () => [
      { type: 'StudentSeated', studentId, cell: body.cell, team: body.team, playerId, at: this.#now() },
    ]);
    await this.#settle(next, student.cell, [student.team], student.playerId);
    const cell = next.created.cells[body.cell];
    await this.#d.games.submit(cell.gameId, SYSTEM, {
      type: 'seat.take',
      playerId,
      name: student.name,
      role: body.team,
    });
    await this.#takeBackFromBot(next, body.cell, body.team);
    this.#d.log.info('student moved', { cohort: cohortId, student: studentId, cell: body.cell, team: body.team });
    return this.#placeOf(next, studentId);
  }

  /**
   * Takes a student out of the seminar: their seat closes (its tokens stop working, its socket is closed), a bot
   * takes the team back if the seminar has one, and "Find my seat" finds nothing. For a name joined only to reach
   * another team, or a student who has left.
   */
  async remove(cohortId: string, bearer: string | undefined, studentId: string): Promise<{ removed: string }> {
    const s = await this.#instructor(cohortId, bearer);
    const known = s.students.get(studentId);
    // Asking again for a student already removed (an answer lost to a crash or the network) closes the seat again
    // and answers the same: nothing is recorded twice.
    const student = known?.removed && known.cell >= 0 ? known : placed(s, studentId);
    // The record first, then the cell: a crash in between is finished at start (#settle), from the place the
    // record keeps for a removed student.
    const next = student.removed
      ? s
      : await this.#append(cohortId, () => [{ type: 'StudentRemoved', studentId, at: this.#now() }]);
    await this.#settle(next, student.cell, [student.team], student.playerId);
    this.#d.log.info('student removed', { cohort: cohortId, student: studentId });
    return { removed: studentId };
  }

  /** At start: a cell as the record has it, whatever step of a join, move or removal a crash stopped at. */
  async #recover(s: CohortState, i: number): Promise<void> {
    // A join cut short after its seat was taken but before it was answered (the record says which: #claimUnfinished)
    // seated someone who never received a login and cannot play: the seat is left, so that the team goes to the bot
    // like any other empty one, and the student's retry takes it again. An answered join's seat stays, whatever the
    // sign-in record still holds.
    const gameId = s.created.cells[i].gameId;
    const unfinished = [...s.students.values()].filter((st) => st.cell === i && this.#unfinishedJoin(st));
    // One read of the game, caught up, for the cell (a seminar of hundreds of students starts with one a cell).
    const game = unfinished.length ? await this.#d.games.sync(gameId) : null;
    for (const st of unfinished)
      if (game?.state.players[st.playerId]?.seated)
        await this.#d.games.submit(gameId, SYSTEM, { type: 'seat.leave', playerId: st.playerId });
    await this.#settle(s, i, s.created.teams);
  }

  /**
   * Brings a cell's game in line with the record: every seat the record closed (a removed student's, one a move
   * left) has its tokens revoked and is left, then each of `teams` left with nobody in a cell under way goes to the
   * seminar's bot. Each step looks before it acts, so it may run any number of times: after each removal or move,
   * and for every cell at start, which finishes whatever a crash cut short. `closing` is the seat of the request
   * being served, whose open sockets are closed (at start there are none).
   */
  async #settle(s: CohortState, i: number, teams: readonly string[], closing?: string): Promise<void> {
    const cell = s.created.cells[i];
    const closed = closedSeats(s, i);
    // Revoked before the sockets close and the seat is left, so that a closed socket cannot come back in. (Revoking
    // seats already revoked writes nothing.)
    if (closed.length)
      await this.#d.auth.revoke(
        cell.gameId,
        closed.map((x) => x.playerId),
      );
    this.#d.lobby.revoked(
      closed
        .filter((x) => x.playerId === closing)
        .map((x) => ({ gameId: cell.gameId, playerId: x.playerId, name: x.name, role: 'team', team: x.team })),
    );
    const game = await this.#d.games.sync(cell.gameId);
    for (const x of closed)
      if (game?.state.players[x.playerId]?.seated)
        await this.#d.games.submit(cell.gameId, SYSTEM, { type: 'seat.leave', playerId: x.playerId });
    for (const team of teams) await this.#backfillWithBot(s, i, team);
  }

  /** One White Cell command in many cells, each answered on its own. Starting fills empty seats with bots first. */
  async act(cohortId: string, bearer: string | undefined, body: CohortActBody): Promise<CellOutcome[]> {
    const s = await this.#instructor(cohortId, bearer);
    return this.#eachCell(s, body.cells, async (i) => {
      if (body.command === 'game.start' && s.created.bots) await this.#fillWithBots(s, i, s.created.bots);
      return { type: body.command } as ControlCommand;
    });
  }

  async announce(cohortId: string, bearer: string | undefined, body: AnnounceBody): Promise<CellOutcome[]> {
    const s = await this.#instructor(cohortId, bearer);
    return this.#eachCell(s, undefined, async () => ({ type: 'chat.post', channel: 'announcements', text: body.text }));
  }

  /**
   * Tells the dashboard who is connected: the realtime layer is made after the seminars (it needs them for nothing,
   * they need it only for this), so it is handed in once both exist.
   */
  watchPresence(online: (gameId: string) => Promise<ReadonlySet<string> | null>): void {
    this.#online = online;
  }

  async summary(cohortId: string, bearer: string | undefined): Promise<CohortSummary> {
    const s = await this.#instructor(cohortId, bearer);
    const students = [...s.students.values()].filter(isPlaced);
    const scenario = this.#d.scenarios.get(s.created.scenario);
    // Who is connected to each cell: its sockets on any process (the realtime layer's answer; null when unknown),
    // asked of every cell at once rather than one round trip after another.
    const connected = await Promise.all(s.created.cells.map((cell) => this.#online?.(cell.gameId) ?? null));
    const isOnline = (x: { cell: number; playerId: string }) => connected[x.cell]?.has(x.playerId) ?? null;
    const cells = [];
    for (const [i, cell] of s.created.cells.entries()) {
      const game = await this.#d.games.sync(cell.gameId);
      if (!game) throw new AppError(404, 'NO_GAME', 'A cell of this cohort is missing');
      const here = students.filter((x) => x.cell === i);
      const count = connected[i] ? here.filter((x) => isOnline(x)).length : null;
      cells.push(this.#summaries.of(i, cell.label, game.state, here.length, count));
    }
    const token = credential(bearer)!;
    const joinCode = unseal(token.raw, cohortId, s.created.sealedJoinCode)?.toString() ?? null;
    const shortCode = joinCode ? await this.#bindShortCode(cohortId, joinCode) : null;
    return {
      cohortId,
      title: s.created.title,
      scenario: s.created.scenario,
      bots: s.created.bots,
      joinCode,
      shortCode,
      teams: (scenario?.teams ?? []).map((t) => ({ id: t.id, short: t.short, name: t.name, color: t.color })),
      cells,
      students: students.map((x) => ({
        id: x.id,
        name: x.name,
        cell: x.cell,
        team: x.team,
        online: isOnline(x),
      })),
      removed: [...s.students.values()].filter((x) => x.removed).map((x) => ({ id: x.id, name: x.name })),
      joiningOpen: s.joiningOpen,
    };
  }

  /**
   * The seminar's short code, read from its join code (so nothing more is stored), bound in the short-code index
   * the first time the dashboard asks: `/join` then leads a student who types it to the seminar page. It holds no
   * more than the link: whoever has either can join, and a wrong one spends a guess like any join code.
   */
  async #bindShortCode(cohortId: string, joinCode: string): Promise<string | null> {
    const code = shortCodeFromBytes(createHmac('sha256', joinCode).update('seminar short code').digest());
    if (!this.#shortBound.has(cohortId)) {
      const stretched = await stretchShortCode(code);
      const sealed = seal(stretched.sealing, cohortId, Buffer.from(joinCode));
      // Another seminar holding the same 60-bit code is all but impossible; the dashboard then shows only the link.
      if (!(await this.#index.bindSeminar(stretched.lookup, cohortId, sealed, this.#now()))) return null;
      this.#shortBound.add(cohortId);
    }
    return formatShortCode(code);
  }

  /** The seminar a typed short code leads to (its join code, for the seminar page), or null if it leads to none. */
  async byShortCode(typed: string): Promise<{ title: string; joinCode: string } | null> {
    const code = normaliseShortCode(typed);
    if (!code) return null;
    const stretched = await stretchShortCode(code);
    const entry = await this.#index.find(stretched.lookup);
    if (entry?.kind !== 'seminar') return null;
    const joinCode = unseal(stretched.sealing, entry.cohortId, entry.sealedJoinCode)?.toString();
    const s = joinCode ? await this.#fresh(entry.cohortId) : null;
    if (!joinCode || !s || s.created.joinHash !== sha256(joinCode)) return null;
    return { title: s.created.title, joinCode };
  }

  async debrief(cohortId: string, bearer: string | undefined): Promise<CohortDebrief> {
    const s = await this.#instructor(cohortId, bearer);
    const scenario = this.#d.scenarios.get(s.created.scenario);
    const cells = [];
    for (const [i, cell] of s.created.cells.entries()) {
      cells.push(cellDebrief(i, cell.label, await this.#view(cell.gameId, { kind: 'control' })));
      await yieldToIo();
    }
    return {
      cohortId,
      title: s.created.title,
      scenario: s.created.scenario,
      teams: (scenario?.teams ?? []).map((t) => ({ id: t.id, short: t.short, name: t.name, color: t.color })),
      meters: (scenario?.meters ?? []).map((m) => ({ id: m.id, name: m.name })),
      cells,
      endings: endingsOf(cells),
    };
  }

  /**
   * Every cell's event log and the final view of each of its audiences, together. Only `exportedAt` depends on when it
   * is asked for: the rest is read off the logs (docs/seminars.md).
   */
  async exportAll(cohortId: string, bearer: string | undefined): Promise<CohortExport> {
    const s = await this.#instructor(cohortId, bearer);
    const cells: CohortExport['cells'] = [];
    for (const [i, cell] of s.created.cells.entries()) {
      const game = await this.#d.games.sync(cell.gameId);
      if (!game) continue;
      // The seed withheld while it is a secret, exactly as the cell's own White Cell export withholds it; the log read
      // as every export reads it (Games.log), so a cell whose log does not replay is damage, not a broken export.
      const events = exportableEvents((await this.#d.games.log(cell.gameId)) ?? [], game.state);
      // Each audience's final view as the record keeps it (every line of its channels), as a game's export holds it.
      const views = Object.fromEntries(audiences(game.state).map((a) => [audienceKey(a), recordView(game.state, a)]));
      cells.push({ cell: i, label: cell.label, gameId: cell.gameId, events, views });
      await yieldToIo();
    }
    // The seminar's own record (joins, moves, removals), up to the state read above: without it a removal and a move
    // look alike in the cells' logs, each a seat left.
    const record = (await this.#d.store.load(cohortStreamId(cohortId), 1)) as CohortEvent[];
    return {
      format: 'flywheel-cohort-export',
      version: 1,
      cohortId,
      title: s.created.title,
      exportedAt: this.#now(),
      seminar: exportableRecord(record.slice(0, s.version)),
      cells,
    };
  }

  /** The cell's own White Cell seat, so the instructor can open that cell's console (codes and all). */
  async consoleSeat(cohortId: string, bearer: string | undefined, cellIndex: number): Promise<JoinResult> {
    const s = await this.#instructor(cohortId, bearer);
    const cell = s.created.cells[cellIndex];
    if (!cell) throw new AppError(404, 'NO_CELL', 'No such cell');
    const token = unseal(credential(bearer)!.raw, cohortId, cell.sealedControl)?.toString();
    if (!token) throw unauthorized();
    const name = s.created.instructor;
    return { token, gameId: cell.gameId, playerId: cell.controlPlayerId, role: 'control', team: null, name };
  }

  async #fillWithBots(s: CohortState, i: number, strategy: string): Promise<void> {
    const cell = s.created.cells[i];
    // Caught up with the store: students may have joined through another process, whose seats this one's copy of
    // the game does not hold yet. The seminar's own record of where it placed them counts too.
    const game = await this.#d.games.sync(cell.gameId);
    if (game?.state.phase !== 'lobby') return;
    const seated = new Set([
      ...Object.values(game.state.players)
        .filter((p) => p.seated)
        .map((p) => p.role),
      // (A join cut short before it was answered holds no seat: #recover left it, and its team goes to a bot.)
      ...[...s.students.values()]
        .filter((st) => isPlaced(st) && st.cell === i && !this.#unfinishedJoin(st))
        .map((st) => st.team),
    ]);
    for (const team of s.created.teams)
      if (!seated.has(team)) await this.#d.hands.assignAs(this.#controlSeat(s, i), team, { by: 'bot', strategy });
  }

  /**
   * A seat a move leaves empty in a cell already under way goes to the seminar's bot, as empty seats did when the
   * cell started: no team sits out the rest of the game. (Before the start, starting fills it.)
   */
  async #backfillWithBot(s: CohortState, i: number, team: string): Promise<void> {
    const strategy = s.created.bots;
    const game = await this.#d.games.sync(s.created.cells[i].gameId);
    if (!strategy || !game || ['lobby', 'debrief', 'ended'].includes(game.state.phase)) return;
    if (Object.values(game.state.players).some((p) => p.seated && p.role === team)) return;
    try {
      await this.#d.hands.assignAs(this.#controlSeat(s, i), team, { by: 'bot', strategy });
    } catch (err) {
      // The move stands; the instructor can still seat a bot from the cell's White Cell console.
      this.#d.log.warn('no bot for the seat a move left', { cell: i, team, err });
    }
  }

  /** A student arriving at a seat a bot keeps warm takes it over: the bot leaves. */
  async #takeBackFromBot(s: CohortState, i: number, team: string): Promise<void> {
    const game = await this.#d.games.sync(s.created.cells[i].gameId);
    const bot = Object.values(game?.state.players ?? {}).some((p) => p.seated && p.bot && p.role === team);
    if (bot && game?.state.phase !== 'ended')
      await this.#d.hands.assignAs(this.#controlSeat(s, i), team, { by: 'players' });
  }

  async #eachCell(
    s: CohortState,
    only: number[] | undefined,
    command: (i: number) => Promise<ControlCommand>,
  ): Promise<CellOutcome[]> {
    const chosen = only ? [...new Set(only)].sort((a, b) => a - b) : s.created.cells.map((_, i) => i);
    const bad = chosen.find((i) => i >= s.created.cells.length);
    if (bad !== undefined) throw new AppError(404, 'NO_CELL', `No cell ${bad}`);
    // Cells are separate games with their own queues: they are commanded side by side.
    return Promise.all(
      chosen.map(async (i): Promise<CellOutcome> => {
        try {
          const gameId = s.created.cells[i].gameId;
          const actor = this.#controlActor(s, i);
          let ack = await this.#d.games.submit(gameId, actor, await command(i));
          // The instructor's White Cell seat in the cell was signed out (from the cell's own console: codes
          // rotated with every seat signed out): the seminar seats it again, since the instructor's token still
          // holds the seminar, and acts.
          if (!ack.ok && ack.error.code === 'SEAT_CHANGED' && actor.kind === 'control') {
            await this.#d.games.submit(gameId, SYSTEM, {
              type: 'seat.take',
              playerId: actor.playerId,
              name: actor.name,
              role: 'control',
            });
            ack = await this.#d.games.submit(gameId, actor, await command(i));
          }
          return ack.ok ? { cell: i, ok: true } : { cell: i, ok: false, error: ack.error };
        } catch (err) {
          const e = err instanceof AppError ? err.body : { code: 'INTERNAL', message: 'The cell could not be reached' };
          return { cell: i, ok: false, error: e };
        }
      }),
    );
  }

  #controlSeat(s: CohortState, i: number): Seat {
    const cell = s.created.cells[i];
    return {
      gameId: cell.gameId,
      playerId: cell.controlPlayerId,
      name: s.created.instructor,
      role: 'control',
      team: null,
    };
  }

  #controlActor(s: CohortState, i: number): Actor {
    return { kind: 'control', playerId: s.created.cells[i].controlPlayerId, name: s.created.instructor };
  }

  async #view(gameId: string, audience: Audience) {
    const game = await this.#d.games.sync(gameId);
    if (!game) throw new AppError(404, 'NO_GAME', 'A cell of this cohort is missing');
    // Summed up here on the server from the whole projection (every reveal, every action as it is named).
    return viewFor(game.state, audience);
  }

  #placeOf(s: CohortState, studentId: string) {
    const st = s.students.get(studentId)!;
    return { studentId, cell: st.cell, label: s.created.cells[st.cell].label, team: st.team };
  }

  /**
   * Makes sure the student holds the seat in their cell's game, and issues a token for it. A join records that it is
   * answered only after this (#answer), so a crash anywhere in here leaves it for a retry to finish
   * (#claimUnfinished).
   */
  async #seatOf(cohortId: string, studentId: string): Promise<CohortSeat> {
    const s = (await this.#fresh(cohortId))!;
    const st = s.students.get(studentId)!;
    const cell = s.created.cells[st.cell];
    const game = await this.#d.games.sync(cell.gameId);
    if (!game) throw new AppError(404, 'NO_GAME', 'A cell of this cohort is missing');
    if (!game.state.players[st.playerId]?.seated) {
      const ack = await this.#d.games.submit(cell.gameId, SYSTEM, {
        type: 'seat.take',
        playerId: st.playerId,
        name: st.name,
        role: st.team,
      });
      if (!ack.ok) throw new AppError(409, ack.error.code, ack.error.message);
    }
    await this.#takeBackFromBot(s, st.cell, st.team);
    const token = await this.#d.auth.issue(cell.gameId, { playerId: st.playerId, name: st.name, team: st.team });
    return {
      cohortId,
      studentId,
      cell: st.cell,
      label: cell.label,
      team: st.team,
      teamName: game.state.scenario.teams.find((t) => t.id === st.team)?.name ?? st.team,
      seat: { token, gameId: cell.gameId, playerId: st.playerId, role: 'team', team: st.team, name: st.name },
    };
  }

  async #instructor(cohortId: string, bearer: string | undefined): Promise<CohortState> {
    const token = credential(bearer);
    if (!token || token.cohortId !== cohortId) throw unauthorized();
    const s = await this.#fresh(cohortId);
    if (!s || sha256(token.raw) !== s.created.instructorHash) throw unauthorized();
    return s;
  }

  /** The record, reloaded if the store holds more than this process has seen. */
  async #fresh(cohortId: string): Promise<CohortState | null> {
    if (!GAME_ID.test(cohortId) || (!this.#d.sharedStore && !this.#known.has(cohortId))) return null;
    const stream = cohortStreamId(cohortId);
    const cached = this.#cache.get(cohortId);
    const version = await this.#d.store.version(stream);
    if (cached && cached.version === version) return cached;
    if (version === 0) return null;
    const events = (await this.#d.store.load(stream, (cached?.version ?? 0) + 1)) as CohortEvent[];
    const s = foldCohort(stream, events, cached ?? null);
    if (s && (!this.#cache.get(cohortId) || this.#cache.get(cohortId)!.version < s.version))
      this.#cache.set(cohortId, s);
    return this.#cache.get(cohortId) ?? null;
  }

  /** Decides on the latest record and appends, one write at a time per cohort, again after a conflict. */
  #append(cohortId: string, build: (s: CohortState) => CohortEvent[]): Promise<CohortState> {
    return this.#writes.run(cohortId, async () => {
      for (let attempt = 0; ; attempt++) {
        const s = await this.#fresh(cohortId);
        if (!s) throw badCode();
        const events = build(s);
        try {
          await this.#d.store.append(cohortStreamId(cohortId), s.version, events);
        } catch (err) {
          if (err instanceof VersionConflict && attempt < CONFLICT_RETRIES) continue;
          throw err;
        }
        const next = foldCohort(cohortStreamId(cohortId), events, s)!;
        this.#cache.set(cohortId, next);
        return next;
      }
    });
  }
}

/**
 * A cell's seed, from the seminar's: a keyed hash, so that whoever holds the seminar's seed can replay every cell, but a
 * cell's seed, revealed to everyone at that cell's debrief, says nothing of another's while it plays ("seminar/A"
 * gave away "seminar/B").
 */
export function cellSeed(seed: string, label: string): string {
  return createHmac('sha256', seed).update(`cell:${label}`).digest('hex');
}
