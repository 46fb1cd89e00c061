// The debrief scores what each side set in motion: effects still under way when the game ends (a step verified a
// round later) count as landed for the objectives, and the debrief names them; the board's meters and the ending
// are left as they were.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Scenario } from '../../../shared/scenario.ts';
import { Game, control } from '../../helpers/engine.ts';
import { holds, objectivesOf, scores, viewFor, type GameState } from '../../../server/engine/index.ts';

const flywheel = Scenario.parse(
  JSON.parse(readFileSync(new URL('../../../scenarios/flywheel-2022.json', import.meta.url), 'utf8')),
);

/** One team's objectives and total as the debrief scores them. */
function scoreOf(s: GameState, team: string) {
  const { team: _team, ...score } = scores(s).find((x) => x.team === team)!;
  return score;
}

function endedWithStepUnderWay(): GameState {
  const g = new Game(flywheel);
  g.seatAll(['us', 'dprk', 'prc', 'rok', 'jpn']);
  g.do(control, { type: 'game.start' });
  const s = g.state;
  return {
    ...s,
    phase: 'debrief',
    round: s.options.rounds,
    meters: { ...s.meters, denuclearization: 57 },
    ending: { id: 'timeout', name: 'Time runs out', round: s.options.rounds, debrief: '' } as GameState['ending'],
    delayed: [
      {
        dueRound: s.options.rounds + 1,
        team: 'dprk',
        actionId: 'dprk-yongbyon-freeze',
        meter: 'denuclearization',
        delta: 5,
        visibleTo: 'all',
      },
    ],
  };
}

test('an effect still under way at the end counts for the objectives, not for the board', () => {
  const s = endedWithStepUnderWay();
  const objective = objectivesOf(s, 'us').find((o) => o.id === 'us-denuclearization')!;
  assert.not.ok(holds(objective.condition, s), 'on the board, denuclearization is short of 60');
  assert.ok(scoreOf(s, 'us').objectives.find((o) => o.id === 'us-denuclearization')!.achieved, 'scored as landed');
  const debrief = viewFor(s, { kind: 'team', team: 'prc' }).debrief!;
  assert.equal(debrief.underWay, [{ meter: 'denuclearization', delta: 5 }]);
  assert.equal(
    debrief.scores.find((x) => x.team === 'us'),
    { team: 'us', ...scoreOf(s, 'us') },
  );
  assert.is(viewFor(s, { kind: 'observer' }).meters.find((m) => m.id === 'denuclearization')!.value, 57);
});

test('with nothing under way the scores are those of the board', () => {
  const s = { ...endedWithStepUnderWay(), delayed: [] };
  for (const t of flywheel.teams)
    for (const o of scoreOf(s, t.id).objectives)
      assert.is(o.achieved, holds(objectivesOf(s, t.id).find((x) => x.id === o.id)!.condition, s), o.id);
  assert.equal(viewFor(s, { kind: 'control' }).debrief!.underWay, []);
});

test.run();
