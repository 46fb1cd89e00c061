// The breaker and the names of faults, over a store double: an outage stops calls from reaching the store until a
// probe finds it back; a full disk is STORE_UNAVAILABLE (and says so in its condition) until a write succeeds; a
// corrupt log passes through as the damage it is. Counted by kind in the metrics.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FaultLog } from '../../../server/fault-log.ts';
import { Games } from '../../../server/games/games.ts';
import { SYSTEM } from '../../../server/games/seat.ts';
import { createLogger, silentLogger } from '../../../server/log.ts';
import { Metrics } from '../../../server/metrics.ts';
import { CorruptLog, StoreUnavailable } from '../../../server/store/event-store.ts';
import { GuardedStore } from '../../../server/store/guarded-store.ts';
import { MemoryStore } from '../../../server/store/memory-store.ts';
import { mini } from '../../fixtures/mini-scenario.ts';

/** A store that can be taken down (calls wait, then fail, like Redis's reconnect timeout), filled, or corrupted. */
class Double extends MemoryStore {
  calls = 0;
  down = false;
  full = false;
  corrupt = new Set<string>();
  async #fault(gameId?: string) {
    this.calls += 1;
    if (this.down) {
      await new Promise((r) => setTimeout(r, 200));
      throw new StoreUnavailable('redis unreachable');
    }
    if (gameId && this.corrupt.has(gameId)) throw new CorruptLog(`${gameId}.jsonl:3: unreadable line`);
  }
  override async append(gameId: string, expected: number, events: readonly unknown[]) {
    await this.#fault(gameId);
    if (this.full) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    return super.append(gameId, expected, events);
  }
  override async load(gameId: string, from?: number) {
    await this.#fault(gameId);
    return super.load(gameId, from);
  }
  override async version(gameId: string) {
    await this.#fault(gameId);
    return super.version(gameId);
  }
}

const value = async (metrics: Metrics, line: string) =>
  Number(
    (await metrics.render())
      .split('\n')
      .find((l) => l.startsWith(`${line} `))
      ?.split(' ')[1] ?? 0,
  );

async function until(check: () => boolean, what: string) {
  for (let i = 0; i < 1000 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), what);
}

test('an outage opens the breaker: later calls fail without reaching the store until a probe finds it', async () => {
  const inner = new Double();
  const metrics = new Metrics();
  const lines: string[] = [];
  const store = new GuardedStore(inner, { metrics, faults: new FaultLog(createLogger('warn', (l) => lines.push(l))) });
  await store.append('gamegameone1', 0, [{ n: 1 }]);
  inner.down = true;
  assert.instance(await store.version('gamegameone1').catch((e: unknown) => e), StoreUnavailable);
  assert.is(store.condition(), 'unavailable');
  const reached = inner.calls;
  for (let i = 0; i < 50; i++) {
    const err = await store.append('gamegameone1', 1, [{ n: 2 }]).catch((e: unknown) => e);
    assert.instance(err, StoreUnavailable);
    assert.is((err as { code: string }).code, 'STORE_UNAVAILABLE');
  }
  // Only the background probe (every 200 ms) reaches the store meanwhile, not the 50 calls.
  assert.ok(inner.calls - reached < 10, `${inner.calls - reached} calls reached the store`);
  assert.is(await value(metrics, 'flywheel_store_faults_total{kind="refused"}'), 50);
  inner.down = false;
  await until(() => store.condition() === 'ok', 'the breaker closes once the store answers');
  assert.is(await store.append('gamegameone1', 1, [{ n: 2 }]), 2);
  // One line when it started and one when it ended, not one per refused call.
  const warned = lines.map((l) => JSON.parse(l) as { level: string; msg: string; count?: number });
  assert.is(warned.length, 2, lines.join(''));
  assert.ok(warned.every((l) => l.level === 'warn'));
  assert.ok((warned[1].count ?? 0) >= 50, 'the closing line counts the refusals');
  await store.close();
});

test('a full disk is STORE_UNAVAILABLE, not a bug, and clears with a write that succeeds 10 s after the last refusal', async () => {
  const inner = new Double();
  const metrics = new Metrics();
  let now = 1_000_000;
  const lines: string[] = [];
  const faults = new FaultLog(
    createLogger('warn', (l) => lines.push(l)),
    () => now,
  );
  const store = new GuardedStore(inner, { metrics, faults, now: () => now });
  const games = new Games({ store, log: silentLogger, metrics, snapshotEvery: 1000 });
  await games.create('gamegameone1', mini, {});
  inner.full = true;
  const ack = await games.submit('gamegameone1', SYSTEM, { type: 'seat.take', playerId: 'p1', name: 'A', role: 'us' });
  assert.equal(ack.ok ? null : ack.error.code, 'STORE_UNAVAILABLE');
  assert.is(store.condition(), 'no_space');
  assert.is(await value(metrics, 'flywheel_store_faults_total{kind="no_space"}'), 1);
  // Creating a game meets the same answer (the REST layer turns it into a 503).
  const err = await games.create('gamegametwo2', mini, {}).catch((e: unknown) => e);
  assert.is((err as { code?: string }).code, 'STORE_UNAVAILABLE');
  inner.full = false;
  const again = await games.submit('gamegameone1', SYSTEM, {
    type: 'seat.take',
    playerId: 'p1',
    name: 'A',
    role: 'us',
  });
  assert.ok(again.ok, 'service resumes by itself');
  // A nearly full disk takes one write and refuses the next: still one condition, not "full" then "room" then "full".
  assert.is(store.condition(), 'no_space', 'not over on the first write that fits');
  inner.full = true;
  const refused = await games.submit('gamegameone1', SYSTEM, { type: 'seat.leave', playerId: 'p1' });
  assert.not.ok(refused.ok);
  inner.full = false;
  now += 10_000;
  assert.is(store.condition(), 'ok', '10 s without a refusal');
  assert.ok((await games.submit('gamegameone1', SYSTEM, { type: 'seat.leave', playerId: 'p1' })).ok);
  const said = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
  assert.equal(
    said,
    ['storage is full: commands are refused until there is room', 'storage has room again'],
    lines.join(''),
  );
  games.beginClose();
  await store.close();
});

test('a corrupt log is one damaged game, named, not an outage; it is not read again on every retry', async () => {
  const inner = new Double();
  const metrics = new Metrics();
  const store = new GuardedStore(inner, { metrics, faults: new FaultLog(silentLogger) });
  const setup = new Games({ store, log: silentLogger, metrics: new Metrics(), snapshotEvery: 1000 });
  await setup.create('badbadbadbad', mini, {});
  await setup.create('goodgoodgood', mini, {});
  inner.corrupt.add('badbadbadbad');
  const games = new Games({ store, log: silentLogger, metrics, snapshotEvery: 1000 });
  await games.start();
  assert.equal(
    games.damaged().map((d) => d.game),
    ['badbadbadbad'],
  );
  assert.is(store.condition(), 'ok', 'storage as a whole is fine');
  const ack = await games.submit('badbadbadbad', SYSTEM, { type: 'seat.take', playerId: 'p1', name: 'A', role: 'us' });
  assert.equal(ack.ok ? null : ack.error.code, 'GAME_DAMAGED');
  const reads = inner.calls;
  await games.submit('badbadbadbad', SYSTEM, { type: 'seat.take', playerId: 'p1', name: 'A', role: 'us' });
  assert.is(inner.calls, reads, 'a retry does not read the damaged log again');
  assert.ok(
    (await games.submit('goodgoodgood', SYSTEM, { type: 'seat.take', playerId: 'p', name: 'B', role: 'us' })).ok,
  );
  assert.is(await value(metrics, 'flywheel_games_damaged'), 1);
  assert.ok((await value(metrics, 'flywheel_store_faults_total{kind="corrupt"}')) >= 1);
  games.beginClose();
  await store.close();
});

test.run();
