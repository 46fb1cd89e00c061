// Sign-in, seminar and short-code records whose lines still read as JSON but hold an event their fold does not take (a
// bit flipped in a type, a field gone): damage naming the stream, with a problem that quotes nothing stored; noted by
// the store's guard whichever caller read it; and a token or code the record nowhere holds still opens nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { foldCohort, type CohortEvent } from '../../../server/cohorts/cohort-records.ts';
import { eventProblem } from '../../../server/engine/index.ts';
import { FaultLog } from '../../../server/fault-log.ts';
import { silentLogger } from '../../../server/log.ts';
import { AuthBook, parseCode, parseToken } from '../../../server/lobby/auth-book.ts';
import { foldAuth } from '../../../server/lobby/auth-records.ts';
import { foldShortCode } from '../../../server/lobby/short-code-index.ts';
import { Metrics } from '../../../server/metrics.ts';
import { checkStoredRecord } from '../../../server/record-checks.ts';
import { DamageBook } from '../../../server/store/damage-book.ts';
import { CorruptLog } from '../../../server/store/event-store.ts';
import { GuardedStore } from '../../../server/store/guarded-store.ts';
import { MemoryBacking, MemoryStore } from '../../../server/store/memory-store.ts';
import { RecordDamage } from '../../../server/store/record-damage.ts';

const GAME = 'g0000000000a';
const SECRET = 'SECRETCHAT launch codes 0000';

/** Rewrites event `i` of a stored stream (0-based) as it reads back. */
function tamper(backing: MemoryBacking, stream: string, i: number, change: (e: Record<string, unknown>) => void) {
  const log = backing.logs.get(stream)!;
  const e = JSON.parse(log[i]);
  change(e);
  log[i] = JSON.stringify(e);
}

const damageOf = (run: () => unknown): RecordDamage => {
  try {
    run();
  } catch (err) {
    if (err instanceof RecordDamage) return err;
    throw err;
  }
  throw new Error('no damage');
};

const created: CohortEvent = {
  type: 'CohortCreated',
  cohortId: 'c0000000000a',
  scenario: 's',
  title: 't',
  teams: ['a'],
  cells: [{ gameId: 'g0', controlPlayerId: 'w', label: 'A', sealedControl: 'x' }],
  bots: null,
  instructor: 'i',
  instructorHash: 'ih',
  joinHash: 'jh',
  sealedJoinCode: 'x',
  at: 0,
};

test('a seminar event of no known type is damage naming the record, not a student silently left out', () => {
  const events = [
    created,
    { type: 'StudentJoinee', student: { id: 's1', name: SECRET, tokenHash: 'h1' }, at: 1 },
    { type: 'StudentSeated', studentId: 's1', cell: 0, team: 'a', playerId: 'p1', at: 1 },
  ] as unknown as CohortEvent[];
  const err = damageOf(() => foldCohort('c0000000000a-cohort', events, null));
  assert.ok(err instanceof CorruptLog);
  assert.is(err.stream, 'c0000000000a-cohort');
  assert.is(err.message, 'event 2 is of no known type');
  // A known type without a field it needs, or naming a student the record does not hold, is damage too.
  const noName = [created, { type: 'StudentJoined', student: { id: 's1', tokenHash: 'h' }, at: 1 }] as CohortEvent[];
  assert.is(
    damageOf(() => foldCohort('c-cohort', noName, null)).message,
    'event 2 (StudentJoined) lacks a field it needs',
  );
  const stray = [created, { type: 'StudentRemoved', studentId: 'nobody', at: 1 }] as CohortEvent[];
  assert.is(
    damageOf(() => foldCohort('c-cohort', stray, null)).message,
    'event 2 (StudentRemoved) names no student of the seminar',
  );
  // Read whole, the record tells which tokens and codes it holds: the student's, yes; a stranger's, no.
  assert.is(err.mentions('h1'), true);
  assert.is(err.mentions('ih'), true);
  assert.is(err.mentions('bogus'), false);
});

test('a sign-in record and a short code record that read but do not fold are damage naming the stream', () => {
  const auth = [{ type: 'AuthCreatee', teams: ['us'], at: 0 }] as never[];
  const err = damageOf(() => foldAuth(`${GAME}-auth`, auth, null));
  assert.is(err.stream, `${GAME}-auth`);
  assert.is(err.message, 'event 1 is of no known type');
  const revoked = [{ type: 'SeatsRevoked', playerIds: 'p1', at: 0 }] as never[];
  assert.is(
    damageOf(() => foldAuth(`${GAME}-auth`, revoked, null, 4)).message,
    'event 5 (SeatsRevoked) lacks a field it needs',
  );
  const short = [{ type: 'ShortCodeBounc', gameId: GAME, at: 0 }] as never[];
  assert.is(damageOf(() => foldShortCode('ab-joincode', short)).stream, 'ab-joincode');
  const twice = [
    { type: 'ShortCodeBound', gameId: GAME, at: 0 },
    { type: 'RecoveryCodeUsed', playerId: 'p', at: 0 },
  ] as never[];
  assert.is(damageOf(() => foldShortCode('ab-joincode', twice)).message, 'event 2 (RecoveryCodeUsed) is out of place');
});

test('the problem a damaged event gives quotes nothing stored', () => {
  assert.is(eventProblem({ type: SECRET }), 'an event of no known type');
  const err = damageOf(() => foldCohort('c-cohort', [created, { type: SECRET, at: 1 }] as never[], null));
  assert.not.match(err.message, 'SECRET');
});

test('a damaged sign-in record is noted by the store guard; its players get the damage, a stranger nothing', async () => {
  const backing = new MemoryBacking();
  const created = await new AuthBook(new MemoryStore(backing)).create(GAME, ['us'], { playerId: 'wc', name: 'C' });
  tamper(backing, `${GAME}-auth`, 1, (e) => {
    e.type = 'SeatIssuee';
  });
  const damage = new DamageBook(silentLogger);
  const metrics = new Metrics();
  const store = new GuardedStore(new MemoryStore(backing), {
    metrics,
    faults: new FaultLog(silentLogger),
    damage,
    check: checkStoredRecord,
  });
  const auth = new AuthBook(store);
  // The White Cell's own token is in the damaged line: it is told of the damage, not that it holds nothing.
  await auth.verifyToken(parseToken(created.controlToken)!).then(
    () => assert.unreachable('the damage should be the answer'),
    (err: unknown) => assert.instance(err, CorruptLog),
  );
  assert.equal(damage.list(), [
    { game: GAME, record: 'auth', stream: `${GAME}-auth`, problem: 'event 2 is of no known type' },
  ]);
  // A token and a code the record nowhere holds seat nobody, as in any game.
  assert.is(await auth.verifyToken(parseToken(`${GAME}.${'a'.repeat(26)}`)!), null);
  assert.is(await auth.redeem(parseCode(`${GAME}.${'b'.repeat(26)}`)!, 'X', 'p9'), null);
  // A real code is in the record: its holder is told of the damage.
  await auth.redeem(parseCode(created.codes.teams.us)!, 'X', 'p9').then(
    () => assert.unreachable('the damage should be the answer'),
    (err: unknown) => assert.instance(err, CorruptLog),
  );
});

test.run();
