// The records beside the game logs (a game's sign-in record, a seminar's record, a short code's) are folded by their
// own modules, not by the engine. A line of one can read as JSON and still hold no event its fold knows (a bit flipped
// in a "type"), or an event without a field the fold needs: that is damage, as a line that does not read is, not a bug
// to answer INTERNAL nor an event to skip (skipping a seminar's StudentJoined lost a student without a word). Each fold
// checks its events here and throws a RecordDamage naming the stream, which /healthz lists, game:repair cuts, and the
// REST and socket answers word as the record's damage (server/http/errors.ts).
//
// The problem text reaches /healthz, which anyone may ask: it names the event's number and, when it is a known one,
// its type, and a fixed description; never a value read from the record.
import { CorruptLog } from './event-store.ts';

/** What a fold needs of each type of event: a check of its fields (the type itself is checked here). */
/** A check for each event type of a record; typed by the record's union, so a new event type cannot be forgotten. */
export type EventShapes<T extends string = string> = Record<T, (e: Record<string, unknown>) => boolean>;

export class RecordDamage extends CorruptLog {
  readonly #text: string | undefined;

  /**
   * `whole`: the record's every event, when the thrower read it whole. A token or code whose hash it nowhere holds
   * opens nothing in it, damaged or not, so its holder can be answered as for any other record (UNAUTHORIZED, BAD_CODE)
   * rather than told about this one. Read from a later version on, the record cannot say that: a seat issued before
   * the part read would be missed, and its player told they hold nothing.
   */
  constructor(stream: string, problem: string, whole?: readonly unknown[]) {
    super(problem, stream);
    this.name = 'RecordDamage';
    this.#text = whole ? JSON.stringify(whole) : undefined;
  }

  /** Whether the record holds this hash anywhere (in any event, damaged or not); undefined if it cannot tell. */
  mentions(hash: string): boolean | undefined {
    return this.#text === undefined ? undefined : this.#text.includes(JSON.stringify(hash));
  }
}

/**
 * Whether `err` is the damage of a record that shows a token or code (by its hash) to open nothing in it (see
 * RecordDamage.mentions). `stream` names the record the credential is for: another record's damage (a short code's,
 * met on the way) says nothing of it.
 */
export function opensNothing(err: unknown, hash: string, stream: string): boolean {
  return err instanceof RecordDamage && err.stream === stream && err.mentions(hash) === false;
}

export const isString = (v: unknown): v is string => typeof v === 'string';
export const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
export const isStringMap = (v: unknown): boolean => isObject(v) && Object.values(v).every(isString);

/**
 * Checks stored events of versions first, first + 1…: each of a type in `shapes` with the fields it needs, the one of
 * type `created` (if given) at version 1 and nowhere else. Throws a RecordDamage for the first that is not; `whole` as for it.
 */
export function checkRecordEvents(
  stream: string,
  events: readonly unknown[],
  first: number,
  shapes: EventShapes,
  created: string | null,
  whole?: readonly unknown[],
): void {
  for (const [i, e] of events.entries()) {
    const v = first + i;
    const damaged = (what: string) => new RecordDamage(stream, `event ${v} ${what}`, whole);
    if (!isObject(e)) throw damaged('is not an event');
    const type = e.type;
    if (!isString(type) || !Object.hasOwn(shapes, type)) throw damaged('is of no known type');
    if (created !== null && v === 1 && type !== created)
      throw damaged(`(${type}): the record does not begin with ${created}`);
    if (created !== null && v !== 1 && type === created) throw damaged(`(${type}): the record begins again`);
    if (!shapes[type](e)) throw damaged(`(${type}) lacks a field it needs`);
  }
}
