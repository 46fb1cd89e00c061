// The wire's actions are built on their own (every phase change rebuilds them for every audience): they must be
// exactly the whole projection's actions cut to what changes, for every audience, in any state a game can reach.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { audienceKey, audiences, Dice, viewFor, wireView } from '../../../server/engine/index.ts';
import { Scenario } from '../../../shared/scenario.ts';
import type { ActionState, ActionView } from '../../../shared/views.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { control, Game, teamActor } from '../../helpers/engine.ts';
import { randomStep } from '../../helpers/random-play.ts';

/** What the wire keeps of an action of the whole projection: what changes during a game. */
const actionState = (x: ActionView): ActionState => ({
  id: x.id,
  open: x.open,
  ...(x.lockReason !== null ? { lockReason: x.lockReason } : {}),
  ...(x.exposure ? { exposure: { chance: x.exposure.chance, ...(x.exposure.partial ? { partial: true } : {}) } } : {}),
});

const flywheel = Scenario.parse(JSON.parse(readFileSync('scenarios/flywheel-2022.json', 'utf8')));

for (const scenario of [mini, flywheel])
  test(`${scenario.id}: the wire's actions are the projection's, cut to what changes, for every audience`, () => {
    let locked = 0;
    let exposed = 0;
    for (const seed of [2, 31, 808]) {
      const g = new Game(scenario, { seed });
      g.seatAll(scenario.teams.map((t) => t.id));
      const d = new Dice(seed);
      for (let i = 0; i < 250; i++) {
        const step = randomStep(g.state, d);
        g.advance(step.advanceMs);
        if (g.try(step.actor, step.command) || i % 5) continue;
        for (const a of audiences(g.state)) {
          const wire = wireView(g.state, a, ['actions']).actions ?? [];
          assert.equal(
            wire,
            viewFor(g.state, a).actions.map(actionState),
            `${scenario.id} seed ${seed} step ${i}: ${audienceKey(a)}`,
          );
          locked += wire.filter((x) => !x.open).length;
          exposed += wire.filter((x) => x.exposure).length;
        }
      }
    }
    assert.ok(locked > 0 && exposed > 0, `closed actions (${locked}) and exposures (${exposed}) were compared`);
  });

test('a draft sealed unlocked when submissions close says it was taken as it stood; a locked one does not', () => {
  const g = new Game(mini, { seed: 5 }).seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' });
  while (g.state.phase !== 'submission') g.do(control, { type: 'phase.advance' });
  const usAction = mini.actions.find((a) => a.team === 'us' && !a.covert)!.id;
  g.do(teamActor('us'), { type: 'draft.set', overt: [usAction], covert: [], freeform: null });
  g.do(teamActor('dprk'), { type: 'draft.lock' });
  const draft = (team: string) => viewFor(g.state, { kind: 'team', team }).me!.draft;
  assert.is(draft('us').taken, undefined, 'not while submission is open');
  g.do(control, { type: 'phase.advance' }); // submissions close: adjudication
  assert.is(g.state.phase, 'adjudication');
  assert.equal([draft('us').locked, draft('us').taken], [true, true]);
  assert.equal(draft('us').overt, [usAction], 'the moves taken are the draft as it stood');
  assert.equal([draft('dprk').locked, draft('dprk').taken], [true, undefined], 'the team that locked');
});

test.run();
