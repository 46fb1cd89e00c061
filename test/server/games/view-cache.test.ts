// The per-audience view cache: patches carry only the sections whose JSON changed, numbered by the audience's own
// version (which moves only when its view does), and nobody's view is built for an empty room.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  audienceKey,
  audiences,
  decide,
  Dice,
  evolve,
  isDomainError,
  seqOf as viewVersion,
  wireView,
} from '../../../server/engine/index.ts';
import { markCommand, markSeen } from '../../../server/games/audience-versions.ts';
import { applyPatch, compactChat } from '../../../shared/protocol.ts';
import { randomStep } from '../../helpers/random-play.ts';
import { ViewCache } from '../../../server/games/view-cache.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game, control, teamActor } from '../../helpers/engine.ts';

const us = { kind: 'team', team: 'us' } as const;
const dprk = { kind: 'team', team: 'dprk' } as const;

function started() {
  const g = new Game(mini);
  g.marking = true;
  g.seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  return g;
}

test('a patch holds only the sections that changed for that audience, numbered by its own version', () => {
  const g = started();
  const cache = new ViewCache('g1');
  let version = g.log.length;
  cache.full(g.state, version, us);
  cache.full(g.state, version, dprk);

  // A chat inside the US team: only the US's messages change.
  const prev = g.state;
  g.do(teamActor('us'), { type: 'chat.post', channel: 'team:us', text: 'between us' });
  const listening = (key: string) => key === 'team:us' || key === 'team:dprk';
  const patches = cache.update(prev, g.state, version, version + 1, listening);
  assert.equal(
    patches.map((p) => p.key),
    ['team:us'],
  );
  assert.equal(Object.keys(patches[0].patch.sections), [], 'chat travels as an append, not as the whole history');
  const usAt = patches[0].patch.from;
  assert.equal(patches[0].patch, {
    gameId: 'g1',
    from: usAt,
    version: usAt + 1,
    sections: {},
    appendMessages: wireView(g.state, us).messages.slice(-1),
  });
  version += 1;

  // Next, a change the DPRK sees: its version moves by one, whatever the US did in private meanwhile.
  const prev2 = g.state;
  const dprkAt = viewVersion(prev2, 'team:dprk');
  g.do(teamActor('dprk'), { type: 'chat.post', channel: 'team:dprk', text: 'and between us' });
  const p2 = cache.update(prev2, g.state, version, version + 1, listening);
  assert.equal(
    p2.map((p) => [p.key, p.patch.from, p.patch.version]),
    [['team:dprk', dprkAt, dprkAt + 1]],
  );

  // The cached full view is the engine's view, built once per version.
  const full = cache.full(g.state, version + 1, us);
  assert.equal(full, wireView(g.state, us));
  assert.is(cache.full(g.state, version + 1, us), full, 'the same object: not rebuilt');
});

test('audiences nobody listens to are dropped, and a listener unknown to the cache gets every section from 0', () => {
  const g = started();
  const cache = new ViewCache('g1');
  const v = g.log.length;
  cache.full(g.state, v, us);
  const prev = g.state;
  g.do(control, { type: 'chat.post', channel: 'plenary', text: 'to all' });
  const patches = cache.update(prev, g.state, v, v + 1, (key) => key === 'team:us' || key === 'observer');
  assert.is(cache.size, 2, 'only the two listened-to audiences are cached');
  const observer = patches.find((p) => p.key === 'observer')!;
  assert.is(observer.patch.from, 0);
  assert.equal(observer.patch.sections, wireView(g.state, { kind: 'observer' }));
  assert.equal(
    patches.find((p) => p.key === 'team:us')!.patch.appendMessages!.map((m) => m.text),
    ['to all'],
  );
});

test('applying every patch in order gives each audience exactly the engine view', () => {
  const g = started();
  const cache = new ViewCache('g1');
  const audiences = [
    us,
    dprk,
    { kind: 'team', team: 'prc' } as const,
    { kind: 'control' } as const,
    { kind: 'observer' } as const,
  ];
  let version = g.log.length;
  const held = new Map(
    audiences.map((a) => [a, { view: cache.full(g.state, version, a), version: viewVersion(g.state, audienceKey(a)) }]),
  );
  const keyOf = (a: (typeof audiences)[number]) => (a.kind === 'team' ? `team:${a.team}` : a.kind);
  const step = (fn: () => void) => {
    const prev = g.state;
    fn();
    const patches = cache.update(prev, g.state, version, version + 1, () => true);
    version += 1;
    for (const a of audiences) {
      const p = patches.find((x) => x.key === keyOf(a));
      const h = held.get(a)!;
      if (p) {
        assert.ok(p.patch.from === h.version && h.version + 1 === p.patch.version, 'the patch follows on');
        held.set(a, { view: applyPatch(h.view, p.patch), version: p.patch.version });
      }
      assert.equal(compactChat(held.get(a)!.view), wireView(g.state, a));
    }
  };
  step(() =>
    g.do(teamActor('us'), {
      type: 'deal.propose',
      to: ['dprk'],
      obligations: [{ team: 'us', action: 'us-talks', byRound: 1 }],
      secret: true,
      snapback: false,
      note: 'n',
    }),
  );
  step(() => g.do(teamActor('dprk'), { type: 'deal.accept', dealId: g.lastDealId() }));
  step(() => g.do(control, { type: 'phase.advance' }));
  step(() => g.do(teamActor('us'), { type: 'draft.set', overt: ['us-talks'], covert: ['us-cyber'], freeform: null }));
  step(() => g.do(teamActor('prc'), { type: 'chat.post', channel: 'bi:dprk:prc', text: 'x' }));
  step(() => g.do(control, { type: 'phase.advance' }));
  step(() => g.do(control, { type: 'adjudication.approve' }));
});

test('over random games, the patches each audience receives rebuild exactly its view', () => {
  for (const seed of [3, 17, 101, 4242]) {
    const g = new Game(mini, { seed });
    g.marking = true;
    g.seatAll(['us', 'dprk', 'prc']);
    const cache = new ViewCache('g1');
    const who = audiences(g.state);
    let version = g.log.length;
    const held = new Map(
      who.map((a) => [
        audienceKey(a),
        { view: cache.full(g.state, version, a), version: viewVersion(g.state, audienceKey(a)) },
      ]),
    );
    const d = new Dice(seed);
    for (let i = 0; i < 400; i++) {
      const step = randomStep(g.state, d);
      g.advance(step.advanceMs);
      const prev = g.state;
      if (g.try(step.actor, step.command)) continue;
      const next = g.log.length;
      for (const { key, patch } of cache.update(prev, g.state, version, next, () => true)) {
        const h = held.get(key)!;
        assert.is(patch.from, h.version, `gap for ${key}`);
        held.set(key, { view: applyPatch(h.view, patch), version: patch.version });
      }
      version = next;
      for (const a of who)
        assert.equal(
          compactChat(held.get(audienceKey(a))!.view),
          wireView(g.state, a),
          `seed ${seed} step ${i}: ${audienceKey(a)} drifted`,
        );
    }
  }
});

test("a command's views built once (ViewCache.diff) mark the same audiences and send the same patches", () => {
  let moved = 0;
  for (const seed of [5, 23, 777]) {
    const g = new Game(mini, { seed });
    g.seatAll(['us', 'dprk', 'prc']);
    const once = new ViewCache('g1');
    const twice = new ViewCache('g1');
    // Nobody listens to the observers: the cache holds no view of theirs, so their diff is made against the old state.
    const listening = (key: string) => key !== 'observer';
    let state = g.state;
    let version = 1;
    for (const a of audiences(state)) {
      once.full(state, version, a);
      twice.full(state, version, a);
    }
    const d = new Dice(seed);
    let now = g.now;
    for (let i = 0; i < 400; i++) {
      const step = randomStep(state, d);
      now += step.advanceMs;
      const ids = [`a${i}`, `b${i}`, `c${i}`, `d${i}`];
      const events = decide(state, { command: step.command, actor: step.actor, now, ids });
      if (isDomainError(events) || events.length === 0) continue;
      const { events: marked, diff } = markCommand(once, state, events, version);
      assert.equal(marked, markSeen(state, events), `seed ${seed} step ${i}: the same audiences marked`);
      if (diff.changed.size) moved++;
      let next = state;
      for (const e of marked) next = evolve(next, e);
      assert.equal(
        once.update(state, next, version, version + 1, listening, diff),
        twice.update(state, next, version, version + 1, listening),
        `seed ${seed} step ${i}: the same patches`,
      );
      state = next;
      version++;
    }
  }
  assert.ok(moved > 50, `views outside chat changed in ${moved} commands`);
});

test.run();
