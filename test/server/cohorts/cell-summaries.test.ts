// The dashboard's summary of each cell, read from a few sections of the cell's public projection and kept per state,
// must say what the cell's whole public (observer) view says: after each step of a seminar (students seated, bots
// filling seats, deals, locked submissions, a pause, meters moved by a reveal, an ending), and after the games are
// loaded again from the store by a fresh process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { viewFor } from '../../../server/engine/index.ts';
import { actorOf } from '../../../server/games/seat.ts';
import type { CohortJoinResult, CohortSummary } from '../../../shared/cohorts.ts';
import { botWorld, NO_CLOCKS, tutorial } from '../../helpers/bot-world.ts';

type World = ReturnType<typeof botWorld>;

const CELLS = 3;

/** Checks every cell of the dashboard against the cell's whole observer view, built afresh from its state. */
async function matchesWholeViews(world: World, cohortId: string, token: string, step: string): Promise<CohortSummary> {
  const s = await world.cohorts.summary(cohortId, token);
  assert.is(s.cells.length, CELLS);
  for (const c of s.cells) {
    const at = `${step}, cell ${c.label}`;
    const v = viewFor(world.games.peek(c.gameId)!.state, { kind: 'observer' });
    assert.is(c.phase, v.game.phase, at);
    assert.is(c.round, v.game.round, at);
    assert.is(c.roundLabel, v.game.roundLabel, at);
    assert.is(c.deadline, v.game.deadline, at);
    assert.is(c.paused, v.game.paused !== null, at);
    assert.is(c.seated, v.teams.filter((t) => t.players > 0).length, at);
    assert.is(c.locked, v.teams.filter((t) => t.submitted === true).length, at);
    assert.equal(
      c.teams.map((t) => [t.id, t.players, t.bot, t.whiteCell, t.submitted]),
      v.teams.map((t) => [t.id, t.players, t.bot, t.whiteCell, t.submitted]),
      at,
    );
    // Only public meters, the scenario's first ones, at their current values.
    const pub = v.meters.filter((m) => m.public);
    assert.equal(
      c.meters.map((m) => [m.id, m.value]),
      pub.slice(0, c.meters.length).map((m) => [m.id, m.value]),
      at,
    );
    assert.is(c.meters.length, Math.min(4, pub.length), at);
    assert.equal(
      c.ending,
      v.debrief ? { id: v.debrief.ending.id, name: v.debrief.ending.name, round: v.debrief.ending.round } : null,
      at,
    );
  }
  return s;
}

const world = botWorld();
let cohortId = '';
let token = '';
const students: CohortJoinResult[] = [];

/** A student's own seat, acting as the student's socket would. */
async function asStudent(i: number, command: { type: string } & Record<string, unknown>) {
  const seat = (await world.lobby.authenticate(students[i].seat.token))!;
  return world.games.submit(seat.gameId, actorOf(seat), command as never);
}

const act = async (command: string, cells?: number[]) => {
  const out = await world.cohorts.act(cohortId, token, { command, ...(cells ? { cells } : {}) } as never);
  assert.ok(
    out.every((o) => o.ok),
    JSON.stringify(out),
  );
  await world.runner.idle();
};

test('the summary follows each cell through a seminar, step by step', async () => {
  const made = await world.cohorts.create({
    scenario: tutorial.id,
    title: 'Summary check',
    cells: CELLS,
    options: { seed: 'summary', phases: NO_CLOCKS },
    bots: 'cooperative',
    name: 'Prof. Ng',
  });
  cohortId = made.cohortId;
  token = made.instructorToken;
  let s = await matchesWholeViews(world, cohortId, token, 'empty cells');
  assert.ok(s.cells.every((c) => c.phase === 'lobby' && c.seated === 0));

  for (let i = 0; i < 7; i++) {
    students.push(await world.cohorts.join({ code: made.joinCode, name: `Student ${i}` }));
    await matchesWholeViews(world, cohortId, token, `after join ${i}`);
  }

  await act('game.start');
  s = await matchesWholeViews(world, cohortId, token, 'started, bots seated');
  assert.ok(s.cells.every((c) => c.seated === tutorial.teams.length));
  await act('phase.advance');
  await act('phase.advance');
  s = await matchesWholeViews(world, cohortId, token, 'negotiation');
  assert.ok(s.cells.every((c) => c.phase === 'negotiation'));

  // A chat line changes no figure: the summary stays right either way.
  assert.ok((await asStudent(0, { type: 'chat.post', channel: 'plenary', text: 'Hello' })).ok);
  await matchesWholeViews(world, cohortId, token, 'after a chat line');

  await act('phase.advance');
  s = await matchesWholeViews(world, cohortId, token, 'submission');
  assert.ok(s.cells.every((c) => c.phase === 'submission'));
  // Students of cell A lock their submissions; the bots of every cell have locked theirs.
  for (const [i, st] of students.entries())
    if (st.cell === 0) assert.ok((await asStudent(i, { type: 'draft.lock' })).ok);
  await world.runner.idle();
  s = await matchesWholeViews(world, cohortId, token, 'cell A locked');
  assert.ok(s.cells[1].locked < tutorial.teams.length, 'cell B still waits for its students');

  await act('game.pause', [1]);
  s = await matchesWholeViews(world, cohortId, token, 'cell B paused');
  assert.equal(
    s.cells.map((c) => c.paused),
    [false, true, false],
  );
  await act('game.resume', [1]);

  // Cell A plays on to its debrief: meters move and an ending is reached.
  const a = s.cells[0].gameId;
  const startMeters = s.cells[0].meters.map((m) => m.value);
  const wc = (await world.lobby.authenticate((await world.cohorts.consoleSeat(cohortId, token, 0)).token))!;
  let moved = false;
  for (let guard = 0; guard < 100; guard++) {
    await world.runner.idle();
    const st = world.games.peek(a)!.state;
    if (st.phase === 'debrief') break;
    const type = st.phase === 'adjudication' ? 'adjudication.approve' : 'phase.advance';
    assert.ok((await world.games.submit(a, actorOf(wc), { type } as never)).ok);
    const now = await matchesWholeViews(world, cohortId, token, `cell A, ${type} ${guard}`);
    moved ||= now.cells[0].meters.some((m, k) => m.value !== startMeters[k]);
  }
  s = await matchesWholeViews(world, cohortId, token, 'cell A at its debrief');
  assert.is(s.cells[0].phase, 'debrief');
  assert.ok(s.cells[0].ending, 'the dashboard shows the ending');
  assert.ok(moved, 'the meters moved on the way, and the summary followed them');
});

test('after a reload from the store, the summary still matches every cell, and keeps following it', async () => {
  const again = botWorld({ store: world.store });
  await again.games.start();
  await again.cohorts.start();
  const s = await matchesWholeViews(again, cohortId, token, 'reloaded');
  assert.equal(
    s.cells.map((c) => c.phase),
    ['debrief', 'submission', 'submission'],
  );
  const b = s.cells[1];
  const wc = (await again.lobby.authenticate((await again.cohorts.consoleSeat(cohortId, token, 1)).token))!;
  assert.ok((await again.games.submit(b.gameId, actorOf(wc), { type: 'phase.advance' } as never)).ok);
  await again.runner.idle();
  const after = await matchesWholeViews(again, cohortId, token, 'reloaded, cell B advanced');
  assert.not.equal(after.cells[1].phase, 'submission');
});

test.run();
