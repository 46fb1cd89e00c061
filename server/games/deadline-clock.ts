// Phase deadlines. Timers are data (docs/architecture.md, rule 5): one timer per loaded game, armed from its state
// after every command, load and catch-up, that sends a tick as the system. With a shared store every process holding
// the game arms one; a Redis lease per (game, deadline) lets only one of them try, and should two try anyway (a lease
// that expired mid-tick), the version-checked append and the engine's "a late tick is a no-op" keep it to one effect.
import type { Logger } from '../log.ts';
import type { Metrics } from '../metrics.ts';
import { deadlineOf, type LoadedGame } from './loaded-game.ts';

/** A named lock that expires by itself: if its holder dies, another process takes over once it has lapsed. */
export interface Leases {
  /**
   * Takes the lease for ttlMs unless someone holds it; true if this caller got it. `game`, when given, is the game
   * the lease is about: on a Redis Cluster the lease then lives on that game's slot, with its log.
   */
  claim(name: string, ttlMs: number, game?: string): Promise<boolean>;
}

export type TickOutcome = 'fired' | 'noop' | 'lease_lost' | 'failed';

export interface ClockDeps {
  log: Logger;
  metrics: Metrics;
  now: () => number;
  /** With a shared store; absent, this process is the only one and ticks without asking. */
  leases?: Leases;
  /** Brings the game up to date with the store, so the tick is decided on what every process has done. */
  catchUp(game: LoadedGame): Promise<void>;
  /** Submits the tick: 'fired' if it stored events, 'noop' if there was nothing to do, 'failed' otherwise. */
  tick(game: LoadedGame): Promise<'fired' | 'noop' | 'failed'>;
}

/** How long a lease keeps other processes from firing the same deadline: a tick takes milliseconds. */
export const LEASE_MS = 5000;
/** setTimeout's longest delay; a later deadline is reached by re-arming after an early (harmless) wake-up. */
const MAX_DELAY = 2 ** 31 - 1;

export class DeadlineClock {
  readonly #deps: ClockDeps;
  #closed = false;

  constructor(deps: ClockDeps) {
    this.#deps = deps;
  }

  /** Sets the game's timer from its state; free when nothing moved. */
  arm(game: LoadedGame): void {
    const deadline = this.#closed ? null : deadlineOf(game.state);
    const retryAt = game.retry && game.retry.deadline === deadline ? game.retry.at : 0;
    const fireAt = deadline === null ? null : Math.max(deadline, retryAt);
    if (fireAt === game.armedFor && (fireAt === null || game.timer)) return;
    this.disarm(game);
    if (fireAt === null) return;
    game.armedFor = fireAt;
    game.timer = setTimeout(
      () => {
        game.timer = undefined;
        game.armedFor = null;
        // Timers may wake a millisecond early by the wall clock the deadline is kept in: a tick then would find
        // nothing to do yet. Sleep the rest instead.
        if (this.#deps.now() < fireAt) return this.arm(game);
        void this.#fire(game).finally(() => this.arm(game));
      },
      Math.min(Math.max(0, fireAt - this.#deps.now()), MAX_DELAY),
    );
    // A pending deadline must not keep a stopping process alive.
    game.timer.unref();
  }

  disarm(game: LoadedGame): void {
    clearTimeout(game.timer);
    game.timer = undefined;
    game.armedFor = null;
  }

  /** No timer is armed from now on (the process is stopping). */
  close(): void {
    this.#closed = true;
  }

  async #fire(game: LoadedGame): Promise<void> {
    const due = deadlineOf(game.state);
    const tickedAt = this.#deps.now();
    let outcome: TickOutcome;
    try {
      outcome = await this.#attempt(game);
    } catch (err) {
      this.#deps.log.warn('tick failed', { game: game.id, err });
      outcome = 'failed';
    }
    this.#deps.metrics.ticks.inc({ outcome });
    const now = this.#deps.now();
    // From the deadline to the phase change being stored (and its patches sent).
    if (outcome === 'fired' && due !== null) this.#deps.metrics.deadlineLateness.observe(Math.max(0, now - due) / 1000);
    const deadline = deadlineOf(game.state);
    if (deadline === null || deadline > now) {
      game.retry = null;
      game.tickFailures = 0;
      return;
    }
    // The same deadline is still due: another process holds its lease, or the tick failed (the store is down, say).
    // Try again later rather than at once, again and again; after a lease lapses, in case its holder died. A tick
    // that found nothing to do because it was decided just before the deadline (the clock moved on meanwhile, or
    // stepped back) tries again at once, the first time: waiting a second there made one phase change in 25 late.
    if (outcome === 'failed') game.tickFailures += 1;
    const wait =
      outcome === 'failed'
        ? Math.min(1000 * 2 ** (game.tickFailures - 1), 30_000)
        : outcome === 'lease_lost'
          ? LEASE_MS
          : tickedAt < deadline || game.retry?.deadline !== deadline
            ? 0
            : 1000;
    game.retry = { deadline, at: now + wait };
  }

  async #attempt(game: LoadedGame): Promise<TickOutcome> {
    const { leases } = this.#deps;
    if (leases) {
      // The lease of the deadline this process knows is asked for while it catches up, not after: one round trip
      // to the store fewer before the phase moves (with Redis fsyncing every write, each costs an fsync). Should the
      // catch-up show another deadline, that one's lease is asked for then; an unused lease lapses by itself, and
      // nobody else needs it, since it names a deadline that is no longer the game's.
      const known = deadlineOf(game.state);
      const early = known === null ? null : leases.claim(`tick:${game.id}:${known}`, LEASE_MS, game.id);
      early?.catch(() => undefined); // awaited below, or not needed: never an unhandled rejection
      await this.#deps.catchUp(game);
      const deadline = deadlineOf(game.state);
      // Another process fired it, or moved it, while this timer was pending.
      if (deadline === null || deadline > this.#deps.now()) return 'noop';
      const claimed =
        early && deadline === known ? early : leases.claim(`tick:${game.id}:${deadline}`, LEASE_MS, game.id);
      if (!(await claimed)) return 'lease_lost';
    }
    return this.#deps.tick(game);
  }
}
