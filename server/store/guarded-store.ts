// Any store, with its faults named and a circuit breaker in front:
// - an outage (StoreUnavailable) opens the breaker: from then on every call fails at once, instead of each waiting
//   for the store's own reconnect timeout in turn, and a probe in the background closes it once the store answers;
// - a full disk (ENOSPC, EDQUOT) and other faults of the machine rather than of the code (EIO, EMFILE...) become
//   StoreUnavailable too, so a client is told to retry, not that it met a bug; service resumes by itself;
// - a corrupt log stays a CorruptLog: it is one record's damage, not an outage (Games tells its players so), and it is
//   noted in the DamageBook whichever record it is (a game's log, its sign-in record, a seminar's record), since the
//   callers of the store other than Games have no book of their own, and /healthz must name them all.
// Each fault is counted in flywheel_store_faults_total{kind} and logged once per condition (FaultLog).
import type { FaultLog } from '../fault-log.ts';
import type { Metrics } from '../metrics.ts';
import type { DamageBook } from './damage-book.ts';
import { CorruptLog, type EventStore, type Snapshot, StoreUnavailable } from './event-store.ts';

export type FaultKind = 'unavailable' | 'no_space' | 'io';
export type StoreCondition = 'ok' | 'unavailable' | 'no_space';

/** A store fault with its kind, for /healthz and the metrics; still a StoreUnavailable to everyone else. */
export class StoreFault extends StoreUnavailable {
  constructor(
    readonly kind: FaultKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreFault';
  }
}

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT']);
const MACHINE_FAULT = new Set(['EIO', 'EROFS', 'EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'ETIMEDOUT', 'ENOMEM', 'EPERM']);
/** How often the open breaker asks the store whether it is back. */
const PROBE_MS = 200;
/** After a write failed for lack of space, how long /healthz says so unless a write succeeds first. */
const NO_SPACE_MS = 10_000;

export interface GuardDeps {
  metrics: Metrics;
  faults: FaultLog;
  now?: () => number;
  /** Where the records found damaged are noted (for /healthz, the metric and one warn line each). */
  damage?: DamageBook;
  /**
   * Checks the events read of a stream, from version `first` on, throwing a CorruptLog if they are damage though they
   * read (server/record-checks.ts). Their folds check them too, but outside the store: run here, the damage is noted
   * like a line that does not read, whichever caller read the record.
   */
  check?: (stream: string, events: readonly unknown[], first: number) => void;
}

export class GuardedStore implements EventStore {
  readonly inner: EventStore;
  readonly #metrics: Metrics;
  readonly #faults: FaultLog;
  readonly #now: () => number;
  readonly #damage: DamageBook | undefined;
  readonly #check: GuardDeps['check'];
  #open = false;
  #probe: NodeJS.Timeout | undefined;
  #noSpaceUntil = 0;
  #closed = false;

  constructor(inner: EventStore, deps: GuardDeps) {
    this.inner = inner;
    this.#metrics = deps.metrics;
    this.#faults = deps.faults;
    this.#now = deps.now ?? Date.now;
    this.#damage = deps.damage;
    this.#check = deps.check;
  }

  /** What /healthz reports about storage. */
  condition(): StoreCondition {
    if (this.#open) return 'unavailable';
    return this.#now() < this.#noSpaceUntil ? 'no_space' : 'ok';
  }

  append(gameId: string, expectedVersion: number, events: readonly unknown[]): Promise<number> {
    return this.#call(() => this.inner.append(gameId, expectedVersion, events), true);
  }
  load(gameId: string, from?: number): Promise<unknown[]> {
    return this.#call(async () => {
      const events = await this.inner.load(gameId, from);
      this.#check?.(gameId, events, from ?? 1);
      return events;
    }, false);
  }
  version(gameId: string): Promise<number> {
    return this.#call(() => this.inner.version(gameId), false);
  }
  listGames(): Promise<string[]> {
    return this.#call(() => this.inner.listGames(), false);
  }
  saveSnapshot(gameId: string, version: number, state: unknown): Promise<void> {
    return this.#call(() => this.inner.saveSnapshot(gameId, version, state), true);
  }
  loadSnapshot(gameId: string): Promise<Snapshot | null> {
    return this.#call(() => this.inner.loadSnapshot(gameId), false);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#probe);
    await this.inner.close();
  }

  async #call<T>(op: () => Promise<T>, write: boolean): Promise<T> {
    if (this.#open) {
      this.#metrics.storeFaults.inc({ kind: 'refused' });
      this.#faults.warn('store:unavailable', 'storage is unavailable: commands are refused until it is back');
      throw new StoreFault('unavailable', 'storage is unavailable (waiting for it to come back)');
    }
    try {
      const result = await op();
      // A nearly full disk takes some writes and refuses others: the condition ends only once a write succeeds
      // NO_SPACE_MS after the last refusal, so that neither /healthz nor the log flaps between "full" and "room".
      if (write && this.#noSpaceUntil && this.#now() >= this.#noSpaceUntil) {
        this.#noSpaceUntil = 0;
        this.#faults.clear('store:no_space', 'storage has room again');
      }
      return result;
    } catch (err) {
      throw this.#classify(err);
    }
  }

  #classify(err: unknown): unknown {
    if (err instanceof CorruptLog) {
      this.#metrics.storeFaults.inc({ kind: 'corrupt' });
      if (err.stream !== undefined) this.#damage?.mark(err.stream, err.message);
      return err;
    }
    if (this.#closed) return err;
    if (err instanceof StoreUnavailable) {
      this.#metrics.storeFaults.inc({ kind: 'unavailable' });
      this.#trip(err);
      return err instanceof StoreFault ? err : new StoreFault('unavailable', err.message, { cause: err });
    }
    const code = (err as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && NO_SPACE.has(code)) {
      this.#metrics.storeFaults.inc({ kind: 'no_space' });
      this.#noSpaceUntil = this.#now() + NO_SPACE_MS;
      this.#faults.warn('store:no_space', 'storage is full: commands are refused until there is room', { code });
      return new StoreFault('no_space', 'storage is full', { cause: err });
    }
    if (typeof code === 'string' && MACHINE_FAULT.has(code)) {
      this.#metrics.storeFaults.inc({ kind: 'io' });
      this.#faults.warn(`store:io:${code}`, 'storage failed', { code, message: (err as Error).message });
      return new StoreFault('io', `storage failed (${code})`, { cause: err });
    }
    return err;
  }

  /** Opens the breaker, and probes until the store answers again. */
  #trip(err: Error): void {
    if (this.#open) return;
    this.#open = true;
    this.#faults.warn('store:unavailable', 'storage is unavailable: commands are refused until it is back', {
      reason: err.message,
    });
    const probe = () => {
      this.#probe = setTimeout(() => {
        if (this.#closed) return;
        this.inner.version('healthz').then(
          () => {
            this.#open = false;
            this.#faults.clear('store:unavailable', 'storage is available again');
          },
          () => probe(),
        );
      }, PROBE_MS);
      this.#probe.unref();
    };
    probe();
  }
}
