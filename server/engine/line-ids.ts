// Adjudication line ids. A team reads only some lines of a round; numbered ids (r1-1, r1-2, r1-4) would show by
// their gaps how many lines it cannot read, and where. So an id is a keyed hash of the line's place, under the
// game's seed (or, for a seed chosen by hand, which a seat might guess, its secret salt): unique, stable in the log,
// and telling nothing about the lines around it.
import { createHmac } from 'node:crypto';
import type { GameState } from './types.ts';

export function lineId(s: GameState, round: number, n: number): string {
  const h = createHmac('sha256', s.options.salt ?? s.options.seed)
    .update(`line:${round}:${n}`)
    .digest('base64url');
  return `r${round}-${h.slice(0, 10)}`;
}
