// Reads a V8 CPU profile (node --cpu-prof, or BENCH_CPU_PROF with `npm run bench`) and prints where the time went:
// the functions with the most self time, and self time per package or source folder.
//   npx tsx bench/profile-top.ts <file.cpuprofile> [count] [from-to]
// With `from-to` (seconds since the profile began, e.g. 35-55), only that span counts: the load of a bench run,
// without its setup and shutdown. The span of the profile's commands is printed to choose it.
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
const file = process.argv[2];
if (!file) throw new Error('usage: bench/profile-top.ts <file.cpuprofile> [count]');
const count = Number(process.argv[3] ?? 25);
const [from, to] = (process.argv[4] ?? '0-Infinity').split('-').map((s) => Number(s) * 1e6);
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
let at = 0;
let commands: [number, number] | undefined;
for (const [i, id] of profile.samples.entries()) {
  at += profile.timeDeltas[i] ?? 0;
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
    if (byId.get(n)?.callFrame.functionName !== '#execute') continue;
    commands = [commands?.[0] ?? at, at];
    break;
  }
  if (at < from || at > to) continue;
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
if (commands)
  console.log(`commands run from ${(commands[0] / 1e6).toFixed(1)} s to ${(commands[1] / 1e6).toFixed(1)} s`);
// Shares are of busy time: an idle process is not a cost.
for (const n of profile.nodes) if (n.callFrame.functionName === '(idle)') self.delete(n.id);
const total = [...self.values()].reduce((a, b) => a + b, 0);

/** Where a function lives: a package under node_modules, a folder of this repository, or V8/Node itself. */
function place(url: string): string {
  if (!url) return '(native: system calls, GC)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node core';
  const own = /\/(server|shared|bench)\/(.*?)\/?[^/]*$/.exec(url);
  return own ? `${own[1]}/${own[2] || ''}`.replace(/\/$/, '') : url;
}

const byFn = new Map<string, number>();
const byPlace = new Map<string, number>();
for (const n of profile.nodes) {
  const t = self.get(n.id) ?? 0;
  if (!t) continue;
  const f = n.callFrame;
  const short = f.url.replace(/^.*\/(node_modules|wt\/[^/]+)\//, '');
  const key = `${f.functionName || '(anonymous)'} ${short ? `${short}:${f.lineNumber + 1}` : ''}`;
  byFn.set(key, (byFn.get(key) ?? 0) + t);
  byPlace.set(place(f.url), (byPlace.get(place(f.url)) ?? 0) + t);
}
const show = (m: Map<string, number>, n: number) => {
  for (const [k, t] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${((100 * t) / total).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`busy time sampled: ${(total / 1e6).toFixed(1)} s\n\nself time by place:`);
show(byPlace, 15);
console.log('\nself time by function:');
show(byFn, count);
