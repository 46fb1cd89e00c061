// What the White Cell can take back and what a team sees of its own submission: an inject skipped by mistake is
// restored; a locked submission stays on the team's screen (and the White Cell's) until its round is revealed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fold, viewFor } from '../../../server/engine/index.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game, control, teamActor } from '../../helpers/engine.ts';

test('a skipped inject can be restored: due now in its round, and only a skipped one', () => {
  const g = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' });
  assert.is(g.state.injects.election.status, 'pending');
  g.do(control, { type: 'inject.skip', injectId: 'election' });
  assert.is(g.state.injects.election.status, 'skipped');
  g.do(control, { type: 'inject.unskip', injectId: 'election' });
  assert.is(g.state.injects.election.status, 'pending', 'its round has come: it waits to be published');
  g.do(control, { type: 'inject.skip', injectId: 'exercise' }).do(control, {
    type: 'inject.unskip',
    injectId: 'exercise',
  });
  assert.is(g.state.injects.exercise.status, 'scheduled', 'a later round’s inject goes back to the schedule');
  assert.is(g.try(control, { type: 'inject.unskip', injectId: 'election' })?.code, 'INJECT_CLOSED');
  assert.is(g.try(teamActor('us'), { type: 'inject.unskip', injectId: 'election' })?.code, 'NOT_ALLOWED');
  assert.equal(fold(g.log), g.state, 'the log replays to the same state');
});

test('a locked submission shows (locked) until the reveal, for the team and the White Cell', () => {
  const g = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  g.do(teamActor('us'), { type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null });
  g.do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'submission');
  g.do(teamActor('us'), { type: 'draft.lock' });
  g.do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'adjudication');
  const mine = viewFor(g.state, { kind: 'team', team: 'us' }).me!.draft;
  assert.equal(mine.overt, ['us-talks']);
  assert.ok(mine.locked);
  assert.equal(viewFor(g.state, { kind: 'control' }).control!.drafts.us.overt, ['us-talks']);
  assert.equal(viewFor(g.state, { kind: 'team', team: 'dprk' }).me!.draft.overt, [], 'another team sees its own');
  g.do(control, { type: 'adjudication.approve' });
  assert.is(g.state.phase, 'reveal');
  assert.equal(viewFor(g.state, { kind: 'team', team: 'us' }).me!.draft.overt, [], 'after the reveal: a fresh draft');
});

test.run();
