// Words and numbers as players read them.
import type { GameView } from '../../shared/views.ts';

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

export function teamName(v: GameView, id: string | null | undefined, short = false): string {
  if (!id) return 'White Cell';
  if (id === 'control') return 'White Cell';
  const t = v.teams.find((x) => x.id === id);
  return t ? (short ? t.short : t.name) : id;
}
export const teamColor = (v: GameView, id: string | null | undefined) =>
  v.teams.find((x) => x.id === id)?.color ?? '#5b6470';
export const meterName = (v: GameView, id: string) => v.meters.find((m) => m.id === id)?.name ?? id;

export const signed = (n: number) => (n > 0 ? `+${round1(n)}` : `${round1(n)}`);
export const round1 = (n: number) => String(Math.round(n * 10) / 10);
export const pct = (p: number) => `${Math.round(p * 100)}%`;

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
