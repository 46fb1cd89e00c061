// Which phase follows which, pinned as events: given a recorded log, when a command, then these events. The round
// machine (server/engine/machine.ts) decides the target; decide() adds only what happens on the way.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game, control, given, system, teamActor } from '../../helpers/engine.ts';

const types = (events: { type: string }[]) => events.map((e) => e.type);
const phaseChanges = (events: { type: string }[]) =>
  events.flatMap((e) =>
    e.type === 'PhaseChanged' ? [e as unknown as { phase: string; via: string; round: number }] : [],
  );

function seated(options = {}) {
  return new Game(mini, options).seatAll(['us', 'dprk', 'prc']);
}

test('briefing → injects opens round 1, with its queued injects and intel', () => {
  const g = seated().do(control, { type: 'game.start' });
  const { events, error } = given(g.log).when(control, { type: 'phase.advance' });
  assert.is(error, null);
  const [change] = phaseChanges(events);
  assert.equal(
    { phase: change.phase, via: change.via, round: change.round },
    { phase: 'injects', via: 'ADVANCE', round: 1 },
  );
  assert.ok(types(events).indexOf('PhaseChanged') === 0, 'the phase changes before the round is entered');
});

test('leaving injects publishes what the White Cell left pending, before negotiation opens', () => {
  const g = seated().do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' });
  const pending = g.state.injectOrder.filter((id) => g.state.injects[id].status === 'pending');
  const { events } = given(g.log).when(control, { type: 'phase.advance' });
  const published = events.filter((e) => e.type === 'InjectPublished').length;
  assert.is(published, pending.length);
  assert.is(phaseChanges(events)[0].phase, 'negotiation');
  assert.is(types(events).at(-1), 'PhaseChanged');
});

test('with auto-approval, closing submissions proposes, approves as "auto" and reveals in one step', () => {
  const g = seated({ autoApprove: true }).do(control, { type: 'game.start' });
  g.do(control, { type: 'phase.advance' })
    .do(control, { type: 'phase.advance' })
    .do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'submission');
  const { events } = given(g.log).when(control, { type: 'phase.advance' });
  assert.equal(types(events), ['PhaseChanged', 'AdjudicationProposed', 'AdjudicationApproved', 'PhaseChanged']);
  assert.equal(
    phaseChanges(events).map((e) => e.phase),
    ['adjudication', 'reveal'],
  );
  assert.is((events[2] as unknown as { by: string }).by, 'auto');
});

test('the last reveal leads to the debrief; an earlier one to the next round', () => {
  const g = seated({ rounds: 2 }).do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' });
  const toReveal = () => {
    for (let i = 0; i < 3; i++) g.do(control, { type: 'phase.advance' });
    g.do(control, { type: 'adjudication.approve' });
  };
  toReveal();
  const next = given(g.log).when(control, { type: 'phase.advance' });
  assert.equal(
    phaseChanges(next.events).map((e) => [e.phase, e.round]),
    [['injects', 2]],
  );
  g.do(control, { type: 'phase.advance' });
  toReveal();
  const last = given(g.log).when(control, { type: 'phase.advance' });
  assert.equal(
    phaseChanges(last.events).map((e) => [e.phase, e.via]),
    [['debrief', 'ADVANCE']],
  );
});

test('pause remembers the phase and resume returns to it; phases the machine cannot pause refuse', () => {
  const g = seated().do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' });
  g.do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'negotiation');
  g.do(control, { type: 'game.pause' });
  assert.is(g.state.phase, 'paused');
  const resumed = given(g.log).when(control, { type: 'game.resume' });
  assert.equal(
    resumed.events.map((e) => (e.type === 'Resumed' ? e.phase : null)),
    ['negotiation'],
  );
  const lobby = seated();
  assert.is(given(lobby.log).when(control, { type: 'game.pause' }).error?.code, 'WRONG_PHASE');
  assert.is(given(lobby.log).when(control, { type: 'phase.advance' }).error?.code, 'WRONG_PHASE');
});

test('paused, the clock can be extended or shortened: the time left when the exercise resumes', () => {
  const g = seated({ phases: { negotiation: 600 } }).do(control, { type: 'game.start' });
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  g.advance(100_000).do(control, { type: 'game.pause' });
  assert.is(g.state.paused?.remaining, 500_000);
  g.advance(60_000).do(control, { type: 'phase.extend', seconds: 300 });
  assert.is(g.state.paused?.remaining, 800_000, 'five more minutes, with the clock still stopped');
  g.do(control, { type: 'phase.extend', seconds: -3600 });
  assert.is(g.state.paused?.remaining, 0, 'never below nothing left');
  g.do(control, { type: 'phase.extend', seconds: 120 }).do(control, { type: 'game.resume' });
  assert.is(g.state.deadline, g.now + 120_000);
  const untimed = seated({ phases: { negotiation: 0 } }).do(control, { type: 'game.start' });
  untimed.do(control, { type: 'phase.advance' });
  untimed.do(control, { type: 'phase.advance' }).do(control, { type: 'game.pause' });
  const refused = given(untimed.log).when(control, { type: 'phase.extend', seconds: 60 });
  assert.is(untimed.state.paused?.remaining, null);
  assert.is(refused.error?.code, 'NO_DEADLINE', 'a phase with no clock has none to move');
});

test('a refused command causes no events, whoever sends it', () => {
  const g = seated().do(control, { type: 'game.start' });
  assert.is(given(g.log).when(teamActor('us'), { type: 'phase.advance' }).error?.code, 'NOT_ALLOWED');
  assert.is(given(g.log).when(control, { type: 'seat.leave', playerId: 'p-us' }).error?.code, 'NOT_ALLOWED');
  assert.is(given(g.log).when(system, { type: 'tick' }).events.length, 0, 'a tick before the deadline is a no-op');
});

test.run();
