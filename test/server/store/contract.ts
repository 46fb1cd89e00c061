// The one contract every EventStore passes (ARCHITECTURE.md rule 8). Each store's test file runs it with a
// factory of fresh backings; a backing can open several store instances over the same data, like a restart.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  InvalidGameId,
  StoreUnavailable,
  VersionConflict,
  type EventStore,
} from '../../../server/store/event-store.ts';

export interface Backing {
  /** A new store instance over this backing's data. */
  open(): EventStore | Promise<EventStore>;
  /** Frees what the backing holds (a temp dir...). */
  dispose?(): Promise<void>;
}

type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;

/** Awaits a promise that must reject with the given class, and returns the error for closer checks. */
export async function rejectsWith<E extends Error>(promise: Promise<unknown>, type: ErrorClass<E>): Promise<E> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof type) return err;
    throw new assert.Assertion({
      message: `expected ${type.name}, got ${String(err)}`,
      generated: false,
      operator: 'rejects',
      expects: type.name,
      actual: err,
    });
  }
  throw new assert.Assertion({
    message: `expected ${type.name}, but it resolved`,
    generated: false,
    operator: 'rejects',
    expects: type.name,
    actual: 'resolved',
  });
}

/** Fails instead of hanging: uvu has no per-test timeout. The bound is generous; no test relies on it to pass. */
export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, hung]);
  } finally {
    clearTimeout(timer);
  }
}

interface Ctx {
  store: EventStore;
  /** Opens another instance over the same backing (closed by the harness). */
  reopen(): Promise<EventStore>;
}

const ev = (n: number, extra: Record<string, unknown> = {}) => ({ type: 'tick', n, ...extra });

export function contract(name: string, newBacking: () => Promise<Backing>) {
  const test = suite(`${name} contract`);

  const it = (title: string, body: (ctx: Ctx) => Promise<void>) =>
    test(title, async () => {
      const backing = await newBacking();
      const opened: EventStore[] = [];
      const open = async () => {
        const store = await backing.open();
        opened.push(store);
        return store;
      };
      try {
        await within(60_000, title, body({ store: await open(), reopen: open }));
      } finally {
        for (const store of opened) await store.close().catch(() => undefined);
        await backing.dispose?.();
      }
    });

  it('appended events load back in order, and the version counts them', async ({ store }) => {
    assert.is(await store.append('g1', 0, [ev(1), ev(2), ev(3)]), 3);
    assert.is(await store.append('g1', 3, [ev(4), ev(5)]), 5);
    assert.equal(await store.load('g1'), [ev(1), ev(2), ev(3), ev(4), ev(5)]);
    assert.is(await store.version('g1'), 5);
  });

  it('load from a version returns that event and the ones after it', async ({ store }) => {
    await store.append('g1', 0, [ev(1), ev(2), ev(3), ev(4), ev(5)]);
    assert.equal(await store.load('g1', 1), [ev(1), ev(2), ev(3), ev(4), ev(5)]);
    assert.equal(await store.load('g1', 3), [ev(3), ev(4), ev(5)]);
    assert.equal(await store.load('g1', 5), [ev(5)]);
    assert.equal(await store.load('g1', 6), []);
    assert.equal(await store.load('g1', 100), []);
    await rejectsWith(store.load('g1', 0), RangeError);
  });

  it('an unknown game has version 0, no events, no snapshot, and is not listed', async ({ store }) => {
    assert.equal(await store.load('nobody'), []);
    assert.is(await store.version('nobody'), 0);
    assert.is(await store.loadSnapshot('nobody'), null);
    assert.equal(await store.listGames(), []);
  });

  it('a stale or future expected version is a VersionConflict and writes nothing', async ({ store }) => {
    await store.append('g1', 0, [ev(1), ev(2)]);
    for (const expected of [0, 1, 3, 10]) {
      const err = await rejectsWith(store.append('g1', expected, [ev(99)]), VersionConflict);
      assert.is(err.code, 'VERSION_CONFLICT');
      assert.equal([err.gameId, err.expected, err.actual], ['g1', expected, 2]);
    }
    assert.equal(await store.load('g1'), [ev(1), ev(2)]);
    assert.is(await store.version('g1'), 2);
    // A new game appended at a non-zero version is refused and does not come into existence.
    const err = await rejectsWith(store.append('g2', 1, [ev(1)]), VersionConflict);
    assert.is(err.actual, 0);
    assert.equal(await store.listGames(), ['g1']);
  });

  it('an empty append checks the version and writes nothing', async ({ store }) => {
    assert.is(await store.append('g1', 0, []), 0);
    assert.equal(await store.listGames(), []);
    await store.append('g1', 0, [ev(1)]);
    assert.is(await store.append('g1', 1, []), 1);
    await rejectsWith(store.append('g1', 0, []), VersionConflict);
  });

  it('concurrent appends at one expected version: exactly one wins, the rest conflict', async ({ store }) => {
    await store.append('race', 0, [ev(1)]);
    const tries = Array.from({ length: 25 }, (_, w) => store.append('race', 1, [ev(2, { w }), ev(3, { w })]));
    const results = await Promise.allSettled(tries);
    const won = results.flatMap((r, w) => (r.status === 'fulfilled' ? [{ w, version: r.value }] : []));
    assert.is(won.length, 1);
    assert.is(won[0].version, 3);
    for (const r of results) {
      if (r.status === 'rejected') assert.instance(r.reason, VersionConflict);
    }
    const w = won[0].w;
    assert.equal(await store.load('race'), [ev(1), ev(2, { w }), ev(3, { w })]);
    assert.is(await store.version('race'), 3);
  });

  it('writers that retry on conflict all land, each in its own order, with no gap', async ({ store }) => {
    const writers = 5,
      each = 8;
    const write = async (w: number) => {
      for (let i = 0; i < each; ) {
        const version = await store.version('busy');
        try {
          await store.append('busy', version, [{ w, i }]);
          i++;
        } catch (err) {
          if (!(err instanceof VersionConflict)) throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: writers }, (_, w) => write(w)));
    const log = (await store.load('busy')) as Array<{ w: number; i: number }>;
    assert.is(log.length, writers * each);
    assert.is(await store.version('busy'), writers * each);
    for (let w = 0; w < writers; w++) {
      assert.equal(
        log.filter((e) => e.w === w).map((e) => e.i),
        [...Array(each).keys()],
      );
    }
  });

  it('a large batch is appended whole', async ({ store }) => {
    const batch = Array.from({ length: 2500 }, (_, i) => ev(i + 1));
    assert.is(await store.append('big', 0, batch), 2500);
    assert.equal(await store.load('big', 2401), batch.slice(2400));
  });

  it('games are independent', async ({ store }) => {
    await Promise.all([store.append('a', 0, [ev(1)]), store.append('b', 0, [ev(1), ev(2)])]);
    await Promise.all([store.append('a', 1, [ev(2, { g: 'a' })]), store.append('b', 2, [ev(3, { g: 'b' })])]);
    assert.equal(await store.load('a'), [ev(1), ev(2, { g: 'a' })]);
    assert.equal(await store.load('b'), [ev(1), ev(2), ev(3, { g: 'b' })]);
  });

  it("stored events are JSON: neither the caller's objects nor the returned ones can change them", async ({
    store,
  }) => {
    const event = { type: 'deal', terms: { tier: 1 }, when: new Date(0) };
    await store.append('g1', 0, [event]);
    event.terms.tier = 99;
    const loaded = (await store.load('g1')) as Array<{ terms: { tier: number } }>;
    loaded[0].terms.tier = 42;
    assert.equal(await store.load('g1'), [{ type: 'deal', terms: { tier: 1 }, when: '1970-01-01T00:00:00.000Z' }]);
  });

  it('an event JSON cannot hold is refused before anything is written', async ({ store }) => {
    await rejectsWith(store.append('g1', 0, [ev(1), undefined]), TypeError);
    await rejectsWith(store.append('g1', 0, [() => 1]), TypeError);
    assert.is(await store.version('g1'), 0);
    assert.equal(await store.listGames(), []);
  });

  it('a fresh instance over the same data sees every acknowledged event and snapshot', async ({ store, reopen }) => {
    await store.append('kept', 0, [ev(1), ev(2)]);
    await store.append('kept', 2, [ev(3)]);
    await store.saveSnapshot('kept', 2, { round: 1 });
    await store.close();
    const again = await reopen();
    assert.is(await again.version('kept'), 3);
    assert.equal(await again.load('kept'), [ev(1), ev(2), ev(3)]);
    assert.equal(await again.loadSnapshot('kept'), { version: 2, state: { round: 1 } });
    assert.equal(await again.listGames(), ['kept']);
    await rejectsWith(again.append('kept', 2, [ev(4)]), VersionConflict);
    assert.is(await again.append('kept', 3, [ev(4)]), 4);
  });

  it('snapshots save, load and overwrite, one per game', async ({ store }) => {
    await store.append('g1', 0, [ev(1), ev(2), ev(3), ev(4), ev(5)]);
    await store.saveSnapshot('g1', 2, { round: 1, meters: { momentum: 50 } });
    assert.equal(await store.loadSnapshot('g1'), { version: 2, state: { round: 1, meters: { momentum: 50 } } });
    await store.saveSnapshot('g1', 5, { round: 2 });
    assert.equal(await store.loadSnapshot('g1'), { version: 5, state: { round: 2 } });
    assert.is(await store.loadSnapshot('g2'), null);
    await store.saveSnapshot('g2', 0, null);
    assert.equal(await store.loadSnapshot('g2'), { version: 0, state: null });
    assert.equal(await store.loadSnapshot('g1'), { version: 5, state: { round: 2 } });
    await rejectsWith(store.saveSnapshot('g1', -1, {}), RangeError);
  });

  it('listGames lists the games that have events, sorted', async ({ store }) => {
    await store.append('b-game', 0, [ev(1)]);
    await store.append('a_game', 0, [ev(1)]);
    await store.append('C1', 0, [ev(1)]);
    await store.append('b-game', 1, [ev(2)]);
    await store.saveSnapshot('only-a-snapshot', 0, {});
    assert.equal(await store.listGames(), ['C1', 'a_game', 'b-game']);
  });

  it('invalid game ids are refused by every method', async ({ store }) => {
    const bad = ['', '.', '..', '../etc/passwd', 'a/b', 'a\\b', 'a b', 'game:1', 'g*', 'é', 'a\n', 'x'.repeat(65)];
    for (const id of bad) {
      await rejectsWith(store.append(id, 0, [ev(1)]), InvalidGameId);
      await rejectsWith(store.load(id), InvalidGameId);
      await rejectsWith(store.version(id), InvalidGameId);
      await rejectsWith(store.saveSnapshot(id, 0, {}), InvalidGameId);
      await rejectsWith(store.loadSnapshot(id), InvalidGameId);
    }
    assert.equal(await store.listGames(), []);
    const longest = 'A-z_09'.padEnd(64, 'x');
    assert.is(await store.append(longest, 0, [ev(1)]), 1);
    assert.equal(await store.listGames(), [longest]);
  });

  it('versions that are not whole numbers >= 0 are refused', async ({ store }) => {
    for (const v of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await rejectsWith(store.append('g1', v, [ev(1)]), RangeError);
    }
    assert.is(await store.version('g1'), 0);
  });

  it('after close, calls reject with StoreUnavailable, and close can be called again', async ({ store }) => {
    await store.append('g1', 0, [ev(1)]);
    await store.close();
    const err = await rejectsWith(store.append('g1', 1, [ev(2)]), StoreUnavailable);
    assert.is(err.code, 'STORE_UNAVAILABLE');
    await rejectsWith(store.load('g1'), StoreUnavailable);
    await store.close();
  });

  return test;
}
