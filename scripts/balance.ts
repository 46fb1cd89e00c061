// npm run balance [-- scenario.json] — plays each scripted strategy over 50 seeds and prints the outcome table
// that docs/balance.md records. Deterministic: the same scenario gives the same table.
import { readFileSync } from 'node:fs';
import { Scenario } from '../shared/scenario.ts';
import { simulate, type StrategyName, type SimResult } from '../server/sim/strategies.ts';

const file = process.argv[2] ?? 'scenarios/flywheel-2022.json';
const scenario = Scenario.parse(JSON.parse(readFileSync(file, 'utf8')));
const seeds = Array.from({ length: Number(process.env.SEEDS ?? 50) }, (_, i) => i + 1);
const strategies: StrategyName[] = ['no-deals', 'reciprocity', 'pocketing', 'china-heavy', 'china-restrained'];

export function table(results: Record<string, SimResult[]>) {
  const rows = [
    '| strategy | endings (count, mean round) | mean momentum / denuclearization / trust / tension / dependence | notes |',
    '|---|---|---|---|',
  ];
  for (const [name, rs] of Object.entries(results)) {
    const by = new Map<string, number[]>();
    for (const r of rs) by.set(r.ending, [...(by.get(r.ending) ?? []), r.endingRound]);
    const endings = [...by]
      .map(
        ([e, rounds]) =>
          `${e} ${rounds.length} (rounds ${Math.min(...rounds)}–${Math.max(...rounds)}, mean ${(rounds.reduce((a, b) => a + b, 0) / rounds.length).toFixed(1)})`,
      )
      .join(', ');
    const mean = (k: string) => (rs.reduce((n, r) => n + r.meters[k], 0) / rs.length).toFixed(0);
    let notes = '';
    if (name === 'pocketing') {
      const exposed = rs.filter((r) => r.roundsToExposure !== null && r.roundsToExposure <= 2).length;
      notes = `exposed within 3 rounds of first cheating: ${exposed}/${rs.length}; DPRK economy after round 2: +${(rs.reduce((n, r) => n + r.economyAfter2, 0) / rs.length).toFixed(1)}`;
    }
    if (name.startsWith('china'))
      notes = `DPRK economy per point of US relief: ${(
        rs.reduce((n, r) => n + r.reliefEconomy, 0) /
          Math.max(
            1,
            rs.reduce((n, r) => n + r.reliefPoints, 0),
          )
      ).toFixed(2)}`;
    rows.push(
      `| ${name} | ${endings} | ${['momentum', 'denuclearization', 'trust', 'tension', 'dependence'].map(mean).join(' / ')} | ${notes} |`,
    );
  }
  return rows.join('\n');
}

const results: Record<string, SimResult[]> = {};
for (const s of strategies) results[s] = seeds.map((seed) => simulate(scenario, s, seed));
console.log(`${scenario.id}: ${seeds.length} seeds per strategy\n`);
console.log(table(results));
