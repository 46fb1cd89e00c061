// Timings read off an audience's views: the time a team took to lock runs from the opening of the round's submission
// phase, and time the game spent paused is not counted in it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
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

test.run();
