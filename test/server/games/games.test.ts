// The application service over the memory store: ack only after a durable append, nothing changed by an error,
// one command at a time per game, conflicts with another process resolved by reloading, snapshots, and deadlines
// re-armed on load.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fold, seqOf, type GameEvent } from '../../../server/engine/index.ts';
import { Games, type GameNotice, type Publisher } from '../../../server/games/games.ts';
import { LoadedGame } from '../../../server/games/loaded-game.ts';
import { SYSTEM, type Seat, actorOf } from '../../../server/games/seat.ts';
import { silentLogger } from '../../../server/log.ts';
import { Metrics } from '../../../server/metrics.ts';
import { CorruptLog, StoreUnavailable, VersionConflict, type EventStore } from '../../../server/store/event-store.ts';
import { MemoryBacking, MemoryStore } from '../../../server/store/memory-store.ts';
import type { ViewPatch } from '../../../shared/protocol.ts';
import { mini } from '../../fixtures/mini-scenario.ts';

const GAME = 'abcdefghijkl';
const wc: Seat = { gameId: GAME, playerId: 'wc', name: 'Control', role: 'control', team: null };
const usSeat: Seat = { gameId: GAME, playerId: 'p-us', name: 'Alice', role: 'team', team: 'us' };

class Recorder implements Publisher {
  patches: { key: string; patch: ViewPatch }[] = [];
  notices: GameNotice[] = [];
  constructor(readonly keys: string[] = ['control', 'team:us', 'observer']) {}
  listening(_gameId: string, key: string) {
    return this.keys.includes(key);
  }
  patch(_gameId: string, key: string, patch: ViewPatch) {
    this.patches.push({ key, patch });
  }
  moved(notice: GameNotice) {
    this.notices.push(notice);
  }
  seatsChanged() {}
}

/** A store whose appends wait for the test to let them through, or fail. */
class GatedStore extends MemoryStore {
  gate: Promise<void> | null = null;
  fail: Error | null = null;
  override async append(gameId: string, expected: number, events: readonly unknown[]): Promise<number> {
    if (this.gate) await this.gate;
    if (this.fail) throw this.fail;
    return super.append(gameId, expected, events);
  }
}

function service(store: EventStore, now: () => number = Date.now, snapshotEvery = 1000) {
  const games = new Games({ store, log: silentLogger, metrics: new Metrics(), snapshotEvery, sharedStore: true, now });
  const rec = new Recorder();
  games.setPublisher(rec);
  return { games, rec };
}

async function seeded(games: Games) {
  const created = await games.create(GAME, mini, { seed: 's' });
  assert.ok(created instanceof LoadedGame);
  for (const [playerId, name, role] of [
    ['wc', 'Control', 'control'],
    ['p-us', 'Alice', 'us'],
    ['p-dprk', 'Kim', 'dprk'],
  ]) {
    assert.ok((await games.submit(GAME, SYSTEM, { type: 'seat.take', playerId, name, role })).ok);
  }
  const game = (await games.get(GAME))!;
  // Every audience views the game, as connected sockets would.
  for (const a of [{ kind: 'control' } as const, { kind: 'team', team: 'us' } as const, { kind: 'observer' } as const])
    games.fullView(game, a);
  return game;
}

test('an ack comes only after the append resolves, and only then are views published', async () => {
  const store = new GatedStore();
  const { games, rec } = service(store);
  const game = await seeded(games);
  let open!: () => void;
  store.gate = new Promise((r) => {
    open = r;
  });
  const before = rec.patches.length;
  let acked = false;
  const pending = games.submit(GAME, actorOf(wc), { type: 'game.start' }).then((a) => {
    acked = true;
    return a;
  });
  await new Promise((r) => setTimeout(r, 20));
  assert.is(acked, false);
  assert.is(rec.patches.length, before, 'nothing published before the events are stored');
  assert.is(game.state.phase, 'lobby', 'nothing changed in memory either');
  open();
  const ack = await pending;
  assert.equal(ack, { ok: true, version: 5 });
  assert.is(game.state.phase, 'briefing');
  assert.ok(rec.patches.length > before);
  // Each audience's own version, moved by one.
  assert.ok(
    rec.patches
      .slice(before)
      .every((p) => p.patch.version === seqOf(game.state, p.key) && p.patch.from + 1 === p.patch.version),
  );
});

test('a domain error or a failed append changes nothing; the next command reloads and goes on', async () => {
  const store = new GatedStore();
  const { games, rec } = service(store);
  const game = await seeded(games);
  const version = game.version;
  const before = rec.patches.length;
  assert.equal(await games.submit(GAME, actorOf(usSeat), { type: 'draft.lock' }), {
    ok: false,
    error: { code: 'WRONG_PHASE', message: 'Submissions lock during the submission phase' },
  });
  store.fail = new StoreUnavailable('down');
  const failed = await games.submit(GAME, actorOf(wc), { type: 'game.start' });
  assert.equal(failed, {
    ok: false,
    error: {
      code: 'STORE_UNAVAILABLE',
      message: 'Storage did not answer: this may or may not have been saved. Check before doing it again',
    },
  });
  assert.is(game.version, version);
  assert.is(rec.patches.length, before);
  assert.is(game.state.phase, 'lobby');
  store.fail = null;
  assert.equal(await games.submit(GAME, actorOf(wc), { type: 'game.start' }), { ok: true, version: version + 1 });
});

test('commands to one game run one at a time, in order', async () => {
  const { games } = service(new MemoryStore());
  const game = await seeded(games);
  const start = game.version;
  const acks = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      games.submit(GAME, actorOf(usSeat), { type: 'chat.post', channel: 'plenary', text: `m${i}` }),
    ),
  );
  assert.equal(
    acks.map((a) => (a.ok ? a.version : -1)),
    Array.from({ length: 30 }, (_, i) => start + i + 1),
  );
  assert.equal(
    game.state.messages.plenary.flat().map((m) => m.text),
    Array.from({ length: 30 }, (_, i) => `m${i}`),
  );
});

test('another process appended first: reload, decide again; its update is not sent twice, ours follows', async () => {
  const backing = new MemoryBacking();
  const a = service(new MemoryStore(backing));
  const b = service(new MemoryStore(backing));
  await seeded(a.games);
  const gameB = (await b.games.get(GAME))!;
  b.games.fullView(gameB, { kind: 'team', team: 'us' });
  const vB = gameB.version;
  const sUs = seqOf(gameB.state, 'team:us');
  await a.games.submit(GAME, actorOf(usSeat), { type: 'chat.post', channel: 'plenary', text: 'from A' });
  const ack = await b.games.submit(GAME, actorOf(usSeat), { type: 'chat.post', channel: 'plenary', text: 'from B' });
  assert.equal(ack, { ok: true, version: vB + 2 });
  assert.equal(
    gameB.state.messages.plenary.flat().map((m) => m.text),
    ['from A', 'from B'],
  );
  // A published its own message (the rooms span the processes); B's patch starts where A's ended, with no gap.
  const usA = a.rec.patches
    .filter((p) => p.key === 'team:us')
    .map((p) => [p.patch.from, p.patch.version])
    .at(-1);
  const usB = b.rec.patches.filter((p) => p.key === 'team:us').map((p) => [p.patch.from, p.patch.version]);
  assert.equal(usA, [sUs, sUs + 1]);
  assert.equal(usB, [[sUs + 1, sUs + 2]]);
});

test('events another process stored that do not replay damage the game here: refused, listed, let go of', async () => {
  const backing = new MemoryBacking();
  const a = service(new MemoryStore(backing));
  const b = service(new MemoryStore(backing));
  await seeded(a.games);
  const gameB = (await b.games.get(GAME))!;
  // Stored by "another process", as a corrupted disk or a hand edit would leave it: it reads, but is no event.
  await new MemoryStore(backing).append(GAME, gameB.version, [{ type: 'MXXsagePosted', message: {} }]);
  const err = await b.games.sync(GAME).then(
    () => null,
    (e: unknown) => e,
  );
  assert.instance(err, CorruptLog);
  const problem = `event ${gameB.version + 1} of the log does not replay: an event of no known type`;
  assert.equal(b.games.damaged(), [{ game: GAME, record: 'game', stream: GAME, problem }]);
  assert.not.ok(b.games.peek(GAME), 'not held on to (its deadline disarmed with it)');
  const ack = await b.games.submit(GAME, actorOf(usSeat), { type: 'chat.post', channel: 'plenary', text: 'x' });
  assert.is(ack.ok ? null : ack.error.code, 'GAME_DAMAGED');
});

test('a store restored to an older copy under the process: the command is refused with a reason, and logged', async () => {
  /** A store that, once `behind`, holds only the game's first event: as if restored from an old backup. */
  class RestoredStore extends MemoryStore {
    behind = false;
    override async version(gameId: string): Promise<number> {
      return this.behind ? 1 : super.version(gameId);
    }
    override async load(gameId: string, from = 1): Promise<unknown[]> {
      return this.behind ? (from <= 1 ? (await super.load(gameId, 1)).slice(0, 1) : []) : super.load(gameId, from);
    }
    override async append(gameId: string, expected: number, events: readonly unknown[]): Promise<number> {
      if (this.behind && expected !== 1) throw new VersionConflict(gameId, expected, 1);
      return super.append(gameId, expected, events);
    }
  }
  const store = new RestoredStore();
  const warned: { msg: string; fields?: Record<string, unknown> }[] = [];
  const log = {
    ...silentLogger,
    warn: (msg: string, fields?: Record<string, unknown>) => warned.push({ msg, fields }),
  };
  const games = new Games({ store, log, metrics: new Metrics(), snapshotEvery: 1000, sharedStore: true });
  games.setPublisher(new Recorder());
  await seeded(games);
  store.behind = true;
  const ack = await games.submit(GAME, actorOf(usSeat), { type: 'chat.post', channel: 'plenary', text: 'hello' });
  assert.equal(ack, {
    ok: false,
    error: {
      code: 'STORE_UNAVAILABLE',
      message: 'The server must be restarted: its storage was replaced by an older copy',
    },
  });
  assert.ok(warned.some((w) => /older copy of a game than this process/.test(w.msg) && w.fields?.game === GAME));
});

test('snapshots: a snapshot plus the events after it gives the same state as replaying the log', async () => {
  const backing = new MemoryBacking();
  const { games } = service(new MemoryStore(backing), Date.now, 4);
  await seeded(games);
  for (let i = 0; i < 9; i++)
    await games.submit(GAME, actorOf(usSeat), { type: 'chat.post', channel: 'plenary', text: `m${i}` });
  await new Promise((r) => setTimeout(r, 10));
  const snap = await new MemoryStore(backing).loadSnapshot(GAME);
  assert.ok(snap && snap.version >= 8, `a snapshot at ${snap?.version}`);
  const reloaded = (await service(new MemoryStore(backing)).games.get(GAME))!;
  const replayed = fold((await new MemoryStore(backing).load(GAME)) as GameEvent[]);
  assert.is(reloaded.snapshotVersion, snap!.version);
  assert.is(JSON.stringify(reloaded.state), JSON.stringify(replayed));
});

test('on load, a deadline that has passed fires at once', async () => {
  const backing = new MemoryBacking();
  const t0 = 1_800_000_000_000;
  const first = service(new MemoryStore(backing), () => t0);
  await seeded(first.games);
  await first.games.submit(GAME, actorOf(wc), { type: 'game.start' });
  const deadline = (await first.games.get(GAME))!.state.deadline!;
  assert.is(deadline, t0 + 60_000);
  first.games.beginClose();
  // A new process, an hour later.
  const later = service(new MemoryStore(backing), () => t0 + 3_600_000);
  await later.games.start();
  const game = (await later.games.get(GAME))!;
  for (let i = 0; i < 3000 && game.state.phase === 'briefing'; i++) await new Promise((r) => setTimeout(r, 10));
  assert.is(game.state.phase, 'injects');
  later.games.beginClose();
});

test.run();
