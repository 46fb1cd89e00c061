// The records in the store that are damaged: a game's log, its sign-in (auth) record, a seminar's record, a short
// code's. Damage does not pass by itself (unlike an outage): each is remembered until the process restarts (a repair
// is made with the server stopped, docs/operations.md "A damaged game"), logged at warn once, listed by /healthz and
// counted by flywheel_games_damaged. The store's guard (guarded-store.ts) notes every CorruptLog the store throws,
// whichever record it came from; Games also notes the logs whose events do not replay, which no store can tell.
import type { Logger } from '../log.ts';

/** What a damaged stream is, from its id (the store's names for them: auth-records.ts, cohort-records.ts...). */
export type DamagedRecord = 'game' | 'auth' | 'cohort' | 'joincode';

export interface DamageEntry {
  /** The game whose log (record 'game') or sign-in record ('auth') is damaged. */
  game?: string;
  /** The seminar whose record is damaged. */
  cohort?: string;
  record: DamagedRecord;
  /** The store's id of the record: what `npm run game:repair` is given. */
  stream: string;
  /** What is wrong, naming the file from the data directory on (never the server's own layout) or the event. */
  problem: string;
}

const SUFFIXES: [string, DamagedRecord][] = [
  ['-auth', 'auth'],
  ['-cohort', 'cohort'],
  ['-joincode', 'joincode'],
];

export function describeStream(stream: string): Omit<DamageEntry, 'problem'> {
  for (const [suffix, record] of SUFFIXES) {
    if (!stream.endsWith(suffix)) continue;
    const id = stream.slice(0, -suffix.length);
    if (record === 'auth') return { game: id, record, stream };
    if (record === 'cohort') return { cohort: id, record, stream };
    return { record, stream };
  }
  return { game: stream, record: 'game', stream };
}

const WHAT: Record<DamagedRecord, string> = {
  game: 'game damaged: its log cannot be read or does not replay',
  auth: "a game's sign-in record is damaged: its players cannot join or connect",
  cohort: "a seminar's record is damaged: its dashboard and student joins are refused",
  joincode: "a short join code's record is damaged: that code does not work",
};

export class DamageBook {
  readonly #log: Logger;
  readonly #problems = new Map<string, string>();

  constructor(log: Logger) {
    this.#log = log;
  }

  /** Notes a damaged stream; the first time, one warn line names it (retries must not flood the log). */
  mark(stream: string, problem: string): void {
    if (this.#problems.has(stream)) return;
    this.#problems.set(stream, problem);
    const entry = describeStream(stream);
    this.#log.warn(WHAT[entry.record], { ...entry, problem });
  }

  /** What is wrong with a stream, or undefined if it is not known to be damaged. */
  problem(stream: string): string | undefined {
    return this.#problems.get(stream);
  }

  get size(): number {
    return this.#problems.size;
  }

  list(): DamageEntry[] {
    return [...this.#problems].map(([stream, problem]) => ({ ...describeStream(stream), problem }));
  }
}
