// A short run of the fuzzer (npm run fuzz -- --n N runs long ones): malformed and well-formed commands and REST
// calls from every kind of seat, prototype-named ids included, crash nothing, answer no INTERNAL, and a refused
// command never moves the log.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runFuzz } from '../../scripts/fuzz.ts';

test('600 fuzzed inputs: no crash, no INTERNAL, no refused command that changed state', async () => {
  const r = await runFuzz({ n: 600, seed: 7 });
  console.log(`  ${r.inputs} inputs (${r.wellFormed} well-formed, ${r.malformed} malformed, ${r.rest} REST)`);
  assert.is(r.inputs, 600);
  assert.ok(r.wellFormed > 100 && r.malformed > 100 && r.rest > 20, 'both kinds, and REST');
  assert.ok((r.answers.ok ?? 0) > 0, 'some commands are accepted');
  assert.equal([r.crashes, r.internal, r.refusedButChanged], [0, 0, 0]);
});

test.run();
