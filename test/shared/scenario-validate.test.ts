// The shipped scenarios validate; each kind of authoring mistake is caught with a path and a message an author can
// act on; the worked example in docs/scenario-format.md is itself a valid scenario; the Flywheel exercise has the
// content the design asks for.
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Scenario } from '../../shared/scenario.ts';
import { validateScenario, type Problem } from '../../shared/scenario-validate.ts';

const root = new URL('../../', import.meta.url);
const readJson = (path: string): any => JSON.parse(readFileSync(new URL(path, root), 'utf8'));
const tutorial = readJson('scenarios/tutorial.json');
const copy = (): any => structuredClone(tutorial);

function problemsOf(json: unknown): Problem[] {
  const result = validateScenario(json);
  if (result.ok) assert.unreachable('expected the scenario to be refused');
  return result.ok ? [] : result.problems;
}

/** Asserts that some problem sits at `path` and its message contains every fragment. */
function expectProblem(json: unknown, path: string, ...fragments: string[]) {
  const problems = problemsOf(json);
  const hit = problems.find((p) => p.path === path && fragments.every((f) => p.message.includes(f)));
  assert.ok(
    hit,
    `no problem at ${path} containing ${JSON.stringify(fragments)}; ` +
      `got:\n${problems.map((p) => `${p.path}: ${p.message}`).join('\n')}`,
  );
}

const actionIndex = (s: any, id: string) => {
  const i = s.actions.findIndex((a: any) => a.id === id);
  assert.ok(i >= 0, `tutorial has no action ${id}`);
  return i;
};

for (const file of ['scenarios/flywheel-2022.json', 'scenarios/tutorial.json']) {
  test(`${file} validates`, () => {
    const result = validateScenario(readJson(file));
    assert.ok(result.ok, result.ok ? '' : result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  });
}

test('unknown meter in an effect, with a suggestion and the known list', () => {
  const s = copy();
  const i = actionIndex(s, 'us-talks');
  const j = s.actions[i].effects.findIndex((e: any) => e.meter === 'tension');
  s.actions[i].effects[j].meter = 'tention';
  expectProblem(
    s,
    `actions[${i}].effects[${j}].meter`,
    'unknown meter "tention"',
    'did you mean "tension"?',
    '(known: momentum,',
  );
});

test('unknown meter in scaleBy and in an exposure modifier', () => {
  const s = copy();
  const i = actionIndex(s, 'us-humanitarian-exemptions');
  const j = s.actions[i].effects.findIndex((e: any) => e.scaleBy);
  s.actions[i].effects[j].scaleBy.meter = 'dependency';
  const k = actionIndex(s, 'dprk-undeclared-enrichment');
  s.actions[k].exposure.modifiers[0].meter = 'inspections';
  expectProblem(s, `actions[${i}].effects[${j}].scaleBy.meter`, 'unknown meter "dependency"');
  expectProblem(s, `actions[${k}].exposure.modifiers[0].meter`, 'unknown meter "inspections"');
});

test('unknown team in an action', () => {
  const s = copy();
  const i = actionIndex(s, 'us-food-package');
  s.actions[i].team = 'usa';
  expectProblem(s, `actions[${i}].team`, 'unknown team "usa"', '(known: us, dprk, prc, rok, jpn)');
});

test('unknown teams in an audience, in intel and in rules.sides', () => {
  const s = copy();
  s.injects[0].audience = ['us', 'russia'];
  s.injects[1].intel = { nk: 'private text' };
  s.rules.sides = ['us', 'north-korea'];
  expectProblem(s, 'injects[0].audience[1]', 'unknown team "russia"');
  expectProblem(s, 'injects[1].intel.nk', 'unknown team "nk"');
  expectProblem(s, 'rules.sides[1]', 'unknown team "north-korea"');
});

test('duplicate action id', () => {
  const s = copy();
  s.actions[2].id = s.actions[0].id;
  expectProblem(s, 'actions[2].id', `duplicate action id "${s.actions[0].id}"`, 'first used at actions[0]');
});

test('duplicate objective id within a team', () => {
  const s = copy();
  s.teams[0].objectives[1].id = s.teams[0].objectives[0].id;
  expectProblem(s, 'teams[0].objectives[1].id', 'duplicate objective id');
});

test('a tier with no actions for one side', () => {
  const s = copy();
  s.actions.splice(actionIndex(s, 'dprk-yongbyon-freeze'), 1);
  expectProblem(s, 'actions', 'tier 1 has no actions for "dprk"');
});

test('an ending that can never trigger: contradictory bounds, and a bound outside 0-100', () => {
  const s = copy();
  s.endings[0].condition = {
    all: [
      { meter: 'tension', gte: 80 },
      { meter: 'tension', lte: 40 },
    ],
  };
  s.endings[1].condition = { meter: 'tension', gte: 120 };
  expectProblem(s, 'endings[0].condition.all', 'contradictory bounds on "tension"', 'gte 80, lte 40');
  expectProblem(s, 'endings[1].condition', 'meters run from 0 to 100', 'can never hold');
});

test('an ending hidden behind not/any that can never trigger, and one that is always true', () => {
  const s = copy();
  s.endings[0].condition = { not: { meter: 'momentum', gte: 0 } };
  s.endings[1].condition = {
    any: [
      { meter: 'tension', lte: 100 },
      { meter: 'trust', gte: 50 },
    ],
  };
  expectProblem(s, 'endings[0].condition', 'can never be true', '"breakthrough"');
  expectProblem(s, 'endings[1].condition', 'true from the start');
});

test("a variant's own objectives are checked like the team's", () => {
  const s = copy();
  const t = 0;
  s.teams[t].variants = [{ id: 'hawks', name: 'Hawks', privateBriefing: s.teams[t].privateBriefing }];
  s.teams[t].variants[0].objectives = [
    { id: 'v-one', text: 'x', condition: { meter: 'stok', gte: 10 }, points: 5 },
    { id: 'v-one', text: 'y', condition: { meter: s.meters[0].id, gte: 150 }, points: 5 },
  ];
  expectProblem(s, `teams[${t}].variants[0].objectives[0].condition.meter`, 'unknown meter "stok"');
  expectProblem(s, `teams[${t}].variants[0].objectives[1].id`, 'duplicate');
  expectProblem(s, `teams[${t}].variants[0].objectives[1].condition`, 'never');
});

test("an ending that holds for the meters' starting values, and a crisis inject that is not a contingency", () => {
  const s = copy();
  const m = s.meters[0];
  s.endings[0].condition = { meter: m.id, gte: Math.max(0, m.start - 1) };
  expectProblem(s, 'endings[0].condition', "holds for the meters' starting values");
  const t = copy();
  const scheduled = t.injects.find((x: any) => x.kind === 'scheduled').id;
  t.endings[0].crisisInject = scheduled;
  expectProblem(t, 'endings[0].crisisInject', 'is a scheduled inject');
});

test('rounds are named one way: by a quarter, a month or a round name, never two or none', () => {
  const both = copy();
  both.start = { year: 2030, quarter: 1, month: 3 };
  expectProblem(both, 'start', 'not both');
  const none = copy();
  delete none.start;
  expectProblem(none, '(root)', '"roundName"');
  const twice = copy();
  twice.roundName = 'Turn {n}';
  expectProblem(twice, 'roundName', 'not both');
  const unnumbered = copy();
  delete unnumbered.start;
  unnumbered.roundName = 'Turn';
  expectProblem(unnumbered, 'roundName', '{n}');
  const numbered = copy();
  delete numbered.start;
  numbered.roundName = 'Day {n}';
  assert.ok(validateScenario(numbered).ok);
  const monthly = copy();
  monthly.start = { year: 2030, month: 12 };
  assert.ok(validateScenario(monthly).ok);
});

test("bots' weights name meters that exist", () => {
  const s = copy();
  s.botWeights = { cooperation: { trsut: 2 }, gain: { economy: 1 } };
  expectProblem(s, 'botWeights.cooperation.trsut', 'trust');
});

test('a scheduled inject past the last round, and one with no round', () => {
  const s = copy();
  s.injects[0].round = 9;
  delete s.injects[1].round;
  expectProblem(s, 'injects[0].round', 'round 9 is after the last round (3)');
  expectProblem(s, 'injects[1].round', 'a scheduled inject needs a round');
});

test('unknown meter in a condition, deep inside', () => {
  const s = copy();
  s.endings[2].condition = {
    all: [
      { meter: 'dependance', gte: 95 },
      { meter: 'relief', lte: 10 },
    ],
  };
  s.teams[1].objectives[0].condition = { any: [{ not: { meter: 'econmy', lt: 30 } }] };
  expectProblem(s, 'endings[2].condition.all[0].meter', 'unknown meter "dependance"', 'did you mean "dependence"?');
  expectProblem(s, 'teams[1].objectives[0].condition.any[0].not.meter', 'unknown meter "econmy"');
});

test('a condition written as a string', () => {
  const s = copy();
  s.endings[0].condition = 'denuclearization >= 70 && momentum >= 60';
  expectProblem(s, 'endings[0].condition', 'structured data', 'not text to evaluate');
});

test('a condition with a wrongly typed bound reports the inner path', () => {
  const s = copy();
  s.endings[0].condition = { all: [{ meter: 'momentum', gte: 'high' }] };
  expectProblem(s, 'endings[0].condition.all[0].gte', 'expected a number', 'the text "high"');
});

test('a condition with no recognisable head', () => {
  const s = copy();
  s.endings[0].condition = { metre: 'momentum', gte: 60 };
  expectProblem(s, 'endings[0].condition', 'a condition needs exactly one of all, any, not, meter');
});

test('missing required field, unknown field, bad enum, bad audience', () => {
  const s = copy();
  delete s.teams[0].name;
  s.actions[0].sumary = 'typo';
  s.injects[0].kind = 'planned';
  s.injects[1].audience = 'everyone';
  expectProblem(s, 'teams[0].name', 'required field is missing');
  expectProblem(s, 'actions[0].sumary', 'unknown field "sumary"');
  expectProblem(s, 'injects[0].kind', 'must be one of "scheduled", "contingency"');
  expectProblem(s, 'injects[1].audience', 'must be "all" or a list of team ids');
});

test('rules: tier order, pairMomentum shape, break penalty sign, missing momentum meter', () => {
  const s = copy();
  s.rules.pairMomentum = [8, 8, 12];
  expectProblem(s, 'rules.pairMomentum', 'needs exactly 4 items');
  const t = copy();
  [t.rules.tiers[1], t.rules.tiers[2]] = [t.rules.tiers[2], t.rules.tiers[1]];
  t.rules.breakMomentum = 10;
  t.rules.momentumMeter = 'speed';
  expectProblem(t, 'rules.tiers[1].tier', 'tiers must be listed in order');
  expectProblem(t, 'rules.breakMomentum', 'should be 0 or negative');
  expectProblem(t, 'rules.momentumMeter', 'unknown meter "speed"');
});

test('exposure on an overt action is refused', () => {
  const s = copy();
  const i = actionIndex(s, 'dprk-undeclared-enrichment');
  s.actions[i].covert = false;
  expectProblem(s, `actions[${i}].exposure`, 'only covert actions can be exposed');
});

test('the worked example in docs/scenario-format.md is a valid scenario', () => {
  const doc = readFileSync(new URL('docs/scenario-format.md', root), 'utf8');
  const block = /<!-- example:start -->\s*```json\n([\s\S]*?)```/.exec(doc);
  assert.ok(block, 'the doc has no marked example block');
  const result = validateScenario(JSON.parse(block![1]!));
  assert.ok(result.ok, result.ok ? '' : result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  if (result.ok) assert.is(result.scenario.teams.length, 2);
});

// ---------------------------------------------------------------------------------------------------------------
// Flywheel content: what docs/game-design.md asks the exercise to contain.

const flywheel = (() => {
  const result = validateScenario(readJson('scenarios/flywheel-2022.json'));
  if (!result.ok) throw new Error('flywheel-2022.json does not validate');
  return result.scenario as Scenario;
})();
const count = (team: string, pred: (a: Scenario['actions'][number]) => boolean = () => true) =>
  flywheel.actions.filter((a) => a.team === team && pred(a)).length;

test('flywheel: US and DPRK have at least 4 actions at every tier', () => {
  for (const team of ['us', 'dprk']) {
    for (let tier = 0; tier <= 3; tier++) assert.ok(count(team, (a) => a.tier === tier) >= 4, `${team} tier ${tier}`);
  }
});

test('flywheel: China, South Korea and Japan have at least 8 actions each', () => {
  for (const team of ['prc', 'rok', 'jpn']) assert.ok(count(team) >= 8, team);
});

test('flywheel: every team has covert options, DPRK and China at least 3', () => {
  for (const team of flywheel.teams) {
    const covert = count(team.id, (a) => a.covert);
    assert.ok(covert >= (['dprk', 'prc'].includes(team.id) ? 3 : 1), `${team.id}: ${covert} covert`);
  }
  assert.ok(
    flywheel.actions.filter((a) => a.covert).every((a) => a.exposure),
    'every covert action can be exposed',
  );
  assert.ok(
    flywheel.actions.some((a) => a.team === 'dprk' && a.exposure?.cheating),
    'DPRK has cheating that fires snapback',
  );
});

test('flywheel: every US relief action is relief, and its economy effect is scaled by dependence (Risk 2)', () => {
  const relief = flywheel.actions.filter(
    (a) => a.team === 'us' && a.effects.some((e) => e.meter === 'economy' && e.delta > 0),
  );
  assert.ok(relief.length >= 6);
  for (const a of relief) {
    assert.ok(a.relief, `${a.id} should be relief: true`);
    const economy = a.effects.find((e) => e.meter === 'economy')!;
    assert.equal(economy.scaleBy, { meter: 'dependence', factor: 0.6 }, a.id);
  }
});

test('flywheel: DPRK denuclearization steps are delayed (Risk 1)', () => {
  const steps = flywheel.actions
    .filter((a) => a.team === 'dprk')
    .flatMap((a) => a.effects)
    .filter((e) => e.meter === 'denuclearization' && e.delta > 0);
  assert.ok(steps.length >= 8);
  for (const e of steps) assert.ok((e.delay ?? 0) >= 1 && (e.delay ?? 0) <= 2);
});

test('flywheel: at least 8 scheduled and 10 contingency injects', () => {
  assert.ok(flywheel.injects.filter((i) => i.kind === 'scheduled').length >= 8);
  assert.ok(flywheel.injects.filter((i) => i.kind === 'contingency').length >= 10);
  assert.ok(flywheel.injects.filter((i) => i.intel).length >= 10, 'most injects carry private intel');
});

test('flywheel: South Korea has the engagement and deterrence variants', () => {
  const rok = flywheel.teams.find((t) => t.id === 'rok')!;
  assert.equal(rok.variants?.map((v) => v.id).sort(), ['deterrence', 'engagement']);
});

test('flywheel: every team has a private briefing, 3-5 objectives and 3+ sourced fact cards', () => {
  for (const t of flywheel.teams) {
    assert.ok(t.privateBriefing.situation && t.privateBriefing.redLines.length && t.privateBriefing.wants.length, t.id);
    assert.ok(t.objectives.length >= 3 && t.objectives.length <= 5, `${t.id} objectives`);
    assert.ok(t.factCards.length >= 3, `${t.id} fact cards`);
    for (const c of t.factCards)
      assert.ok(c.source.title && c.source.url?.startsWith('http'), `${t.id}/${c.id} source`);
  }
});

test('flywheel: the metadata, meters, rules and endings the engine expects', () => {
  assert.is(flywheel.rounds, 6, 'six rounds fit a three-hour seminar (docs/facilitation.md)');
  assert.equal(flywheel.start, { year: 2022, quarter: 2 });
  assert.ok(flywheel.notes.some((n) => n.includes('reconstruction') && n.includes("NOT the report's Figure 1")));
  const start = Object.fromEntries(flywheel.meters.map((m) => [m.id, m.start]));
  assert.equal(
    {
      momentum: start.momentum,
      denuclearization: start.denuclearization,
      relief: start.relief,
      trust: start.trust,
      tension: start.tension,
      dependence: start.dependence,
      cohesion: start.cohesion,
      leverage: start.leverage,
      economy: start.economy,
      capability: start.capability,
      verification: start.verification,
      us_intel: start.us_intel,
    },
    {
      momentum: 5,
      denuclearization: 0,
      relief: 0,
      trust: 10,
      tension: 60,
      dependence: 90,
      cohesion: 60,
      leverage: 70,
      economy: 30,
      capability: 0,
      verification: 0,
      us_intel: 10,
    },
  );
  const dependence = flywheel.meters.find((m) => m.id === 'dependence')!;
  assert.ok(dependence.source?.url, 'the 90% figure carries its source');
  // Tiers open one after another; the tuning numbers themselves are measured in docs/balance.md.
  const gates = flywheel.rules.tiers.map((t) => t.momentum);
  assert.equal(
    gates,
    [...gates].sort((a, b) => a - b),
  );
  assert.equal(flywheel.rules.wheel?.give, ['inducement']);
  assert.equal(flywheel.rules.wheel?.take, ['restraint', 'denuclearization']);
  assert.equal(
    flywheel.endings.map((e) => e.id),
    ['breakthrough', 'hollow-deal', 'collapse', 'china-capture'],
  );
  assert.is(flywheel.endings[1].headline, 'Breakthrough');
  for (const e of flywheel.endings.slice(2)) assert.is(e.notBefore, 3, `${e.id} never before round 3`);
});

test.run();
