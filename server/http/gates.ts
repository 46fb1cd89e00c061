// The gates every route that creates games or takes a code passes, shared so that no route is a way around them:
// a game and a seminar's cells are created under the same organizer key and the same per-address budget, and a
// wrong game code and a wrong cohort code spend from the same budget of guesses (docs/operations.md, "Limits").
import type { Request } from 'express';
import type { Limits } from '../config.ts';
import { AppError } from '../games/app-error.ts';
import type { Logger } from '../log.ts';
import { KeyedQueue } from '../games/keyed-queue.ts';
import { bearer, sameSecret } from './bearer.ts';
import { KeyedBuckets } from './keyed-buckets.ts';

type Headers = { set(k: string, v: string): unknown };

export class Gates {
  readonly #creations: KeyedBuckets;
  readonly #wrongCodes: KeyedBuckets;
  /**
   * One code check at a time per address: the budget is read before a check and paid after it, so checks run side
   * by side all read it full (600 wrong guesses sent at once all got BAD_CODE, none 429). Queued, each reads what the
   * one before it left. A classroom behind one address waits a moment longer; its right codes are never refused.
   */
  readonly #checks = new KeyedQueue();

  constructor(
    private readonly limits: Limits,
    private readonly log: Logger,
  ) {
    this.#creations = new KeyedBuckets(limits.createRate, limits.createRate);
    this.#wrongCodes = new KeyedBuckets(limits.joinFailures, limits.joinFailures);
  }

  refuse(req: Request, status: number, code: string, message: string): AppError {
    this.log.warn('request refused', { ip: req.ip, method: req.method, path: req.path, status, code });
    return new AppError(status, code, message);
  }

  #tooMany(req: Request, res: Headers, buckets: KeyedBuckets): AppError {
    res.set('Retry-After', String(Math.max(1, buckets.retryAfter(req.ip ?? ''))));
    return this.refuse(req, 429, 'TOO_MANY_REQUESTS', 'Too many requests from your address; try again later');
  }

  /**
   * Lets a creation of `games` games through, or throws: the organizer key when the server sets one, then the
   * address's budget. A seminar of many cells goes through on a budget that is not empty and leaves it that much
   * in debt, so one request cannot make forty games and then as many again.
   */
  create(req: Request, res: Headers, games = 1): void {
    const key = this.limits.createKey;
    if (key) {
      const given = bearer(req);
      if (!given || !sameSecret(given, key))
        throw this.refuse(req, 401, 'CREATE_KEY_REQUIRED', 'Creating a game needs the organizer key of this server');
    }
    if (!this.#creations.spend(req.ip ?? '', games)) throw this.#tooMany(req, res, this.#creations);
  }

  /**
   * Runs a step that checks a code, under the address's budget of wrong guesses: once it is spent, even a right
   * code waits. A refusal with BAD_CODE (a game's or a cohort's code that is not one) is a wrong guess.
   */
  guess<T>(req: Request, res: Headers, run: () => Promise<T>): Promise<T> {
    const ip = req.ip ?? '';
    return this.#checks.run(ip, () => this.#guessNow(req, res, ip, run));
  }

  async #guessNow<T>(req: Request, res: Headers, ip: string, run: () => Promise<T>): Promise<T> {
    if (this.#wrongCodes.empty(ip)) throw this.#tooMany(req, res, this.#wrongCodes);
    try {
      return await run();
    } catch (err) {
      if (err instanceof AppError && err.code === 'BAD_CODE') {
        this.#wrongCodes.take(ip);
        this.log.warn('request refused', {
          ip,
          method: req.method,
          path: req.path,
          status: err.status,
          code: err.code,
        });
      }
      throw err;
    }
  }
}
