// Every type of event the engine folds, known at run time. A log line can read as JSON and still not be an event
// (a bit flipped in a "type"): Games checks the events a snapshot stands for against this list when it loads a game,
// where folding them all again would cost what the snapshot is there to save.
import type { GameEvent } from './types.ts';

const EVENT_TYPES: Record<GameEvent['type'], true> = {
  GameCreated: true,
  SeatTaken: true,
  SeatLeft: true,
  PlayerRenamed: true,
  PlayerReseated: true,
  PhaseChanged: true,
  Paused: true,
  PausedClockSet: true,
  Resumed: true,
  DeadlineSet: true,
  InjectsQueued: true,
  InjectPublished: true,
  InjectSkipped: true,
  InjectUnskipped: true,
  InjectEdited: true,
  InjectAdded: true,
  IntelDelivered: true,
  MessagePosted: true,
  DealProposed: true,
  DealAccepted: true,
  DealRejected: true,
  DealWithdrawn: true,
  DraftSet: true,
  DraftLocked: true,
  DraftUnlocked: true,
  AdjudicationProposed: true,
  LineAmended: true,
  AdjudicationRevised: true,
  EstimateGiven: true,
  FreeformRuled: true,
  AdjudicationApproved: true,
  GameEnded: true,
  PlayedOn: true,
  GameForked: true,
  NoteAdded: true,
  NoteShared: true,
  HotwashRecorded: true,
  HotwashRemoved: true,
  FormSent: true,
  FormAnswered: true,
  StateRestored: true,
};

/** Whether a stored value is an event of a type the engine knows (by its type: not a full validation). */
export function isKnownEvent(value: unknown): value is GameEvent {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const type = (value as { type?: unknown }).type;
  return typeof type === 'string' && Object.hasOwn(EVENT_TYPES, type);
}

/**
 * Why a stored value is not an event the engine knows, or null if it is one (by its type: not a full validation).
 * A fixed text, never the value's own: the problem reaches /healthz, which anyone may ask, and a damaged line can hold
 * anything (a chat line's text among it).
 */
export function eventProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an event';
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string') return 'an event without a type';
  return isKnownEvent(value) ? null : 'an event of no known type';
}
