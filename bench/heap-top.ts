// Sums up a V8 heap snapshot (BENCH_HEAP=<dir> npm run bench, then npx tsx bench/heap-top.ts <file> [games]): the
// self size of every object grouped by its constructor or kind, largest first, and per game when the number of
// games is given. Self sizes only (no retainers): enough to see which kinds of object a game's memory is made of.
import { readFileSync } from 'node:fs';

const [file, gamesArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx bench/heap-top.ts <file.heapsnapshot> [games]');
  process.exit(2);
}
const games = Number(gamesArg ?? 0);
const snap = JSON.parse(readFileSync(file, 'utf8')) as {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
};
const fields = snap.snapshot.meta.node_fields;
const types = snap.snapshot.meta.node_types[0];
const width = fields.length;
const at = { type: fields.indexOf('type'), name: fields.indexOf('name'), size: fields.indexOf('self_size') };
const groups = new Map<string, { size: number; count: number }>();
let total = 0;
for (let i = 0; i < snap.nodes.length; i += width) {
  const type = types[snap.nodes[i + at.type]];
  const size = snap.nodes[i + at.size];
  // Objects by constructor; strings, arrays, code and the rest by kind (a string's name is its text).
  const name = type === 'object' || type === 'closure' ? `${type} ${snap.strings[snap.nodes[i + at.name]]}` : type;
  const g = groups.get(name) ?? { size: 0, count: 0 };
  g.size += size;
  g.count++;
  groups.set(name, g);
  total += size;
}
const kb = (n: number) => (n / 1024).toFixed(0).padStart(8);
console.log(`heap: ${(total / 1048576).toFixed(1)} MB in ${groups.size} kinds${games ? `, ${games} games` : ''}`);
console.log(`${'KB'.padStart(8)} ${games ? `${'KB/game'.padStart(8)} ` : ''}${'count'.padStart(9)}  kind`);
for (const [name, g] of [...groups].sort((a, b) => b[1].size - a[1].size).slice(0, 40))
  console.log(
    `${kb(g.size)} ${games ? `${(g.size / 1024 / games).toFixed(1).padStart(8)} ` : ''}${String(g.count).padStart(9)}  ${name}`,
  );
