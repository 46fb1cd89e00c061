// Validates a scenario file for its author: the zod parse, reworded into plain language, then the cross-reference
// checks zod cannot express (ids that must exist, ids that must be unique, tiers the wheel needs, endings that can
// never fire). Browser-safe: no node imports, so the client can check a file before uploading it.
import type { z } from 'zod';
import { Scenario, type Condition } from './scenario.ts';

export interface Problem {
  /** Where in the file, e.g. `actions[3].effects[0].meter`; `(root)` for the file as a whole. */
  path: string;
  message: string;
}

export type ValidationResult = { ok: true; scenario: Scenario } | { ok: false; problems: Problem[] };

export function validateScenario(json: unknown): ValidationResult {
  const parsed = Scenario.safeParse(json);
  // Cross-references need the parsed structure, so they wait until the shape is right.
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error.issues, [], json) };
  const problems = crossCheck(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, scenario: parsed.data };
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(String(key))) out += out ? `.${String(key)}` : String(key);
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(root)';
}

// ---------------------------------------------------------------------------------------------------------------
// zod issues in plain language

type Issue = z.core.$ZodIssue;
type Path = (string | number)[];

const CONDITION_HEADS = ['all', 'any', 'not', 'meter', 'round', 'pairs', 'dealsBroken', 'exposed'];

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v)}`;
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  return typeof v;
}

const ARTICLE: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  tuple: 'a list',
};

/** A path inside a condition tree is where a condition is expected: `condition`, `not`, or an item of `all`/`any`. */
function isConditionPath(path: Path): boolean {
  const last = path[path.length - 1];
  const before = path[path.length - 2];
  return last === 'condition' || last === 'not' || (typeof last === 'number' && (before === 'all' || before === 'any'));
}

function describeIssues(issues: readonly Issue[], base: Path, root: unknown): Problem[] {
  return issues.flatMap((issue) => describeIssue(issue, [...base, ...(issue.path as Path)], root));
}

function describeIssue(issue: Issue, path: Path, root: unknown): Problem[] {
  const at = formatPath(path);
  const value = valueAt(root, path);
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return [{ path: at, message: 'required field is missing' }];
      return [
        { path: at, message: `expected ${ARTICLE[issue.expected] ?? issue.expected}, got ${describeValue(value)}` },
      ];
    case 'too_small': {
      const n = Number(issue.minimum);
      if (issue.origin === 'string') return [{ path: at, message: 'must not be empty' }];
      if (issue.origin === 'array') {
        const items = `${n} item${n === 1 ? '' : 's'}`;
        return [{ path: at, message: issue.exact ? `needs exactly ${items}` : `needs at least ${items}` }];
      }
      return [
        { path: at, message: `must be ${issue.inclusive ? 'at least' : 'more than'} ${n} (got ${String(value)})` },
      ];
    }
    case 'too_big': {
      const n = Number(issue.maximum);
      if (issue.origin === 'string') return [{ path: at, message: `must be at most ${n} characters long` }];
      if (issue.origin === 'array')
        return [{ path: at, message: issue.exact ? `needs exactly ${n} items` : `allows at most ${n} items` }];
      return [
        { path: at, message: `must be ${issue.inclusive ? 'at most' : 'less than'} ${n} (got ${String(value)})` },
      ];
    }
    case 'invalid_format': {
      // Keep a schema's own wording (the id rule); replace zod's generic "Invalid string: ..." text.
      const rule = issue.message.startsWith('Invalid')
        ? `does not match the pattern ${issue.pattern ?? issue.format}`
        : issue.message;
      return [{ path: at, message: `${rule} (got ${describeValue(value)})` }];
    }
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: formatPath([...path, key]),
        message: `unknown field "${key}": check the spelling (field names are case-sensitive) or remove it`,
      }));
    case 'invalid_value':
      return [
        {
          path: at,
          message:
            `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} ` +
            `(got ${describeValue(value)})`,
        },
      ];
    case 'invalid_key': {
      const inner = issue.issues.map((i) => i.message).join('; ');
      return [{ path: at, message: `"${String(path[path.length - 1])}" is not allowed as a key here: ${inner}` }];
    }
    case 'invalid_union':
      return describeUnion(issue, path, value, root);
    default:
      return [{ path: at, message: issue.message }];
  }
}

function describeUnion(
  issue: Extract<Issue, { code: 'invalid_union' }>,
  path: Path,
  value: unknown,
  root: unknown,
): Problem[] {
  const at = formatPath(path);
  const last = path[path.length - 1];
  if (isConditionPath(path)) {
    if (typeof value === 'string') {
      return [
        {
          path: at,
          message:
            `a condition must be structured data such as {"meter": "momentum", "gte": 60}, not text to ` +
            `evaluate (got ${describeValue(value)})`,
        },
      ];
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return [
        {
          path: at,
          message: `a condition must be an object such as {"meter": "momentum", "gte": 60} (got ${describeValue(
            value,
          )})`,
        },
      ];
    }
    const heads = Object.keys(value).filter((k) => CONDITION_HEADS.includes(k));
    if (heads.length !== 1) {
      const found = heads.length
        ? `found ${heads.join(' and ')}`
        : `found ${Object.keys(value).join(', ') || 'no fields'}`;
      return [{ path: at, message: `a condition needs exactly one of ${CONDITION_HEADS.join(', ')} (${found})` }];
    }
  }
  if ((last === 'audience' || last === 'visibleTo') && !Array.isArray(value)) {
    return [
      { path: at, message: `must be "all" or a list of team ids such as ["us", "rok"] (got ${describeValue(value)})` },
    ];
  }
  // Otherwise report the branch the author most likely meant: the one with the fewest complaints, preferring
  // branches that recognise every field the author wrote.
  const score = (branch: readonly Issue[]) =>
    branch.length + (branch.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0) ? 100 : 0);
  const best = [...issue.errors].sort((a, b) => score(a) - score(b))[0];
  return best?.length ? describeIssues(best, path, root) : [{ path: at, message: issue.message }];
}

// ---------------------------------------------------------------------------------------------------------------
// Cross-reference checks on a parsed scenario

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = row[j]!;
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return row[b.length]!;
}

function unknownMessage(kind: string, id: string, known: readonly string[]): string {
  const near = known
    .map((k) => ({ k, d: editDistance(id, k) }))
    .filter(({ k, d }) => d <= Math.max(1, Math.floor(k.length / 3)))
    .sort((a, b) => a.d - b.d)[0];
  const hint = near ? `, did you mean "${near.k}"?` : '';
  return `unknown ${kind} "${id}"${hint} (known: ${known.join(', ') || 'none'})`;
}

class Checker {
  readonly problems: Problem[] = [];
  readonly meters: string[];
  readonly teams: string[];

  constructor(readonly s: Scenario) {
    this.meters = s.meters.map((m) => m.id);
    this.teams = s.teams.map((t) => t.id);
  }

  add(path: Path, message: string) {
    this.problems.push({ path: formatPath(path), message });
  }

  meter(id: string, path: Path) {
    if (!this.meters.includes(id)) this.add(path, unknownMessage('meter', id, this.meters));
  }

  team(id: string, path: Path) {
    if (!this.teams.includes(id)) this.add(path, unknownMessage('team', id, this.teams));
  }

  visibility(v: 'all' | string[], path: Path) {
    if (v !== 'all')
      v.forEach((id, i) => {
        this.team(id, [...path, i]);
      });
  }

  unique(kind: string, items: readonly { id: string }[], path: Path) {
    const first = new Map<string, number>();
    items.forEach((item, i) => {
      const prev = first.get(item.id);
      if (prev === undefined) first.set(item.id, i);
      else
        this.add(
          [...path, i, 'id'],
          `duplicate ${kind} id "${item.id}" (first used at ${formatPath([...path, prev])})`,
        );
    });
  }

  effects(effects: readonly { meter: string; scaleBy?: { meter: string } | undefined }[], path: Path) {
    effects.forEach((e, i) => {
      this.meter(e.meter, [...path, i, 'meter']);
      if (e.scaleBy) this.meter(e.scaleBy.meter, [...path, i, 'scaleBy', 'meter']);
    });
  }
}

export function crossCheck(s: Scenario): Problem[] {
  const c = new Checker(s);
  checkCalendar(c);
  checkIds(c);
  checkMeters(c);
  checkRules(c);
  checkActions(c);
  checkInjects(c);
  checkConditions(c);
  for (const team of Object.keys(s.botLines ?? {})) c.team(team, ['botLines', team]);
  for (const [set, weights] of Object.entries(s.botWeights ?? {}))
    for (const meter of Object.keys(weights ?? {})) c.meter(meter, ['botWeights', set, meter]);
  checkForms(c);
  return c.problems;
}

/** Feedback forms: unique ids, a choice among two options at least, and a Likert scale's two end labels. */
function checkForms(c: Checker) {
  const forms = c.s.forms ?? [];
  c.unique('form', forms, ['forms']);
  forms.forEach((f, i) => {
    c.unique('question', f.questions, ['forms', i, 'questions']);
    f.questions.forEach((q, j) => {
      const path: Path = ['forms', i, 'questions', j, 'options'];
      if (q.kind === 'choice' && (q.options?.length ?? 0) < 2) c.add(path, 'a choice needs at least two options');
      if (q.kind === 'likert' && q.options && q.options.length !== 2)
        c.add(path, 'a Likert scale takes two labels: for 1 and for 5');
      if (q.kind === 'text' && q.options) c.add(path, 'a text question has no options');
    });
  });
}

/** A round is named one way: by a calendar (a quarter or a month, not both) or by `roundName`. */
function checkCalendar(c: Checker) {
  const { start, roundName } = c.s;
  if (!start && !roundName) c.add([], 'give "start" (when the first round falls) or "roundName" (e.g. "Turn {n}")');
  if (start && roundName) c.add(['roundName'], 'give "start" or "roundName", not both: rounds are named one way');
  if (start?.quarter !== undefined && start.month !== undefined)
    c.add(['start'], 'give a quarter (rounds are quarters) or a month (rounds are months), not both');
}

function checkIds(c: Checker) {
  const s = c.s;
  c.unique('team', s.teams, ['teams']);
  c.unique('meter', s.meters, ['meters']);
  c.unique('action', s.actions, ['actions']);
  c.unique('inject', s.injects, ['injects']);
  c.unique('ending', s.endings, ['endings']);
  s.teams.forEach((t, i) => {
    c.unique('objective', t.objectives, ['teams', i, 'objectives']);
    c.unique('fact card', t.factCards, ['teams', i, 'factCards']);
    if (t.variants) c.unique('variant', t.variants, ['teams', i, 'variants']);
    t.variants?.forEach((v, k) => {
      if (v.objectives) c.unique('objective', v.objectives, ['teams', i, 'variants', k, 'objectives']);
    });
  });
}

function checkMeters(c: Checker) {
  c.s.meters.forEach((m, i) => {
    c.visibility(m.visibleTo, ['meters', i, 'visibleTo']);
  });
}

function checkRules(c: Checker) {
  const { rules } = c.s;
  const path: Path = ['rules'];
  c.meter(rules.momentumMeter, [...path, 'momentumMeter']);
  c.meter(rules.trustMeter, [...path, 'trustMeter']);
  if (rules.momentumMeter === rules.trustMeter)
    c.add([...path, 'trustMeter'], 'momentum and trust must be two different meters');
  rules.sides.forEach((id, i) => {
    c.team(id, [...path, 'sides', i]);
  });
  if (rules.sides[0] === rules.sides[1]) c.add([...path, 'sides'], 'the two sides must be different teams');

  rules.pairMomentum.forEach((n, i) => {
    if (n < 0) c.add([...path, 'pairMomentum', i], `a completed pair should add momentum, not remove it (got ${n})`);
  });
  if (rules.pairTrust < 0)
    c.add([...path, 'pairTrust'], `a completed pair should add trust, not remove it (got ${rules.pairTrust})`);
  // Break penalties are added to the meters, so a positive number would reward breaking a deal.
  if (rules.breakMomentum > 0)
    c.add(
      [...path, 'breakMomentum'],
      `is added to momentum when a deal breaks, so it should be 0 or negative (got ${rules.breakMomentum})`,
    );
  if (rules.breakTrust > 0)
    c.add(
      [...path, 'breakTrust'],
      `is added to trust when a deal breaks, so it should be 0 or negative (got ${rules.breakTrust})`,
    );

  rules.tiers.forEach((t, k) => {
    if (t.tier !== k)
      c.add(
        [...path, 'tiers', k, 'tier'],
        `tiers must be listed in order 0, 1, 2, 3 (found tier ${t.tier} at position ${k})`,
      );
    const below = rules.tiers[k - 1];
    if (below && t.momentum < below.momentum) {
      c.add(
        [...path, 'tiers', k, 'momentum'],
        `${t.momentum} is below the previous tier's ${below.momentum}: a higher tier should need at least as much ` +
          `momentum`,
      );
    }
  });
  const t0 = rules.tiers[0];
  if (t0 && t0.pairsBelow !== 0)
    c.add(
      [...path, 'tiers', 0, 'pairsBelow'],
      `tier 0 has no tier below it, so pairsBelow must be 0 (got ${t0.pairsBelow})`,
    );
  const momentum = c.s.meters.find((m) => m.id === rules.momentumMeter);
  if (t0 && momentum && t0.momentum > momentum.start) {
    c.add(
      [...path, 'tiers', 0, 'momentum'],
      `tier 0 needs momentum ${t0.momentum} but momentum starts at ${momentum.start}: no one could act in round 1`,
    );
  }

  rules.intel.forEach((intel, i) => {
    c.team(intel.team, [...path, 'intel', i, 'team']);
    c.meter(intel.meter, [...path, 'intel', i, 'meter']);
    intel.tighten.forEach((t, j) => {
      c.meter(t.meter, [...path, 'intel', i, 'tighten', j, 'meter']);
    });
    if (intel.minNoise > intel.noise)
      c.add(
        [...path, 'intel', i, 'minNoise'],
        `is larger than noise (${intel.noise}): the estimate can never be that rough`,
      );
  });
}

function checkActions(c: Checker) {
  const s = c.s;
  s.actions.forEach((a, i) => {
    const path: Path = ['actions', i];
    c.team(a.team, [...path, 'team']);
    c.effects(a.effects, [...path, 'effects']);
    if (a.exposure) {
      if (!a.covert)
        c.add([...path, 'exposure'], 'only covert actions can be exposed: set "covert": true or remove "exposure"');
      a.exposure.modifiers.forEach((m, j) => {
        c.meter(m.meter, [...path, 'exposure', 'modifiers', j, 'meter']);
      });
      c.effects(a.exposure.effects, [...path, 'exposure', 'effects']);
    }
    if (a.holds) c.team(a.holds, [...path, 'holds']);
    if (a.track && !s.rules.tracks?.some((t) => t.id === a.track))
      c.add([...path, 'track'], unknownMessage('track', a.track, s.rules.tracks?.map((t) => t.id) ?? []));
  });
  s.rules.tracks?.forEach((t, i) => {
    const path: Path = ['rules', 'tracks', i];
    t.sides.forEach((id, j) => {
      c.team(id, [...path, 'sides', j]);
    });
    c.meter(t.meter, [...path, 'meter']);
    c.effects(t.pair, [...path, 'pair']);
  });
  const wheel = s.rules.wheel;
  if (wheel) {
    if (wheel.scaleBy) c.meter(wheel.scaleBy.meter, ['rules', 'wheel', 'scaleBy', 'meter']);
    if (wheel.erosion) {
      c.meter(wheel.erosion.meter, ['rules', 'wheel', 'erosion', 'meter']);
      c.meter(wheel.erosion.relief, ['rules', 'wheel', 'erosion', 'relief']);
    }
    const cats = new Set(s.actions.map((a) => a.category).filter(Boolean));
    (['give', 'take'] as const).forEach((k) => {
      wheel[k].forEach((cat, j) => {
        if (!cats.has(cat))
          c.add(['rules', 'wheel', k, j], `no action has category "${cat}": no pair can turn the wheel`);
      });
    });
  }
  s.endings.forEach((e, i) => {
    if (e.crisisInject && !s.injects.some((x) => x.id === e.crisisInject))
      c.add(
        ['endings', i, 'crisisInject'],
        unknownMessage(
          'inject',
          e.crisisInject,
          s.injects.map((x) => x.id),
        ),
      );
    else if (e.crisisInject && s.injects.find((x) => x.id === e.crisisInject)?.kind !== 'contingency')
      c.add(
        ['endings', i, 'crisisInject'],
        `"${e.crisisInject}" is a scheduled inject; a crisis inject is a contingency (kind "contingency"), sent when the ending is reached`,
      );
  });

  s.teams.forEach((t, i) => {
    if (!s.actions.some((a) => a.team === t.id)) c.add(['teams', i], `team "${t.id}" has no actions on its menu`);
  });

  // A pair at tier k needs a move from each side at tier k, and the tiers open one after another, so both sides
  // need actions at every tier from 0 up to the highest tier the scenario uses. (A short tutorial may stop at tier 1.)
  const [a, b] = s.rules.sides;
  const used = s.actions.filter((x) => x.team === a || x.team === b).map((x) => x.tier);
  const top = Math.max(0, ...used);
  for (let tier = 0; tier <= top; tier++) {
    for (const side of [a, b]) {
      if (!s.actions.some((x) => x.team === side && x.tier === tier)) {
        const why =
          tier === 0
            ? 'the wheel can never start'
            : `no pair can complete at tier ${tier}, so tiers above it stay shut`;
        c.add(['actions'], `tier ${tier} has no actions for "${side}" (one of rules.sides): ${why}`);
      }
    }
  }
}

function checkInjects(c: Checker) {
  c.s.injects.forEach((inj, i) => {
    const path: Path = ['injects', i];
    c.visibility(inj.audience, [...path, 'audience']);
    for (const team of Object.keys(inj.intel ?? {})) c.team(team, [...path, 'intel', team]);
    c.effects(inj.effects, [...path, 'effects']);
    if (inj.kind === 'scheduled') {
      if (inj.round === undefined) c.add([...path, 'round'], `a scheduled inject needs a round (1-${c.s.rounds})`);
      else if (inj.round > c.s.rounds)
        c.add(
          [...path, 'round'],
          `round ${inj.round} is after the last round (${c.s.rounds}), so this inject would never be published`,
        );
    }
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Conditions: references, and whether they can ever be true

interface Range {
  lo: number;
  hi: number;
  loOpen: boolean;
  hiOpen: boolean;
}
type Bounds = { gte?: number | undefined; lte?: number | undefined; gt?: number | undefined; lt?: number | undefined };

function range(b: Bounds, lo: number, hi: number): Range {
  const r: Range = { lo, hi, loOpen: false, hiOpen: false };
  if (b.gte !== undefined && b.gte > r.lo) Object.assign(r, { lo: b.gte, loOpen: false });
  if (b.gt !== undefined && b.gt >= r.lo) Object.assign(r, { lo: b.gt, loOpen: true });
  if (b.lte !== undefined && b.lte < r.hi) Object.assign(r, { hi: b.lte, hiOpen: false });
  if (b.lt !== undefined && b.lt <= r.hi) Object.assign(r, { hi: b.lt, hiOpen: true });
  return r;
}

function intersect(a: Range, b: Range): Range {
  const lo = a.lo > b.lo || (a.lo === b.lo && a.loOpen) ? a : b;
  const hi = a.hi < b.hi || (a.hi === b.hi && a.hiOpen) ? a : b;
  return { lo: lo.lo, loOpen: lo.loOpen, hi: hi.hi, hiOpen: hi.hiOpen };
}

const isEmpty = (r: Range) => r.lo > r.hi || (r.lo === r.hi && (r.loOpen || r.hiOpen));
const covers = (r: Range, lo: number, hi: number) =>
  r.lo <= lo && r.hi >= hi && !(r.lo === lo && r.loOpen) && !(r.hi === hi && r.hiOpen);
const hasBound = (b: Bounds) => [b.gte, b.lte, b.gt, b.lt].some((x) => x !== undefined);

function boundsText(b: Bounds): string {
  return (['gte', 'gt', 'lte', 'lt'] as const)
    .filter((k) => b[k] !== undefined)
    .map((k) => `${k} ${b[k]}`)
    .join(' and ');
}

/** Logic over conditions with meters in 0..100 and rounds in 1..N. Conservative: says "impossible" only when sure. */
class Logic {
  constructor(readonly rounds: number) {}

  possible(c: Condition): boolean {
    if ('all' in c) return c.all.every((x) => this.possible(x)) && !this.contradiction(c.all);
    if ('any' in c) return c.any.some((x) => this.possible(x));
    if ('not' in c) return !this.always(c.not);
    if ('meter' in c) return !isEmpty(range(c, 0, 100)) && (c.rounds ?? 1) <= this.rounds;
    if ('round' in c) return !isEmpty(range(c.round, 1, this.rounds));
    if ('pairs' in c) return c.pairs.tier === undefined || c.pairs.tier <= 3;
    return true;
  }

  always(c: Condition): boolean {
    if ('all' in c) return c.all.every((x) => this.always(x));
    if ('any' in c) return c.any.some((x) => this.always(x));
    if ('not' in c) return !this.possible(c.not);
    if ('meter' in c) return covers(range(c, 0, 100), 0, 100);
    if ('round' in c) return covers(range(c.round, 1, this.rounds), 1, this.rounds);
    if ('pairs' in c) return c.pairs.gte === 0 && c.pairs.tier === undefined;
    if ('dealsBroken' in c) return c.dealsBroken.gte === 0;
    return c.exposed.gte === 0;
  }

  /** Bounds on one meter (or the round) that cannot all hold at once, among the direct members of an `all`. */
  contradiction(items: readonly Condition[]): string | undefined {
    const ranges = new Map<string, { r: Range; texts: string[] }>();
    const note = (key: string, label: string, r: Range, text: string) => {
      const prev = ranges.get(key);
      const next = prev ? { r: intersect(prev.r, r), texts: [...prev.texts, text] } : { r, texts: [text] };
      ranges.set(key, next);
      if (prev && isEmpty(next.r))
        return `contradictory bounds on ${label}: ${next.texts.join(', ')} can never all hold`;
      return undefined;
    };
    for (const item of flattenAll(items)) {
      const found =
        'meter' in item
          ? note(`m:${item.meter}`, `"${item.meter}"`, range(item, 0, 100), boundsText(item))
          : 'round' in item
            ? note('round', 'the round', range(item.round, 1, this.rounds), boundsText(item.round))
            : undefined;
      if (found) return found;
    }
    return undefined;
  }
}

function flattenAll(items: readonly Condition[]): Condition[] {
  return items.flatMap((x) => ('all' in x ? flattenAll(x.all) : [x]));
}

function checkConditions(c: Checker) {
  const logic = new Logic(c.s.rounds);
  c.s.endings.forEach((e, i) => {
    const path: Path = ['endings', i, 'condition'];
    const before = c.problems.length;
    walkCondition(c, logic, e.condition, path);
    const specific = c.problems.length > before;
    if (!specific && !logic.possible(e.condition))
      c.add(path, `can never be true, so the ending "${e.id}" can never trigger`);
    if (logic.always(e.condition))
      c.add(path, `is true from the start, so the ending "${e.id}" would end the game at the first reveal`);
    else if (holdsAtStart(e.condition, new Map(c.s.meters.map((m) => [m.id, m.start]))))
      c.add(
        path,
        `holds for the meters' starting values, so the ending "${e.id}" would end the game at the first reveal unless play moves them first`,
      );
  });
  // A team's objectives, and those of each of its variants (a government with its own aims scores those instead).
  const objective = (o: { id: string; condition: Condition }, path: Path) => {
    const before = c.problems.length;
    walkCondition(c, logic, o.condition, path);
    if (c.problems.length === before && !logic.possible(o.condition))
      c.add(path, `can never be true, so objective "${o.id}" can never be met`);
  };
  c.s.teams.forEach((t, i) => {
    for (const [j, o] of t.objectives.entries()) objective(o, ['teams', i, 'objectives', j, 'condition']);
    for (const [k, v] of (t.variants ?? []).entries())
      for (const [j, o] of (v.objectives ?? []).entries())
        objective(o, ['teams', i, 'variants', k, 'objectives', j, 'condition']);
  });
}

/**
 * Whether a condition holds for the meters' starting values alone (a round, pairs, breaks or exposures: not known
 * at the start, so not claimed). An ending that holds at the start ends the game at the first reveal unless play
 * moves the meters first: worth a warning the author can act on.
 */
function holdsAtStart(cond: Condition, start: ReadonlyMap<string, number>): boolean {
  if ('all' in cond) return cond.all.every((x) => holdsAtStart(x, start));
  if ('any' in cond) return cond.any.some((x) => holdsAtStart(x, start));
  if ('meter' in cond) {
    const v = start.get(cond.meter);
    if (v === undefined || (cond.rounds ?? 1) > 1) return false;
    const r = range(cond, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
    return (v > r.lo || (v === r.lo && !r.loOpen)) && (v < r.hi || (v === r.hi && !r.hiOpen));
  }
  return false;
}

function walkCondition(c: Checker, logic: Logic, cond: Condition, path: Path): void {
  if ('all' in cond) {
    cond.all.forEach((x, i) => {
      walkCondition(c, logic, x, [...path, 'all', i]);
    });
    const clash = logic.contradiction(cond.all);
    if (clash) c.add([...path, 'all'], clash);
  } else if ('any' in cond) {
    cond.any.forEach((x, i) => {
      walkCondition(c, logic, x, [...path, 'any', i]);
    });
  } else if ('not' in cond) {
    walkCondition(c, logic, cond.not, [...path, 'not']);
  } else if ('meter' in cond) {
    c.meter(cond.meter, [...path, 'meter']);
    if (!hasBound(cond)) c.add(path, `a meter test needs at least one of gte, lte, gt, lt`);
    else if (isEmpty(range(cond, 0, 100)))
      c.add(path, `meters run from 0 to 100, so "${cond.meter}" ${boundsText(cond)} can never hold`);
    if (cond.rounds !== undefined && cond.rounds > logic.rounds) {
      c.add([...path, 'rounds'], `asks for ${cond.rounds} rounds in a row but the game has only ${logic.rounds}`);
    }
  } else if ('round' in cond) {
    if (!hasBound(cond.round)) c.add([...path, 'round'], 'a round test needs at least one of gte, lte, gt, lt');
    else if (isEmpty(range(cond.round, 1, logic.rounds)))
      c.add([...path, 'round'], `rounds run from 1 to ${logic.rounds}, so ${boundsText(cond.round)} can never hold`);
  } else if ('pairs' in cond) {
    if (cond.pairs.tier !== undefined && cond.pairs.tier > 3)
      c.add([...path, 'pairs', 'tier'], `tiers run from 0 to 3 (got ${cond.pairs.tier})`);
  } else if ('dealsBroken' in cond) {
    if (cond.dealsBroken.team !== undefined) c.team(cond.dealsBroken.team, [...path, 'dealsBroken', 'team']);
  } else if (cond.exposed.team !== undefined) {
    c.team(cond.exposed.team, [...path, 'exposed', 'team']);
  }
}
