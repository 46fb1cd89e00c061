// Timings, read off an audience's own views as they changed: when each phase began and ended, and when each team
// locked its submission. Both are on every audience's board (the phase bar, the "submitted" marks), and reading
// them through the gate keeps a team's export to what that team saw.
import type { Audience, GameEvent } from '../engine/index.ts';
import { replayStep, walkViews, type ReplayStep } from './replay.ts';

export interface PhaseSpan {
  round: number;
  phase: string;
  start: number;
  end: number | null;
}

export interface Lock {
  round: number;
  team: string;
  at: number;
  /**
   * Seconds from the opening of the round's submission phase to the lock, less the time the game was paused in
   * between: the time the team had to decide (docs/export.md, locks.csv).
   */
  afterSeconds: number | null;
}

export interface Observed {
  steps: ReplayStep[];
  phases: PhaseSpan[];
  locks: Lock[];
}

/** The phase as the bar shows it: "paused" while paused, else the phase (of a state or of a view's game). */
const barPhase = (g: { paused: unknown; phase: string }): string => (g.paused ? 'paused' : g.phase);

export function observe(events: readonly GameEvent[], audience: Audience): Observed {
  const steps: ReplayStep[] = [];
  const phases: PhaseSpan[] = [];
  const locks: Lock[] = [];
  let locked = new Set<string>();
  // A fork's log opens with its own GameCreated (made now), then the parent's play with the parent's times, then
  // GameForked (docs/export.md, "Fork"). The fork had no lobby of its own, the copied spans keep the parent's times,
  // and the wait from the fork's making until its White Cell moves on is a span of its own, "forked", not a part
  // of the parent's last phase.
  const fork = events.some((e) => e.type === 'GameForked');
  let waiting: string | null = null;
  let lastAt = 0;
  // A repair's StateRestored stands for events that no longer read, and carries the time of the repair, later than
  // the events after it (docs/export.md, "A repaired log"): the phases they held are unknown. A span "restored" marks
  // the gap, from the last event before it to the first after it, and the phases go on from there.
  let restored = false;
  walkViews(
    events,
    audience,
    (version, s, view, at, e) => {
      steps.push(replayStep(audience, version, s, at, e));
      const open = phases[phases.length - 1];
      if (fork && e.type === 'GameCreated') return;
      if (e.type === 'StateRestored') {
        if (open && open.end === null) open.end = lastAt;
        phases.push({ round: s.round, phase: 'restored', start: lastAt, end: null });
        restored = true;
        return;
      }
      if (restored) {
        restored = false;
        open.end = at;
        phases.push({ round: s.round, phase: barPhase(s), start: at, end: null });
        lastAt = at;
        return;
      }
      if (e.type === 'GameForked') {
        if (open && open.end === null) open.end = lastAt;
        phases.push({ round: s.round, phase: 'forked', start: at, end: null });
        waiting = `${s.round}/${barPhase(s)}`;
        lastAt = at;
        return;
      }
      lastAt = at;
      const g = view.game;
      const phase = g ? barPhase(g) : null;
      if (!g || !phase) return;
      if (waiting === `${g.round}/${phase}`) return;
      waiting = null;
      if (!open || open.phase !== phase || open.round !== g.round) {
        if (open) open.end = at;
        phases.push({ round: g.round, phase, start: at, end: null });
      }
    },
    // Locks are read event by event: the last team's lock and the phase change it brings are one version, whose view
    // shows no marks any more (the end of submission clears them), yet every seat saw submission end on that lock.
    (view, at, s, e) => {
      if (!view.teams) return;
      const now = new Set(view.teams.filter((t) => t.submitted).map((t) => t.id));
      // A repair's restored state may show teams locked: when they locked is among the events it stands for, not the
      // time of the repair. They are taken as already locked.
      if (e.type === 'StateRestored') {
        locked = now;
        return;
      }
      const played = playedSince(phases, s.round, at);
      for (const t of now)
        if (!locked.has(t))
          locks.push({ round: s.round, team: t, at, afterSeconds: played === null ? null : Math.round(played / 1000) });
      // Outside the submission phase nobody's mark shows; a team that unlocked may lock again.
      locked = now;
    },
  );
  return { steps, phases, locks };
}

/**
 * Milliseconds of play from the opening of `round`'s submission phase to `at`, pauses left out; null outside it.
 * The phase as the bar shows it runs submission, paused, submission…: the spans back to the one that opened it.
 */
function playedSince(phases: readonly PhaseSpan[], round: number, at: number): number | null {
  let open = -1;
  for (let i = phases.length - 1; i >= 0; i--) {
    const p = phases[i];
    if (p.round !== round || (p.phase !== 'submission' && p.phase !== 'paused')) break;
    if (p.phase === 'submission') open = i;
  }
  if (open < 0) return null;
  let paused = 0;
  for (const p of phases.slice(open)) if (p.phase === 'paused') paused += (p.end ?? at) - p.start;
  return at - phases[open].start - paused;
}
