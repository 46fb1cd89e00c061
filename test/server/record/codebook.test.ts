// docs/export.md holds the codebook of every CSV table exactly as the code defines it, so the two cannot drift.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TABLES, codebook } from '../../../server/record/tables.ts';

test('docs/export.md carries the codebook of every table and column', () => {
  const doc = readFileSync('docs/export.md', 'utf8');
  assert.ok(doc.includes(codebook()), 'regenerate the codebook section from server/record/tables.ts');
  for (const t of TABLES) for (const [name] of t.columns) assert.ok(doc.includes(`\`${name}\``), `${t.file}: ${name}`);
});

test.run();
