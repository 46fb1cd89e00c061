// Words and numbers as people read them, from a GameView: the browser's screens and the after-action report both
// print names, signed changes and percentages, and must print them the same way.
import type { GameView, LineView } from './views.ts';

/** A team's name; no id (or the White Cell's own) reads "White Cell". */
export function teamName(v: GameView, id: string | null | undefined, short = false): string {
  if (!id || id === 'control') return 'White Cell';
  const t = v.teams.find((x) => x.id === id);
  return t ? (short ? t.short : t.name) : id;
}

export const meterName = (v: GameView, id: string) => v.meters.find((m) => m.id === id)?.name ?? id;

export const round1 = (n: number) => String(Math.round(n * 10) / 10);
export const signed = (n: number) => (n > 0 ? `+${round1(n)}` : `${round1(n)}`);
export const pct = (p: number) => `${Math.round(p * 100)}%`;

/** What the dice alone said of a roll; its `success` differs where the White Cell ruled otherwise. */
export const diceSaid = (r: { chance: number; value: number }): boolean => r.value < r.chance;

/**
 * A roll as read: what was needed, what came, and what the dice said; where the White Cell ruled the outcome
 * otherwise (an exposure it ruled in or out), that is said too, so "rolled 74%" is never followed by a bare "yes".
 */
export function rollSaid(r: { chance: number; value: number; success: boolean }, yes = 'yes', no = 'no'): string {
  const dice = diceSaid(r);
  const said = `needed under ${pct(r.chance)}, rolled ${pct(r.value)}: ${dice ? yes : no}`;
  return dice === r.success ? said : `${said}; ruled ${r.success ? yes : no} by the White Cell`;
}

/** A line's amendments, less the one whose reasoning already is the line's "why" (a free-form ruling is both). */
export const amendmentsBeyondWhy = (l: LineView) => l.amendments.filter((a) => a.rationale !== l.why);

/**
 * Whether two names are one person's, as joining compares them: blanks around and capitals aside ("Dana", " dana "
 * and "DANA" are one). A game's seats, its engine and a seminar's students all use this one rule.
 */
export const sameName = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();
