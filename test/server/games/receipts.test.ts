// Safe retries: a command sent again with the id of one already answered gets the first answer and is not applied
// again: in the same process, after an append whose answer was lost, in another process sharing the store, and
// after a restart from a snapshot, however long the log has grown since. The ids ride in the log but never reach the engine's state.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { performance } from 'node:perf_hooks';
import { fold, type GameEvent } from '../../../server/engine/index.ts';
import { Games } from '../../../server/games/games.ts';
import { RECEIPT_KEY, Receipts, RECEIPTS_PER_SEAT } from '../../../server/games/receipts.ts';
import { SYSTEM, type Seat, actorOf } from '../../../server/games/seat.ts';
import { silentLogger } from '../../../server/log.ts';
import { Metrics } from '../../../server/metrics.ts';
import { StoreUnavailable } from '../../../server/store/event-store.ts';
import { MemoryBacking, MemoryStore } from '../../../server/store/memory-store.ts';
import { mini } from '../../fixtures/mini-scenario.ts';

const GAME = 'abcdefghijkl';
const wc: Seat = { gameId: GAME, playerId: 'wc', name: 'Control', role: 'control', team: null };
const us: Seat = { gameId: GAME, playerId: 'p-us', name: 'Alice', role: 'team', team: 'us' };
const chat = (text: string) => ({ type: 'chat.post' as const, channel: 'plenary', text });

/** Stores the next append, then loses its answer, as a connection dropping before the reply would. */
class LossyStore extends MemoryStore {
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

function process_(store: MemoryStore, snapshotEvery = 1000) {
  const metrics = new Metrics();
  const games = new Games({ store, log: silentLogger, metrics, snapshotEvery, sharedStore: true });
  return { games, metrics };
}

async function seed(games: Games) {
  await games.create(GAME, mini, { seed: 'receipts' });
  for (const [playerId, name, role] of [
    ['wc', 'Control', 'control'],
    ['p-us', 'Alice', 'us'],
  ]) {
    assert.ok((await games.submit(GAME, SYSTEM, { type: 'seat.take', playerId, name, role })).ok);
  }
}

const texts = (backing: MemoryBacking) =>
  (backing.logs.get(GAME) ?? [])
    .map((line) => JSON.parse(line) as GameEvent)
    .filter((e) => e.type === 'MessagePosted')
    .map((e) => (e.type === 'MessagePosted' ? e.message.text : ''));

const repeats = async (metrics: Metrics) =>
  Number(/flywheel_command_repeats_total (\d+)/.exec(await metrics.render())?.[1] ?? 0);

test('a repeat in the same process gets the first answer and stores nothing', async () => {
  const backing = new MemoryBacking();
  const { games, metrics } = process_(new MemoryStore(backing));
  await seed(games);
  const first = await games.submit(GAME, actorOf(us), chat('once'), { id: 'chat-0001' });
  assert.ok(first.ok);
  await games.submit(GAME, actorOf(wc), chat('in between'));
  const again = await games.submit(GAME, actorOf(us), chat('once'), { id: 'chat-0001' });
  assert.equal(again, first);
  assert.equal(texts(backing), ['once', 'in between']);
  assert.is(await repeats(metrics), 1);
  // Ids are per seat: another seat's command with the same id is its own command.
  assert.ok((await games.submit(GAME, actorOf(wc), chat('same id, other seat'), { id: 'chat-0001' })).ok);
  assert.equal(texts(backing), ['once', 'in between', 'same id, other seat']);
  // A command without an id is never taken for a repeat.
  await games.submit(GAME, actorOf(us), chat('no id'));
  await games.submit(GAME, actorOf(us), chat('no id'));
  assert.is(texts(backing).filter((t) => t === 'no id').length, 2);
});

test('a refusal is repeated as it was, without deciding again', async () => {
  const { games } = process_(new MemoryStore());
  await seed(games);
  const first = await games.submit(GAME, actorOf(us), { type: 'draft.unlock' }, { id: 'unlock-01' });
  assert.is(first.ok, false);
  assert.equal(await games.submit(GAME, actorOf(us), { type: 'draft.unlock' }, { id: 'unlock-01' }), first);
});

test('an append whose answer was lost: the repeat is told it was stored, and it is not stored twice', async () => {
  const backing = new MemoryBacking();
  const store = new LossyStore(backing);
  const { games } = process_(store);
  await seed(games);
  store.loseNext = true;
  const lost = await games.submit(GAME, actorOf(us), chat('lost answer'), { id: 'lost-0001' });
  assert.is(lost.ok, false);
  if (!lost.ok) assert.is(lost.error.code, 'STORE_UNAVAILABLE');
  const again = await games.submit(GAME, actorOf(us), chat('lost answer'), { id: 'lost-0001' });
  assert.equal(again, { ok: true, version: (backing.logs.get(GAME) ?? []).length });
  assert.equal(texts(backing), ['lost answer']);
});

test('another process sharing the store answers a repeat from the log', async () => {
  const backing = new MemoryBacking();
  const a = process_(new MemoryStore(backing));
  const b = process_(new MemoryStore(backing));
  await seed(a.games);
  await b.games.get(GAME); // B holds the game, a version behind once A stores the command
  const first = await a.games.submit(GAME, actorOf(us), chat('via A'), { id: 'cross-001' });
  assert.ok(first.ok);
  // Repeated through B: one whose decision stores events (a chat line) and one whose would be refused (a lock).
  assert.equal(await b.games.submit(GAME, actorOf(us), chat('via A'), { id: 'cross-001' }), first);
  assert.equal(texts(backing), ['via A']);
  assert.ok((await a.games.submit(GAME, actorOf(wc), { type: 'game.start' })).ok);
  for (let i = 0; i < 3; i++) assert.ok((await a.games.submit(GAME, actorOf(wc), { type: 'phase.advance' })).ok);
  const game = await a.games.get(GAME);
  assert.is(game?.state.phase, 'submission');
  const locked = await a.games.submit(GAME, actorOf(us), { type: 'draft.lock' }, { id: 'lock-0001' });
  assert.ok(locked.ok);
  assert.equal(await b.games.submit(GAME, actorOf(us), { type: 'draft.lock' }, { id: 'lock-0001' }), locked);
});

/** The US seat's chat lines, each sent with an id of its own: `${prefix}-0`, `${prefix}-1`… */
const seatLines = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ command: chat(`${prefix} ${i}`), id: `${prefix}-${i}` }));

/** Sends each line once, from the seat; returns the answers. */
async function sendAll(games: Games, lines: ReturnType<typeof seatLines>) {
  const acks = [];
  for (const { command, id } of lines) acks.push(await games.submit(GAME, actorOf(us), command, { id }));
  return acks;
}

/** A new store and a process on it that snapshots every `snapshotEvery` events, with the game and its seats. */
async function seeded(snapshotEvery: number) {
  const backing = new MemoryBacking();
  const before = process_(new MemoryStore(backing), snapshotEvery);
  await seed(before.games);
  return { backing, before };
}

/** A process started afresh on the same store (a restart): each line sent again gets its first answer. */
async function restartedAnswers(backing: MemoryBacking, snapshotEvery: number, lines: ReturnType<typeof seatLines>) {
  const after = process_(new MemoryStore(backing), snapshotEvery);
  await after.games.start();
  return { after, acks: await sendAll(after.games, lines) };
}

test('after a restart from a snapshot, recent receipts are still known; replay ignores them', async () => {
  const { backing, before } = await seeded(3);
  const lines = seatLines('line', 10);
  const acks = await sendAll(before.games, lines);
  assert.ok(backing.snapshots.has(GAME), 'a snapshot was saved');
  const { after, acks: again } = await restartedAnswers(backing, 3, lines);
  assert.equal(again, acks);
  assert.is(texts(backing).length, 10);
  const raw = (backing.logs.get(GAME) ?? []).map((line) => JSON.parse(line) as GameEvent);
  assert.ok(
    raw.some((e) => RECEIPT_KEY in e),
    'the ids are in the log',
  );
  const loaded = await after.games.get(GAME);
  assert.equal(fold(raw), loaded?.state, 'replaying the log, receipts and all, gives the state held');
  assert.not.ok(JSON.stringify(loaded?.state).includes(RECEIPT_KEY), 'no receipt reached the state');
});

test("after a restart, a seat's last answers are known however many commands other seats sent since", async () => {
  const { backing, before } = await seeded(100);
  const lines = seatLines('mine', 3);
  const acks = await sendAll(before.games, lines);
  // A busy stretch of the White Cell's commands (bots, a seminar) while the seat's client is away.
  for (let i = 0; i < 1_500; i++) assert.ok((await before.games.submit(GAME, actorOf(wc), chat(`busy ${i}`))).ok);
  const { acks: again } = await restartedAnswers(backing, 100, lines);
  assert.equal(again, acks);
  assert.is(texts(backing).filter((t) => t.startsWith('mine')).length, 3, 'stored once each');
});

test('a command that waited past the bound is refused unapplied', async () => {
  const backing = new MemoryBacking();
  const { games } = process_(new MemoryStore(backing));
  await seed(games);
  const ack = await games.submit(GAME, actorOf(us), chat('too late'), {
    id: 'late-0001',
    receivedAt: performance.now() - 60_000,
  });
  assert.is(ack.ok, false);
  if (!ack.ok) assert.is(ack.error.code, 'BUSY');
  assert.equal(texts(backing), []);
});

test('each seat keeps a bounded number of answers', () => {
  const r = new Receipts();
  for (let i = 0; i <= RECEIPTS_PER_SEAT; i++) r.remember({ player: 'p', id: `id-${i}` }, { ok: true, version: i });
  assert.is(r.get({ player: 'p', id: 'id-0' }), undefined);
  assert.equal(r.get({ player: 'p', id: `id-${RECEIPTS_PER_SEAT}` }), { ok: true, version: RECEIPTS_PER_SEAT });
});

test.run();
