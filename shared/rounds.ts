// What a round is called, from the scenario: a calendar (quarters, months or years from `start`) or a name with the
// round's number (`roundName`, for an exercise without dates). Shared so that the engine's views and the start
// page's help say the same thing.
import type { Scenario } from './scenario.ts';

type Naming = Pick<Scenario, 'start' | 'roundName'>;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The label of round `round` (1-based): "Q2 2022", "Mar 2031", "2040" or "Turn 3". */
export function roundLabel(s: Naming, round: number): string {
  if (round < 1) return 'Before the first round';
  if (s.roundName) return s.roundName.replaceAll('{n}', String(round));
  const start = s.start ?? { year: 1 };
  const step = round - 1;
  if (start.quarter !== undefined) {
    const q = start.quarter - 1 + step;
    return `Q${(q % 4) + 1} ${start.year + Math.floor(q / 4)}`;
  }
  if (start.month !== undefined) {
    const m = start.month - 1 + step;
    return `${MONTHS[m % 12]} ${start.year + Math.floor(m / 12)}`;
  }
  return String(start.year + step);
}

/** How long a round stands for, for the start page's help: null when the rounds are only numbered. */
export function roundSpan(s: Naming): string | null {
  if (s.roundName || !s.start) return null;
  if (s.start.quarter !== undefined) return 'one quarter of a year';
  if (s.start.month !== undefined) return 'one month';
  return 'one year';
}
