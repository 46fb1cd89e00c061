// A seminar's removals, moves and joins cut short by a crash at every step, then a restart on the same store: the
// record is written first, and the start finishes what it says (docs/seminars.md, "Good to know"). A crash is an
// append that never returns (nor does any after it), as when the process is killed while the store writes; the
// restart is a new world on the same data.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryBacking, MemoryStore } from '../../../server/store/memory-store.ts';
import type { CohortJoinResult } from '../../../shared/cohorts.ts';
import { botWorld, NO_CLOCKS, restartWorld as restart, tutorial } from '../../helpers/bot-world.ts';

/** A store that, once told, lets a number of appends through and then stops for good. */
class CrashingStore extends MemoryStore {
  #left = Number.POSITIVE_INFINITY;
  #crash = () => {};
  crashed = false;

  /** Resolves when the crash happens. */
  crashAfter(appends: number): Promise<void> {
    this.#left = appends;
    return new Promise((resolve) => (this.#crash = resolve));
  }

  override async append(gameId: string, expectedVersion: number, events: readonly unknown[]): Promise<number> {
    if (this.#left <= 0) {
      this.crashed = true;
      this.#crash();
      return new Promise<number>(() => {});
    }
    this.#left -= 1;
    return super.append(gameId, expectedVersion, events);
  }
}

type World = ReturnType<typeof botWorld>;

const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
};

/** Two started cells with bots in the empty seats, and one student, Ada. */
async function seminar() {
  const backing = new MemoryBacking();
  const store = new CrashingStore(backing);
  const world = botWorld({ store });
  const made = await world.cohorts.create({
    scenario: tutorial.id,
    title: 'Crash',
    cells: 2,
    options: { phases: NO_CLOCKS },
    bots: 'cooperative',
    name: 'Prof. Lee',
  });
  const ada = await world.cohorts.join({ code: made.joinCode, name: 'Ada' });
  await world.cohorts.act(made.cohortId, made.instructorToken, { command: 'game.start' });
  await world.runner.idle();
  return { backing, store, world, made, ada };
}

/** Runs `op` with a crash after `k` appends; whether it finished before the crash. */
async function crashing(store: CrashingStore, world: World, k: number, op: () => Promise<unknown>) {
  const crash = store.crashAfter(k);
  const done = op().then(
    () => 'done',
    (err) => err,
  );
  const outcome = await Promise.race([done, crash.then(() => 'crashed')]);
  world.runner.close();
  if (outcome !== 'done' && outcome !== 'crashed') throw outcome;
  return outcome === 'done' && !store.crashed;
}

/** In every cell under way, every team has someone seated: a student or the seminar's bot. */
async function everyTeamPlayed(world: World, cohortId: string, token: string, when: string) {
  const s = await world.cohorts.summary(cohortId, token);
  for (const cell of s.cells) {
    const state = world.games.peek(cell.gameId)!.state;
    if (['lobby', 'debrief', 'ended'].includes(state.phase)) continue;
    for (const team of tutorial.teams)
      assert.ok(
        Object.values(state.players).some((p) => p.seated && p.role === team.id),
        `${when}: cell ${cell.label}'s ${team.id} has nobody`,
      );
  }
}

test('a removal cut short at any step is finished at restart: seat closed, team to the bot', async () => {
  let halfDone = 0;
  for (let k = 0; ; k++) {
    const { backing, store, world, made, ada } = await seminar();
    const finished = await crashing(store, world, k, () =>
      world.cohorts.remove(made.cohortId, made.instructorToken, ada.studentId),
    );
    const after = await restart(backing);
    const when = `crash after ${k} appends`;
    await everyTeamPlayed(after, made.cohortId, made.instructorToken, when);
    const s = await after.cohorts.summary(made.cohortId, made.instructorToken);
    const recorded = !s.students.some((x) => x.id === ada.studentId);
    const state = () => after.games.peek(ada.seat.gameId)!.state;
    if (recorded) {
      halfDone += finished ? 0 : 1;
      assert.is(await after.lobby.authenticate(ada.seat.token), null, `${when}: the login no longer works`);
      assert.is(state().players[ada.seat.playerId].seated, false, `${when}: the seat is closed`);
      assert.ok(
        Object.values(state().players).some((p) => p.seated && p.bot && p.role === ada.team),
        `${when}: the bot plays the team`,
      );
      assert.is(await code(after.cohorts.seat(made.cohortId, ada.studentToken)), 'STUDENT_REMOVED', when);
    } else {
      assert.is(k, 0, 'only a crash before the record leaves the student in');
      assert.ok(await after.lobby.authenticate(ada.seat.token), `${when}: nothing happened`);
    }
    // The instructor's retry answers the same either way.
    assert.equal(await after.cohorts.remove(made.cohortId, made.instructorToken, ada.studentId), {
      removed: ada.studentId,
    });
    assert.is(await after.lobby.authenticate(ada.seat.token), null, when);
    after.runner.close();
    if (finished) break;
  }
  assert.ok(halfDone >= 3, `the removal's later steps were each cut short (${halfDone})`);
});

test('a move cut short at any step is finished at restart: old seat closed, no team left empty', async () => {
  for (let k = 0; ; k++) {
    const { backing, store, world, made, ada } = await seminar();
    const to = { cell: 1 - ada.cell, team: ada.team };
    const finished = await crashing(store, world, k, () =>
      world.cohorts.move(made.cohortId, made.instructorToken, ada.studentId, to),
    );
    const after = await restart(backing);
    const when = `crash after ${k} appends`;
    await everyTeamPlayed(after, made.cohortId, made.instructorToken, when);
    const s = await after.cohorts.summary(made.cohortId, made.instructorToken);
    const listed = s.students.find((x) => x.id === ada.studentId)!;
    const old = after.games.peek(ada.seat.gameId)!.state;
    if (listed.cell === to.cell) {
      assert.is(await after.lobby.authenticate(ada.seat.token), null, `${when}: the old login no longer works`);
      assert.is(old.players[ada.seat.playerId].seated, false, `${when}: the old seat is closed`);
      // "Find my seat" lands in the new one, which the student then plays alone (the bot steps aside).
      const now = await after.cohorts.seat(made.cohortId, ada.studentToken);
      assert.equal([now.cell, now.team], [to.cell, to.team], when);
      assert.ok(await after.lobby.authenticate(now.seat.token), when);
      const there = Object.values(after.games.peek(now.seat.gameId)!.state.players).filter(
        (p) => p.seated && p.role === to.team,
      );
      assert.equal(
        there.map((p) => p.id),
        [now.seat.playerId],
        when,
      );
    } else {
      assert.is(k, 0, 'only a crash before the record leaves the student where they were');
      assert.ok(await after.lobby.authenticate(ada.seat.token), when);
      assert.ok(old.players[ada.seat.playerId].seated, when);
    }
    after.runner.close();
    if (finished) break;
  }
});

test('a join cut short at any step takes no name: the same name joins again and plays', async () => {
  for (let k = 0; ; k++) {
    const { backing, store, world, made } = await seminar();
    let answer: CohortJoinResult | undefined;
    const finished = await crashing(store, world, k, async () => {
      answer = await world.cohorts.join({ code: made.joinCode, name: 'Bea' });
    });
    const after = await restart(backing);
    const when = `crash after ${k} appends`;
    await everyTeamPlayed(after, made.cohortId, made.instructorToken, when);
    if (finished) {
      // Answered: the name is hers, and typing it again gives nobody her seat.
      assert.ok(answer);
      assert.is(await code(after.cohorts.join({ code: made.joinCode, name: 'bea' })), 'NAME_TAKEN');
      after.runner.close();
      break;
    }
    const again = await after.cohorts.join({ code: made.joinCode, name: 'Bea' });
    const s = await after.cohorts.summary(made.cohortId, made.instructorToken);
    assert.is(s.students.filter((x) => x.name === 'Bea').length, 1, `${when}: one student`);
    assert.ok(await after.lobby.authenticate(again.seat.token), when);
    assert.is((await after.cohorts.seat(made.cohortId, again.studentToken)).studentId, again.studentId, when);
    const there = Object.values(after.games.peek(again.seat.gameId)!.state.players).filter(
      (p) => p.seated && p.role === again.team,
    );
    assert.ok(
      there.some((p) => p.id === again.seat.playerId),
      `${when}: seated`,
    );
    assert.not.ok(
      there.some((p) => p.bot),
      `${when}: the bot stepped aside`,
    );
    // Once answered, the name is taken as any other.
    assert.is(await code(after.cohorts.join({ code: made.joinCode, name: 'Bea' })), 'NAME_TAKEN', when);
    after.runner.close();
  }
});

test('a retry of an unanswered join cut short at any step leaves it for the next retry', async () => {
  for (let k = 0; ; k++) {
    const { backing, store, world, made } = await seminar();
    // The join stops right after its record (two appends: StudentJoined and StudentSeated together, then the seat).
    await crashing(store, world, 1, () => world.cohorts.join({ code: made.joinCode, name: 'Cal' }));
    const mid = new CrashingStore(backing);
    const middle = botWorld({ store: mid });
    await middle.games.start();
    await middle.cohorts.start();
    const finished = await crashing(mid, middle, k, () => middle.cohorts.join({ code: made.joinCode, name: 'cal' }));
    const after = await restart(backing);
    const when = `retry cut after ${k} appends`;
    await everyTeamPlayed(after, made.cohortId, made.instructorToken, when);
    if (finished) {
      assert.is(await code(after.cohorts.join({ code: made.joinCode, name: 'Cal' })), 'NAME_TAKEN', when);
      after.runner.close();
      break;
    }
    const again = await after.cohorts.join({ code: made.joinCode, name: 'CAL' });
    assert.ok(await after.lobby.authenticate(again.seat.token), when);
    const s = await after.cohorts.summary(made.cohortId, made.instructorToken);
    assert.is(s.students.filter((x) => x.name === 'Cal').length, 1, `${when}: one student`);
    assert.is(await code(after.cohorts.join({ code: made.joinCode, name: 'Cal' })), 'NAME_TAKEN', when);
    after.runner.close();
  }
});

test('a restart with nothing owed writes nothing', async () => {
  const { backing, world, made, ada } = await seminar();
  await world.cohorts.remove(made.cohortId, made.instructorToken, ada.studentId);
  await world.runner.idle();
  world.runner.close();
  const before = new Map([...backing.logs].map(([k, v]) => [k, v.length]));
  const after = await restart(backing);
  after.runner.close();
  assert.equal(new Map([...backing.logs].map(([k, v]) => [k, v.length])), before);
});

test.run();
