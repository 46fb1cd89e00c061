// Replay is exact: random games are played through the application service while every audience's client view is
// kept from the patches it was sent; the view rebuilt from the stored log at each of those versions is the same.
// And a fork, folded by the engine, has its parent's history up to its round and its own dice afterwards.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  audienceKey,
  audiences,
  fold,
  isDomainError,
  seqOf,
  type Audience,
  type GameEvent,
  type GameState,
  archivedEntries,
  catalogueFor,
  olderReveals,
  viewFor,
  wireView,
} from '../../../server/engine/index.ts';
import { Dice, verifyDice } from '../../../server/engine/index.ts';
import { Games, type Publisher } from '../../../server/games/games.ts';
import { LoadedGame } from '../../../server/games/loaded-game.ts';
import { silentLogger } from '../../../server/log.ts';
import { Metrics } from '../../../server/metrics.ts';
import { MemoryStore } from '../../../server/store/memory-store.ts';
import {
  applyPatch,
  compactChat,
  withArchive,
  withCatalogue,
  type Archive,
  type ViewPatch,
} from '../../../shared/protocol.ts';
import type { GameView, WireView } from '../../../shared/views.ts';

/**
 * The full view a client can rebuild from what it was sent: its actions joined to its catalogue and the older
 * reveals it may ask for, both answered by the server from the same state.
 */
function rebuilt(state: GameState, a: Audience, sent: WireView): GameView {
  const archive: Archive = { deals: new Map(), injects: new Map() };
  for (const [kind, refs] of [
    ['deals', sent.earlierDeals],
    ['injects', sent.earlierInjects],
  ] as const)
    for (const x of archivedEntries(
      state,
      a,
      kind,
      refs.map((r) => r.id),
    ))
      (archive[kind] as Map<string, unknown>).set(x.item.id, x);
  const joined = withArchive(withCatalogue(sent, catalogueFor(state, a)), archive);
  const before = sent.reveals[0]?.round ?? Number.MAX_SAFE_INTEGER;
  return {
    ...joined,
    reveals: [...olderReveals(state, a, before), ...joined.reveals],
    earlierReveals: [],
    catalogue: null,
  };
}
import { forkEvents, forkPoint } from '../../../server/record/fork.ts';
import { pseudonymise, pseudonymsFor } from '../../../server/record/pseudonyms.ts';
import { replayIndex, replaySteps, viewAt } from '../../../server/record/replay.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { randomStep } from '../../helpers/random-play.ts';
import { NAMES, scriptedGame, wc } from '../../helpers/scripted-record.ts';
import { Game } from '../../helpers/engine.ts';

const GAME = 'replaygame01';

class Clients implements Publisher {
  views = new Map<string, WireView>();
  listening() {
    return true;
  }
  patch(_gameId: string, key: string, p: ViewPatch) {
    this.views.set(key, applyPatch(this.views.get(key)!, p));
  }
  moved() {}
  seatsChanged() {}
}

test('the replayed view at every version equals what each audience was sent', async () => {
  for (let seed = 1; seed <= 4; seed++) {
    let now = 1_700_000_000_000;
    const store = new MemoryStore();
    const games = new Games({ store, log: silentLogger, metrics: new Metrics(), snapshotEvery: 50, now: () => now });
    const clients = new Clients();
    games.setPublisher(clients);
    const game = await games.create(GAME, mini, { seed: `replay-${seed}` });
    assert.ok(game instanceof LoadedGame);
    const all: Audience[] = audiences(game.state);
    for (const a of all) clients.views.set(audienceKey(a), games.fullView(game, a).view);
    for (const t of ['us', 'dprk', 'prc'])
      await games.submit(
        GAME,
        { kind: 'system' },
        { type: 'seat.take', playerId: `p-${t}`, name: `${t} player`, role: t },
      );
    const seen: { version: number; own: number; key: string; view: string; state: GameState }[] = [];
    const d = new Dice(seed * 104729);
    for (let i = 0; i < 250; i++) {
      const step = randomStep(game.state, d);
      now += step.advanceMs;
      const ack = await games.submit(GAME, step.actor, step.command);
      if (!ack.ok) continue;
      for (const a of all)
        seen.push({
          version: ack.version,
          own: games.audienceVersion(GAME, a)!,
          key: audienceKey(a),
          // A patched view holds chat in the order it arrived; a whole view holds it channel by channel, recent
          // lines only (docs/protocol.md): compactChat puts the first in the second's form.
          view: JSON.stringify(compactChat(clients.views.get(audienceKey(a))!)),
          state: game.state,
        });
    }
    const log = (await store.load(GAME)) as GameEvent[];
    assert.ok(seen.length > 100, `seed ${seed}: enough commands went through`);
    // viewAt folds from the start each time; the states in between are folded once here to keep the test quick,
    // and viewAt itself is checked on every seventh record.
    let state = fold(log.slice(0, 1));
    let at = 1;
    seen.forEach((s, i) => {
      const a = all.find((x) => audienceKey(x) === s.key)!;
      state = fold(log.slice(at, s.version), state);
      at = s.version;
      // What was sent is the wire projection of the state the log folds to…
      assert.is(JSON.stringify(wireView(state, a)), s.view, `seed ${seed}, ${s.key} at version ${s.version}`);
      // …and the replay's full view (every reveal, whole actions) is what the client can rebuild from it.
      const view = i % 7 === 0 ? viewAt(log, s.version, a) : viewFor(state, a);
      const sent = JSON.parse(s.view) as WireView;
      assert.is(JSON.stringify(view), JSON.stringify(rebuilt(s.state, a, sent)), `seed ${seed}, ${s.key} rebuilt`);
    });
    // The scrubber has a step at each version a team's client was sent (numbered as its socket numbered them), and
    // the view there is the one the client held.
    const us: Audience = { kind: 'team', team: 'us' };
    const { steps, logVersions } = replayIndex(log, us);
    const usSeen = seen.filter((s) => s.key === 'team:us');
    for (const s of usSeen) {
      const i = steps.findIndex((x) => x.version === s.own);
      assert.ok(i >= 0, `seed ${seed}: a step at the US's version ${s.own}`);
      assert.is(JSON.stringify(wireView(fold(log.slice(0, logVersions[i])), us)), s.view, `seed ${seed}: v${s.own}`);
    }
    assert.equal(
      steps.map((x) => x.version),
      steps.map((_, i) => i + 1),
      `seed ${seed}: one step a version`,
    );
  }
});

test("a team's scrubber names no events; the White Cell's does", () => {
  const g = scriptedGame();
  const team = replaySteps(g.log, { kind: 'team', team: 'us' });
  const control = replaySteps(g.log, { kind: 'control' });
  assert.ok(team.every((s) => s.event === undefined));
  assert.ok(control.every((s) => typeof s.event === 'string'));
  assert.ok(team.length < control.length, "the US does not see DPRK's and China's private moves happen");
});

test('a fork from a round not yet played is refused, in words that fit a game still in its lobby', () => {
  const lobby = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  const early = forkPoint(lobby.log, 0);
  assert.ok(isDomainError(early) && early.code === 'BAD_FORK');
  assert.match(early.message, /has not started/);
  lobby.do(wc, { type: 'game.start' });
  assert.is(typeof forkPoint(lobby.log, 0), 'number', 'the briefing can be forked once reached');
  const notYet = forkPoint(lobby.log, 1);
  assert.ok(isDomainError(notYet) && /Round 1 has not been played to its reveal/.test(notYet.message));
});

test('a fork has its parent’s history up to its round, then goes its own way', () => {
  const parent = scriptedGame({ end: false, rounds: 2 });
  const cut = forkPoint(parent.log, 1);
  assert.ok(typeof cut === 'number');
  const events = forkEvents(parent.log, 1, 'forkgame0001', 'new-seed', parent.now + 1000);
  assert.ok(!isDomainError(events));
  const fork = fold(events);
  const atCut = fold(parent.log.slice(0, cut));
  assert.is(fork.id, 'forkgame0001');
  assert.is(fork.options.seed, 'new-seed');
  assert.equal(fork.record?.forkedFrom, { gameId: 'g1', round: 1, version: cut, at: parent.now + 1000 });
  // The same record of round 1, signed with the parent's pseudonyms: the fork's players are not the parent's.
  const names = pseudonymsFor(atCut, parent.log.slice(0, cut));
  assert.equal(fork.reveals, pseudonymise(atCut.reveals, names), 'the same record of round 1');
  const parentNames = Object.values(NAMES);
  assert.ok(
    parentNames.some((n) => JSON.stringify(parent.log.slice(1, cut)).includes(n)),
    "the parent's play is signed",
  );
  for (const n of parentNames) assert.not.ok(JSON.stringify(events).includes(n), `the fork's log does not name ${n}`);
  assert.equal(fork.meters, atCut.meters);
  assert.equal(fork.deals, atCut.deals);
  assert.equal(fork.players, {}, 'no seats: the fork has its own players');
  assert.equal(fork.record?.notes, [], "the parent's notes stay with it");
  assert.is(fork.deadline, null, 'the clock waits for the fork’s White Cell');
  assert.is(fork.phase, 'reveal');
  assert.is(fork.round, 1);
  // The link and the stopped clock are a version of their own for every audience: a replay's last step shows the
  // fork as its seats are first shown it.
  const usSteps = replayIndex(events, { kind: 'team', team: 'us' });
  assert.is(usSteps.logVersions.at(-1), events.length);
  assert.is(usSteps.steps.at(-1)!.version, seqOf(fork, 'team:us'));
  assert.ok(isDomainError(forkEvents(parent.log, 3, 'x', 's', 0)), 'round 3 was never played');

  // Both play round 2 the same way; their dice differ, so (over a few seeds) the outcomes do.
  const g = new Game(mini);
  g.log = events;
  g.state = fork;
  g.do(wc, { type: 'phase.advance' });
  assert.is(g.state.round, 2);
  const parentIntel = parent.state.intel.filter((r) => r.round === 2);
  const forkIntel = g.state.intel.filter((r) => r.round === 2);
  assert.is(forkIntel.length, parentIntel.length);
  assert.not.equal(
    forkIntel.map((r) => r.estimate),
    parentIntel.map((r) => r.estimate),
    'new dice, new intelligence draws',
  );
  // The parent's log is unchanged by all this.
  assert.is(parent.log.filter((e) => e.type === 'GameForked').length, 0);
  // The fork's dice are a new game's: keyed by a secret, which even its White Cell sees only at the debrief, and
  // checkable from there; the parent's rolls it copied are left to the parent's own check.
  assert.is(fork.options.dice, 'hmac-sha256');
  const forkView = viewFor(g.state, { kind: 'control' });
  assert.is(forkView.control?.seed ?? null, null, 'no seed for the White Cell before the debrief');
  assert.is((forkView.game as { dice?: { scheme?: string } }).dice?.scheme, 'hmac-sha256');
  const checked = verifyDice(g.log);
  assert.ok(checked.ok, checked.problems.join('; '));
  assert.ok(checked.rolls > 0, "the fork's own draws are checked");
  assert.ok(checked.fromParent > 0, "the parent's are counted apart");
});

test.run();
