// npm run simulate -- --scenario <id> --strategy <name>[,<name>…] --seeds N [--from S] [--rounds R] [--out report.html]
// Plays whole games through the real engine with a strategy per team (server/sim), prints the ending distribution,
// mean rounds, meters and scores, and writes an HTML report with uPlot charts. Same seeds, same table.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Scenario } from '../shared/scenario.ts';
import { readConfig } from '../server/config.ts';
import { checkScenarioFile, formatProblems, loadScenarios } from '../server/scenario-library.ts';
import { LIBRARY, compose } from '../server/sim/strategies.ts';
import { playGame, type GameResult } from '../server/sim/play.ts';
import { summarize, type Summary } from '../server/sim/summary.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return undefined;
  const value = process.argv[i + 1];
  // "--seeds" last, or followed by another option: a value forgotten, not the default asked for.
  if (value === undefined || value.startsWith('--')) {
    console.error(`simulate: --${name} needs a value (npm run simulate -- --help)`);
    process.exit(2);
  }
  return value;
};
const USAGE = `usage: npm run simulate -- [options]
  --scenario <id|file.json>  a scenario id (default flywheel-2022) or a scenario file
  --strategy a,b,…           name (every team that has it) or team:name; teams not named play random
  --seeds N                  games to play (default 200)
  --from S                   the first game's seed (default 1): games are seeded S…S+N-1
  --rounds R                 rounds per game (default: the scenario's)
  --out file.html            also write a self-contained HTML report
  --list                     the strategy library
See docs/simulator.md.`;
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
if (process.argv.includes('--list')) {
  for (const s of [...LIBRARY].sort((a, b) => a.teams[0].localeCompare(b.teams[0])))
    console.log(`${s.teams.join(',').padEnd(5)} ${s.name.padEnd(20)} ${s.summary}`);
  console.log('*     random               random legal play (the default for every team not named)');
  process.exit(0);
}
function fail(message: string): never {
  console.error(`simulate: ${message}`);
  process.exit(2);
}

/**
 * `--scenario`: a scenario id, looked up as the server looks it up (scenarios/ and SCENARIO_DIR), or the path of a
 * scenario file. The file is checked as `npm run scenario:check` checks it.
 */
function loadScenario(given: string): Scenario {
  if (given.endsWith('.json') && existsSync(given)) {
    const checked = checkScenarioFile(given);
    if (!checked.ok) fail(formatProblems(given, checked.problems).join('\n'));
    return checked.scenario;
  }
  const library = loadScenarios(readConfig().scenarioDirs);
  const found = library.get(given.replace(/\.json$/, ''));
  if (!found) fail(`no scenario "${given}"; known: ${[...library.keys()].join(', ')} (or give a file path)`);
  return found;
}

/** A whole number of at least `min` given as `--name`, or `fallback`; anything else is refused. */
function count(name: string, fallback: number, min: number): number {
  const given = arg(name);
  if (given === undefined) return fallback;
  const n = Number(given);
  if (!/^\d+$/.test(given) || n < min || n > Number.MAX_SAFE_INTEGER)
    fail(`--${name} takes a whole number of at least ${min}, not "${given}"`);
  return n;
}

const scenario = loadScenario(arg('scenario') ?? 'flywheel-2022');
const specs = (arg('strategy') ?? 'random').split(',');
const seeds = count('seeds', 200, 1);
const first = count('from', 1, 0);
const rounds = count('rounds', scenario.rounds, 1);
const teamIds = scenario.teams.map((t) => t.id);
let plan: ReturnType<typeof compose>;
try {
  plan = compose(teamIds, specs);
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
}
// The strategy library is written for the Flywheel exercise's teams: say so when a named strategy seats none here.
// The summary counts the cheating of the wheel's second side (the DPRK in the Flywheel exercise).
const secondSide = scenario.teams.find((t) => t.id === scenario.rules.sides[1])?.short ?? scenario.rules.sides[1];
const cheatable = scenario.actions.some((a) => a.team === scenario.rules.sides[1] && a.exposure?.cheating);
const allRandom = compose(teamIds, ['random']);
const unplayed = specs.filter((spec) => {
  if (spec === 'random') return false;
  const alone = compose(teamIds, [spec]);
  return teamIds.every((t) => alone[t] === allRandom[t]);
});
if (unplayed.length)
  console.error(
    `simulate: ${unplayed.join(', ')} plays no team of ${scenario.id} (teams: ${teamIds.join(', ')}); ` +
      'those teams play random. The strategies are written for the Flywheel exercise (npm run simulate -- --list).',
  );

const results: GameResult[] = [];
const started = Date.now();
for (let played = 1; played <= seeds; played++) {
  results.push(playGame(scenario, plan, first + played - 1, { rounds }));
  if (process.stderr.isTTY && (played % 10 === 0 || played === seeds)) {
    const w = 30,
      done = Math.round((played / seeds) * w);
    process.stderr.write(`\r[${'#'.repeat(done)}${'.'.repeat(w - done)}] ${played}/${seeds}`);
  }
}
if (process.stderr.isTTY) process.stderr.write('\n');
const s = summarize(results, rounds);

const lines = [
  `${scenario.id}: ${Object.entries(plan)
    .map(([t, x]) => `${t}=${x.name}`)
    .join(' ')}; ${seeds} seeds${first === 1 ? '' : ` from ${first}`}, ${rounds} rounds`,
  '',
  'endings:',
  ...Object.entries(s.endings)
    .sort((a, b) => b[1] - a[1])
    .map(([e, n]) => `  ${e.padEnd(14)} ${String(n).padStart(6)}  ${((n / seeds) * 100).toFixed(1)}%`),
  // Measures of the Flywheel's own rules only where the exercise has them: cheating the second side can be caught
  // at, and relief that erodes.
  [
    `mean rounds played: ${s.meanRounds.toFixed(2)}`,
    `main pairs: ${s.meanMainPairs.toFixed(1)}`,
    cheatable
      ? `${secondSide} cheating exposed in ${(s.exposedShare * 100).toFixed(1)}% (cheated in ${(s.cheatedShare * 100).toFixed(1)}%)`
      : null,
    scenario.rules.wheel?.erosion ? `relief eroded in ${s.meanErodedRounds.toFixed(1)} rounds` : null,
  ]
    .filter((x) => x !== null)
    .join('; '),
  'mean meters at the end:',
  `  ${Object.entries(s.meanMeters)
    .map(([m, v]) => `${m} ${v.toFixed(0)}`)
    .join(', ')}`,
  'mean scores:',
  `  ${Object.entries(s.meanScores)
    .map(([t, x]) => `${t} ${x.total.toFixed(1)}/${x.max}`)
    .join(', ')}`,
];
console.log(lines.join('\n'));
// The time taken goes to stderr: the table and the report are then the same, byte for byte, for the same inputs.
console.error(`simulate: ${seeds} seeds in ${((Date.now() - started) / 1000).toFixed(1)} s`);

const out = arg('out');
if (out) {
  writeFileSync(out, html(s, lines.join('\n')));
  console.log(`report: ${out}`);
}

/** A self-contained page: uPlot's script and style inlined, one chart of mean meters by round, one of endings. */
function html(sum: Summary, text: string): string {
  const require = createRequire(import.meta.url);
  const js = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
  const css = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8');
  const meters = Object.keys(sum.meanHistory);
  const colors = ['#1f4e9c', '#b22222', '#c8a200', '#2e8b57', '#8a2be2', '#ff7f0e', '#17becf', '#7f7f7f'];
  const data = {
    x: sum.meanHistory[meters[0]].map((_, i) => i),
    meters,
    series: meters.map((m) => sum.meanHistory[m]),
  };
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">\
<title>Flywheel simulation: ${esc(scenario.id)}</title>
<style>${css} body{font-family:system-ui,sans-serif;margin:2rem;max-width:1000px} \
pre{background:#f4f4f4;padding:1rem}</style>
</head><body><h1>Simulation of ${esc(scenario.title)}</h1><pre>${esc(text)}</pre>
<h2>Mean meters at each round end</h2><div id="meters"></div>
<h2>Endings</h2><table>${Object.entries(sum.endings)
    .map(([e, n]) => `<tr><td>${esc(e)}</td><td>${n}</td><td>${((n / sum.games) * 100).toFixed(1)}%</td></tr>`)
    .join('')}</table>
<script>${js}</script>
<script>
const d = ${JSON.stringify(data)};
const colors = ${JSON.stringify(colors)};
new uPlot({ width: 960, height: 420, scales: { x: { time: false } }, axes: [{ label: 'round' }, { label: 'value' }],
  series: [{ label: 'round' }, \
...d.meters.map((m, i) => ({ label: m, stroke: colors[i % colors.length], width: 2 }))] },
  [d.x, ...d.series], document.getElementById('meters'));
</script></body></html>`;
}
