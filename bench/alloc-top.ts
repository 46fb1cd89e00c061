// Reads an allocation profile (bench/alloc-sample.mjs, written by `npm run bench` with BENCH_ALLOC=<dir>) and prints
// what allocated the bytes: in all, per command when given the commands the load sent, then by package or source
// folder, and the functions with the most allocated under them (inclusive) and by themselves (self).
//   npx tsx bench/alloc-top.ts <alloc-<pid>.heapprofile> [commands] [count]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}
const [file, commandsArg, countArg] = process.argv.slice(2);
if (!file) throw new Error('usage: bench/alloc-top.ts <file.heapprofile> [commands] [count]');
const commands = Number(commandsArg ?? Number.NaN);
const count = Number(countArg ?? 20);
const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: ProfileNode };

// Where a frame's code lives: a package (node_modules/<name>), a folder of this repository, or Node itself.
const place = (url: string) =>
  /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
  /\/(server|shared|bench)\/([^/]+\/)?/.exec(url)?.[0].slice(1, -1) ??
  (url.startsWith('node:') ? 'node' : '(V8)');
const frame = (n: ProfileNode) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^.*?\/(server|shared|bench)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const byPlace = new Map<string, number>();
let total = 0;
const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
function walk(n: ProfileNode, above: ReadonlySet<string>): number {
  const key = frame(n);
  total += n.selfSize;
  add(self, key, n.selfSize);
  add(byPlace, place(n.callFrame.url), n.selfSize);
  const inner = new Set(above).add(key);
  let sum = n.selfSize;
  for (const c of n.children) sum += walk(c, inner);
  if (!above.has(key)) add(inclusive, key, sum); // recursion counted once
  return sum;
}
walk(head, new Set());

const kb = (b: number) => `${(b / 1024).toFixed(0)} KB`;
const perCommand = Number.isFinite(commands) && commands > 0;
console.log(`allocated ${(total / 1e6).toFixed(1)} MB${perCommand ? `, ${kb(total / commands)} a command` : ''}`);
const show = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(
      `${((100 * v) / total).toFixed(1).padStart(5)}%  ${perCommand ? kb(v / commands).padStart(7) : ''}  ${k}`,
    );
};
show('by place (self)', byPlace, 15);
show('inclusive', inclusive, count);
show('self', self, count);
