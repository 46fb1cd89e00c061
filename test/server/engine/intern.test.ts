// Games of one scenario share a single copy of it, however they were loaded, without changing a byte of state.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fold, internState } from '../../../server/engine/index.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game } from '../../helpers/engine.ts';

test('two games replayed from their own parsed logs share one scenario object', () => {
  const a = new Game(mini, { seed: 1 }),
    b = new Game(mini, { seed: 2 });
  const fromDiskA = fold(JSON.parse(JSON.stringify(a.log)));
  const fromDiskB = fold(JSON.parse(JSON.stringify(b.log)));
  assert.ok(fromDiskA.scenario === fromDiskB.scenario);
  assert.is(JSON.stringify(fromDiskA), JSON.stringify(a.state));
});

test('a state read back from a snapshot is given the shared copy', () => {
  const g = new Game(mini);
  const restored = internState(JSON.parse(JSON.stringify(g.state)));
  assert.ok(restored.scenario === g.state.scenario);
  assert.is(JSON.stringify(restored), JSON.stringify(g.state));
});

test.run();
