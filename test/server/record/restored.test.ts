// A log repaired from a snapshot (scripts/repair-log.ts): one StateRestored event stands for events that no longer
// read. Folding the log still gives the game byte for byte, the White Cell's export withholds the secret dice seed
// inside the carried state as it does in GameCreated, and a fork copies the restored play as its own game's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fold, type GameEvent } from '../../../server/engine/index.ts';
import { buildExport } from '../../../server/record/export.ts';
import { forkEvents } from '../../../server/record/fork.ts';
import { observe } from '../../../server/record/timings.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { control, Game, teamActor } from '../../helpers/engine.ts';

const SECRET = 'the-server-secret-seed-0123456789';

/** A game in its briefing with secret dice, and the same log with events 4..lobbyEnd+n stood for by a restore. */
function restoredGame() {
  const g = new Game(mini, {}, SECRET).seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' });
  for (let i = 0; i < 6; i++) g.do(teamActor('us'), { type: 'chat.post', channel: 'plenary', text: `line ${i}` });
  const snapshotVersion = g.log.length;
  const snapshot = g.state;
  for (let i = 6; i < 9; i++) g.do(teamActor('dprk'), { type: 'chat.post', channel: 'plenary', text: `line ${i}` });
  const keep = 3; // the damage fell on a seat: the log is kept up to version 3
  const log: GameEvent[] = [
    ...g.log.slice(0, keep),
    { type: 'StateRestored', state: snapshot, snapshotVersion, at: g.now },
    ...g.log.slice(snapshotVersion),
  ];
  g.do(control, { type: 'phase.advance' }); // round 1 begins: the briefing (round 0) can be forked
  log.push(...g.log.slice(log.length - keep - 1 + snapshotVersion));
  return { g, log };
}

test('a restored log folds to the game, and the White Cell export withholds the seed inside it', () => {
  const { g, log } = restoredGame();
  assert.is(JSON.stringify(fold(log)), JSON.stringify(g.state));
  const x = buildExport(log, { kind: 'control' });
  assert.not.ok(JSON.stringify(x.json).includes(SECRET), 'the seed is a secret until the debrief');
  const restored = x.json.events?.find((e) => e.type === 'StateRestored');
  assert.is(restored?.type === 'StateRestored' && restored.state.options.seed, '');
  assert.ok(x.json.steps.some((s) => s.event === 'StateRestored'));
  for (const audience of [{ kind: 'team', team: 'us' } as const, { kind: 'observer' } as const]) {
    const text = JSON.stringify(buildExport(log, audience).json);
    assert.not.ok(text.includes('StateRestored'));
    assert.not.ok(text.includes('SECRET_dprk'));
  }
});

test("a restored log's timings run forwards: the gap is a span of its own, and what follows keeps its times", () => {
  const { g, log } = restoredGame();
  // The repair happened long after the game: its time is the StateRestored's, and must not start a phase.
  const repairedAt = g.now + 3_600_000;
  const late = log.map((e) => (e.type === 'StateRestored' ? { ...e, at: repairedAt } : e));
  for (const audience of [{ kind: 'control' } as const, { kind: 'team', team: 'us' } as const]) {
    const { phases } = observe(late, audience);
    for (const p of phases) assert.ok(p.end === null || p.end >= p.start, `${audience.kind}: ${JSON.stringify(p)}`);
    assert.not.ok(
      phases.some((p) => p.start === repairedAt || p.end === repairedAt),
      'the time of the repair is no phase time',
    );
    if (audience.kind === 'control') {
      const at = phases.findIndex((p) => p.phase === 'restored');
      assert.ok(at > 0, 'the gap is marked');
      assert.is(phases[at + 1]?.round, 0, 'then the briefing the restored state stood in');
      assert.equal(phases.at(-1)?.phase, 'injects', 'and round 1, as played after the repair');
    }
  }
});

test('a team that locked among the events a repair stands for is not timed at the repair', () => {
  const g = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' });
  while (g.state.phase !== 'submission') g.advance(10_000).do(control, { type: 'phase.advance' });
  const keep = g.log.length;
  g.advance(5000).do(teamActor('us'), { type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null });
  g.advance(5000).do(teamActor('us'), { type: 'draft.lock' });
  const snapshotVersion = g.log.length;
  const repairedAt = g.now + 3_600_000;
  const log: GameEvent[] = [
    ...g.log.slice(0, keep),
    { type: 'StateRestored', state: g.state, snapshotVersion, at: repairedAt },
  ];
  g.advance(4000).do(teamActor('dprk'), { type: 'draft.lock' });
  log.push(...g.log.slice(snapshotVersion));
  const { locks } = observe(log, { kind: 'control' });
  assert.equal(
    locks.map((l) => [l.team, l.at === repairedAt]),
    [['dprk', false]],
    "the US's lock is not in the log; the DPRK's is, at its own time",
  );
});

test('a restore into another game is refused as an inconsistent log', () => {
  const { log } = restoredGame();
  const wrong = log.map((e) => (e.type === 'StateRestored' ? { ...e, state: { ...e.state, id: 'other' } } : e));
  assert.throws(() => fold(wrong), /log inconsistent/);
});

test('a fork copies a restored state as its own game, without the parent seats', () => {
  const { log } = restoredGame();
  const fork = forkEvents(log, 0, 'forkforkfork', 'fork-seed', 1_800_000_000_000);
  assert.ok(Array.isArray(fork), JSON.stringify(fork));
  const state = fold(fork);
  assert.is(state.id, 'forkforkfork');
  assert.is(state.options.seed, 'fork-seed');
  assert.equal(state.players, {});
  assert.is(state.record?.forkedFrom?.gameId, 'g1');
  assert.is(state.phase, 'briefing');
  const copied = fork.find((e) => e.type === 'StateRestored');
  assert.ok(copied && !JSON.stringify(copied).includes(SECRET), "the parent's seed is not copied");
});

test.run();
