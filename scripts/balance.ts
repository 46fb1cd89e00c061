// npm run balance [-- --seeds N] — the balance table of docs/balance.md: every row of the targets, through the
// simulator (server/sim). Deterministic: the same scenario and seeds give the same table.
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
const shorter = scenario.presets?.find((p) => p.rounds < scenario.rounds)?.rounds ?? scenario.rounds;

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
  {
    label: `shorter preset (${shorter} rounds), one pair a round`,
    specs: 'one-pair,jpn:japan-support',
    rounds: shorter,
  },
];

const out = [
  `${scenario.id}: ${seeds} seeds per row`,
  '',
  '| situation | strategies | breakthrough | hollow | collapse | China capture | timeout | mean round | exposed |',
  '|---|---|---|---|---|---|---|---|---|',
];
for (const r of ROWS) {
  const plan = compose(teams, r.specs.split(','));
  const rounds = r.rounds ?? scenario.rounds;
  const rs = Array.from({ length: seeds }, (_, i) => playGame(scenario, plan, i + 1, { rounds }));
  const s = summarize(rs, rounds);
  const p = (e: string) => `${(share(s, e) * 100).toFixed(1)}%`;
  out.push(
    `| ${r.label} | \`${r.specs}\` | ${p('breakthrough')} | ${p('hollow-deal')} | ${p('collapse')} | ${p('china-capture')} | ${p('timeout')} | ${s.meanRounds.toFixed(1)} | ${(s.exposedShare * 100).toFixed(0)}% |`,
  );
  process.stderr.write(`${r.label}\n`);
}
console.log(out.join('\n'));
