// Timings read off an audience's views: the time a team took to lock runs from the opening of the round's submission
// phase, and time the game spent paused is not counted in it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fold, type GameEvent } from '../../../server/engine/index.ts';
import { forkEvents } from '../../../server/record/fork.ts';
import { observe } from '../../../server/record/timings.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game, control as wc, teamActor } from '../../helpers/engine.ts';

function toSubmission(marking: boolean) {
  const g = new Game(mini);
  g.marking = marking;
  g.seatAll(['us', 'dprk', 'prc']);
  g.advance(1000).do(wc, { type: 'game.start' });
  while (g.state.phase !== 'submission') g.advance(10_000).do(wc, { type: 'phase.advance' });
  g.do(teamActor('us'), { type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null });
  return g;
}

test('seconds to lock count from the opening of submission, without the time paused', () => {
  for (const marking of [false, true]) {
    const g = toSubmission(marking);
    // Open; 4 s later a pause of 30 s; locked 7 s after the resume: 11 s of play, 41 s on the clock.
    g.advance(4000).do(wc, { type: 'game.pause' });
    g.advance(30_000).do(wc, { type: 'game.resume' });
    g.advance(7000).do(teamActor('us'), { type: 'draft.lock' });
    // Unlocked and locked again, after a second pause: the same opening, both pauses left out.
    g.advance(2000).do(teamActor('us'), { type: 'draft.unlock' });
    g.advance(1000).do(wc, { type: 'game.pause' });
    g.advance(60_000).do(wc, { type: 'game.resume' });
    g.advance(3000).do(teamActor('us'), { type: 'draft.lock' });
    for (const audience of [{ kind: 'control' } as const, { kind: 'team', team: 'us' } as const]) {
      const { locks } = observe(g.log, audience);
      assert.equal(
        locks.map((l) => [l.round, l.team, l.afterSeconds]),
        [
          [1, 'us', 11],
          [1, 'us', 17],
        ],
        `${audience.kind}, marked ${marking}`,
      );
    }
  }
});

test("the last team's lock, which closes submission in the same command, is in every audience's timings", () => {
  for (const marking of [false, true]) {
    const g = toSubmission(marking);
    g.advance(5000).do(teamActor('us'), { type: 'draft.lock' });
    g.advance(3000).do(teamActor('dprk'), { type: 'draft.lock' });
    g.advance(4000).do(teamActor('prc'), { type: 'draft.lock' });
    assert.is(g.state.phase, 'adjudication', 'the last lock ended submission');
    for (const audience of [
      { kind: 'control' } as const,
      { kind: 'team', team: 'us' } as const,
      { kind: 'team', team: 'prc' } as const,
      { kind: 'observer' } as const,
    ]) {
      const { locks } = observe(g.log, audience);
      assert.equal(
        locks.map((l) => [l.team, l.afterSeconds]),
        [
          ['us', 5],
          ['dprk', 8],
          ['prc', 12],
        ],
        `${audience.kind} ${'team' in audience ? audience.team : ''}, marked ${marking}`,
      );
    }
  }
});

test("a fork's timings keep the parent's times, count no lobby, and give the wait until its White Cell moves on a span of its own", () => {
  for (const marking of [false, true]) {
    const parent = new Game(mini);
    parent.marking = marking;
    parent.seatAll(['us', 'dprk', 'prc']);
    parent.advance(60_000).do(wc, { type: 'game.start' });
    while (parent.state.phase !== 'reveal') parent.advance(10_000).do(wc, { type: 'phase.advance' });
    parent.advance(5000).do(teamActor('us'), { type: 'chat.post', channel: 'plenary', text: 'Well played' });
    const revealed = parent.now;
    parent.advance(20_000).do(wc, { type: 'phase.advance' }); // round 2, not copied
    // The fork is made an hour later, and its White Cell moves on 75 s after that.
    const made = parent.now + 3_600_000;
    const events = forkEvents(parent.log, 1, 'forkgame0001', 'seed', made);
    if (!Array.isArray(events)) throw new Error(events.message);
    const fork = new Game(mini);
    fork.marking = marking;
    fork.log = events as GameEvent[];
    fork.state = fold(fork.log);
    fork.now = made;
    fork.advance(75_000).do(wc, { type: 'phase.advance' });
    // A team's steps in a log are the versions the server marked (server/games/audience-versions.ts); a log made
    // before marking is walked by the White Cell alone here.
    const readers = marking
      ? [{ kind: 'control' } as const, { kind: 'team', team: 'us' } as const]
      : [{ kind: 'control' } as const];
    for (const audience of readers) {
      const label = `${audience.kind}, marked ${marking}`;
      const mine = observe(fork.log, audience).phases;
      const theirs = observe(parent.log, audience).phases;
      const seconds = mine.map((p) => (p.end === null ? null : (p.end - p.start) / 1000));
      assert.ok(
        seconds.every((x) => x === null || x >= 0),
        `${label}: no span runs backwards: ${JSON.stringify(mine)}`,
      );
      assert.not.ok(
        mine.some((p) => p.phase === 'lobby'),
        `${label}: the fork had no lobby of its own, and the parent's is not copied`,
      );
      // The copied spans are the parent's, from its briefing to its round 1 reveal, which ends where the copy does.
      const copied = theirs.filter((p) => p.phase !== 'lobby' && (p.round === 0 || p.round === 1));
      assert.equal(
        mine.slice(0, copied.length - 1),
        copied.slice(0, -1),
        `${label}: the copied spans keep the parent's times`,
      );
      assert.equal(mine[copied.length - 1], { round: 1, phase: 'reveal', start: copied.at(-1)!.start, end: revealed });
      assert.equal(
        mine.slice(copied.length),
        [
          { round: 1, phase: 'forked', start: made, end: made + 75_000 },
          { round: 2, phase: 'injects', start: made + 75_000, end: null },
        ],
        `${label}: the wait after the fork is its own span`,
      );
    }
  }
});

test.run();
