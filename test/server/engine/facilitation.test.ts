// What the White Cell can take back and what a team sees of its own submission: an inject skipped by mistake is
// restored; a locked submission stays on the team's screen (and the White Cell's) until its round is revealed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { exposureChance } from '../../../server/engine/adjudication.ts';
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

test('a covert card shows the exposure chance the dice use; a hidden meter only makes it partial', () => {
  const g = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  const action = g.state.scenario.actions.find((a) => a.id === 'dprk-enrich')!;
  const rolled = exposureChance(g.state, action);
  const wc = viewFor(g.state, { kind: 'control' }).actions.find((a) => a.id === 'dprk-enrich')!;
  assert.is(wc.exposure!.chance, rolled, 'the White Cell sees the chance the dice use');
  assert.not.ok(wc.exposure!.partial);
  const mine = viewFor(g.state, { kind: 'team', team: 'dprk' }).actions.find((a) => a.id === 'dprk-enrich')!;
  const visible = new Set(viewFor(g.state, { kind: 'team', team: 'dprk' }).meters.map((m) => m.id));
  const hidden = action.exposure!.modifiers.filter((m) => !visible.has(m.meter));
  let expected = action.exposure!.chance;
  for (const m of action.exposure!.modifiers) if (visible.has(m.meter)) expected += g.state.meters[m.meter] * m.per;
  assert.is(mine.exposure!.chance, Math.max(0, Math.min(0.95, Math.round(expected * 1000) / 1000)));
  assert.is(Boolean(mine.exposure!.partial), hidden.length > 0);
  if (!hidden.length) assert.is(mine.exposure!.chance, rolled, 'with every meter visible: the very same chance');
});

test.run();
