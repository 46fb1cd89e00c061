// The lobby's summary of a scenario: what the start page may show before a game exists, presets included, and
// nothing a team keeps to itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summarize } from '../../../server/lobby/scenario-summary.ts';
import { loadScenarioFile } from '../../../server/scenario-library.ts';

const flywheel = loadScenarioFile('scenarios/flywheel-2022.json');

test('the summary offers every preset with its rounds and clocks', () => {
  const s = summarize(flywheel);
  assert.is(s.presets.length, flywheel.presets?.length ?? 0);
  assert.ok(s.presets.length > 0, 'the Flywheel exercise ships presets');
  for (const [i, p] of s.presets.entries()) {
    const def = flywheel.presets![i];
    assert.equal([p.id, p.rounds, p.phases], [def.id, def.rounds, { ...def.phases }]);
  }
});

test('the summary carries no briefing, objective, action or designer note', () => {
  const text = JSON.stringify(summarize(flywheel));
  for (const t of flywheel.teams) {
    assert.not.ok(text.includes(JSON.stringify(t.privateBriefing ?? '').slice(1, 40)), `${t.id} briefing`);
  }
  for (const note of flywheel.designNotes ?? []) assert.not.ok(text.includes(note.slice(0, 40)), 'a designer note');
  for (const a of flywheel.actions.slice(0, 20)) assert.not.ok(text.includes(`"${a.id}"`), `action ${a.id}`);
});

test.run();
