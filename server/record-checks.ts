// What the store's guard (server/store/guarded-store.ts) checks of each record it reads besides a game's log (which
// Games replays itself): a game's sign-in record, a seminar's record, a short code's. Their folds check their events
// too, but a RecordDamage thrown there passes no guard; checked as they are read, their damage is noted in the
// DamageBook (/healthz, the metric, one warn line) whichever caller read them, and found by the read of every
// sign-in and seminar record at start (server/main.ts).
import { checkCohortEvents, type CohortEvent, foldCohort } from './cohorts/cohort-records.ts';
import { type AuthEvent, checkAuthEvents, foldAuth } from './lobby/auth-records.ts';
import { foldShortCode, type ShortCodeEvent } from './lobby/short-code-index.ts';

export function checkStoredRecord(stream: string, events: readonly unknown[], first: number): void {
  // Read whole, a record is folded (its events must also agree: a seminar's name its students); read from a later
  // version on, only checked event by event (the fold needs the state before, which the reader has).
  if (stream.endsWith('-auth')) {
    if (first === 1) foldAuth(stream, events as AuthEvent[], null);
    else checkAuthEvents(stream, events, first);
  } else if (stream.endsWith('-cohort')) {
    if (first === 1) foldCohort(stream, events as CohortEvent[], null);
    else checkCohortEvents(stream, events, first);
  } else if (stream.endsWith('-joincode') && first === 1) foldShortCode(stream, events as ShortCodeEvent[]);
}
