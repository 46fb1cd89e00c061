// What /healthz says, for load balancers and people: 503 while the process drains for a stop (so that a balancer
// sends new clients elsewhere at once) or while storage is down or full; 200 but "degraded", naming them, when some
// records are damaged: game logs, games' sign-in records, seminars' records (the others play on; see
// docs/operations.md for the repair).
import type { DamageEntry } from './store/damage-book.ts';
import type { EventStore } from './store/event-store.ts';
import type { StoreCondition } from './store/guarded-store.ts';

export interface HealthDeps {
  store: EventStore;
  /** The store's own account of its condition (GuardedStore), besides the probe. */
  storeCondition?: () => StoreCondition;
  /** Records that cannot be read, or game logs that do not replay. */
  damaged?: () => DamageEntry[];
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'draining' | 'unavailable';
  store: StoreCondition;
  draining: boolean;
  damaged: DamageEntry[];
  uptime: number;
}

export class Health {
  readonly #deps: HealthDeps;
  readonly #started = Date.now();
  #draining = false;

  constructor(deps: HealthDeps) {
    this.#deps = deps;
  }

  /** From the first moment of a stop: /healthz answers 503 "draining" while commands under way finish. */
  drain(): void {
    this.#draining = true;
  }

  get draining(): boolean {
    return this.#draining;
  }

  async report(): Promise<{ httpStatus: number; body: HealthReport & { ok: boolean } }> {
    let store: StoreCondition = this.#deps.storeCondition?.() ?? 'ok';
    if (store === 'ok') {
      try {
        // A cheap read that fails once the store is closed or unreachable.
        await this.#deps.store.version('healthz');
      } catch {
        store = this.#deps.storeCondition?.() === 'no_space' ? 'no_space' : 'unavailable';
      }
    }
    const damaged = this.#deps.damaged?.() ?? [];
    const status = this.#draining ? 'draining' : store !== 'ok' ? 'unavailable' : damaged.length ? 'degraded' : 'ok';
    const ok = status === 'ok' || status === 'degraded';
    return {
      httpStatus: ok ? 200 : 503,
      body: {
        ok,
        status,
        store,
        draining: this.#draining,
        damaged,
        uptime: Math.round((Date.now() - this.#started) / 1000),
      },
    };
  }
}
