// A seminar of six cells in one process: students placed and moved, bots in the empty seats, every cell paused and
// resumed at once, one announcement to all, the comparative debrief checked against each cell's own state, and
// the cohort export.
import { allMessages } from '../../../server/engine/index.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { actorOf } from '../../../server/games/seat.ts';
import {
  closedSeats,
  foldCohort,
  isPlaced,
  placeStudent,
  type CohortEvent,
} from '../../../server/cohorts/cohort-records.ts';
import type { CohortJoinResult } from '../../../shared/cohorts.ts';
import { botWorld, NO_CLOCKS, tutorial } from '../../helpers/bot-world.ts';
import type { Audience, GameEvent } from '../../../server/engine/index.ts';
import { buildExport } from '../../../server/record/export.ts';
import { recordView } from '../../../server/record/replay.ts';
import { cellSeed } from '../../../server/cohorts/cohorts.ts';
import { sha256 } from '../../../server/lobby/secrets.ts';

const CELLS = 6;
const TEAMS = tutorial.teams.map((t) => t.id);

const world = botWorld();
let cohortId = '';
let token = '';
const students: CohortJoinResult[] = [];

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code;
  }
};
const stateOf = (cell: number, summary: { cells: { gameId: string }[] }) =>
  world.games.peek(summary.cells[cell].gameId)!.state;

test('an instructor creates six cells; 27 students join with one code and are placed, balanced', async () => {
  const made = await world.cohorts.create({
    scenario: tutorial.id,
    title: 'Seminar 4',
    cells: CELLS,
    options: { seed: 'seminar', phases: NO_CLOCKS },
    bots: 'cooperative',
    name: 'Prof. Lee',
  });
  cohortId = made.cohortId;
  token = made.instructorToken;
  for (let i = 0; i < 27; i++) students.push(await world.cohorts.join({ code: made.joinCode, name: `Student ${i}` }));
  const s = await world.cohorts.summary(cohortId, token);
  assert.is(s.joinCode, made.joinCode, 'the instructor can show the code again');
  assert.equal(
    s.cells.map((c) => c.students),
    [5, 5, 5, 4, 4, 4],
  );
  // In a cell, no team gets a second student before every team has one; each student holds a working seat.
  for (const c of s.cells) assert.is(c.seated, c.students);
  for (const st of students) {
    const seat = await world.lobby.authenticate(st.seat.token);
    assert.equal(seat && [seat.gameId, seat.team], [s.cells[st.cell].gameId, st.team]);
  }
  // Cells roll their own dice, from seeds the seminar's seed gives but no cell's seed gives away.
  const seeds = s.cells.map((c) => world.games.peek(c.gameId)!.state.options.seed);
  assert.is(new Set(seeds).size, CELLS);
  assert.equal(
    seeds,
    s.cells.map((c) => cellSeed('seminar', c.label)),
    'replayable from the seminar seed',
  );
  for (const seed of seeds) assert.not.ok(seed.includes('seminar'), `${seed}: not the seed and a letter`);
  // Wrong codes and tokens are refused alike.
  assert.is(await code(world.cohorts.join({ code: `${cohortId}.${'a'.repeat(26)}`, name: 'x' })), 'BAD_CODE');
  assert.is(await code(world.cohorts.summary(cohortId, students[0].studentToken)), 'UNAUTHORIZED');
  assert.is(await code(world.cohorts.seat(cohortId, token)), 'UNAUTHORIZED');
});

/** A seminar's first event, for folds written out by hand: teams a and b, a cell for each label. */
const cohortCreated = (labels: string[]) =>
  ({
    type: 'CohortCreated',
    cohortId: 'c',
    scenario: 's',
    title: 't',
    teams: ['a', 'b'],
    cells: labels.map((label, i) => ({ gameId: `g${i}`, controlPlayerId: 'w', label, sealedControl: '' })),
    bots: null,
    instructor: 'i',
    instructorHash: '',
    joinHash: '',
    sealedJoinCode: '',
    at: 0,
  }) satisfies CohortEvent;

test('placement stays balanced whatever the order of joins and moves, and draws among the emptiest seats', () => {
  const created = cohortCreated(['0', '1', '2']);
  /** Six students placed with `pick` choosing among the ties: where each sat, in the order they joined. */
  const seatSix = (pick: (n: number) => number) => {
    let s = foldCohort('c-cohort', [created], null)!;
    for (let i = 0; i < 6; i++) {
      const place = placeStudent(s, pick);
      s = foldCohort(
        'c-cohort',
        [
          { type: 'StudentJoined', student: { id: `s${i}`, name: `${i}`, tokenHash: '' }, at: 0 },
          { type: 'StudentSeated', studentId: `s${i}`, ...place, playerId: `p${i}`, at: 0 },
        ],
        s,
      )!;
    }
    return [...s.students.values()].map((x) => `${x.cell}${x.team}`);
  };
  const every = ['0a', '0b', '1a', '1b', '2a', '2b'];
  assert.equal(seatSix(() => 0).sort(), every);
  assert.equal(seatSix((n) => n - 1).sort(), every);
  // Where the next student sits is drawn among the emptiest seats, so joining again under other names cannot aim
  // at a chosen team: the same joins land elsewhere with other draws.
  assert.is.not(seatSix(() => 0).join(), seatSix((n) => n - 1).join());
});

test('a log as earlier versions wrote it folds with every closed seat named, and placement skips them', () => {
  const created = cohortCreated(['A']);
  // The same events as ever: a join, a move, a removal; and a second student who stays.
  const s = foldCohort(
    'c-cohort',
    [
      created,
      { type: 'StudentJoined', student: { id: 's1', name: 'Ann', tokenHash: 'h1' }, at: 1 },
      { type: 'StudentSeated', studentId: 's1', cell: 0, team: 'a', playerId: 'p1', at: 1 },
      { type: 'StudentSeated', studentId: 's1', cell: 0, team: 'b', playerId: 'p2', at: 2 },
      { type: 'StudentRemoved', studentId: 's1', at: 3 },
      { type: 'StudentJoined', student: { id: 's2', name: 'Bo', tokenHash: 'h2' }, at: 4 },
      { type: 'StudentSeated', studentId: 's2', cell: 0, team: 'a', playerId: 'p3', at: 4 },
    ],
    null,
  )!;
  assert.equal(
    closedSeats(s, 0).map((x) => x.playerId),
    ['p1', 'p2'],
  );
  assert.equal(
    [...s.students.values()].filter(isPlaced).map((x) => x.id),
    ['s2'],
  );
  // Team b is empty: the removed student no longer counts.
  assert.equal(
    placeStudent(s, () => 0),
    { cell: 0, team: 'b' },
  );
});

test('the instructor moves a student; the old seat closes and the new one opens', async () => {
  const mover = students[0];
  const before = await world.cohorts.summary(cohortId, token);
  const target = { cell: 5, team: TEAMS.find((t) => !before.students.some((x) => x.cell === 5 && x.team === t))! };
  await world.cohorts.move(cohortId, token, mover.studentId, target);
  assert.is(await world.lobby.authenticate(mover.seat.token), null, 'the old token no longer works');
  assert.is(stateOf(0, before).players[mover.seat.playerId].seated, false);
  const now = await world.cohorts.seat(cohortId, mover.studentToken);
  assert.equal([now.cell, now.team, now.label], [5, target.team, 'F']);
  const seat = await world.lobby.authenticate(now.seat.token);
  assert.equal(seat && [seat.gameId, seat.team], [before.cells[5].gameId, target.team]);
  const after = await world.cohorts.summary(cohortId, token);
  assert.equal(
    after.cells.map((c) => c.students),
    [4, 5, 5, 4, 4, 5],
  );
  // Only the instructor moves students, and only to cells and teams that exist.
  assert.is(await code(world.cohorts.move(cohortId, mover.studentToken, mover.studentId, target)), 'UNAUTHORIZED');
  assert.is(await code(world.cohorts.move(cohortId, token, mover.studentId, { cell: 9, team: 'us' })), 'NO_CELL');
});

test("a name already taken opens nobody's seat; the instructor gives a student on another device a way back in", async () => {
  const first = students[1];
  const before = await world.cohorts.summary(cohortId, token);
  // A classmate (or the student on another device) types the same name, in other capitals; and twice at once.
  const tries = await Promise.all([
    code(world.cohorts.join({ code: before.joinCode!, name: '  student 1 ' })),
    code(world.cohorts.join({ code: before.joinCode!, name: 'STUDENT 1' })),
  ]);
  assert.equal(tries, ['NAME_TAKEN', 'NAME_TAKEN'], 'every student holds the code: a name must not open a seat');
  const after = await world.cohorts.summary(cohortId, token);
  assert.is(after.students.length, before.students.length, 'nobody new');
  // The way back in comes from the instructor alone, and opens the same seat; the first device's token still works.
  assert.is(await code(world.cohorts.rejoin(cohortId, first.studentToken, first.studentId)), 'UNAUTHORIZED');
  assert.is(await code(world.cohorts.rejoin(cohortId, token, 'nobody')), 'NO_STUDENT');
  const { studentToken } = await world.cohorts.rejoin(cohortId, token, first.studentId);
  const back = await world.cohorts.seat(cohortId, studentToken);
  assert.equal([back.studentId, back.cell, back.team], [first.studentId, first.cell, first.team]);
  const seat = await world.lobby.authenticate(back.seat.token);
  assert.equal(seat && [seat.gameId, seat.playerId], [before.cells[first.cell].gameId, first.seat.playerId]);
  assert.is((await world.cohorts.seat(cohortId, first.studentToken)).studentId, first.studentId);
});

test('start, pause, resume every cell at once; bots fill empty seats; one announcement reaches all', async () => {
  let outcome = await world.cohorts.act(cohortId, token, { command: 'game.start' });
  assert.ok(outcome.every((o) => o.ok));
  await world.runner.idle();
  let s = await world.cohorts.summary(cohortId, token);
  assert.ok(s.cells.every((c) => c.phase === 'briefing' && c.seated === TEAMS.length));
  assert.equal(
    s.cells.map((c) => c.teams.filter((t) => t.bot).length),
    [1, 0, 0, 1, 1, 0],
  );

  outcome = await world.cohorts.act(cohortId, token, { command: 'game.pause' });
  assert.ok(outcome.every((o) => o.ok));
  s = await world.cohorts.summary(cohortId, token);
  assert.ok(s.cells.every((c) => c.paused));
  // A command that is wrong for a cell is answered for that cell, and changes nothing anywhere.
  outcome = await world.cohorts.act(cohortId, token, { command: 'game.pause', cells: [2] });
  assert.equal(outcome, [{ cell: 2, ok: false, error: { code: 'PAUSED', message: 'Already paused' } }]);
  outcome = await world.cohorts.act(cohortId, token, { command: 'game.resume' });
  assert.ok(outcome.every((o) => o.ok));
  s = await world.cohorts.summary(cohortId, token);
  assert.ok(s.cells.every((c) => !c.paused && c.phase === 'briefing'));

  // Advance a chosen set only.
  await world.cohorts.act(cohortId, token, { command: 'phase.advance', cells: [1, 3] });
  s = await world.cohorts.summary(cohortId, token);
  assert.equal(
    s.cells.map((c) => c.phase),
    ['briefing', 'injects', 'briefing', 'injects', 'briefing', 'briefing'],
  );

  await world.cohorts.announce(cohortId, token, { text: 'Ten minutes to the plenary, everyone.' });
  for (let i = 0; i < CELLS; i++) {
    const said = allMessages(stateOf(i, s)).filter((m) => m.channel === 'announcements');
    assert.equal(
      said.map((m) => [m.text, m.name]),
      [['Ten minutes to the plenary, everyone.', 'Prof. Lee']],
    );
  }
  // Each student's team view shows it.
  const st = students[3];
  const game = world.games.peek(st.seat.gameId)!;
  const view = world.games.fullView(game, { kind: 'team', team: st.team }).view;
  assert.ok(view.messages.some((m) => m.text === 'Ten minutes to the plenary, everyone.'));
});

test("a move in a cell under way leaves no team empty: the seminar's bot takes the seat", async () => {
  const before = await world.cohorts.summary(cohortId, token);
  // A student who is the only one of their team in their cell, moved to another cell.
  const alone = before.students.find(
    (x) => before.students.filter((y) => y.cell === x.cell && y.team === x.team).length === 1,
  )!;
  const to = (alone.cell + 1) % CELLS;
  await world.cohorts.move(cohortId, token, alone.id, { cell: to, team: alone.team });
  await world.runner.idle();
  const after = await world.cohorts.summary(cohortId, token);
  const team = after.cells[alone.cell].teams.find((t) => t.id === alone.team)!;
  assert.ok(team.bot, `cell ${alone.cell}'s ${alone.team} is played by the bot`);
  assert.is(after.cells[alone.cell].seated, TEAMS.length);
});

test('the instructor removes a student: the seat closes, the bot takes the team back, and their seat is gone', async () => {
  const before = await world.cohorts.summary(cohortId, token);
  const alone = before.students.find(
    (x) => before.students.filter((y) => y.cell === x.cell && y.team === x.team).length === 1,
  )!;
  const joined = students.find((x) => x.studentId === alone.id)!;
  const seat = await world.cohorts.seat(cohortId, joined.studentToken);
  assert.is(await code(world.cohorts.remove(cohortId, joined.studentToken, alone.id)), 'UNAUTHORIZED');
  assert.equal(await world.cohorts.remove(cohortId, token, alone.id), { removed: alone.id });
  await world.runner.idle();
  assert.is(await world.lobby.authenticate(seat.seat.token), null, 'the seat token no longer works');
  assert.is(await code(world.cohorts.seat(cohortId, joined.studentToken)), 'STUDENT_REMOVED');
  const after = await world.cohorts.summary(cohortId, token);
  assert.not.ok(
    after.students.some((x) => x.id === alone.id),
    'off the dashboard',
  );
  const team = after.cells[alone.cell].teams.find((t) => t.id === alone.team)!;
  assert.ok(team.bot, `cell ${alone.cell}'s ${alone.team} is played by the bot again`);
  assert.is(stateOf(alone.cell, after).players[seat.seat.playerId].seated, false);
  // Nothing more can be done for a removed student, and the name stays taken. Removing again (a retry whose first
  // answer was lost) answers the same and changes nothing.
  const version = world.store.version.bind(world.store);
  const records = await version(`${cohortId}-cohort`);
  assert.equal(await world.cohorts.remove(cohortId, token, alone.id), { removed: alone.id });
  assert.is(await version(`${cohortId}-cohort`), records, 'nothing recorded twice');
  assert.is(
    (await world.cohorts.summary(cohortId, token)).cells[alone.cell].teams.find((t) => t.id === alone.team)!.bot,
    team.bot,
  );
  for (const again of [
    world.cohorts.rejoin(cohortId, token, alone.id),
    world.cohorts.move(cohortId, token, alone.id, { cell: 0, team: 'us' }),
  ])
    assert.is(await code(again), 'NO_STUDENT');
  assert.is(await code(world.cohorts.join({ code: after.joinCode!, name: alone.name })), 'NAME_TAKEN');
  students.splice(students.indexOf(joined), 1);
});

test('the cells play out; the comparative debrief matches each cell, and the export holds every cell', async () => {
  const s0 = await world.cohorts.summary(cohortId, token);
  // The students sit still; the bots play; each cell's White Cell (the instructor's console) moves it on.
  for (let i = 0; i < CELLS; i++) {
    const gameId = s0.cells[i].gameId;
    const wc = await world.lobby.authenticate((await world.cohorts.consoleSeat(cohortId, token, i)).token);
    let turnedDown = i > 0;
    for (let guard = 0; guard < 100; guard++) {
      await world.runner.idle();
      const st = world.games.peek(gameId)!.state;
      if (st.phase === 'debrief') break;
      // In cell A two students make a deal and the other turns it down: the debrief counts it as the cell's record does.
      if (!turnedDown && st.phase === 'negotiation') {
        turnedDown = true;
        const people = Object.values(st.players).filter(
          (p) => p.seated && !p.bot && !p.whiteCell && p.role !== 'control',
        );
        const [a, b] = people
          .filter((p, k) => people.findIndex((q) => q.role === p.role) === k)
          .map((p) => ({ team: p.role, actor: { kind: 'team' as const, team: p.role, playerId: p.id, name: p.name } }));
        const step: Record<string, string> = {
          us: 'us-talks',
          dprk: 'dprk-ny-channel',
          prc: 'prc-border-trade',
          rok: 'rok-curb-leaflets',
          jpn: 'jpn-summit-offer',
        };
        const proposed = await world.games.submit(gameId, a.actor, {
          type: 'deal.propose',
          to: [b.team],
          obligations: [
            { team: a.team, action: step[a.team], byRound: st.round },
            { team: b.team, action: step[b.team], byRound: st.round },
          ],
          secret: false,
          snapback: false,
          note: '',
        });
        assert.ok(proposed.ok, JSON.stringify(proposed));
        const dealId = world.games.peek(gameId)!.state.dealOrder.at(-1)!;
        const no = await world.games.submit(gameId, b.actor, { type: 'deal.reject', dealId });
        assert.ok(no.ok, JSON.stringify(no));
      }
      const type = st.phase === 'adjudication' ? 'adjudication.approve' : 'phase.advance';
      const ack = await world.games.submit(gameId, actorOf(wc!), { type } as never);
      assert.ok(ack.ok, JSON.stringify(ack));
    }
  }
  const d = await world.cohorts.debrief(cohortId, token);
  assert.is(d.cells.length, CELLS);
  for (const c of d.cells) {
    const st = stateOf(c.cell, s0);
    assert.is(c.phase, 'debrief');
    assert.equal(c.ending, { id: st.ending!.id, name: st.ending!.name, round: st.ending!.round });
    for (const m of c.meters) assert.equal(m.history, st.history[m.id], `cell ${c.label} ${m.id}`);
    const broken = st.dealOrder.flatMap((id) =>
      st.deals[id].breakers.map((team) => ({ team, dealId: id, round: st.deals[id].settledRound })),
    );
    assert.equal(c.pocketed, broken);
    // Every deal of the cell's own record but a proposal still awaiting its answer: the counts agree.
    assert.is(c.deals.length, st.dealOrder.filter((id) => st.deals[id].status !== 'proposed').length);
    // Each says whether it was made in secret, so that the projector can leave it out.
    for (const x of c.deals) assert.is(x.secret, st.deals[x.id].secret, `cell ${c.label} deal ${x.id}`);
    if (c.cell === 0)
      assert.ok(
        c.deals.some((x) => x.status === 'rejected'),
        'the deal turned down is there',
      );
    assert.equal(
      c.covert.map((x) => [x.team, x.round, x.exposedRound]),
      st.taken.filter((t) => t.covert).map((t) => [t.team, t.round, t.exposedRound]),
    );
    assert.is(c.scores!.length, TEAMS.length);
    assert.ok(c.scores!.every((x) => x.total >= 0 && x.total <= x.max));
  }
  assert.is(
    d.endings.reduce((n, e) => n + e.cells.length, 0),
    CELLS,
  );
  for (const e of d.endings)
    for (const [k, cell] of e.cells.entries()) assert.is(d.cells[cell].ending!.round, e.rounds[k]);

  const x = await world.cohorts.exportAll(cohortId, token);
  assert.is(x.cells.length, CELLS);
  for (const c of x.cells) {
    const game = world.games.peek(c.gameId)!;
    assert.is(c.events.length, game.version);
    assert.equal(Object.keys(c.views).sort(), ['control', 'observer', ...TEAMS.map((t) => `team:${t}`)].sort());
    assert.is(c.views['team:us'].control, null);
    assert.ok(c.views.control.control);
  }
});

test('the seminar survives a restart: its record is read back from the store', async () => {
  const again = botWorld({ store: world.store });
  await again.games.start();
  await again.cohorts.start();
  const s = await again.cohorts.summary(cohortId, token);
  assert.is(s.cells.length, CELLS);
  assert.is(s.students.length, students.length);
  assert.ok(s.cells.every((c) => c.phase === 'debrief'));
  const seat = await again.cohorts.seat(cohortId, students[1].studentToken);
  assert.is(seat.cell, students[1].cell);
});

test('jumping into a cell gives the instructor that cell’s White Cell', async () => {
  const seat = await world.cohorts.consoleSeat(cohortId, token, 2);
  const authed = await world.lobby.authenticate(seat.token);
  assert.equal(authed && [authed.role, authed.gameId], ['control', seat.gameId]);
  assert.is(await code(world.cohorts.consoleSeat(cohortId, token, 6)), 'NO_CELL');
});

/** A seminar of unclocked cells with bots in the empty seats, started, its bots done with their first moves. */
async function startedSeminar(title: string, cells: number) {
  const made = await world.cohorts.create({
    scenario: tutorial.id,
    title,
    cells,
    options: { phases: NO_CLOCKS },
    bots: 'cooperative',
    name: 'Prof. Lee',
  });
  await world.cohorts.act(made.cohortId, made.instructorToken, { command: 'game.start' });
  await world.runner.idle();
  return made;
}

test("the seminar export keeps each cell's secret seed until that cell's debrief", async () => {
  // No seed chosen: each cell's dice are keyed by a secret that nobody may know before that cell's debrief.
  const made = await startedSeminar('Seminar 5', 2);
  const s = await world.cohorts.summary(made.cohortId, made.instructorToken);
  const gameId = s.cells[0].gameId;
  const wc = await world.lobby.authenticate(
    (await world.cohorts.consoleSeat(made.cohortId, made.instructorToken, 0)).token,
  );
  const seed = world.games.peek(gameId)!.state.options.seed;
  assert.ok(seed.length >= 32);

  const mid = await world.cohorts.exportAll(made.cohortId, made.instructorToken);
  const cell = mid.cells.find((c) => c.gameId === gameId)!;
  assert.not.ok(JSON.stringify(mid).includes(seed), 'the seed is nowhere in the file during play');
  // Exactly what the cell's own White Cell export holds.
  const own = buildExport((await world.games.events(gameId)) as GameEvent[], { kind: 'control' });
  assert.equal(cell.events, own.json.events);

  // At a cell's debrief its seed is revealed to everyone, and so it is in the seminar's export.
  for (let guard = 0; guard < 100; guard++) {
    await world.runner.idle();
    const st = world.games.peek(gameId)!.state;
    if (st.phase === 'debrief') break;
    const type = st.phase === 'adjudication' ? 'adjudication.approve' : 'phase.advance';
    assert.ok((await world.games.submit(gameId, actorOf(wc!), { type } as never)).ok);
  }
  const end = await world.cohorts.exportAll(made.cohortId, made.instructorToken);
  const created = end.cells.find((c) => c.gameId === gameId)!.events[0] as { options: { seed: string } };
  assert.is(created.options.seed, seed);
  const other = end.cells.find((c) => c.gameId !== gameId)!;
  assert.is((other.events[0] as { options: { seed: string } }).options.seed, '', 'the other cell plays on');
});

test("the seminar export holds each audience's final view as the record keeps it, every line of chat", async () => {
  const made = await startedSeminar('Seminar 6', 1);
  const gameId = (await world.cohorts.summary(made.cohortId, made.instructorToken)).cells[0].gameId;
  const wc = await world.lobby.authenticate(
    (await world.cohorts.consoleSeat(made.cohortId, made.instructorToken, 0)).token,
  );
  const lines = Array.from({ length: 20 }, (_, i) => `plenary line ${i}`);
  for (const text of lines)
    assert.ok((await world.games.submit(gameId, actorOf(wc!), { type: 'chat.post', channel: 'plenary', text })).ok);
  const x = await world.cohorts.exportAll(made.cohortId, made.instructorToken);
  const state = world.games.peek(gameId)!.state;
  for (const key of ['control', 'observer', 'team:us']) {
    const view = x.cells[0].views[key];
    const said = view.messages.filter((m) => m.channel === 'plenary').map((m) => m.text);
    assert.equal(said.slice(-lines.length), lines, `${key}: every line, not a live screen's latest`);
    assert.is(view.earlierMessages.plenary, 0, key);
    const audience = key === 'team:us' ? ({ kind: 'team', team: 'us' } as const) : ({ kind: key } as Audience);
    assert.equal(view, recordView(state, audience), `${key}: the game export's view`);
  }
});

test("the seminar export holds the seminar's own record: a removal is told from a move, and no secret is in it", async () => {
  const made = await world.cohorts.create({
    scenario: tutorial.id,
    title: 'Seminar 7',
    cells: 2,
    options: { phases: NO_CLOCKS },
    bots: null,
    name: 'Prof. Lee',
  });
  const tok = made.instructorToken;
  const ann = await world.cohorts.join({ code: made.joinCode, name: 'Ann' });
  const bo = await world.cohorts.join({ code: made.joinCode, name: 'Bo' });
  await world.cohorts.move(made.cohortId, tok, ann.studentId, { cell: 1 - ann.cell, team: ann.team });
  await world.cohorts.remove(made.cohortId, tok, bo.studentId);
  const { studentToken } = await world.cohorts.rejoin(made.cohortId, tok, ann.studentId);
  await world.cohorts.setJoining(made.cohortId, tok, false);
  const x = await world.cohorts.exportAll(made.cohortId, tok);
  assert.equal(
    x.seminar.map((e) => [e.type, 'studentId' in e ? e.studentId : '']),
    [
      ['CohortCreated', ''],
      ['StudentJoined', ann.studentId],
      ['StudentSeated', ann.studentId],
      ['JoinAnswered', ann.studentId],
      ['StudentJoined', bo.studentId],
      ['StudentSeated', bo.studentId],
      ['JoinAnswered', bo.studentId],
      ['StudentSeated', ann.studentId],
      ['StudentRemoved', bo.studentId],
      ['StudentReturned', ann.studentId],
      ['JoiningSet', ''],
    ],
  );
  const created = x.seminar[0] as Extract<(typeof x.seminar)[number], { type: 'CohortCreated' }>;
  assert.equal(
    created.cells.map((c) => c.gameId),
    x.cells.map((c) => c.gameId),
  );
  // Each seat recorded is a player of that cell's exported log.
  for (const e of x.seminar)
    if (e.type === 'StudentSeated')
      assert.ok(JSON.stringify(x.cells[e.cell].events).includes(e.playerId), `${e.playerId} in cell ${e.cell}`);
  const text = JSON.stringify(x.seminar);
  for (const secret of [tok, made.joinCode, ann.studentToken, studentToken, bo.studentToken, ann.seat.token])
    assert.not.ok(text.includes(secret) || text.includes(sha256(secret)), 'no token, code or hash');
  assert.not.ok(/hash|sealed/i.test(text), 'no hashes or sealed secrets');
});

test("the instructor's White Cell seat in a cell, signed out from the cell's console, is seated again by the seminar", async () => {
  const made = await startedSeminar('Seminar 7', 1);
  const gameId = (await world.cohorts.summary(made.cohortId, made.instructorToken)).cells[0].gameId;
  const seat = Object.values(world.games.peek(gameId)!.state.players).find((p) => p.role === 'control')!;
  await world.games.submit(gameId, { kind: 'system' }, { type: 'seat.leave', playerId: seat.id });
  const outcome = await world.cohorts.act(made.cohortId, made.instructorToken, { command: 'game.pause' });
  assert.equal(outcome, [{ cell: 0, ok: true }]);
  assert.ok(world.games.peek(gameId)!.state.players[seat.id].seated);
});

test('the instructor closes joining: a new name gets no seat, students already in keep theirs; open again, it does', async () => {
  const made = (await world.cohorts.summary(cohortId, token)).joinCode!;
  const before = await world.cohorts.summary(cohortId, token);
  assert.is(before.joiningOpen, true);
  assert.is(await code(world.cohorts.setJoining(cohortId, students[3].studentToken, false)), 'UNAUTHORIZED');
  assert.equal(await world.cohorts.setJoining(cohortId, token, false), { joiningOpen: false });
  assert.is(await code(world.cohorts.join({ code: made, name: 'Ann 8' })), 'JOINING_CLOSED');
  // Closed, it tells nothing of who is in: a name already taken gets the same answer.
  assert.is(await code(world.cohorts.join({ code: made, name: 'Student 3' })), 'JOINING_CLOSED');
  const closed = await world.cohorts.summary(cohortId, token);
  assert.equal([closed.joiningOpen, closed.students.length], [false, before.students.length], 'nobody was added');
  // A student already in finds their seat as before.
  const seat = await world.cohorts.seat(cohortId, students[3].studentToken);
  const listed = (await world.cohorts.summary(cohortId, token)).students.find((x) => x.id === students[3].studentId)!;
  assert.equal([seat.cell, seat.team], [listed.cell, listed.team]);
  // It holds across a restart, like the rest of the seminar's record.
  const again = botWorld({ store: world.store });
  await again.games.start();
  await again.cohorts.start();
  assert.is(await code(again.cohorts.join({ code: made, name: 'Ann 9' })), 'JOINING_CLOSED');
  await world.cohorts.setJoining(cohortId, token, true);
  assert.is(await code(world.cohorts.join({ code: made, name: 'Late Lou' })), 'ok');
});

test.run();
