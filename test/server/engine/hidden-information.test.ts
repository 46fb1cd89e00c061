// The leaks a protocol spy found, each replayed on the tutorial: none may come back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadScenarioFile } from '../../../server/scenario-library.ts';
import { Game, control, teamActor } from '../../helpers/engine.ts';
import { createGame, fold, isDomainError, seqOf, viewFor, type Audience } from '../../../server/engine/index.ts';
import { Dice, diceCommitment, secretRoll } from '../../../server/engine/dice.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { leakedMarkers } from '../../helpers/leaks.ts';
import { randomStep } from '../../helpers/random-play.ts';
import type { Scenario } from '../../../shared/scenario.ts';

const tutorial = loadScenarioFile('scenarios/tutorial.json');
const flywheel = loadScenarioFile('scenarios/flywheel-2022.json');
const TEAMS = ['us', 'dprk', 'prc', 'rok', 'jpn'];
const us = teamActor('us'),
  dprk = teamActor('dprk'),
  prc = teamActor('prc'),
  rok = teamActor('rok');
const jpn: Audience = { kind: 'team', team: 'jpn' };
const observer: Audience = { kind: 'observer' };
const zeroClocks = { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 };

function started(scenario: Scenario = tutorial, seed = 'spy') {
  const g = new Game(scenario, { seed, phases: zeroClocks });
  g.seatAll(TEAMS);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' });
  return g;
}
const seen = (g: Game, a: Audience) => JSON.stringify(viewFor(g.state, a));
const to = (g: Game, phase: string) => {
  while (g.state.phase !== phase) g.do(control, { type: 'phase.advance' });
};

test('leak 1: a public proposal that expires unaccepted stays with its parties', () => {
  const g = started();
  to(g, 'negotiation');
  g.do(us, {
    type: 'deal.propose',
    to: ['prc'],
    obligations: [{ team: 'us', action: 'us-talks', byRound: 1 }],
    secret: false,
    snapback: false,
    note: 'Quiet offer to Beijing only',
  });
  to(g, 'adjudication');
  g.do(control, { type: 'adjudication.approve' });
  assert.is(g.state.phase, 'reveal');
  for (const a of [jpn, observer]) assert.not.ok(seen(g, a).includes('Quiet offer'), JSON.stringify(a));
  for (const t of ['us', 'prc']) assert.ok(seen(g, { kind: 'team', team: t }).includes('expired unaccepted'), t);
});

test('leak 2: a ruling on a free-form move reaches no team before approval, and a private one only its team', () => {
  for (const isPublic of [false, true]) {
    const g = started();
    to(g, 'submission');
    const freeform = { text: 'FF_ARGUMENT', intent: 'intent', rationale: 'why', open: true };
    g.do(dprk, { type: 'draft.set', overt: [], covert: [], freeform });
    to(g, 'adjudication');
    const line = g.state.adjudication!.lines.find((l) => l.freeform)!;
    g.do(control, {
      type: 'freeform.rule',
      lineId: line.id,
      chance: 0.99,
      effects: [{ meter: 'tension', delta: 7 }],
      public: isPublic,
      rationale: 'RULING_RATIONALE',
    });
    for (const t of TEAMS) {
      const v = viewFor(g.state, { kind: 'team', team: t });
      const text = JSON.stringify(v);
      assert.ok(text.includes('FF_ARGUMENT'), `${t} reads the open argument`);
      assert.not.ok(text.includes('RULING_RATIONALE'), `${t} must not read the ruling before approval`);
      const est = v.me!.estimating[0];
      assert.equal([est.roll, est.effects, est.amendments, est.counts], [null, [], [], false]);
    }
    g.do(control, { type: 'adjudication.approve' });
    for (const t of TEAMS) {
      const text = seen(g, { kind: 'team', team: t });
      assert.is(text.includes('RULING_RATIONALE'), isPublic || t === 'dprk', `${t} after approval`);
    }
  }
});

test('leak 3: overruling an exposure hides the snapback that depended on it', () => {
  // Exposure made near-certain so that the round-2 roll succeeds and there is something to overrule.
  const sc = structuredClone(tutorial);
  const enrich = sc.actions.find((a) => a.id === 'dprk-undeclared-enrichment')!;
  enrich.exposure = { ...enrich.exposure!, chance: 0.95, modifiers: [] };
  const g = started(sc);
  to(g, 'negotiation');
  g.do(us, {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-humanitarian-exemptions', byRound: 1 },
      { team: 'dprk', action: 'dprk-ny-channel', byRound: 1 },
    ],
    secret: false,
    snapback: true,
    note: '',
  });
  g.do(dprk, { type: 'deal.accept', dealId: g.lastDealId() });
  g.do(us, { type: 'draft.set', overt: ['us-humanitarian-exemptions'], covert: [], freeform: null });
  g.do(dprk, { type: 'draft.set', overt: ['dprk-ny-channel'], covert: [], freeform: null });
  to(g, 'adjudication');
  g.do(control, { type: 'adjudication.approve' });
  to(g, 'negotiation');
  g.do(dprk, { type: 'draft.set', overt: [], covert: ['dprk-undeclared-enrichment'], freeform: null });
  to(g, 'adjudication');
  const lines = g.state.adjudication!.lines;
  const exposure = lines.find((l) => l.kind === 'exposure')!;
  assert.ok(exposure.roll!.success, 'precondition: the exposure roll succeeded');
  assert.ok(
    lines.some((l) => l.kind === 'snapback' && l.dependsOn === exposure.id),
    'precondition: snapback',
  );
  g.do(control, { type: 'adjudication.amend', lineId: exposure.id, success: false, rationale: 'Not proven' });
  g.do(control, { type: 'adjudication.approve' });
  for (const a of [jpn, observer, { kind: 'team', team: 'us' } as Audience]) {
    const text = seen(g, a);
    assert.not.ok(text.includes('caught cheating'), JSON.stringify(a));
    assert.not.ok(text.includes('Undeclared'), JSON.stringify(a));
  }
  // The White Cell's record keeps the ruling; the snapback that hung on the exposure left the proposal with it.
  const wc = JSON.stringify(viewFor(g.state, { kind: 'control' }));
  assert.ok(wc.includes('Not proven'));
  assert.not.ok(wc.includes('caught cheating'));
});

test('a covert move exposed in the reveal it is taken in is read with its exposure, not as "Other developments"', () => {
  const exposeOnly = (g: ReturnType<typeof started>, moveRound: number) => {
    const exposure = g.state.adjudication!.lines.find((l) => l.kind === 'exposure' && l.moveRound === moveRound)!;
    if (!exposure.roll!.success)
      g.do(control, { type: 'adjudication.amend', lineId: exposure.id, success: true, rationale: 'Seen in Pyongyang' });
  };
  const hideAll = (g: ReturnType<typeof started>) => {
    for (const l of g.state.adjudication!.lines)
      if (l.kind === 'exposure' && l.roll?.success)
        g.do(control, { type: 'adjudication.amend', lineId: l.id, success: false, rationale: 'Not seen' });
  };
  const effects = (l: { effects: { meter: string; delta: number }[] }) =>
    Object.fromEntries(l.effects.map((e) => [e.meter, e.delta]));

  // Exposed in its own round: Japan reads the envoy's line and what it moved, and nothing is left unexplained.
  const g = started(flywheel);
  to(g, 'negotiation');
  g.do(rok, { type: 'draft.set', overt: [], covert: ['rok-secret-envoy'], freeform: null });
  to(g, 'adjudication');
  exposeOnly(g, 1);
  g.do(control, { type: 'adjudication.approve' });
  const seen = viewFor(g.state, jpn).reveals[0].lines;
  const move = seen.find((l) => l.kind === 'covert');
  assert.ok(move, 'the exposed move is on the record');
  assert.is(move!.team, 'rok');
  assert.equal(effects(move!), { tension: -3, inter_korean: 4 });
  assert.ok(seen.some((l) => l.kind === 'exposure' && l.team === 'rok'));
  assert.not.ok(
    seen.some((l) => l.kind === 'other'),
    'nothing unexplained is left',
  );
  const wcLine = viewFor(g.state, { kind: 'control' }).reveals[0].lines.find((l) => l.kind === 'covert');
  assert.is(wcLine!.visibleTo, 'all', "the White Cell's 'Seen by' says everyone");

  // Taken in round 1 unseen, exposed in round 2: round 1 stays as it was told, its move summed up, unnamed.
  const h = started(flywheel);
  to(h, 'negotiation');
  h.do(rok, { type: 'draft.set', overt: [], covert: ['rok-secret-envoy'], freeform: null });
  to(h, 'adjudication');
  hideAll(h);
  h.do(control, { type: 'adjudication.approve' });
  const before = JSON.stringify(viewFor(h.state, jpn).reveals[0]);
  to(h, 'negotiation');
  to(h, 'adjudication');
  exposeOnly(h, 1);
  h.do(control, { type: 'adjudication.approve' });
  const [round1, round2] = viewFor(h.state, jpn).reveals;
  assert.is(JSON.stringify(round1), before, 'the earlier reveal reads as before');
  assert.ok(round1.lines.some((l) => l.kind === 'other'));
  assert.not.ok(
    round2.lines.some((l) => l.kind === 'covert'),
    'no move of round 2 to read',
  );
  assert.ok(round2.lines.some((l) => l.kind === 'exposure' && l.team === 'rok'));

  // Overruled, an exposure shows nothing: the move stays unread, summed up as before.
  const k = started(flywheel);
  to(k, 'negotiation');
  k.do(rok, { type: 'draft.set', overt: [], covert: ['rok-secret-envoy'], freeform: null });
  to(k, 'adjudication');
  hideAll(k);
  k.do(control, { type: 'adjudication.approve' });
  const unseen = viewFor(k.state, jpn).reveals[0].lines;
  assert.not.ok(unseen.some((l) => l.kind === 'covert' || l.kind === 'exposure'));
  assert.equal(effects(unseen.find((l) => l.kind === 'other')!), { tension: -3, inter_korean: 4 });
});

test('side channel 6: line ids say nothing about the lines a team cannot read', () => {
  const g = started();
  to(g, 'negotiation');
  g.do(dprk, { type: 'draft.set', overt: ['dprk-ny-channel'], covert: ['dprk-undeclared-enrichment'], freeform: null });
  g.do(us, { type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null });
  to(g, 'adjudication');
  g.do(control, { type: 'adjudication.approve' });
  const ids = viewFor(g.state, jpn).reveals[0].lines.map((l) => l.id);
  for (const id of ids) assert.not.match(id, /^r1-\d+$/, `an id like ${id} would count lines`);
  const all = g.state.reveals[0].lines.map((l) => l.id);
  assert.is(new Set(all).size, all.length, 'ids are unique');
});

test('side channel 7: public meters moved by hidden lines are accounted for by one anonymous line', () => {
  const g = started(flywheel);
  to(g, 'negotiation');
  g.do(rok, { type: 'draft.set', overt: [], covert: ['rok-secret-envoy'], freeform: null });
  to(g, 'adjudication');
  const exposure = g.state.adjudication!.lines.find((l) => l.kind === 'exposure');
  if (exposure?.roll?.success)
    g.do(control, { type: 'adjudication.amend', lineId: exposure.id, success: false, rationale: 'x' });
  g.do(control, { type: 'adjudication.approve' });
  const lines = viewFor(g.state, jpn).reveals[0].lines;
  const other = lines.find((l) => l.kind === 'other');
  assert.ok(other, 'an "other developments" line');
  assert.equal(Object.fromEntries(other!.effects.map((e) => [e.meter, e.delta])), { tension: -3, inter_korean: 4 });
  assert.not.ok(JSON.stringify(lines).includes('rok'), 'nothing names South Korea');
  assert.not.ok(JSON.stringify(viewFor(g.state, { kind: 'control' }).reveals).includes('"other"'));
});

/** Washington trades humanitarian exemptions for aid monitors in round 1, under no deal, a public deal or a secret one. */
function trade(deal: 'none' | 'public' | 'secret') {
  const g = started(flywheel);
  to(g, 'negotiation');
  if (deal !== 'none') {
    g.do(us, {
      type: 'deal.propose',
      to: ['dprk'],
      obligations: [
        { team: 'us', action: 'us-humanitarian-exemptions', byRound: 1 },
        { team: 'dprk', action: 'dprk-aid-monitors', byRound: 1 },
      ],
      secret: deal === 'secret',
      snapback: false,
      note: '',
    });
    g.do(dprk, { type: 'deal.accept', dealId: g.lastDealId() });
  }
  to(g, 'submission');
  g.do(us, { type: 'draft.set', overt: ['us-humanitarian-exemptions'], covert: [], freeform: null });
  g.do(dprk, { type: 'draft.set', overt: ['dprk-aid-monitors'], covert: [], freeform: null });
  to(g, 'adjudication');
  g.do(control, { type: 'adjudication.approve' });
  // Round 2: Pyongyang takes no step, so relief under a deal without snapback erodes.
  to(g, 'adjudication');
  g.do(control, { type: 'adjudication.approve' });
  return g;
}
/**
 * What a third party reads of the rounds and the gates, less the anonymous sum of what it may not read and the line
 * ids, which are opaque (side channel 6) and keyed by place, so they differ where hidden lines differ.
 */
const gates = (g: Game, a: Audience) => {
  const v = viewFor(g.state, a);
  const reveals = [...(v.earlierReveals ?? []), ...v.reveals];
  return JSON.stringify({
    lines: v.reveals.map((r) =>
      r.lines.filter((l) => l.kind !== 'other').map((l) => [l.kind, l.text, l.why, l.effects]),
    ),
    tiers: v.tiers,
    rounds: reveals.length,
  });
};

test('side channel 8: a secret deal kept opens no tier, spares no friction and erodes on no public line', () => {
  const none = trade('none');
  const secret = trade('secret');
  const kinds = (g: Game) => g.state.reveals.flatMap((r) => r.lines.map((l) => l.kind));
  assert.ok(kinds(secret).includes('pair') && kinds(secret).includes('erosion'), 'the deal made a pair, then eroded');
  for (const a of [{ kind: 'team', team: 'prc' } as Audience, jpn, observer])
    assert.is(gates(secret, a), gates(none, a), `${a.kind === 'team' ? a.team : a.kind} reads no trace of the deal`);
  // The parties read their pair, and why friction still came: it is public.
  const usLines = viewFor(secret.state, { kind: 'team', team: 'us' }).reveals.flatMap((r) => r.lines);
  assert.ok(usLines.some((l) => l.kind === 'pair'));
  assert.ok(usLines.some((l) => l.kind === 'friction' && l.text.includes('in public')));
  // The same trade made in public shows: the comparison can fail.
  assert.is.not(gates(trade('public'), jpn), gates(none, jpn));
});

test('leak 4: secret dice: committed at creation, seed hidden from every seat until the debrief', () => {
  const secret = 'a'.repeat(64);
  const events = createGame('g1', tutorial, { phases: zeroClocks }, 0, secret);
  if (isDomainError(events)) throw new Error(events.message);
  const s = fold(events);
  assert.is(s.options.dice, 'hmac-sha256');
  for (const a of [jpn, observer, { kind: 'control' } as Audience]) {
    const v = viewFor(s, a);
    assert.is(v.game.dice.commitment, diceCommitment(secret));
    assert.is(v.game.dice.seed, null);
    assert.not.ok(JSON.stringify(v).includes(secret), `${a.kind} must not see the seed`);
  }
  // Draws are keyed by the secret: the game id, the only thing every seat holds, predicts nothing.
  assert.is.not(secretRoll('g1', 0), secretRoll(secret, 0));
});

test('prototype-named ids are unknown ids, never errors', () => {
  const g = started();
  to(g, 'negotiation');
  for (const dealId of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])
    for (const type of ['deal.accept', 'deal.reject', 'deal.withdraw'] as const)
      assert.is(g.try(prc, { type, dealId })?.code, 'NO_DEAL', `${type} ${dealId}`);
  for (const injectId of ['constructor', '__proto__', 'toString'])
    for (const type of ['inject.publish', 'inject.skip'] as const)
      assert.is(g.try(control, { type, injectId })?.code, 'UNKNOWN_INJECT', `${type} ${injectId}`);
  const version = g.log.length;
  g.try(control, { type: 'inject.edit', injectId: 'constructor', title: 'x' });
  assert.is(g.log.length, version, 'nothing stored');
});

test('property: over random games, versions move only with a view, ids are opaque, no team sees a secret', () => {
  for (const seed of [5, 61, 777]) {
    const g = new Game(mini, {}, `secret-${seed}`);
    g.marking = true;
    g.seatAll(['us', 'dprk', 'prc']);
    const d = new Dice(seed);
    const viewers = ['us', 'dprk', 'prc'].map((team) => ({ kind: 'team', team }) as const);
    let before = viewers.map((a) => JSON.stringify(viewFor(g.state, a)));
    for (let i = 0; i < 300; i++) {
      const step = randomStep(g.state, d);
      g.advance(step.advanceMs);
      const prev = g.state;
      if (g.try(step.actor, step.command)) continue;
      const after = viewers.map((a) => JSON.stringify(viewFor(g.state, a)));
      viewers.forEach((a, k) => {
        const key = `team:${a.team}`;
        const moved = seqOf(g.state, key) - seqOf(prev, key);
        assert.is(moved, after[k] === before[k] ? 0 : 1, `seed ${seed} step ${i}: ${key} moved by ${moved}`);
        assert.not.match(after[k], /"id":"r\d+-\d+"/);
        assert.equal(leakedMarkers(g.state, a.team, after[k]), [], `seed ${seed} step ${i}: ${key}`);
        const over = g.state.phase === 'debrief' || g.state.phase === 'ended';
        if (!over) assert.not.ok(after[k].includes(`secret-${seed}`), 'the seed');
      });
      const wc = viewFor(g.state, { kind: 'control' });
      if (g.state.phase !== 'debrief' && g.state.phase !== 'ended') assert.is(wc.control!.seed, null);
      before = after;
    }
  }
});

test.run();
