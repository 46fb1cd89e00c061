// Two processes over one store (two Games over one memory backing, as two servers over one Redis): whoever is behind
// catches up before it decides or sends a whole view, an update is published once, by whoever stored it, and a
// deadline both processes hold fires once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seqOf, type GameEvent } from '../../../server/engine/index.ts';
import type { Leases } from '../../../server/games/deadline-clock.ts';
import { Games, type GameNotice, type Publisher } from '../../../server/games/games.ts';
import { actorOf, SYSTEM, type Seat } from '../../../server/games/seat.ts';
import { silentLogger } from '../../../server/log.ts';
import { Metrics } from '../../../server/metrics.ts';
import { StoreUnavailable } from '../../../server/store/event-store.ts';
import { MemoryBacking, MemoryStore } from '../../../server/store/memory-store.ts';
import type { ViewPatch } from '../../../shared/protocol.ts';
import { mini } from '../../fixtures/mini-scenario.ts';

const GAME = 'sharedgame01';
const wc: Seat = { gameId: GAME, playerId: 'wc', name: 'Control', role: 'control', team: null };
const us: Seat = { gameId: GAME, playerId: 'p-us', name: 'Alice', role: 'team', team: 'us' };
const AUDIENCES = [
  { kind: 'control' } as const,
  { kind: 'team', team: 'us' } as const,
  { kind: 'team', team: 'dprk' } as const,
  { kind: 'observer' } as const,
];

class Recorder implements Publisher {
  patches: { key: string; patch: ViewPatch }[] = [];
  notices: GameNotice[] = [];
  // In a cluster every audience counts as listening (realtime.ts).
  listening() {
    return true;
  }
  patch(_gameId: string, key: string, patch: ViewPatch) {
    this.patches.push({ key, patch });
  }
  moved(notice: GameNotice) {
    this.notices.push(notice);
  }
  seatsChanged() {}
}

/** A lease table shared by the "processes", like keys in one Redis. */
class SharedLeases implements Leases {
  readonly taken = new Set<string>();
  async claim(name: string) {
    if (this.taken.has(name)) return false;
    this.taken.add(name);
    return true;
  }
}

/** Appends are stored, but the answer is lost: the outcome a dropped connection leaves. */
class LostAnswerStore extends MemoryStore {
  loseNext = false;
  override async append(gameId: string, expected: number, events: readonly unknown[]): Promise<number> {
    const version = await super.append(gameId, expected, events);
    if (this.loseNext) {
      this.loseNext = false;
      throw new StoreUnavailable('connection lost before the reply');
    }
    return version;
  }
}

function process_(store: MemoryStore, opts: { now?: () => number; leases?: Leases } = {}) {
  const metrics = new Metrics();
  const games = new Games({
    store,
    log: silentLogger,
    metrics,
    snapshotEvery: 1000,
    sharedStore: true,
    now: opts.now,
    leases: opts.leases,
  });
  const rec = new Recorder();
  games.setPublisher(rec);
  return { games, rec, metrics };
}

async function seed(games: Games) {
  await games.create(GAME, mini, { seed: 'shared' });
  for (const [playerId, name, role] of [
    ['wc', 'Control', 'control'],
    ['p-us', 'Alice', 'us'],
    ['p-dprk', 'Kim', 'dprk'],
  ]) {
    assert.ok((await games.submit(GAME, SYSTEM, { type: 'seat.take', playerId, name, role })).ok);
  }
}

const ticks = async (metrics: Metrics, outcome: string) =>
  Number(new RegExp(`flywheel_ticks_total\\{outcome="${outcome}"\\} (\\d+)`).exec(await metrics.render())?.[1] ?? 0);

async function until(check: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 3000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${what}: not within 30 s`);
}

test('a process that is behind catches up before it sends a whole view', async () => {
  const backing = new MemoryBacking();
  const a = process_(new MemoryStore(backing));
  const b = process_(new MemoryStore(backing));
  await seed(a.games);
  const gameB = (await b.games.get(GAME))!;
  await a.games.submit(GAME, actorOf(wc), { type: 'game.start' });
  await a.games.submit(GAME, actorOf(us), { type: 'chat.post', channel: 'plenary', text: 'only A has seen this' });
  const gameA = (await a.games.get(GAME))!;
  assert.ok(gameB.version < gameA.version, 'B is behind');
  await b.games.sync(GAME);
  assert.is(gameB.version, gameA.version);
  for (const audience of AUDIENCES) assert.equal(b.games.fullView(gameB, audience), a.games.fullView(gameA, audience));
  assert.is(b.rec.patches.length, 0, 'B sent nothing: A had already told every room');
});

test('a command through the process that is behind is decided on the state the other left', async () => {
  const backing = new MemoryBacking();
  const a = process_(new MemoryStore(backing));
  const b = process_(new MemoryStore(backing));
  await seed(a.games);
  const gameB = (await b.games.get(GAME))!;
  // A moves the game out of the lobby; B still holds the lobby, where draft commands are refused.
  await a.games.submit(GAME, actorOf(wc), { type: 'game.start' });
  await a.games.submit(GAME, actorOf(wc), { type: 'phase.advance' });
  await a.games.submit(GAME, actorOf(wc), { type: 'phase.advance' });
  await a.games.submit(GAME, actorOf(wc), { type: 'phase.advance' });
  assert.is((await a.games.get(GAME))!.state.phase, 'submission');
  assert.is(gameB.state.phase, 'lobby');
  const ack = await b.games.submit(GAME, actorOf(us), {
    type: 'draft.set',
    overt: ['us-talks'],
    covert: [],
    freeform: null,
  });
  assert.ok(ack.ok, JSON.stringify(ack));
  assert.is(gameB.state.phase, 'submission');
  const log = (await new MemoryStore(backing).load(GAME)) as GameEvent[];
  assert.is(ack.ok && ack.version, log.length, 'the ack is the version of the log');
});

for (const [channel, told] of [
  ['plenary', ['control', 'observer', 'team:dprk', 'team:prc', 'team:us']],
  ['team:us', ['control', 'team:us']],
] as const) {
  test(`an append whose answer was lost: the catch-up sends a whole view, from 0, to each audience it changed (${channel})`, async () => {
    const store = new LostAnswerStore();
    const a = process_(store);
    await seed(a.games);
    const game = (await a.games.get(GAME))!;
    for (const audience of AUDIENCES) a.games.fullView(game, audience);
    store.loseNext = true;
    const lost = await a.games.submit(GAME, actorOf(us), { type: 'chat.post', channel, text: 'stored, unanswered' });
    assert.is(!lost.ok && lost.error.code, 'STORE_UNAVAILABLE');
    assert.ok((await store.version(GAME)) > game.version, 'stored, though this process did not hear so');
    const before = a.rec.patches.length;
    await a.games.sync(GAME);
    const sent = a.rec.patches.slice(before);
    // The others are told nothing: a whole view to every team would say that something happened somewhere.
    assert.equal(sent.map((p) => p.key).sort(), [...told]);
    assert.ok(
      sent.every(
        ({ key, patch }) =>
          patch.from === 0 &&
          patch.version === seqOf(game.state, key) &&
          (patch.sections.messages ?? []).some((m) => m.text === 'stored, unanswered'),
      ),
    );
    // And the next update goes on from there, as patches, to whoever it concerns.
    const next = a.rec.patches.length;
    await a.games.submit(GAME, actorOf(us), { type: 'chat.post', channel: 'plenary', text: 'and then' });
    assert.ok(a.rec.patches.slice(next).every(({ patch }) => patch.from > 0));
  });
}

for (const withLease of [true, false]) {
  const how = withLease ? ' (one holds the lease)' : ' (no lease: the second tick is a no-op, not an error)';
  test(`a deadline held by two processes fires once${how}`, async () => {
    const backing = new MemoryBacking();
    const t0 = 1_800_000_000_000;
    const creator = process_(new MemoryStore(backing), { now: () => t0 });
    await seed(creator.games);
    await creator.games.submit(GAME, actorOf(wc), { type: 'game.start' });
    const deadline = (await creator.games.get(GAME))!.state.deadline!;
    creator.games.beginClose();
    // Two processes come up after the deadline: both load the game and both timers go off at once.
    const leases = withLease ? new SharedLeases() : undefined;
    const later = () => t0 + 120_000;
    const a = process_(new MemoryStore(backing), { now: later, leases });
    const b = process_(new MemoryStore(backing), { now: later, leases });
    await Promise.all([a.games.start(), b.games.start()]);
    await until(
      async () =>
        (await ticks(a.metrics, 'fired')) + (await ticks(b.metrics, 'fired')) >= 1 &&
        [a, b].every((p) => p.games.peek(GAME)?.state.phase === 'injects'),
      'the deadline fired',
    );
    // Both timers have gone off by now (each resolved its tick one way or the other).
    await until(async () => {
      let n = 0;
      for (const o of ['fired', 'noop', 'lease_lost']) n += (await ticks(a.metrics, o)) + (await ticks(b.metrics, o));
      return n >= 2;
    }, 'both timers settled');
    const log = (await new MemoryStore(backing).load(GAME)) as GameEvent[];
    assert.is(log.filter((e) => e.type === 'PhaseChanged' && e.phase === 'injects').length, 1, 'one phase change');
    assert.is((await ticks(a.metrics, 'fired')) + (await ticks(b.metrics, 'fired')), 1);
    assert.is((await ticks(a.metrics, 'failed')) + (await ticks(b.metrics, 'failed')), 0);
    // The other either found the deadline already moved when it caught up, or (at the same moment) the lease taken.
    assert.is(
      (await ticks(a.metrics, 'noop')) +
        (await ticks(b.metrics, 'noop')) +
        (await ticks(a.metrics, 'lease_lost')) +
        (await ticks(b.metrics, 'lease_lost')),
      1,
    );
    if (!withLease) assert.is((await ticks(a.metrics, 'lease_lost')) + (await ticks(b.metrics, 'lease_lost')), 0);
    assert.ok(deadline < later());
    a.games.beginClose();
    b.games.beginClose();
  });
}

test('a notice of a moved deadline makes a process that never loaded the game load it and arm its timer', async () => {
  const backing = new MemoryBacking();
  const a = process_(new MemoryStore(backing));
  const b = process_(new MemoryStore(backing));
  await b.games.start();
  await seed(a.games);
  await a.games.submit(GAME, actorOf(wc), { type: 'game.start' });
  const notice = a.rec.notices.at(-1)!;
  assert.ok(notice && notice.gameId === GAME && notice.deadline !== null, 'A announced the new deadline');
  assert.is(b.games.peek(GAME), undefined);
  b.games.noticed(notice);
  await until(() => b.games.peek(GAME)?.armedFor === notice.deadline, 'B armed the deadline');
  a.games.beginClose();
  b.games.beginClose();
});

test.run();
