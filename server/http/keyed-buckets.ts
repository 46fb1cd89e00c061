// Token buckets by key (a client address, a seat): `burst` tokens refilled at `perMinute` a minute. Kept in memory
// per process, at most `maxKeys` of them (the least recently used go first), so that a flood of addresses cannot
// grow it without bound; a forgotten key starts again with a full bucket, which errs on the side of the client.
import { performance } from 'node:perf_hooks';

interface Bucket {
  tokens: number;
  at: number;
}

export class KeyedBuckets {
  readonly #buckets = new Map<string, Bucket>();

  constructor(
    readonly perMinute: number,
    readonly burst: number,
    readonly maxKeys = 100_000,
    readonly now: () => number = () => performance.now(),
  ) {}

  #bucket(key: string): Bucket {
    const t = this.now();
    let b = this.#buckets.get(key);
    if (b) {
      this.#buckets.delete(key);
      b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 60_000) * this.perMinute);
      b.at = t;
    } else {
      b = { tokens: this.burst, at: t };
      if (this.#buckets.size >= this.maxKeys) this.#buckets.delete(this.#buckets.keys().next().value as string);
    }
    this.#buckets.set(key, b);
    return b;
  }

  /** Takes a token if there is one. */
  take(key: string): boolean {
    const b = this.#bucket(key);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  /**
   * Takes `n` tokens if at least one is left, going into debt for the rest: a large request is let through on a
   * bucket that is not empty, and the key then waits until the debt is repaid.
   */
  spend(key: string, n: number): boolean {
    const b = this.#bucket(key);
    if (b.tokens < 1) return false;
    b.tokens -= n;
    return true;
  }

  /** Whether the key has no token left (without taking one). */
  empty(key: string): boolean {
    return this.#bucket(key).tokens < 1;
  }

  /** Whole seconds until the key has a token again. */
  retryAfter(key: string): number {
    const b = this.#bucket(key);
    return b.tokens >= 1 ? 0 : Math.ceil(((1 - b.tokens) / this.perMinute) * 60);
  }
}
