// Replay: any audience's view at any version of a game, rebuilt from the event log by the engine itself. Because
// the engine is deterministic, the view at version N is exactly what that audience was shown at version N.
import {
  SECTIONS,
  audienceKey,
  changedSections,
  evolve,
  fold,
  readableMessages,
  seqOf,
  viewFor,
  type Audience,
  type GameEvent,
  type GameState,
  type Seen,
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

/**
 * An audience's view as the record keeps it: the whole view with every line of its channels, where a live screen
 * starts from the latest lines of each and pages back (docs/protocol.md, "history").
 */
export function recordView(state: GameState, audience: Audience): GameView {
  const view = viewFor(state, audience);
  return {
    ...view,
    messages: readableMessages(state, audience),
    earlierMessages: Object.fromEntries(Object.keys(view.earlierMessages).map((ch) => [ch, 0])),
  };
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
 * Walks the log once, calling `visit` at each of the audience's versions, with the view's sections changed since the
 * last call, freshly built by the gate. Sections are compared as JSON, so a change the audience cannot see (another
 * team's draft, a secret deal) changes none.
 *
 * A step's `version` is the White Cell's log position (it sees every event; a step at each event that changed its
 * view), and for every other audience its own version, as its live socket numbered it: the server marks the last
 * event of each command that changed an audience's view (`seen`, server/games/audience-versions.ts), so a command of
 * several events (a phase advance, an approval) is one version, and its step is at the command's last event. A log
 * without those marks (written before the server made them) gets, for every audience, a step at each event that
 * changed its view, numbered 1, 2, 3…. `at` is the time of the event that changed this audience's view (or of the last
 * such event, when the changing event carries no time), never that of an event hidden from it. `logVersion` is the
 * log position, for folding.
 *
 * `passing`, if given, sees the sections each event changed for the audience, before they are gathered into a
 * version: a command of several events may show a thing only between them (the last team's lock, in the same command
 * as the phase change it causes, where the submitted marks are gone again).
 */
export function walkViews(
  events: readonly GameEvent[],
  audience: Audience,
  visit: (
    version: number,
    state: GameState,
    view: Partial<GameView>,
    at: number,
    event: GameEvent,
    logVersion: number,
  ) => void,
  passing?: (view: Partial<GameView>, at: number, state: GameState, event: GameEvent) => void,
): void {
  const control = audience.kind === 'control';
  const key = audienceKey(audience);
  const marked = !control && events.some((e) => Array.isArray((e as Seen).seen));
  let state: GameState | null = null;
  const last = new Map<string, string>();
  let at = 0;
  let steps = 0;
  let version = 0;
  // What changed since the last step: with marks, a version may gather several events' changes.
  let changed: Partial<Record<keyof GameView, unknown>> = {};
  events.forEach((e, i) => {
    const prev = state;
    state = evolve(state as GameState, e);
    if (control) at = eventTime(e) ?? at;
    const sections = prev ? changedSections(prev, state) : SECTIONS;
    const built = viewFor(state, audience, sections);
    let now = false;
    const passed: Partial<Record<keyof GameView, unknown>> = {};
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
      passed[k as keyof GameView] = v;
      now = true;
    }
    if (!control && now) at = eventTime(e) ?? at;
    if (passing && now) passing(passed as Partial<GameView>, at, state, e);
    if (marked ? seqOf(state, key) === version : !now) return;
    version = marked ? seqOf(state, key) : control ? i + 1 : ++steps;
    visit(version, state, changed as Partial<GameView>, at, e, i + 1);
    changed = {};
  });
}

/** A scrubber's step: where the game stood at one of the audience's versions (and, for the White Cell, what moved). */
export const replayStep = (
  audience: Audience,
  version: number,
  s: GameState,
  at: number,
  e: GameEvent,
): ReplayStep => ({
  version,
  round: s.round,
  phase: s.phase,
  at,
  ...(audience.kind === 'control' ? { event: e.type } : {}),
});

/** The scrubber's steps for an audience, and the log position of each (to fold to it). */
export function replayIndex(
  events: readonly GameEvent[],
  audience: Audience,
): { steps: ReplayStep[]; logVersions: number[] } {
  const steps: ReplayStep[] = [];
  const logVersions: number[] = [];
  walkViews(events, audience, (version, s, _view, at, e, logVersion) => {
    steps.push(replayStep(audience, version, s, at, e));
    logVersions.push(logVersion);
  });
  return { steps, logVersions };
}

/** The scrubber's steps for an audience: every version at which its view changed (see walkViews). */
export function replaySteps(events: readonly GameEvent[], audience: Audience): ReplayStep[] {
  return replayIndex(events, audience).steps;
}
