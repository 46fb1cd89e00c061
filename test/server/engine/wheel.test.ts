// Rules v2 on the Flywheel exercise itself: the exploits of the first rules give nothing, and the two risks bite.
import { test } from 'uvu';
import { afterActionReport } from '../../../shared/report.ts';
import { afterActionReportHtml } from '../../../shared/report-html.ts';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Scenario } from '../../../shared/scenario.ts';
import { Game, control, system, teamActor } from '../../helpers/engine.ts';
import { fold, viewFor, type GameState } from '../../../server/engine/index.ts';
import { tierLockReason, tierOpen } from '../../../server/engine/tiers.ts';
import { exposureChance } from '../../../server/engine/adjudication.ts';

const flywheel = Scenario.parse(
  JSON.parse(readFileSync(new URL('../../../scenarios/flywheel-2022.json', import.meta.url), 'utf8')),
);
const TEAMS = ['us', 'dprk', 'prc', 'rok', 'jpn'];
const us = teamActor('us'),
  dprk = teamActor('dprk');

function started() {
  const g = new Game(flywheel);
  g.seatAll(TEAMS);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' });
  return g;
}
const set = (g: Game, meters: Record<string, number>) => {
  g.state = { ...g.state, meters: { ...g.state.meters, ...meters } };
};
/** Opens negotiation, runs `deals`, then plays the drafts and approves: the game stops at the reveal. */
function round(g: Game, drafts: Record<string, string[]>, deals: (g: Game) => void = () => {}, covert = {}) {
  g.do(control, { type: 'phase.advance' });
  deals(g);
  g.do(control, { type: 'phase.advance' });
  for (const [team, overt] of Object.entries(drafts))
    g.do(teamActor(team), {
      type: 'draft.set',
      overt,
      covert: (covert as Record<string, string[]>)[team] ?? [],
      freeform: null,
    });
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'adjudication.approve' });
}
function deal(g: Game, from: string, to: string, a: string, b: string, snapback = false) {
  const r = g.state.round;
  g.do(teamActor(from), {
    type: 'deal.propose',
    to: [to],
    obligations: [
      { team: from, action: a, byRound: r },
      { team: to, action: b, byRound: r },
    ],
    secret: false,
    snapback,
    note: '',
  });
  g.do(teamActor(to), { type: 'deal.accept', dealId: g.lastDealId() });
  return g.lastDealId();
}
const lines = (g: Game) => g.state.reveals[g.state.reveals.length - 1].lines;
const mainPairs = (s: GameState) => s.pairs.filter((p) => p.sides).length;

test("the wheel's lines speak in the scenario's own terms: its teams, categories and meters", () => {
  // The same rules under other names, as another exercise would have them.
  const renamed = structuredClone(flywheel);
  const rename = (id: string, short: string) => {
    renamed.teams.find((t) => t.id === id)!.short = short;
  };
  rename('us', 'ALPHA');
  rename('dprk', 'BETA');
  renamed.meters.find((m) => m.id === 'dependence')!.name = 'Outside pull';
  renamed.meters.find((m) => m.id === 'leverage')!.name = 'Pressure';
  const g = new Game(renamed);
  g.seatAll(TEAMS);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' });
  round(g, { us: ['us-humanitarian-exemptions'], dprk: ['dprk-aid-monitors'] }, (g) => {
    deal(g, 'us', 'dprk', 'us-humanitarian-exemptions', 'dprk-aid-monitors');
  });
  const pair = lines(g).find((l) => l.kind === 'pair')!;
  assert.match(
    pair.why,
    /^ALPHA inducement traded for a BETA restraint or denuclearization step in the same round or the next/,
  );
  if (g.state.meters.dependence > 0) assert.match(pair.why, /with Outside pull at \d+/);
  // Relief without snapback, and no step back: the erosion line names the meter it wears down.
  g.do(control, { type: 'phase.advance' }); // round 2's injects
  round(g, { us: [], dprk: [] });
  const eroded = lines(g).find((l) => l.kind === 'erosion');
  if (eroded) {
    assert.is(eroded.text, 'Relief without snapback erodes Pressure');
    assert.match(eroded.why, /^No restraint or denuclearization step by BETA this round/);
  }
  // The engine's own words (not the scenario's action texts and team names, which are the scenario's to choose).
  const words = JSON.stringify(
    g.state.reveals.flatMap((r) =>
      r.lines.filter((l) => ['pair', 'erosion', 'friction'].includes(l.kind)).map((l) => `${l.text} ${l.why}`),
    ),
  );
  for (const bad of ['DPRK', 'China', 'sanctions regime'])
    assert.not.ok(
      words.includes(bad),
      `"${bad}" in ${words.slice(Math.max(0, words.indexOf(bad) - 200), words.indexOf(bad) + 80)}`,
    );
});

test('one action fulfils one obligation: the same deal written twice earns one pair, and the copy breaks', () => {
  const g = started();
  round(g, { us: ['us-humanitarian-exemptions'], dprk: ['dprk-aid-monitors'] }, (g) => {
    deal(g, 'us', 'dprk', 'us-humanitarian-exemptions', 'dprk-aid-monitors');
    deal(g, 'us', 'dprk', 'us-humanitarian-exemptions', 'dprk-aid-monitors');
  });
  assert.is(mainPairs(g.state), 1);
  const [first, copy] = g.state.dealOrder.map((id) => g.state.deals[id]);
  assert.is(first.status, 'fulfilled');
  assert.is(copy.status, 'broken');
});

test('only an inducement traded for a restraint or denuclearization step turns the main wheel', () => {
  const g = started();
  const before = g.state.meters.momentum;
  round(g, { us: ['us-humanitarian-exemptions', 'us-talks'], dprk: ['dprk-srbm-salvo', 'dprk-ny-channel'] }, (g) => {
    deal(g, 'us', 'dprk', 'us-humanitarian-exemptions', 'dprk-srbm-salvo'); // relief for a provocation
    deal(g, 'us', 'dprk', 'us-talks', 'dprk-ny-channel'); // signals both ways
  });
  assert.is(mainPairs(g.state), 0);
  assert.not.ok(lines(g).some((l) => l.kind === 'pair'));
  assert.ok(g.state.meters.momentum <= before, 'no pair bonus, and friction applies');
  // A table that sees its deal kept and then friction is told which kinds of step would have made a pair.
  const kept = lines(g).filter((l) => l.kind === 'deal' && l.deal?.status === 'fulfilled');
  assert.is(kept.length, 2);
  for (const l of kept) {
    assert.match(l.why, /not a reciprocal pair/);
    assert.match(l.why, /inducement from United States, answered by one of the kind restraint or denuclearization/);
  }
  const pair = started();
  round(pair, { us: ['us-humanitarian-exemptions'], dprk: ['dprk-aid-monitors'] }, (g) => {
    deal(g, 'us', 'dprk', 'us-humanitarian-exemptions', 'dprk-aid-monitors');
  });
  const made = lines(pair).find((l) => l.kind === 'deal');
  assert.is(made?.why, 'Every obligation has been carried out', 'a deal that makes a pair needs no excuse');
});

test('a deal between two provocations, or between third parties, is a fulfilled deal and no more', () => {
  const g = started();
  round(g, { us: ['us-expand-exercises'], dprk: ['dprk-long-range-launch'], rok: ['rok-deterrence'] }, (g) => {
    deal(g, 'us', 'dprk', 'us-expand-exercises', 'dprk-long-range-launch');
    deal(g, 'rok', 'us', 'rok-deterrence', 'us-expand-exercises');
  });
  assert.is(g.state.pairs.length, 0);
});

test('one-off steps are taken once; repeatable ones lose effect, and so does a pair that reuses a step', () => {
  const g = started();
  round(g, { us: ['us-humanitarian-exemptions'], dprk: ['dprk-reaffirm-moratorium', 'dprk-aid-monitors'] }, (g) =>
    deal(g, 'us', 'dprk', 'us-humanitarian-exemptions', 'dprk-aid-monitors'),
  );
  const firstPair = lines(g)
    .find((l) => l.kind === 'pair')!
    .effects.find((e) => e.meter === 'momentum')!.delta;
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  const again = g.try(dprk, { type: 'draft.set', overt: ['dprk-reaffirm-moratorium'], covert: [], freeform: null });
  assert.is(again?.code, 'ALREADY_TAKEN');
  // Every view shows the spent step closed, with why (a bot drafts from what is open, and stalled on it).
  for (const a of [...TEAMS.map((team) => ({ kind: 'team', team }) as const), { kind: 'observer' } as const]) {
    const action = viewFor(g.state, a).actions.find((x) => x.id === 'dprk-reaffirm-moratorium')!;
    assert.is(action.open, false, `${JSON.stringify(a)}: closed`);
    assert.is(action.lockReason, 'A one-off step, already taken');
  }
  assert.ok(viewFor(g.state, { kind: 'team', team: 'dprk' }).actions.find((x) => x.id === 'dprk-aid-monitors')!.open);
  const promise = g.try(us, {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [{ team: 'dprk', action: 'dprk-reaffirm-moratorium', byRound: 2 }],
    secret: false,
    snapback: false,
    note: '',
  });
  assert.is(promise?.code, 'ALREADY_TAKEN');
  deal(g, 'us', 'dprk', 'us-humanitarian-exemptions', 'dprk-aid-monitors');
  g.do(control, { type: 'phase.advance' });
  g.do(us, { type: 'draft.set', overt: ['us-humanitarian-exemptions'], covert: [], freeform: null });
  g.do(dprk, { type: 'draft.set', overt: ['dprk-aid-monitors'], covert: [], freeform: null });
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'adjudication.approve' });
  const relief = lines(g).find((l) => l.actionId === 'us-humanitarian-exemptions')!.effects;
  assert.equal(relief.find((e) => e.meter === 'relief')?.delta, 3, 'half of 5, rounded');
  const secondPair = lines(g)
    .find((l) => l.kind === 'pair')!
    .effects.find((e) => e.meter === 'momentum')!.delta;
  assert.ok(secondPair < firstPair, `reused pair ${secondPair} against ${firstPair}`);
});

test("China's engagement scales what a main pair earns", () => {
  const earn = (dependence: number) => {
    const g = started();
    set(g, { dependence });
    round(g, { us: ['us-humanitarian-exemptions'], dprk: ['dprk-aid-monitors'] }, (g) =>
      deal(g, 'us', 'dprk', 'us-humanitarian-exemptions', 'dprk-aid-monitors'),
    );
    return lines(g)
      .find((l) => l.kind === 'pair')!
      .effects.find((e) => e.meter === 'momentum')!.delta;
  };
  assert.ok(earn(95) < earn(50), `${earn(95)} at 95% dependence, ${earn(50)} at 50%`);
});

test('side tracks move on their own: an inter-Korean pair before any US–DPRK pair, with its own effects', () => {
  const g = started();
  const ik = g.state.meters.inter_korean;
  round(g, { rok: ['rok-ngo-aid'], dprk: ['dprk-inter-korean-talks'] }, (g) =>
    deal(g, 'rok', 'dprk', 'rok-ngo-aid', 'dprk-inter-korean-talks'),
  );
  const p = g.state.pairs[0];
  assert.is(p.track, 'inter-korean');
  assert.is(p.sides, false);
  assert.ok(g.state.meters.inter_korean >= ik + 6 + 3);
  // The summit is a tier-1 action, gated by the inter-Korean meter, not by US–DPRK tiers (still closed).
  const v = viewFor(g.state, { kind: 'team', team: 'rok' });
  assert.is(v.tiers[1].open, false);
  assert.is(v.actions.find((a) => a.id === 'rok-summit')?.open, g.state.meters.inter_korean >= 10);
});

test("Japan's brake holds up the first US relief step by a round, at a cost in cohesion", () => {
  const g = started();
  const cohesion = g.state.meters.cohesion;
  round(g, { us: ['us-humanitarian-exemptions'], dprk: ['dprk-aid-monitors'], jpn: ['jpn-alliance-brake'] }, (g) =>
    deal(g, 'us', 'dprk', 'us-humanitarian-exemptions', 'dprk-aid-monitors'),
  );
  assert.is(g.state.meters.relief, 0, 'relief has not landed');
  assert.ok(g.state.meters.cohesion < cohesion);
  const id = g.state.dealOrder[0];
  assert.is(g.state.deals[id].status, 'accepted', 'not broken: the step is held, not refused');
  g.do(control, { type: 'phase.advance' });
  round(g, {});
  assert.is(g.state.meters.relief, 5);
  assert.is(g.state.deals[id].status, 'fulfilled');
  assert.is(mainPairs(g.state), 1);
});

test('exposed cheating voids open deals with the US, fires every snapback and closes the tier', () => {
  const g = started();
  // Inspectors and collection at their height: exposure is 95% likely, and this seed's die exposes it.
  set(g, { momentum: 40, verification: 100, us_intel: 100 });
  g.state = {
    ...g.state,
    pairs: [0, 0, 1, 1].map((tier, i) => ({ round: 0, dealId: `old${i}`, tier, sides: true })),
  };
  assert.ok(tierOpen(g.state, 2));
  g.do(control, { type: 'phase.advance' });
  deal(g, 'us', 'dprk', 'us-food-package', 'dprk-aid-monitors', true);
  const open = (() => {
    g.do(us, {
      type: 'deal.propose',
      to: ['dprk'],
      obligations: [
        { team: 'us', action: 'us-fuel-oil', byRound: 2 },
        { team: 'dprk', action: 'dprk-yongbyon-freeze', byRound: 2 },
      ],
      secret: false,
      snapback: true,
      note: '',
    });
    g.do(dprk, { type: 'deal.accept', dealId: g.lastDealId() });
    return g.lastDealId();
  })();
  g.do(control, { type: 'phase.advance' });
  g.do(us, { type: 'draft.set', overt: ['us-food-package', 'us-fuel-oil'], covert: [], freeform: null });
  g.do(dprk, {
    type: 'draft.set',
    overt: ['dprk-aid-monitors'],
    covert: ['dprk-undeclared-enrichment'],
    freeform: null,
  });
  g.do(control, { type: 'phase.advance' });
  assert.ok(g.state.adjudication!.lines.find((l) => l.kind === 'exposure')!.roll!.success);
  g.do(control, { type: 'adjudication.approve' });
  assert.is(g.state.deals[open].status, 'broken');
  assert.equal(g.state.deals[open].breakers, ['dprk']);
  const snaps = lines(g).filter((l) => l.kind === 'snapback');
  assert.is(snaps.length, 2, 'the fulfilled deal and the voided one both snap back');
  assert.is(g.state.meters.relief, 0, 'all relief reversed');
  assert.equal(g.state.closures, [{ round: 1, tier: 2 }]);
  assert.is(tierOpen(g.state, 2), false);
  assert.match(tierLockReason(g.state, 2), /closed by exposed cheating/);
});

test('a hollow deal: the board says breakthrough, the debrief says the DPRK kept a hidden programme', () => {
  const g = started();
  set(g, { denuclearization: 80, momentum: 90, capability: 30 });
  round(g, {});
  assert.is(g.state.ending?.id, 'hollow-deal');
  assert.is(viewFor(g.state, { kind: 'observer' }).game.ending?.name, 'Breakthrough');
  assert.is(viewFor(g.state, { kind: 'team', team: 'us' }).debrief, null);
  g.do(control, { type: 'phase.advance' });
  assert.is(viewFor(g.state, { kind: 'observer' }).debrief?.ending.name, 'Hollow deal');
  const clean = started();
  set(clean, { denuclearization: 80, momentum: 90, capability: 10 });
  round(clean, {});
  assert.is(clean.state.ending?.id, 'breakthrough');
});

test('no collapse before round 3: an early crisis becomes an inject, and the game goes on', () => {
  const g = started();
  set(g, { tension: 99 });
  round(g, {});
  assert.is(g.state.ending, null);
  assert.is(g.state.injects['crisis-brink'].status, 'pending');
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  assert.is(g.state.injects['crisis-brink'].status, 'published');
  assert.is(g.state.round, 2);
});

/** Three rounds, the third made to collapse by a war scare: an ending reached before the last round, at its reveal. */
function collapsedInRoundThree(unattended = false): Game {
  const g = started();
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'adjudication.approve' });
  g.do(control, { type: 'phase.advance' });
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'adjudication.approve' });
  g.do(control, { type: 'phase.advance' });
  g.do(control, {
    type: 'inject.add',
    title: 'War scare',
    text: 'Artillery on the border',
    audience: 'all',
    effects: [{ meter: 'tension', delta: 60 }],
    publish: true,
  });
  if (unattended) {
    // A game left to run approves its outcomes itself (set here for the last round only, as the rest is the same).
    g.state = { ...g.state, options: { ...g.state.options, autoApprove: true } };
    for (let i = 0; i < 3; i++) g.do(control, { type: 'phase.advance' }); // to the adjudication, approved at once
  } else round(g, {});
  assert.is(g.state.round, 3);
  assert.is(g.state.ending?.id, 'collapse');
  return g;
}

test('an ending reached before the last round holds the reveal: no clock ends the exercise, the White Cell does', () => {
  const g = collapsedInRoundThree();
  assert.is(g.state.phase, 'reveal');
  assert.is(g.state.deadline, null, 'no clock on this reveal');
  assert.is(viewFor(g.state, { kind: 'team', team: 'rok' }).game.ending?.round, 3, 'every seat is told');
  g.advance(3_600_000).do(system, { type: 'tick' });
  assert.is(g.state.phase, 'reveal', 'an hour later the exercise still waits for the White Cell');
  g.do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'debrief');
  // A game nobody attends keeps the clock that ends it there; a reveal without an ending keeps its clock too.
  const unattended = collapsedInRoundThree(true);
  assert.ok(unattended.state.ending && unattended.state.deadline !== null, 'autoApprove: the reveal keeps its clock');
  const plain = started();
  round(plain, {});
  assert.ok(plain.state.phase === 'reveal' && plain.state.deadline !== null);
});

test('the White Cell may play on past an ending; it stays on the record', () => {
  const g = collapsedInRoundThree();
  assert.is(g.try(teamActor('us'), { type: 'game.playOn' } as never)?.code, 'NOT_ALLOWED');
  g.do(control, { type: 'game.playOn' });
  assert.is(g.state.ending, null);
  assert.equal(
    g.state.pastEndings.map((e) => [e.id, e.round]),
    [['collapse', 3]],
  );
  g.do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'injects');
  assert.is(g.state.round, 4);
  assert.equal(fold(g.log), g.state, 'the log replays to the same state');
  assert.equal(viewFor(g.state, { kind: 'control' }).control?.pastEndings.length, 1);
  // At the debrief every audience reads that it was reached, and the reports say it too.
  g.do(control, { type: 'game.end' });
  const name = g.state.pastEndings[0].name;
  for (const a of [{ kind: 'team', team: 'jpn' }, { kind: 'observer' }] as const) {
    const v = viewFor(g.state, a);
    assert.equal(v.debrief?.pastEndings, [{ name, round: 3 }], a.kind);
    assert.match(afterActionReport(v), `Reached earlier, and played on past: ${name} (round 3).`);
    assert.match(afterActionReportHtml(v), `Reached earlier, and played on past: ${name} (round 3).`);
  }
});

/** From a round's reveal: the next round, in which the DPRK takes no step, wears sanctions leverage down. */
function erodesNextRound(g: Game) {
  g.do(control, { type: 'phase.advance' });
  const leverage = g.state.meters.leverage;
  round(g, { dprk: ['dprk-ny-channel'] });
  const e = lines(g).find((l) => l.kind === 'erosion');
  assert.ok(e, 'an erosion line');
  assert.ok(g.state.meters.leverage < leverage);
}

test('relief without snapback erodes sanctions leverage while the DPRK takes no step', () => {
  const g = started();
  round(g, { us: ['us-humanitarian-exemptions'], dprk: ['dprk-aid-monitors'] }, (g) =>
    deal(g, 'us', 'dprk', 'us-humanitarian-exemptions', 'dprk-aid-monitors'),
  );
  erodesNextRound(g);
});

test('relief delivered under a deal the DPRK then broke still erodes while it takes no step', () => {
  const g = started();
  let id = '';
  round(g, { us: ['us-humanitarian-exemptions'] }, (g) => {
    id = deal(g, 'us', 'dprk', 'us-humanitarian-exemptions', 'dprk-aid-monitors');
  });
  assert.is(g.state.deals[id].status, 'broken', 'the DPRK did not take its step');
  erodesNextRound(g);
});

test('a step worn down by repetition is a token: it no longer holds erosion off (rules version 5)', () => {
  const g = started();
  // Relief without snapback for the DPRK's return of remains, then the same restraint again and again.
  round(g, { us: ['us-humanitarian-exemptions'], dprk: ['dprk-remains'] }, (g) =>
    deal(g, 'us', 'dprk', 'us-humanitarian-exemptions', 'dprk-remains'),
  );
  g.do(control, { type: 'phase.advance' });
  round(g, { dprk: ['dprk-remains'] });
  assert.not.ok(
    lines(g).some((l) => l.kind === 'erosion'),
    'taken once before, the step is worth half its first use and still holds erosion off',
  );
  g.do(control, { type: 'phase.advance' });
  const leverage = g.state.meters.leverage;
  round(g, { dprk: ['dprk-remains'] });
  const e = lines(g).find((l) => l.kind === 'erosion');
  assert.ok(e, 'taken twice before, worth a quarter: a token, and relief erodes');
  assert.match(e!.why, /that still counts \(.*taken 2 times before, is worth 25% of its first use/);
  assert.ok(g.state.meters.leverage < leverage);
  // A step not taken before still holds erosion off, whatever the DPRK repeats beside it.
  g.do(control, { type: 'phase.advance' });
  round(g, { dprk: ['dprk-remains', 'dprk-aid-monitors'] });
  assert.not.ok(lines(g).some((l) => l.kind === 'erosion'));
});

test('in the last round a covert move rolls for the reveals left in its window, not for one', () => {
  const g = new Game(flywheel, { rounds: 1 });
  g.seatAll(TEAMS);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' });
  round(g, { prc: [] }, () => {}, { prc: ['prc-ecny-channel'] });
  const a = flywheel.actions.find((x) => x.id === 'prc-ecny-channel')!;
  const line = lines(g).find((l) => l.kind === 'exposure' && l.actionId === a.id)!;
  const perReveal = exposureChance(g.state, a);
  assert.ok(Math.abs(line.roll!.chance - (1 - (1 - perReveal) ** a.exposure!.window)) < 1e-9, `${line.roll!.chance}`);
  assert.match(line.why, `over the ${a.exposure!.window} reveals left in its window`);
});

test('designer notes reach the White Cell only', () => {
  const g = started();
  const notes = flywheel.designNotes ?? [];
  assert.ok(notes.length > 0);
  assert.equal(viewFor(g.state, { kind: 'control' }).control?.designNotes, notes);
  for (const a of [{ kind: 'observer' as const }, { kind: 'team' as const, team: 'us' }])
    assert.not.ok(JSON.stringify(viewFor(g.state, a)).includes(notes[0]));
});

test.run();
