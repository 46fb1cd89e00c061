// Where a short code leads. A long code carries its game id; a short code does not, so each one has a tiny stream
// of its own in the same EventStore as the auth records, `<lookup>-joincode`, named by the stretched code (never
// the code itself). Its first event binds it to a game, written at version 0: a second game that drew the same code
// gets a VersionConflict instead of taking it over. Any process on any store finds it there.
//
// The stream says only which game to look in; whether the code still seats anyone is the game's auth record's call
// (so a rotated code's stream may stay behind, harmlessly). Recovery codes for the White Cell, minted by an
// operator, live wholly here: their expiry and their one use. A seminar's short code binds to its cohort, with the
// seminar's long join code sealed under the code's own stretched secret (which the store never holds).
import { CorruptLog, VersionConflict, type EventStore } from '../store/event-store.ts';
import { checkRecordEvents, type EventShapes, isNumber, isString, RecordDamage } from '../store/record-damage.ts';

export type ShortCodeEvent =
  | { type: 'ShortCodeBound'; gameId: string; at: number }
  | { type: 'RecoveryCodeIssued'; gameId: string; expiresAt: number; at: number }
  | { type: 'RecoveryCodeUsed'; playerId: string; at: number }
  | { type: 'SeminarCodeBound'; cohortId: string; sealedJoinCode: string; at: number };

export type ShortCodeEntry =
  | { kind: 'seat'; gameId: string }
  | { kind: 'recovery'; gameId: string; expiresAt: number; used: boolean }
  | { kind: 'seminar'; cohortId: string; sealedJoinCode: string };

export const shortCodeStreamId = (lookup: string) => `${lookup.slice(0, 40)}-joincode`;

/** What the index needs of each event (server/store/record-damage.ts). */
const SHORT_CODE_SHAPES: EventShapes<ShortCodeEvent['type']> = {
  ShortCodeBound: (e) => isString(e.gameId),
  RecoveryCodeIssued: (e) => isString(e.gameId) && isNumber(e.expiresAt),
  RecoveryCodeUsed: (e) => isString(e.playerId),
  SeminarCodeBound: (e) => isString(e.cohortId) && isString(e.sealedJoinCode),
};

/**
 * Where the code leads, from its stream; null for a code bound to nothing. The first event binds it; only a recovery
 * code has more (its one use). Anything else is damage, a RecordDamage naming the stream, not a code that leads
 * nowhere (which would spend the guess of everyone who holds the real one).
 */
export function foldShortCode(stream: string, events: readonly ShortCodeEvent[]): ShortCodeEntry | null {
  const [first, ...rest] = events;
  if (!first) return null;
  // Every event of this stream is one of the four; whichever binds it comes first (version 1), and only once.
  const binding = new Set(['ShortCodeBound', 'RecoveryCodeIssued', 'SeminarCodeBound']);
  checkRecordEvents(stream, events, 1, SHORT_CODE_SHAPES, null, events);
  for (const [i, e] of events.entries()) {
    const misplaced = i === 0 ? !binding.has(e.type) : first.type !== 'RecoveryCodeIssued' || binding.has(e.type);
    if (misplaced) throw new RecordDamage(stream, `event ${i + 1} (${e.type}) is out of place`, events);
  }
  if (first.type === 'ShortCodeBound') return { kind: 'seat', gameId: first.gameId };
  if (first.type === 'RecoveryCodeIssued')
    return { kind: 'recovery', gameId: first.gameId, expiresAt: first.expiresAt, used: rest.length > 0 };
  if (first.type === 'SeminarCodeBound')
    return { kind: 'seminar', cohortId: first.cohortId, sealedJoinCode: first.sealedJoinCode };
  return null;
}

export class ShortCodeIndex {
  constructor(private readonly store: EventStore) {}

  async find(lookup: string): Promise<ShortCodeEntry | null> {
    const stream = shortCodeStreamId(lookup);
    return foldShortCode(stream, (await this.store.load(stream)) as ShortCodeEvent[]);
  }

  /** Binds the code to the game; false if another game (or a recovery code) already holds it. */
  async bind(lookup: string, gameId: string, at: number): Promise<boolean> {
    return this.#claim(
      lookup,
      { type: 'ShortCodeBound', gameId, at },
      (e) => e?.kind === 'seat' && e.gameId === gameId,
    );
  }

  /** Binds a seminar's short code to its cohort; false if something else already holds the code. */
  async bindSeminar(lookup: string, cohortId: string, sealedJoinCode: string, at: number): Promise<boolean> {
    return this.#claim(
      lookup,
      { type: 'SeminarCodeBound', cohortId, sealedJoinCode, at },
      (e) => e?.kind === 'seminar' && e.cohortId === cohortId,
    );
  }

  /** Records a recovery code; false if the code is taken (draw another). */
  async issueRecovery(lookup: string, gameId: string, expiresAt: number, at: number): Promise<boolean> {
    return this.#claim(lookup, { type: 'RecoveryCodeIssued', gameId, expiresAt, at }, () => false);
  }

  /** Spends a recovery code; false if it was spent already (here or by another process). */
  async useRecovery(lookup: string, playerId: string, at: number): Promise<boolean> {
    try {
      await this.store.append(shortCodeStreamId(lookup), 1, [{ type: 'RecoveryCodeUsed', playerId, at }]);
      return true;
    } catch (err) {
      if (err instanceof VersionConflict) return false;
      throw err;
    }
  }

  async #claim(lookup: string, event: ShortCodeEvent, ours: (e: ShortCodeEntry | null) => boolean): Promise<boolean> {
    try {
      await this.store.append(shortCodeStreamId(lookup), 0, [event]);
      return true;
    } catch (err) {
      if (!(err instanceof VersionConflict)) throw err;
      // A retry of our own earlier write (its outcome was unknown) finds itself there: that is success. A damaged
      // record there (noted by the store's guard as it was read) is not ours either: the code is not used, as when
      // another game holds it (a game draws its next generation; a seminar's dashboard shows only its link).
      return ours(
        await this.find(lookup).catch((found: unknown) => {
          if (found instanceof CorruptLog) return null;
          throw found;
        }),
      );
    }
  }
}
