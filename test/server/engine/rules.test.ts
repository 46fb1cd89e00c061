// The rules of docs/rules.md, one at a time, on the mini scenario.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game, control, teamActor } from '../../helpers/engine.ts';
import { fold, viewFor } from '../../../server/engine/index.ts';
import { lineCounts } from '../../../server/engine/adjudication.ts';
import { resolveEffect } from '../../../server/engine/meters.ts';
import { roll, seedState } from '../../../server/engine/dice.ts';

const us = teamActor('us'),
  dprk = teamActor('dprk');

function started(options = {}) {
  const g = new Game(mini, options);
  g.seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' });
  return g;
}
/** From the injects phase, through a round in which only `drafts` are played, to the reveal. */
function playRound(g: Game, drafts: Record<string, string[]> = {}) {
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  for (const [team, overt] of Object.entries(drafts))
    g.do(teamActor(team), { type: 'draft.set', overt, covert: [], freeform: null });
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'adjudication.approve' });
}

test('friction: a round with no completed pair costs 5 momentum, half that once the wheel spins', () => {
  const g = started();
  playRound(g);
  assert.is(g.state.meters.momentum, 0);
  const fast = started();
  fast.state = { ...fast.state, meters: { ...fast.state.meters, momentum: 60 } };
  playRound(fast);
  assert.is(fast.state.meters.momentum, 57, 'friction of 2.5 rounds to 3');
});

test('risk 2: relief is worth less to the DPRK economy while dependence on China is high', () => {
  const g = started();
  const food = mini.actions.find((a) => a.id === 'us-food')!.effects[1];
  const at = (dependence: number) =>
    resolveEffect({ ...g.state, meters: { ...g.state.meters, dependence } }, food).delta;
  assert.is(at(0), 10);
  assert.is(at(80), 5);
  assert.is(at(100), 4);
});

test('risk 1: denuclearization lands a round after the step, relief at once', () => {
  const g = started();
  playRound(g, { us: ['us-food'], dprk: ['dprk-moratorium'] });
  assert.is(g.state.meters.relief, 5);
  assert.is(g.state.meters.denuclearization, 0);
  g.do(control, { type: 'phase.advance' });
  playRound(g);
  assert.is(g.state.meters.denuclearization, 10);
});

test('a deal not carried out by its round is broken and costs the breaker trust and everyone momentum', () => {
  const g = started();
  g.do(control, { type: 'phase.advance' });
  g.do(us, {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-talks', byRound: 1 },
      { team: 'dprk', action: 'dprk-channel', byRound: 1 },
    ],
    secret: false,
    snapback: false,
    note: '',
  });
  g.do(dprk, { type: 'deal.accept', dealId: g.lastDealId() });
  g.do(control, { type: 'phase.advance' });
  g.do(us, { type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null });
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'adjudication.approve' });
  const deal = g.state.deals[g.lastDealId()];
  assert.is(deal.status, 'broken');
  assert.equal(deal.breakers, ['dprk']);
  assert.is(g.state.meters.trust, 10 + 3 - 10);
  assert.is(g.state.meters.momentum, 0, '5 - 10 break - 5 friction, clamped');
});

test('a step its tier keeps closed cannot fall due this round; due later, a break for it says the tier was closed', () => {
  const g = started();
  g.do(control, { type: 'phase.advance' });
  const deal = (byRound: number) => ({
    type: 'deal.propose' as const,
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-talks', byRound: 1 },
      { team: 'dprk', action: 'dprk-freeze', byRound }, // tier 1: closed at the start
    ],
    secret: false,
    snapback: false,
    note: '',
  });
  assert.is(g.try(us, deal(1))?.code, 'TIER_LOCKED', 'it could only be broken');
  g.do(us, deal(2));
  g.do(dprk, { type: 'deal.accept', dealId: g.lastDealId() });
  const view = viewFor(g.state, { kind: 'team', team: 'dprk' });
  assert.is(view.actions.find((a) => a.id === 'dprk-freeze')?.open, false, 'the parties can see it is closed');
  g.do(control, { type: 'phase.advance' });
  g.do(us, { type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null });
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'adjudication.approve' });
  g.do(control, { type: 'phase.advance' }); // round 2: the tier is still closed, and the freeze falls due
  playRound(g, { us: [] });
  const broke = g.state.reveals.at(-1)!.lines.find((l) => l.kind === 'break')!;
  assert.ok(broke, 'the deal broke');
  assert.match(broke.why, /could not be taken, its tier being closed/);
  assert.match(broke.why, /Freeze/i);
});

test('a proposal nobody accepts expires at the end of its round', () => {
  const g = started();
  g.do(control, { type: 'phase.advance' });
  g.do(us, {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [{ team: 'us', action: 'us-talks', byRound: 2 }],
    secret: false,
    snapback: false,
    note: '',
  });
  g.do(control, { type: 'phase.advance' })
    .do(control, { type: 'phase.advance' })
    .do(control, { type: 'adjudication.approve' });
  assert.is(g.state.deals[g.lastDealId()].status, 'expired');
});

test('intel: the US estimate of hidden capability tightens with verification', () => {
  const g = started();
  const first = g.state.intel[0];
  assert.is(first.team, 'us');
  assert.is(first.noise, 19, '20 less 0.1 per point of US intel (10)');
  const dprkView = viewFor(g.state, { kind: 'team', team: 'dprk' });
  assert.is(dprkView.me!.intel.length, 0, 'intel goes only to its team');
});

test('secret deals are seen only by their parties; public ones by all once accepted', () => {
  const g = started();
  g.do(control, { type: 'phase.advance' });
  g.do(us, {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [{ team: 'us', action: 'us-talks', byRound: 1 }],
    secret: true,
    snapback: false,
    note: 'between us',
  });
  const secret = g.lastDealId();
  g.do(us, {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [{ team: 'us', action: 'us-food', byRound: 1 }],
    secret: false,
    snapback: false,
    note: 'open',
  });
  const open = g.lastDealId();
  const prcDeals = () => viewFor(g.state, { kind: 'team', team: 'prc' }).deals.map((d) => d.id);
  assert.equal(prcDeals(), [], 'proposals are private to their parties');
  g.do(dprk, { type: 'deal.accept', dealId: secret }).do(dprk, { type: 'deal.accept', dealId: open });
  assert.equal(prcDeals(), [open]);
  assert.equal(
    viewFor(g.state, { kind: 'team', team: 'dprk' }).deals.map((d) => d.id),
    [secret, open],
  );
});

test('time running out ends the game after its last round', () => {
  const g = started({ rounds: 2, autoApprove: true });
  playRoundAuto(g);
  g.do(control, { type: 'phase.advance' });
  playRoundAuto(g);
  assert.is(g.state.ending?.id, 'timeout');
  g.do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'debrief');
  const d = viewFor(g.state, { kind: 'team', team: 'us' }).debrief!;
  assert.is(d.ending.name, 'Time ran out');
  assert.ok(
    viewFor(g.state, { kind: 'team', team: 'us' }).meters.some((m) => m.id === 'economy'),
    'the debrief shows every meter',
  );
});
function playRoundAuto(g: Game) {
  g.do(control, { type: 'phase.advance' })
    .do(control, { type: 'phase.advance' })
    .do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'reveal');
}

test('the dice are seeded: the same seed rolls the same numbers', () => {
  const a = roll(seedState('flywheel'));
  const b = roll(seedState('flywheel'));
  assert.equal(a, b);
  assert.ok(a[0] >= 0 && a[0] < 1);
  assert.is.not(roll(seedState('other'))[0], a[0]);
});

test('the round label follows the calendar from Q2 2022', () => {
  const g = started();
  assert.is(viewFor(g.state, { kind: 'observer' }).game.roundLabel, 'Q2 2022');
  g.state = { ...g.state, round: 4 };
  assert.is(viewFor(g.state, { kind: 'observer' }).game.roundLabel, 'Q1 2023');
});

test("another scenario's rounds are named as it says: by month, or by number", () => {
  const g = started();
  const monthly = { ...g.state, scenario: { ...g.state.scenario, start: { year: 2030, month: 12 } }, round: 2 };
  assert.is(viewFor(monthly, { kind: 'observer' }).game.roundLabel, 'Jan 2031');
  const { start: _start, ...undated } = g.state.scenario;
  const turns = { ...g.state, scenario: { ...undated, roundName: 'Turn {n}' }, round: 3 };
  assert.is(viewFor(turns, { kind: 'team', team: 'us' }).game.roundLabel, 'Turn 3');
});

test('an exposure marks the covert move it rolled for, not the earliest move of the same action', () => {
  const g = started();
  for (const round of [1, 2]) {
    if (round === 2) g.do(control, { type: 'phase.advance' });
    g.do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
    g.do(dprk, { type: 'draft.set', overt: [], covert: ['dprk-enrich'], freeform: null });
    g.do(control, { type: 'phase.advance' });
    const rolls = g.state.adjudication!.lines.filter((l) => l.kind === 'exposure' && l.actionId === 'dprk-enrich');
    assert.is(rolls.length, round, 'every live move of the action rolls');
    // The White Cell rules that only the round-2 move was seen, in round 2.
    for (const l of rolls)
      g.do(control, { type: 'adjudication.amend', lineId: l.id, success: l.moveRound === 2, rationale: 'x' });
    g.do(control, { type: 'adjudication.approve' });
  }
  const texts = g.state.reveals[1].lines.filter((l) => l.kind === 'exposure').map((l) => l.text.split(':')[0]);
  assert.equal(texts, ['Exposed', 'Not exposed'], 'the text follows the ruling (the move of this round rolls first)');
  const moves = g.state.taken.filter((t) => t.actionId === 'dprk-enrich');
  assert.equal(
    moves.map((t) => [t.round, t.exposedRound]),
    [
      [1, null],
      [2, 2],
    ],
  );
});

/** Food now for a moratorium next round, snapback armed, proposed and accepted in the current round's negotiation. */
function foodForMoratorium(g: Game) {
  g.do(us, {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-food', byRound: g.state.round },
      { team: 'dprk', action: 'dprk-moratorium', byRound: g.state.round + 1 },
    ],
    secret: false,
    snapback: true,
    note: '',
  });
  const id = g.lastDealId();
  g.do(dprk, { type: 'deal.accept', dealId: id });
  return id;
}
const rule = (g: Game, lineId: string, success: boolean) =>
  g.do(control, { type: 'adjudication.amend', lineId, success, rationale: success ? 'Seen' : 'Not proven' });
const counting = (g: Game, kind: string) => {
  const lines = g.state.adjudication!.lines;
  return lines.filter((l) => l.kind === kind && lineCounts(lines, l)).length;
};

test('an exposure the White Cell rules in brings what follows from it: the deal voided, snapback, and back again', () => {
  const g = started();
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  const deal = foodForMoratorium(g);
  g.do(us, { type: 'draft.set', overt: ['us-food'], covert: [], freeform: null });
  g.do(dprk, { type: 'draft.set', overt: [], covert: ['dprk-enrich'], freeform: null });
  g.do(control, { type: 'phase.advance' });
  const exposure = () => g.state.adjudication!.lines.find((l) => l.kind === 'exposure')!;
  rule(g, exposure().id, false);
  const unexposed = g.state.adjudication!.lines.map((l) => l.id);
  const before = g.state.adjudication!.lines.map((l) => [l.kind, l.text]);
  assert.is(counting(g, 'break'), 0);
  rule(g, exposure().id, true);
  assert.is(counting(g, 'break'), 1, 'the deal is voided: the DPRK was caught cheating');
  assert.is(counting(g, 'snapback'), 1, 'the relief snaps back');
  assert.is(exposure().amendments.length, 2, 'the ruling stays on the record');
  const kept = g.state.adjudication!.lines.filter((l) => unexposed.includes(l.id)).map((l) => l.id);
  rule(g, exposure().id, false);
  assert.equal(
    g.state.adjudication!.lines.map((l) => [l.kind, l.text]),
    before,
    'ruled out again, the proposal is as it was',
  );
  for (const id of kept)
    assert.ok(
      g.state.adjudication!.lines.some((l) => l.id === id),
      'lines never dropped keep their ids',
    );
  rule(g, exposure().id, true);
  g.do(control, { type: 'adjudication.approve' });
  assert.is(g.state.deals[deal].status, 'broken');
  assert.ok(g.state.deals[deal].snappedBack);
  assert.is(g.state.meters.relief, 0);
  assert.is(JSON.stringify(fold(g.log)), JSON.stringify(g.state), 'the log replays');
});

test('overruling one of two exposures of a team leaves the consequences of the other standing', () => {
  const g = started();
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  g.do(dprk, { type: 'draft.set', overt: [], covert: ['dprk-enrich'], freeform: null });
  g.do(control, { type: 'phase.advance' });
  for (const l of g.state.adjudication!.lines.filter((x) => x.kind === 'exposure')) rule(g, l.id, false);
  g.do(control, { type: 'adjudication.approve' }).do(control, { type: 'phase.advance' });
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  const deal = foodForMoratorium(g);
  g.do(us, { type: 'draft.set', overt: ['us-food'], covert: [], freeform: null });
  g.do(dprk, { type: 'draft.set', overt: [], covert: ['dprk-enrich'], freeform: null });
  g.do(control, { type: 'phase.advance' });
  const rolls = () => g.state.adjudication!.lines.filter((l) => l.kind === 'exposure');
  assert.is(rolls().length, 2);
  for (const l of rolls()) rule(g, l.id, true);
  // Overrule the exposure the voiding hangs on.
  const voiding = g.state.adjudication!.lines.find((l) => l.kind === 'break')?.dependsOn;
  rule(g, voiding ?? rolls()[0].id, false);
  assert.is(counting(g, 'break'), 1, 'the other exposure still voids the deal');
  assert.is(counting(g, 'snapback'), 1);
  g.do(control, { type: 'adjudication.approve' });
  assert.is(g.state.deals[deal].status, 'broken');
});

test.run();
