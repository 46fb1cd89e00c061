// Adjudication line ids. A team reads only some lines of a round; numbered ids (r1-1, r1-2, r1-4) would show by
// their gaps how many lines it cannot read, and where. So an id is a keyed hash of the line's place: unique, stable in
// the log, and telling nothing about the lines around it. The key is a server secret of its own, which no team or
// observer is ever shown (the White Cell, which reads every line, finds it in its export): the seed and salt are
// revealed at the debrief, and ids keyed by them would then let any seat number the
// lines it read and count those it never did (games made before the key keep their ids keyed by salt or seed).
import { createHmac } from 'node:crypto';
import type { GameState } from './types.ts';

export function lineId(s: GameState, round: number, n: number): string {
  const h = createHmac('sha256', s.options.idKey ?? s.options.salt ?? s.options.seed)
    .update(`line:${round}:${n}`)
    .digest('base64url');
  return `r${round}-${h.slice(0, 10)}`;
}
