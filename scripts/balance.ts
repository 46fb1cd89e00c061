// npm run balance [-- --seeds N] [--rows a-b] [--chance] — the balance table of docs/balance.md: every row of the
// targets, through the simulator (server/sim). Deterministic: the same scenario and seeds give the same table.
import { readFileSync } from 'node:fs';
import { Scenario } from '../shared/scenario.ts';
import { compose } from '../server/sim/strategies.ts';
import { playGame } from '../server/sim/play.ts';
import { share, summarize } from '../server/sim/summary.ts';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const file = arg('scenario') ?? 'scenarios/flywheel-2022.json';
const scenario = Scenario.parse(JSON.parse(readFileSync(file, 'utf8')));
const seeds = Number(arg('seeds') ?? 1000);
const teams = scenario.teams.map((t) => t.id);

export const ROWS: { label: string; specs: string; rounds?: number }[] = [
  { label: 'perfect US–DPRK reciprocity, others random', specs: 'cooperative' },
  {
    label: '… China restrained, ROK and Japan supportive',
    specs: 'cooperative,prc:china-restrained,rok:rok-engagement,jpn:japan-support',
  },
  { label: '… China engaging heavily', specs: 'cooperative,prc:china-heavy' },
  { label: '… China restrained', specs: 'cooperative,prc:china-restrained' },
  { label: '… ROK engagement', specs: 'cooperative,rok:rok-engagement' },
  { label: '… ROK hawkish', specs: 'cooperative,rok:rok-hawkish' },
  { label: '… Japan supportive', specs: 'cooperative,jpn:japan-support' },
  { label: '… Japan brakes', specs: 'cooperative,jpn:japan-brake' },
  { label: 'reciprocity while the DPRK cheats covertly', specs: 'cooperative,dprk:cheat-while-trading' },
  { label: 'pocketing, US watchful (snapback, verification, intel)', specs: 'us:watchful,dprk:pocketing' },
  { label: 'pocketing, US trusting', specs: 'us:trusting,dprk:pocketing' },
  { label: 'no deals (both sides hawkish)', specs: 'us:hawkish,dprk:hawkish' },
  { label: 'random legal play', specs: 'random' },
  { label: 'five rounds: reciprocity, others random', specs: 'cooperative', rounds: 5 },
  {
    label: 'five rounds: reciprocity, capitals supportive',
    specs: 'cooperative,prc:china-restrained,rok:rok-engagement,jpn:japan-support',
    rounds: 5,
  },
];

const header = [
  `${scenario.id}: ${seeds} seeds per row`,
  '',
  '| situation | strategies | breakthrough | hollow | collapse | China capture | timeout | mean round | exposed |',
  '|---|---|---|---|---|---|---|---|---|',
];
// Rows are printed as they finish: a long run shows its progress and keeps what it has measured.
console.log(header.join('\n'));
// --rows a-b runs part of the table (1-based), so a long run can be split across processes.
const [from, to] = (arg('rows') ?? `1-${ROWS.length}`).split('-').map(Number);
for (const r of ROWS.slice(from - 1, to)) {
  const plan = compose(teams, r.specs.split(','));
  const rounds = r.rounds ?? scenario.rounds;
  const rs = Array.from({ length: seeds }, (_, i) => playGame(scenario, plan, i + 1, { rounds }));
  const s = summarize(rs, rounds);
  const p = (e: string) => `${(share(s, e) * 100).toFixed(1)}%`;
  console.log(
    `| ${r.label} | \`${r.specs}\` | ${p('breakthrough')} | ${p('hollow-deal')} | ${p('collapse')} ` +
      `| ${p('china-capture')} | ${p('timeout')} | ${s.meanRounds.toFixed(1)} ` +
      `| ${(s.exposedShare * 100).toFixed(0)}% |`,
  );
}

// Chance: the same strategies and the same choices (each team's own dice), but the engine's dice (exposure rolls,
// intelligence noise, free-form rulings) drawn from another seed. The share of games whose ending changes.
if (process.argv.includes('--chance')) {
  console.log('\n| strategies | games whose ending changes with the engine dice alone |\n|---|---|');
  for (const specs of ['cooperative', 'cooperative,dprk:cheat-while-trading', 'us:watchful,dprk:pocketing']) {
    const plan = compose(teams, specs.split(','));
    let changed = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const a = playGame(scenario, plan, seed);
      const b = playGame(scenario, plan, seed, { seed: `other-${seed}` });
      if (a.ending !== b.ending) changed++;
    }
    console.log(`| \`${specs}\` | ${((changed / seeds) * 100).toFixed(1)}% |`);
  }
}
