// Deadlines fire on time: a timer that wakes a moment early (by the wall clock deadlines are kept in) sleeps the
// rest instead of ticking for nothing and then waiting a whole second, and on an idle server every phase change
// comes within a generous bound of its deadline. The lateness distribution is printed; tight figures are in
// docs/operations.md, not asserted here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GameState } from '../../../server/engine/index.ts';
import { DeadlineClock } from '../../../server/games/deadline-clock.ts';
import { Games } from '../../../server/games/games.ts';
import { LoadedGame } from '../../../server/games/loaded-game.ts';
import { SYSTEM, actorOf } from '../../../server/games/seat.ts';
import { silentLogger } from '../../../server/log.ts';
import { Metrics } from '../../../server/metrics.ts';
import { FileStore } from '../../../server/store/file-store.ts';
import { mini } from '../../fixtures/mini-scenario.ts';

/**
 * A game whose only state is a deadline, and a clock that reads LAG_MS behind from the moment it is armed until the
 * first tick has read it ('wake': the timer went off early by that clock), or for the first tick's reading alone
 * ('tick': the clock passed the deadline between the tick's decision and the clock's own check).
 */
/** Large enough that a timer running late on a busy machine does not hide the early reading. */
const LAG_MS = 100;

function rig(mode: 'wake' | 'tick') {
  const game = new LoadedGame('g', { paused: null, deadline: Date.now() + 30 } as unknown as GameState, 0, 0);
  const fired: number[] = [];
  let armed = false;
  let ticked = false;
  const lagged = () => Date.now() - LAG_MS;
  const clock = new DeadlineClock({
    log: silentLogger,
    metrics: new Metrics(),
    now: () => (mode === 'wake' && armed && !ticked ? lagged() : Date.now()),
    catchUp: async () => {},
    tick: async () => {
      const now = ticked ? Date.now() : lagged();
      ticked = true;
      if (now < (game.state.deadline ?? Infinity)) return 'noop';
      fired.push(Date.now() - (game.state.deadline ?? 0));
      game.state = { ...game.state, deadline: null };
      return 'fired';
    },
  });
  clock.arm(game);
  armed = true;
  return fired;
}

async function firedWithin(fired: number[], ms: number) {
  for (let i = 0; i < ms / 10 && fired.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
}

test('a timer that wakes before the deadline by its clock sleeps the rest, and fires on time', async () => {
  const fired = rig('wake');
  await firedWithin(fired, 3000);
  assert.is(fired.length, 1);
  assert.ok(fired[0] < 500, `fired ${fired[0]} ms after the deadline`);
});

test('a tick decided a moment before the deadline tries again at once, not a second later', async () => {
  const fired = rig('tick');
  await firedWithin(fired, 3000);
  assert.is(fired.length, 1);
  assert.ok(fired[0] < 500, `fired ${fired[0]} ms after the deadline`);
});

test('on an idle server, each phase changes within a generous bound of its deadline', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-deadlines-'));
  const store = new FileStore(dir);
  const metrics = new Metrics();
  const games = new Games({ store, log: silentLogger, metrics, snapshotEvery: 1000 });
  try {
    const phases = { briefing: 1, injects: 1, negotiation: 1, submission: 1, reveal: 1 };
    const created = await games.create('deadlines01', mini, { phases, autoApprove: true, seed: 'd' });
    assert.ok(created instanceof LoadedGame);
    await games.submit('deadlines01', SYSTEM, { type: 'seat.take', playerId: 'wc', name: 'C', role: 'control' });
    const wc = { gameId: 'deadlines01', playerId: 'wc', name: 'C', role: 'control' as const, team: null };
    assert.ok((await games.submit('deadlines01', actorOf(wc), { type: 'game.start' })).ok);
    const changes = 6;
    for (let i = 0; i < 200; i++) {
      const [h] = (await metrics.deadlineLateness.get()).values.filter((v) => v.metricName?.endsWith('_count'));
      if ((h?.value ?? 0) >= changes) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const values = (await metrics.deadlineLateness.get()).values;
    const count = values.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
    const sum = values.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
    const within = (le: number) => values.find((v) => v.metricName?.endsWith('_bucket') && v.labels.le === le)?.value;
    console.log(
      `  ${count} deadlines: mean ${((sum / count) * 1000).toFixed(1)} ms late; ` +
        `<=5 ms ${within(0.005)}, <=10 ms ${within(0.01)}, <=50 ms ${within(0.05)}, <=250 ms ${within(0.25)}`,
    );
    assert.ok(count >= changes, `${count} phase changes by their deadline`);
    assert.is(within(0.25), count, 'every one within 250 ms');
  } finally {
    games.beginClose();
    await games.drain();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A clock with leases whose catch-up the test releases by hand: what it claims, and when. The deadline has passed
 * already, so the timer goes off at once; after the catch-up the game's deadline is `after` (the same one, or
 * another that has passed too).
 */
function leasedRig(after: 'same' | 'moved') {
  const due = Date.now() - 1000;
  const game = new LoadedGame('g', { paused: null, deadline: due } as unknown as GameState, 0, 0);
  const events: string[] = [];
  let release!: () => void;
  const caughtUp = new Promise<void>((r) => {
    release = r;
  });
  let done!: () => void;
  const ticked = new Promise<void>((r) => {
    done = r;
  });
  const clock = new DeadlineClock({
    log: silentLogger,
    metrics: new Metrics(),
    now: Date.now,
    leases: {
      claim: async (name) => {
        events.push(`claim ${name.replace(String(due), 'due').replace(String(due - 500), 'moved')}`);
        return true;
      },
    },
    catchUp: async () => {
      events.push('catch-up asked');
      await caughtUp;
      if (after === 'moved') game.state = { ...game.state, deadline: due - 500 };
      events.push('caught up');
    },
    tick: async () => {
      events.push('tick');
      game.state = { ...game.state, deadline: null };
      done();
      return 'fired';
    },
  });
  clock.arm(game);
  return { events, release, ticked };
}

test('with leases, the lease is asked for while catching up, not after', async () => {
  const { events, release, ticked } = leasedRig('same');
  while (!events.includes('catch-up asked')) await new Promise((r) => setImmediate(r));
  await new Promise((r) => setImmediate(r));
  assert.equal(events, ['claim tick:g:due', 'catch-up asked'], 'claimed before the catch-up is over');
  release();
  await ticked;
  assert.equal(events, ['claim tick:g:due', 'catch-up asked', 'caught up', 'tick']);
});

test('with leases, a deadline moved by the catch-up is claimed by its own name before it fires', async () => {
  const { events, release, ticked } = leasedRig('moved');
  while (!events.includes('catch-up asked')) await new Promise((r) => setImmediate(r));
  release();
  await ticked;
  assert.equal(events, ['claim tick:g:due', 'catch-up asked', 'caught up', 'claim tick:g:moved', 'tick']);
});

test.run();
