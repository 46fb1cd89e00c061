// docs/export.md holds the codebook of every CSV table exactly as the code defines it, so the two cannot drift.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TABLES, codebook } from '../../../server/record/tables.ts';
import { scriptedGame } from '../../helpers/scripted-record.ts';

test('docs/export.md carries the codebook of every table and column', () => {
  const doc = readFileSync('docs/export.md', 'utf8');
  assert.ok(doc.includes(codebook()), 'regenerate the codebook section from server/record/tables.ts');
  for (const t of TABLES) for (const [name] of t.columns) assert.ok(doc.includes(`\`${name}\``), `${t.file}: ${name}`);
});

test('the codebook describes line ids as they are: opaque, not numbered', () => {
  const lines = TABLES.find((t) => t.file === 'lines.csv')!;
  const meaning = lines.columns.find(([name]) => name === 'line_id')![1];
  const ids = scriptedGame().state.reveals.flatMap((r) => r.lines.map((l) => l.id));
  assert.ok(ids.length > 0);
  assert.ok(
    ids.some((id) => !/^r\d+-\d+$/.test(id)),
    'ids are keyed, not numbered',
  );
  assert.not.match(meaning, /<n>/, 'no numbering promised');
  assert.match(meaning, /opaque/);
});

test.run();
