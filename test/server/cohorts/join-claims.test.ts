// Who may finish a seminar join by typing its name again: only a join the seminar's own record says was never
// answered (docs/seminars.md, "Each name joins once"). Not a student whose logins a repair of the sign-in record cut,
// not a join written before the record said so, and of two requests racing for one unanswered join, in one process
// or in two on the same store, exactly one. Nothing here waits on time: requests are held at a chosen append and let
// go in a chosen order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MemoryBacking, MemoryStore } from '../../../server/store/memory-store.ts';
import type { CohortJoinResult } from '../../../shared/cohorts.ts';
import { botWorld, NO_CLOCKS, restartWorld as restart, tutorial } from '../../helpers/bot-world.ts';

/** A store on a shared backing whose appends of one kind wait, once told, until let go one by one. */
class GateStore extends MemoryStore {
  #holding: ((stream: string, events: readonly unknown[]) => boolean) | null = null;
  readonly #held: (() => void)[] = [];
  #arrived = () => {};

  /** From now on, appends `which` picks wait; resolves when the first of them arrives. */
  hold(which: (stream: string, events: readonly unknown[]) => boolean): Promise<void> {
    this.#holding = which;
    return new Promise((resolve) => (this.#arrived = resolve));
  }

  /** Lets the appends held so far go on, and holds nothing more. */
  release(): void {
    this.#holding = null;
    for (const go of this.#held.splice(0)) go();
  }

  override async append(stream: string, expectedVersion: number, events: readonly unknown[]): Promise<number> {
    if (this.#holding?.(stream, events)) {
      await new Promise<void>((resolve) => {
        this.#held.push(resolve);
        this.#arrived();
      });
    }
    return super.append(stream, expectedVersion, events);
  }
}

const typed = (events: readonly unknown[], type: string) => events.some((e) => (e as { type?: string }).type === type);
/** The game login for a seat: the point before which a join has certainly not been answered. */
const loginIssue = (stream: string, events: readonly unknown[]) =>
  stream.endsWith('-auth') && typed(events, 'SeatIssued');

const outcome = (p: Promise<CohortJoinResult>) =>
  p.then(
    (r) => ({ ok: true as const, r }),
    (err: { code?: string }) => ({ ok: false as const, code: err.code ?? String(err) }),
  );

/** One seminar of two cells with bots, on `backing`; `worlds` more processes on the same store. */
async function seminar(backing: MemoryBacking, worlds: number) {
  const stores = Array.from({ length: worlds }, () => new GateStore(backing));
  const all = stores.map((store) => botWorld({ store, sharedStore: worlds > 1 }));
  const made = await all[0].cohorts.create({
    scenario: tutorial.id,
    title: 'Claims',
    cells: 2,
    options: { phases: NO_CLOCKS },
    bots: 'cooperative',
    name: 'Prof. Lee',
  });
  for (const w of all.slice(1)) {
    await w.games.start();
    await w.cohorts.start();
  }
  return { stores, worlds: all, made };
}

test('after a repair cut an answered student out of the sign-in record, her name stays hers', async () => {
  const backing = new MemoryBacking();
  const { worlds, made } = await seminar(backing, 1);
  const [world] = worlds;
  const ann = await world.cohorts.join({ code: made.joinCode, name: 'Ann' });
  await world.cohorts.act(made.cohortId, made.instructorToken, { command: 'game.start' });
  await world.runner.idle();
  world.runner.close();
  // `npm run game:repair <cell>-auth` cuts the record at its last whole batch before the damage: here, the line that
  // issued Ann's login and everything after it (docs/operations.md).
  const stream = `${ann.seat.gameId}-auth`;
  const lines = backing.logs.get(stream)!;
  const cut = lines.findIndex((l) => l.includes(ann.seat.playerId));
  assert.ok(cut > 0, "the sign-in record held Ann's login");
  backing.logs.set(stream, lines.slice(0, cut));

  const after = await restart(backing);
  const players = () => after.games.peek(ann.seat.gameId)!.state.players;
  assert.ok(players()[ann.seat.playerId].seated, 'the restart leaves her seat to her, not to the bot');
  const stranger = await outcome(after.cohorts.join({ code: made.joinCode, name: 'ann' }));
  assert.equal(stranger, { ok: false, code: 'NAME_TAKEN' }, 'a stranger typing her name gets nothing');
  // Ann herself still finds her seat with the token her browser keeps, and plays it alone.
  const mine = await after.cohorts.seat(made.cohortId, ann.studentToken);
  assert.is(mine.seat.playerId, ann.seat.playerId);
  assert.ok(await after.lobby.authenticate(mine.seat.token));
  const team = Object.values(players()).filter((p) => p.seated && p.role === ann.team);
  assert.equal(
    team.map((p) => p.id),
    [ann.seat.playerId],
  );
  after.runner.close();
});

test('a join recorded before joins were marked pending is answered: never claimed, never emptied', async () => {
  const backing = new MemoryBacking();
  const { worlds, made } = await seminar(backing, 1);
  const [world] = worlds;
  await world.cohorts.join({ code: made.joinCode, name: 'Ann' });
  world.runner.close();
  // As the earlier format wrote a join (no `pending`, no JoinAnswered), and with no login issued for it: under the
  // earlier rule this name was free to whoever typed it.
  const stream = `${made.cohortId}-cohort`;
  const at = 2_000_000;
  const version = backing.logs.get(stream)!.length;
  await new MemoryStore(backing).append(stream, version, [
    { type: 'StudentJoined', student: { id: 'deestudent01', name: 'Dee', tokenHash: 'x'.repeat(64) }, at },
    {
      type: 'StudentSeated',
      studentId: 'deestudent01',
      cell: 1,
      team: tutorial.teams[0].id,
      playerId: 'deeplayer001',
      at,
    },
  ]);
  const after = await restart(backing);
  const stranger = await outcome(after.cohorts.join({ code: made.joinCode, name: 'DEE' }));
  assert.equal(stranger, { ok: false, code: 'NAME_TAKEN' });
  const s = await after.cohorts.summary(made.cohortId, made.instructorToken);
  assert.equal(
    s.students.filter((x) => x.name === 'Dee').map((x) => [x.id, x.cell]),
    [['deestudent01', 1]],
  );
  after.runner.close();
});

test('a join and a retry of it in another process on the same store: exactly one is answered', async () => {
  const backing = new MemoryBacking();
  const { stores, worlds, made } = await seminar(backing, 2);
  const [one, two] = worlds;
  // Process one records the join and stops just before the game login (as if it were slow, or about to crash).
  const held = stores[0].hold(loginIssue);
  const first = outcome(one.cohorts.join({ code: made.joinCode, name: 'Cy' }));
  await Promise.race([held, first]);
  // The same name at process two, which is not serving that join.
  const second = await outcome(two.cohorts.join({ code: made.joinCode, name: 'cy' }));
  stores[0].release();
  const results = [await first, second];
  const won = results.filter((x) => x.ok);
  assert.is(won.length, 1, `one answered: ${JSON.stringify(results.map((x) => (x.ok ? 'ok' : x.code)))}`);
  assert.equal(
    results.filter((x) => !x.ok),
    [{ ok: false, code: 'NAME_TAKEN' }],
  );
  const winner = won[0].ok ? won[0].r : undefined;
  const s = await two.cohorts.summary(made.cohortId, made.instructorToken);
  assert.is(s.students.filter((x) => x.name === 'Cy').length, 1);
  assert.is((await two.cohorts.seat(made.cohortId, winner!.studentToken)).studentId, winner!.studentId);
  // Answered now: the name is taken in either process.
  for (const w of worlds)
    assert.equal(await outcome(w.cohorts.join({ code: made.joinCode, name: 'Cy' })), {
      ok: false,
      code: 'NAME_TAKEN',
    });
  for (const w of worlds) w.runner.close();
});

test('two retries of one unanswered join in two processes: exactly one takes the seat', async () => {
  const backing = new MemoryBacking();
  const { stores, worlds, made } = await seminar(backing, 3);
  const [one, two, three] = worlds;
  // Process one's join never gets past the login (it is held until the end: a crashed process, for the others).
  const heldOne = stores[0].hold(loginIssue);
  const first = outcome(one.cohorts.join({ code: made.joinCode, name: 'Dan' }));
  await Promise.race([heldOne, first]);
  // Process two retries the name and is held at the same point; process three retries it meanwhile.
  const heldTwo = stores[1].hold(loginIssue);
  const second = outcome(two.cohorts.join({ code: made.joinCode, name: 'dan' }));
  await Promise.race([heldTwo, second]);
  const third = await outcome(three.cohorts.join({ code: made.joinCode, name: 'DAN' }));
  stores[1].release();
  stores[0].release();
  const results = [await first, await second, third];
  const codes = results.map((x) => (x.ok ? 'ok' : x.code));
  assert.equal(
    codes.filter((c) => c === 'ok'),
    ['ok'],
    `one answered: ${JSON.stringify(codes)}`,
  );
  assert.equal(
    codes.filter((c) => c !== 'ok'),
    ['NAME_TAKEN', 'NAME_TAKEN'],
  );
  const winner = results.find((x) => x.ok)!;
  const r = winner.ok ? winner.r : undefined;
  // The seat is the winner's alone: only their tokens open it.
  assert.is((await three.cohorts.seat(made.cohortId, r!.studentToken)).studentId, r!.studentId);
  const s = await three.cohorts.summary(made.cohortId, made.instructorToken);
  assert.is(s.students.filter((x) => x.name === 'Dan').length, 1);
  for (const w of worlds) w.runner.close();
});

test('a retry in the same process as the unanswered join it meets: one is answered', async () => {
  const backing = new MemoryBacking();
  const { stores, worlds, made } = await seminar(backing, 1);
  const [world] = worlds;
  const held = stores[0].hold(loginIssue);
  const first = outcome(world.cohorts.join({ code: made.joinCode, name: 'Eve' }));
  await Promise.race([held, first]);
  const second = await outcome(world.cohorts.join({ code: made.joinCode, name: 'eve' }));
  stores[0].release();
  // This process knows it is still serving the first: it comes first, and the second is refused.
  assert.equal([(await first).ok, second], [true, { ok: false, code: 'NAME_TAKEN' }]);
  world.runner.close();
});

test.run();
