// A scripted game of the mini scenario, lobby to debrief: deals kept and broken, a covert action exposed,
// snapback, pause and resume, an ending.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game, control, system, teamActor } from '../../helpers/engine.ts';
import { fold, viewFor } from '../../../server/engine/index.ts';

const us = teamActor('us'),
  dprk = teamActor('dprk'),
  prc = teamActor('prc');

function toSubmission(g: Game) {
  g.do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'submission');
}

test('a game runs from lobby to a collapse, with every mechanic on the way', () => {
  const g = new Game(mini, { variants: { dprk: 'soft' } });
  assert.is(g.state.phase, 'lobby');
  g.seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' });
  assert.is(g.state.phase, 'briefing');
  assert.is(g.state.deadline, g.now + 60_000);

  // Round 1: the election inject waits for the White Cell, which edits it; leaving the phase publishes it.
  g.do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'injects');
  assert.is(g.state.round, 1);
  assert.is(g.state.injects.election.status, 'pending');
  assert.is(g.state.intel.length, 1, 'the US gets its capability estimate');
  g.do(control, { type: 'inject.edit', injectId: 'election', text: 'A close election' });
  g.do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'negotiation');
  assert.is(g.state.injects.election.status, 'published');
  assert.is(g.state.meters.tension, 52);

  // Deal A: food now, moratorium next round, snapback armed. Deal B: talks for the channel, this round.
  g.do(us, {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-food', byRound: 1 },
      { team: 'dprk', action: 'dprk-moratorium', byRound: 2 },
    ],
    secret: false,
    snapback: true,
    note: 'food for a moratorium',
  });
  const dealA = g.lastDealId();
  g.do(us, {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-talks', byRound: 1 },
      { team: 'dprk', action: 'dprk-channel', byRound: 1 },
    ],
    secret: true,
    snapback: false,
    note: '',
  });
  const dealB = g.lastDealId();
  g.do(dprk, { type: 'deal.accept', dealId: dealA }).do(dprk, { type: 'deal.accept', dealId: dealB });
  assert.is(g.state.deals[dealA].status, 'accepted');

  toSubmission(g);
  g.do(us, { type: 'draft.set', overt: ['us-food', 'us-talks'], covert: [], freeform: null });
  g.do(dprk, { type: 'draft.set', overt: ['dprk-channel'], covert: ['dprk-enrich'], freeform: null });
  g.do(prc, {
    type: 'draft.set',
    overt: ['prc-trade'],
    covert: [],
    freeform: {
      text: 'Host six-party talks',
      intent: 'Be seen as the broker',
      rationale: 'Everyone needs a venue',
      open: true,
    },
  });
  g.do(us, { type: 'draft.lock' }).do(dprk, { type: 'draft.lock' });
  assert.is(g.state.phase, 'submission');
  g.do(prc, { type: 'draft.lock' });
  assert.is(g.state.phase, 'adjudication', 'the phase ends early once every seated team has locked');

  const adj = g.state.adjudication!;
  const exposure = adj.lines.find((l) => l.kind === 'exposure')!;
  assert.ok(exposure.roll, 'the covert action rolled for exposure');
  assert.ok(adj.lines.some((l) => l.kind === 'pair' && l.dealId === dealB));
  // The White Cell overrules the dice: not exposed this round.
  g.do(control, {
    type: 'adjudication.amend',
    lineId: exposure.id,
    success: false,
    rationale: 'Too early for the inspectors to notice',
  });
  const ff = adj.lines.find((l) => l.kind === 'freeform')!;
  g.do(prc, { type: 'freeform.estimate', lineId: ff.id, probability: 0.7 });
  // China argued in the open (matrix style): the others may estimate too, each seeing only its own estimate.
  g.do(us, { type: 'freeform.estimate', lineId: ff.id, probability: 0.4 });
  const dprkSees = viewFor(g.state, { kind: 'team', team: 'dprk' }).me!.estimating;
  assert.equal(
    dprkSees.map((l) => l.id),
    [ff.id],
  );
  assert.equal(dprkSees[0].freeform!.estimates, {}, "no anchoring on the others' estimates");
  assert.equal(g.state.adjudication!.lines.find((l) => l.id === ff.id)!.freeform!.estimates, { prc: 0.7, us: 0.4 });
  g.do(control, {
    type: 'freeform.rule',
    lineId: ff.id,
    chance: 1,
    effects: [{ meter: 'tension', delta: -2 }],
    public: true,
    rationale: 'Plausible and cheap',
  });
  const econBefore = g.state.meters.economy;
  g.do(control, { type: 'adjudication.approve' });
  assert.is(g.state.phase, 'reveal');
  assert.is(g.state.deals[dealB].status, 'fulfilled');
  assert.is(g.state.pairs.length, 1);
  // Deal B is secret: its pair adds 8 for its parties, but friction (5) is public and counts public pairs only.
  assert.is(g.state.meters.momentum, 8, 'a tier-0 pair adds 8, friction takes 5');
  assert.is(g.state.meters.relief, 5);
  assert.ok(g.state.meters.economy > econBefore);
  assert.is(g.state.meters.capability, 10);
  assert.is(g.state.deals[dealA].obligations[0].fulfilledRound, 1);
  assert.is(g.state.history.momentum.length, 2);

  // Round 2, with a pause in the middle of negotiation that keeps the clock.
  g.do(control, { type: 'phase.advance' });
  assert.is(g.state.round, 2);
  g.do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'negotiation');
  g.advance(30_000);
  g.do(control, { type: 'game.pause' });
  assert.is(g.state.phase, 'paused');
  assert.is(g.try(us, { type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null })?.code, 'PAUSED');
  g.advance(600_000);
  g.do(system, { type: 'tick' });
  assert.is(g.state.phase, 'paused', 'a tick while paused does nothing');
  g.do(control, { type: 'game.resume' });
  assert.is(g.state.phase, 'negotiation');
  assert.is(g.state.deadline, g.now + 90_000, 'the clock resumes with what was left');
  g.advance(90_000);
  g.do(system, { type: 'tick' });
  assert.is(g.state.phase, 'submission', 'the deadline moves the game on');

  // DPRK skips the moratorium (breaking deal A) and keeps enriching; this time the enrichment is exposed.
  g.do(us, { type: 'draft.set', overt: ['us-intel'], covert: [], freeform: null });
  g.do(dprk, { type: 'draft.set', overt: ['dprk-channel'], covert: [], freeform: null });
  g.do(control, { type: 'phase.advance' });
  const lines = g.state.adjudication!.lines;
  const exp = lines.find((l) => l.kind === 'exposure' && l.actionId === 'dprk-enrich')!;
  g.do(control, { type: 'adjudication.amend', lineId: exp.id, success: true, rationale: 'Imagery confirms it' });
  assert.ok(lines.some((l) => l.kind === 'break' && l.dealId === dealA));
  assert.ok(lines.some((l) => l.kind === 'snapback' && l.dealId === dealA));
  g.do(control, { type: 'adjudication.approve' });
  assert.is(g.state.deals[dealA].status, 'broken');
  assert.equal(g.state.deals[dealA].breakers, ['dprk']);
  assert.ok(g.state.deals[dealA].snappedBack);
  assert.is(g.state.meters.relief, 0, 'snapback took the food relief back');
  assert.is(g.state.taken.find((t) => t.actionId === 'dprk-enrich')!.exposedRound, 2);
  assert.is(g.state.meters.momentum, 0);
  // Everybody now sees the exposure line, naming the covert action.
  const usView = JSON.stringify(viewFor(g.state, { kind: 'team', team: 'us' }));
  assert.ok(usView.includes('HIDDEN_dprk_covert enrichment'));

  // Round 3: the White Cell writes a war scare; tension crosses 90 and the game collapses at the reveal.
  g.do(control, { type: 'phase.advance' });
  g.do(control, {
    type: 'inject.add',
    title: 'War scare',
    text: 'Artillery on the border',
    audience: 'all',
    effects: [{ meter: 'tension', delta: 40 }],
    publish: true,
  });
  assert.ok(g.state.meters.tension >= 90);
  g.do(control, { type: 'phase.advance' })
    .do(control, { type: 'phase.advance' })
    .do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'adjudication');
  g.do(control, { type: 'adjudication.approve' });
  assert.is(g.state.ending?.id, 'collapse');
  g.do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'debrief', 'an ending before the last round goes straight to the debrief');
  const debrief = viewFor(g.state, { kind: 'observer' }).debrief!;
  assert.is(debrief.ending.id, 'collapse');
  assert.is(debrief.covertLog.length, 1);
  assert.is(debrief.scores.length, 3);
  g.do(control, { type: 'game.end' });
  assert.is(g.state.phase, 'ended');
  assert.is(g.try(us, { type: 'chat.post', channel: 'plenary', text: 'hello?' })?.code, 'GAME_OVER');

  // The log alone gives the same state, byte for byte.
  assert.is(JSON.stringify(fold(g.log)), JSON.stringify(g.state));
});

test('sustained reciprocity opens tier 1 and reaches a breakthrough', () => {
  const g = new Game(mini, { autoApprove: true });
  g.seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' });
  assert.is(g.try(us, { type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null })?.code, 'WRONG_PHASE');
  /** One round: the given US/DPRK pairs are agreed and carried out, then the auto-approved reveal. */
  const round = (pairs: [string, string][], duringNegotiation = () => {}) => {
    const r = g.state.round;
    g.do(control, { type: 'phase.advance' }); // injects -> negotiation
    duringNegotiation();
    for (const [u, d] of pairs) {
      g.do(us, {
        type: 'deal.propose',
        to: ['dprk'],
        obligations: [
          { team: 'us', action: u, byRound: r },
          { team: 'dprk', action: d, byRound: r },
        ],
        secret: false,
        snapback: false,
        note: '',
      });
      g.do(dprk, { type: 'deal.accept', dealId: g.lastDealId() });
    }
    g.do(control, { type: 'phase.advance' });
    g.do(us, { type: 'draft.set', overt: pairs.map((p) => p[0]), covert: [], freeform: null });
    g.do(dprk, { type: 'draft.set', overt: pairs.map((p) => p[1]), covert: [], freeform: null });
    g.do(us, { type: 'draft.lock' }).do(dprk, { type: 'draft.lock' }).do(prc, { type: 'draft.lock' });
    assert.is(g.state.phase, 'reveal', 'auto-approve goes straight to the reveal');
  };
  round([
    ['us-talks', 'dprk-channel'],
    ['us-food', 'dprk-moratorium'],
  ]);
  assert.is(g.state.meters.momentum, 21, 'two tier-0 pairs add 16');
  g.do(control, { type: 'phase.advance' });
  round([['us-suspend', 'dprk-freeze']], () => {
    assert.is(
      g.try(us, { type: 'draft.set', overt: ['us-normalize'], covert: [], freeform: null })?.code,
      'TIER_LOCKED',
      'tier 2 needs momentum 45',
    );
  });
  assert.is(g.state.meters.denuclearization, 10, 'the moratorium is verified a round later');
  assert.is(g.state.pairs.filter((p) => p.tier === 1).length, 1);
  g.do(control, { type: 'phase.advance' });
  round([['us-talks', 'dprk-channel']]);
  assert.is(g.state.ending?.id, 'breakthrough', JSON.stringify(g.state.meters));
  g.do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'debrief');
  assert.is(JSON.stringify(fold(g.log)), JSON.stringify(g.state));
});

test.run();
