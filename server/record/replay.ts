// Replay: any audience's view at any version of a game, rebuilt from the event log by the engine itself. Because
// the engine is deterministic, the view at version N is exactly what that audience was shown at version N.
import {
  SECTIONS,
  changedSections,
  evolve,
  fold,
  viewFor,
  type Audience,
  type GameEvent,
  type GameState,
} from '../engine/index.ts';
import type { GameView } from '../../shared/views.ts';

/** One point of the scrubber: a version at which this audience's view changed. */
export interface ReplayStep {
  version: number;
  round: number;
  phase: string;
  /** When it happened, as far as the log tells (the last timestamped event up to here). */
  at: number;
  /** What happened: the event's type, for the White Cell only (a team's scrubber must not hint at hidden moves). */
  event?: string;
}

/** The state after the first `version` events (1 = just created). */
export function stateAt(events: readonly GameEvent[], version: number): GameState {
  if (!Number.isInteger(version) || version < 1 || version > events.length)
    throw new RangeError(`version must be between 1 and ${events.length}`);
  return fold(events.slice(0, version));
}

export function viewAt(events: readonly GameEvent[], version: number, audience: Audience): GameView {
  return viewFor(stateAt(events, version), audience);
}

/** The time an event carries, if any. */
export function eventTime(e: GameEvent): number | null {
  if ('at' in e && typeof e.at === 'number') return e.at;
  if (e.type === 'SeatTaken') return e.player.joinedAt;
  if (e.type === 'MessagePosted') return e.message.at;
  if (e.type === 'DealProposed') return e.deal.at;
  if (e.type === 'NoteAdded') return e.note.at;
  if (e.type === 'HotwashRecorded') return e.item.at;
  return null;
}

/**
 * Walks the log once, calling `visit` with each version at which the audience's view changed (and the view's
 * changed sections, freshly built by the gate). Sections are compared as JSON, so a change the audience cannot
 * see (another team's draft, a secret deal) makes no step.
 */
export function walkViews(
  events: readonly GameEvent[],
  audience: Audience,
  visit: (version: number, state: GameState, view: Partial<GameView>, at: number, event: GameEvent) => void,
): void {
  let state: GameState | null = null;
  const last = new Map<string, string>();
  let at = 0;
  events.forEach((e, i) => {
    const prev = state;
    state = evolve(state as GameState, e);
    at = eventTime(e) ?? at;
    const sections = prev ? changedSections(prev, state) : SECTIONS;
    const built = viewFor(state, audience, sections);
    const changed: Partial<Record<keyof GameView, unknown>> = {};
    let any = false;
    for (const [k, v] of Object.entries(built)) {
      // Chat only grows (and is never edited), so its length and last id tell whether it changed; serializing the
      // whole history at every message would make a talkative game's walk quadratic.
      const json =
        k === 'messages'
          ? `${(v as GameView['messages']).length}/${(v as GameView['messages']).at(-1)?.id ?? ''}`
          : JSON.stringify(v);
      if (last.get(k) === json) continue;
      last.set(k, json);
      changed[k as keyof GameView] = v;
      any = true;
    }
    if (any) visit(i + 1, state, changed as Partial<GameView>, at, e);
  });
}

/** The scrubber's steps for an audience: every version at which its view changed. */
export function replaySteps(events: readonly GameEvent[], audience: Audience): ReplayStep[] {
  const steps: ReplayStep[] = [];
  walkViews(events, audience, (version, s, _view, at, e) => {
    steps.push({
      version,
      round: s.round,
      phase: s.phase,
      at,
      ...(audience.kind === 'control' ? { event: e.type } : {}),
    });
  });
  return steps;
}
