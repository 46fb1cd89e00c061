// Words and numbers as players read them.
import type { DraftView, GameView } from '../../shared/views.ts';

export { meterName, pct, round1, signed, teamName } from '../../shared/format.ts';

export const PHASES: Record<string, { name: string; hint: string }> = {
  lobby: { name: 'Waiting to start', hint: 'The White Cell starts the exercise when everyone is seated.' },
  briefing: { name: 'Briefing', hint: 'Read your briefing, objectives and fact cards.' },
  injects: { name: 'Injects', hint: 'New events arrive; the White Cell publishes this round’s injects.' },
  negotiation: { name: 'Negotiation', hint: 'Talk, propose and answer deals, and start drafting your moves.' },
  submission: { name: 'Submission', hint: 'Settle your moves and lock them before the clock runs out.' },
  adjudication: { name: 'Adjudication', hint: 'The White Cell is weighing this round’s moves.' },
  reveal: { name: 'Reveal', hint: 'What happened this round, and why.' },
  paused: { name: 'Paused', hint: 'The White Cell has paused the exercise.' },
  debrief: { name: 'Debrief', hint: 'The exercise is over: the record is open.' },
  ended: { name: 'Closed', hint: 'The exercise is closed.' },
};
export const phaseName = (p: string) => PHASES[p]?.name ?? p;

/**
 * The phase a paused game stands in (and will go back to), or the phase it is in: a pause during a reveal still
 * shows the reveal, on the board and on every console.
 */
export const underlyingPhase = (v: GameView): string => v.game.paused?.from ?? v.game.phase;

/** A draft with no move in it: nothing overt, nothing covert, no free-form. */
export const draftIsEmpty = (d: Pick<DraftView, 'overt' | 'covert' | 'freeform'>): boolean =>
  !d.overt.length && !d.covert.length && !d.freeform;

export const teamColor = (v: GameView, id: string | null | undefined) =>
  v.teams.find((x) => x.id === id)?.color ?? '#5b6470';

/** mm:ss, or h:mm:ss past an hour. */
export function clock(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h ? String(m).padStart(2, '0') : String(m);
  return `${h ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}

export const time = (at: number) => new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

export const DEAL_STATUS: Record<string, string> = {
  proposed: 'Proposed',
  accepted: 'In force',
  rejected: 'Rejected',
  withdrawn: 'Withdrawn',
  expired: 'Expired',
  fulfilled: 'Fulfilled',
  broken: 'Broken',
};
