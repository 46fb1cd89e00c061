// A short run of the fuzzer (npm run fuzz -- --n N runs long ones): malformed and well-formed commands, reads and
// REST calls to every route from every kind of seat, prototype-named ids included, crash nothing, answer no
// INTERNAL, and a refused command (or any read) never moves the log.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runFuzz } from '../../scripts/fuzz.ts';

test('600 fuzzed inputs: no crash, no INTERNAL, no refused command that changed state', async () => {
  const r = await runFuzz({ n: 600, seed: 7 });
  console.log(
    `  ${r.inputs} inputs (${r.wellFormed} well-formed, ${r.malformed} malformed, ${r.reads} reads and stray ` +
      `events, ${r.rest} REST over ${Object.keys(r.routes).length} routes)`,
  );
  assert.is(r.inputs, 600);
  assert.ok(r.wellFormed > 100 && r.malformed > 100 && r.rest > 60, 'both kinds, and REST');
  assert.ok(r.reads > 20, 'the socket reads and events the server does not know');
  // Every kind of route is reached, the seminar's and the record's included (they were not mounted before).
  for (const route of ['POST /join/preview', 'GET /games/:id/export', 'POST /games/:id/fork', 'GET /cohorts/:id'])
    assert.ok(r.routes[route], route);
  assert.ok(Object.keys(r.routes).length >= 25, `${Object.keys(r.routes).length} routes`);
  assert.ok((r.answers.ok ?? 0) > 0, 'some commands are accepted');
  assert.equal([r.crashes, r.internal, r.refusedButChanged], [0, 0, 0]);
});

test.run();
