// Checks every roll of a finished game against its revealed seed: the seed must hash to the commitment published
// at the start, and each roll stored in the log must be the draw the seed gives at that point, in order. Intel
// estimates are checked too, since their noise is a draw. Used by `npm run verify-dice` and the tests.
import { diceOf, diceCommitment, type DiceScheme } from './dice.ts';
import { evolve } from './evolve.ts';
import type { GameEvent, GameState } from './types.ts';

export interface DiceReport {
  ok: boolean;
  scheme: DiceScheme;
  commitment: string;
  /** Rolls recomputed and found equal. */
  rolls: number;
  /** In a fork: rolls of the parent's play copied into its log, not checked here (the parent's export checks them). */
  fromParent: number;
  /**
   * Repairs in the log (StateRestored): each stands for events that no longer read, whose rolls cannot be checked.
   * The dice are checked again from the state it restored.
   */
  restored: number;
  problems: string[];
}

/** The log's dice secret is still withheld: the game has not reached its debrief, or the export predates it. */
export class NotRevealedYet extends Error {
  constructor() {
    super(
      "the dice seed is not revealed yet: it is withheld until the game's debrief. Export the White Cell's record once the game is over, and check that",
    );
  }
}

export function verifyDice(events: readonly GameEvent[]): DiceReport {
  const first = events[0];
  if (first?.type !== 'GameCreated') throw new Error('not a game log: the first event is not GameCreated');
  const options = first.options;
  // An export taken before the debrief withholds the secret ('' in place of the seed, or of a chosen seed's salt):
  // there is nothing to check yet, which is not the same as a mismatch.
  if (options.salt === '' || (options.seed === '' && options.salt === undefined)) throw new NotRevealedYet();
  const scheme = options.dice ?? 'mulberry32';
  const commitment = options.commitment ?? diceCommitment(options.seed);
  const problems: string[] = [];
  if (diceCommitment(options.seed, options.salt) !== commitment)
    problems.push('the seed does not hash to the commitment');
  let s: GameState | null = null;
  let rolls = 0;
  let fromParent = 0;
  let restored = 0;
  // A fork's log copies its parent's play up to GameForked: those rolls are the parent's, made with the parent's
  // seed, and are checked against the parent's export. The fork's own dice start at GameForked.
  const forked = events.findIndex((e) => e.type === 'GameForked');
  events.forEach((e, i) => {
    const at = `event ${i + 1} (${e.type})`;
    const prev: GameState | null = s;
    s = evolve(s as unknown as GameState, e);
    if (!prev) return;
    if (e.type === 'StateRestored') restored++;
    if (i < forked) {
      fromParent +=
        e.type === 'AdjudicationProposed'
          ? e.lines.filter((l) => l.roll).length
          : e.type === 'FreeformRuled' || e.type === 'IntelDelivered'
            ? 1
            : 0;
      return;
    }
    const drawn: number[] = [];
    const dice = diceOf(options, prev.rng);
    const draw = () => {
      const v = dice.next();
      drawn.push(v);
      return v;
    };
    if (e.type === 'AdjudicationProposed') {
      for (const l of e.lines) {
        if (!l.roll) continue;
        const v = draw();
        if (v !== l.roll.value) problems.push(`${at}: line ${l.id} rolled ${l.roll.value}, the seed gives ${v}`);
        else if (l.roll.success !== v < l.roll.chance) problems.push(`${at}: line ${l.id} success does not match`);
        else rolls++;
      }
    } else if (e.type === 'FreeformRuled') {
      const v = draw();
      if (!e.line.roll || e.line.roll.value !== v)
        problems.push(`${at}: free-form ${e.line.id} rolled ${e.line.roll?.value}, the seed gives ${v}`);
      else rolls++;
    } else if (e.type === 'IntelDelivered') {
      const v = draw();
      const expected = intelEstimate(prev, e.report.team, e.report.meter, v);
      if (expected === null || expected !== e.report.estimate)
        problems.push(`${at}: estimate ${e.report.estimate} for ${e.report.team}, the seed gives ${expected}`);
      else rolls++;
    } else return;
    if (dice.state !== e.rng) problems.push(`${at}: the dice stand at ${e.rng}, the seed gives ${dice.state}`);
  });
  return { ok: problems.length === 0, scheme, commitment, rolls, fromParent, restored, problems };
}

/** The estimate an intelligence report gives for a draw, by the rule in decide.ts (enterRound). */
function intelEstimate(s: GameState, team: string, meter: string | null, u: number): number | null {
  const spec = s.scenario.rules.intel.find((x) => x.team === team && x.meter === meter);
  if (!spec) return null;
  const noise = Math.max(
    spec.minNoise,
    spec.noise - spec.tighten.reduce((sum, t) => sum + (s.meters[t.meter] ?? 0) * t.per, 0),
  );
  const truth = s.meters[spec.meter] ?? 0;
  return Math.max(0, Math.min(100, Math.round(truth + (u * 2 - 1) * noise)));
}
