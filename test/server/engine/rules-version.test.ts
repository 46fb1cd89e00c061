// Games stored under the first rules (no rulesVersion in their first event) still load, replay and play by those rules.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Scenario } from '../../../shared/scenario.ts';
import { Game, control, teamActor } from '../../helpers/engine.ts';
import { fold, underWay, type GameEvent } from '../../../server/engine/index.ts';

const DELAYED = {
  dueRound: 9,
  team: 'dprk',
  actionId: 'dprk-yongbyon-freeze',
  meter: 'denuclearization',
  delta: 5,
  visibleTo: 'all' as const,
};
import { RULES_VERSION, STATE_FORMAT } from '../../../server/engine/types.ts';
import { sidePairsAtOrAbove } from '../../../server/engine/tiers.ts';

const flywheel = Scenario.parse(
  JSON.parse(readFileSync(new URL('../../../scenarios/flywheel-2022.json', import.meta.url), 'utf8')),
);

/** A game whose first event is as an engine before rules versioning wrote it. */
function oldGame() {
  const g = new Game(flywheel);
  const first = g.log[0] as Extract<GameEvent, { type: 'GameCreated' }>;
  const { rulesVersion: _dropped, ...options } = first.options;
  g.log[0] = { ...first, options };
  g.state = fold(g.log);
  return g;
}

/** A game created by the engine of an earlier rules version. */
function versionGame(rulesVersion: number) {
  const g = new Game(flywheel);
  const first = g.log[0] as Extract<GameEvent, { type: 'GameCreated' }>;
  g.log[0] = { ...first, options: { ...first.options, rulesVersion } };
  g.state = fold(g.log);
  return g;
}
const v2Game = () => versionGame(2);

/** The US proposes humanitarian exemptions for DPRK aid monitors, both due in round 1, and the DPRK accepts. */
function reliefForMonitors(g: Game, secret = false) {
  g.do(teamActor('us'), {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-humanitarian-exemptions', byRound: 1 },
      { team: 'dprk', action: 'dprk-aid-monitors', byRound: 1 },
    ],
    secret,
    snapback: false,
    note: '',
  });
  g.do(teamActor('dprk'), { type: 'deal.accept', dealId: g.lastDealId() });
}

function duplicatedDeals(g: Game) {
  g.seatAll(['us', 'dprk', 'prc', 'rok', 'jpn']);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  for (let i = 0; i < 2; i++) reliefForMonitors(g);
  g.do(control, { type: 'phase.advance' });
  g.do(teamActor('us'), { type: 'draft.set', overt: ['us-humanitarian-exemptions'], covert: [], freeform: null });
  g.do(teamActor('dprk'), { type: 'draft.set', overt: ['dprk-aid-monitors'], covert: [], freeform: null });
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'adjudication.approve' });
}

test('new games record the rules version; the state format moved on with it', () => {
  const g = new Game(flywheel);
  assert.is(g.state.options.rulesVersion, RULES_VERSION);
  assert.ok(STATE_FORMAT >= 4);
});

test('a game from before rules versioning plays by the first rules and replays byte for byte', () => {
  const old = oldGame();
  duplicatedDeals(old);
  assert.is(old.state.options.rulesVersion, undefined);
  assert.is(old.state.pairs.length, 2, 'the first rules paid a duplicated deal twice');
  assert.is(JSON.stringify(fold(old.log)), JSON.stringify(old.state));
  const now = new Game(flywheel);
  duplicatedDeals(now);
  assert.is(now.state.pairs.length, 1);
  assert.is(JSON.stringify(fold(now.log)), JSON.stringify(now.state));
});

test('a game of rules version 2 keeps its erosion and its scores', () => {
  for (const [g, v3] of [
    [v2Game(), false],
    [new Game(flywheel), true],
  ] as const) {
    g.seatAll(['us', 'dprk', 'prc', 'rok', 'jpn']);
    g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
    // Relief for a step the DPRK never takes: the deal breaks, the relief stays.
    reliefForMonitors(g);
    g.do(control, { type: 'phase.advance' });
    g.do(teamActor('us'), { type: 'draft.set', overt: ['us-humanitarian-exemptions'], covert: [], freeform: null });
    g.do(control, { type: 'phase.advance' }).do(control, { type: 'adjudication.approve' });
    g.do(control, { type: 'phase.advance' })
      .do(control, { type: 'phase.advance' })
      .do(control, { type: 'phase.advance' });
    g.do(control, { type: 'phase.advance' }).do(control, { type: 'adjudication.approve' });
    const round2 = g.state.reveals.at(-1)!;
    assert.is(round2.round, 2);
    assert.is(
      round2.lines.some((l) => l.kind === 'erosion'),
      v3,
      `rules ${g.state.options.rulesVersion}: erosion of relief under a broken deal`,
    );
    const pending = { ...g.state, delayed: [{ ...DELAYED }] };
    assert.is(underWay(pending).length === 0, !v3, 'scores count what is under way only under version 3');
    assert.is(JSON.stringify(fold(g.log)), JSON.stringify(g.state));
  }
});

test('a game of rules version 3 counts a secret pair for the gates; version 4 counts it for its parties alone', () => {
  for (const [g, v4] of [
    [versionGame(3), false],
    [new Game(flywheel), true],
  ] as const) {
    g.seatAll(['us', 'dprk', 'prc', 'rok', 'jpn']);
    g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
    reliefForMonitors(g, true);
    g.do(control, { type: 'phase.advance' });
    g.do(teamActor('us'), { type: 'draft.set', overt: ['us-humanitarian-exemptions'], covert: [], freeform: null });
    g.do(teamActor('dprk'), { type: 'draft.set', overt: ['dprk-aid-monitors'], covert: [], freeform: null });
    g.do(control, { type: 'phase.advance' }).do(control, { type: 'adjudication.approve' });
    const lines = g.state.reveals[0].lines;
    assert.ok(
      lines.some((l) => l.kind === 'pair'),
      'the pair is made either way',
    );
    assert.is(
      lines.some((l) => l.kind === 'friction'),
      v4,
      `rules ${g.state.options.rulesVersion}: friction`,
    );
    assert.is(sidePairsAtOrAbove(g.state, 0), v4 ? 0 : 1, 'pairs the tiers count');
    assert.is(JSON.stringify(fold(g.log)), JSON.stringify(g.state));
  }
});

test('a game of rules version 4 lets a token step hold erosion off; version 5 does not', () => {
  for (const [g, v5] of [
    [versionGame(4), false],
    [new Game(flywheel), true],
  ] as const) {
    g.seatAll(['us', 'dprk', 'prc', 'rok', 'jpn']);
    g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' });
    // Relief without snapback for aid monitors, then the same restraint in each of the next two rounds.
    for (let r = 1; r <= 3; r++) {
      g.do(control, { type: 'phase.advance' });
      if (r === 1) reliefForMonitors(g);
      g.do(control, { type: 'phase.advance' });
      g.do(teamActor('us'), {
        type: 'draft.set',
        overt: r === 1 ? ['us-humanitarian-exemptions'] : [],
        covert: [],
        freeform: null,
      });
      g.do(teamActor('dprk'), { type: 'draft.set', overt: ['dprk-aid-monitors'], covert: [], freeform: null });
      g.do(control, { type: 'phase.advance' }).do(control, { type: 'adjudication.approve' });
      if (r < 3) g.do(control, { type: 'phase.advance' });
    }
    const round3 = g.state.reveals.at(-1)!;
    assert.is(round3.round, 3);
    assert.is(
      round3.lines.some((l) => l.kind === 'erosion'),
      v5,
      `rules ${g.state.options.rulesVersion}: the third taking of a step holds erosion off`,
    );
    assert.is(JSON.stringify(fold(g.log)), JSON.stringify(g.state));
  }
});

test('play-on is refused in a game under the first rules', () => {
  const old = oldGame();
  old.seatAll(['us']);
  old.do(control, { type: 'game.start' });
  assert.is(old.try(control, { type: 'game.playOn' })?.code, 'NOT_ALLOWED');
});

test('a preset sets the rounds and clocks; explicit options still win; an unknown one is refused', () => {
  const short = flywheel.presets!.find((p) => p.id === 'short-2h')!;
  const g = new Game(flywheel, { preset: 'short-2h' });
  assert.is(g.state.options.rounds, short.rounds);
  assert.equal(g.state.options.phases, short.phases);
  const h = new Game(flywheel, { preset: 'short-2h', rounds: 4, phases: { negotiation: 999 } });
  assert.is(h.state.options.rounds, 4);
  assert.is(h.state.options.phases.negotiation, 999);
  assert.throws(() => new Game(flywheel, { preset: 'marathon' }), /no preset "marathon"/);
});

test.run();
