// Expected faults (storage down, a full disk, refused handshakes, rate limits) are conditions, not bugs: each is
// logged at warn when it starts, counted while it lasts (a reminder with the count at most once a minute), and
// summed up in one line when it ends. A bug still goes to error, with its stack, every time.
import type { Fields, Logger } from './log.ts';

interface Open {
  count: number;
  since: number;
  reported: number;
}

const REMIND_MS = 60_000;

export class FaultLog {
  readonly #log: Logger;
  readonly #now: () => number;
  readonly #open = new Map<string, Open>();

  constructor(log: Logger, now: () => number = Date.now) {
    this.#log = log;
    this.#now = now;
  }

  /** One more occurrence of `condition`: logged if it is the first, or if the last line is a minute old. */
  warn(condition: string, msg: string, fields: Fields = {}): void {
    const now = this.#now();
    const open = this.#open.get(condition);
    if (!open) {
      this.#open.set(condition, { count: 1, since: now, reported: now });
      this.#log.warn(msg, { condition, ...fields });
      return;
    }
    open.count += 1;
    if (now - open.reported >= REMIND_MS) {
      open.reported = now;
      this.#log.warn(`${msg} (continuing)`, { condition, count: open.count, sinceMs: now - open.since, ...fields });
    }
  }

  /** The condition is over: one line with how often it happened and for how long. */
  clear(condition: string, msg: string): void {
    const open = this.#open.get(condition);
    if (!open) return;
    this.#open.delete(condition);
    this.#log.warn(msg, { condition, count: open.count, ms: this.#now() - open.since });
  }

  active(condition: string): boolean {
    return this.#open.has(condition);
  }
}
