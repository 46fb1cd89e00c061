// The strategy library: how each team's bot negotiates, answers proposals and drafts its moves. Strategies compose:
// one per team, `random` (random legal play) for the rest. Every choice comes from the team's own seeded dice.
import type { Action } from '../../shared/scenario.ts';
import type { Deal, TeamId } from '../engine/index.ts';
import type { Driver } from './driver.ts';

export interface Draft {
  overt: string[];
  covert: string[];
}

export interface TeamStrategy {
  name: string;
  teams: TeamId[];
  summary: string;
  /** Deals this team puts forward during negotiation. */
  propose?(d: Driver, team: TeamId): void;
  /** Whether the team accepts a deal proposed to it. */
  accept(d: Driver, team: TeamId, deal: Deal): boolean;
  /** The round's moves, given what the team owes under its deals. */
  draft(d: Driver, team: TeamId, owed: string[]): Draft;
}

const gains = (a: Action, meter: string) => a.effects.filter((e) => e.meter === meter).reduce((n, e) => n + e.delta, 0);
const byScore = (xs: Action[], score: (a: Action) => number) =>
  [...xs].sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id));
const cat = (a: Action | undefined, ...cats: string[]) => !!a?.category && cats.includes(a.category);
const action = (d: Driver, id: string) => d.state.scenario.actions.find((a) => a.id === id);
const pick = <T>(d: Driver, team: TeamId, xs: T[]): T | undefined =>
  xs.length ? xs[Math.floor(d.dice[team].next() * xs.length)] : undefined;
const chance = (d: Driver, team: TeamId, p: number) => d.dice[team].next() < p;
const slots = (d: Driver) => d.state.scenario.rules.slots;

/** Fills the draft: what is owed first (if honoured), then the preferred actions, at most the slots allow. */
function fill(d: Driver, owed: string[], preferred: Action[], covert: Action[] = []): Draft {
  const overt: string[] = [];
  for (const id of [...owed, ...preferred.map((a) => a.id)])
    if (overt.length < slots(d).overt && !overt.includes(id) && !action(d, id)?.covert) overt.push(id);
  return { overt, covert: covert.slice(0, slots(d).covert).map((a) => a.id) };
}

/** Actions already promised by this team in deals still open: not promised twice. */
function promised(d: Driver, team: TeamId): Set<string> {
  return new Set(d.due(team).map((x) => x.action));
}

/**
 * The strongest open pairs the first side can offer for the second side's steps, by tier and substance. `relief`:
 * only relief on the first side (what snapback can guard, and what a pocketing side wants).
 */
function bestPairs(d: Driver, n: number, relief = false): [string, string][] {
  const wheel = d.state.scenario.rules.wheel;
  const [us, dprk] = d.state.scenario.rules.sides;
  const taken = new Set([...promised(d, us), ...promised(d, dprk)]);
  const gives = byScore(
    d.open(us).filter((a) => cat(a, ...(wheel?.give ?? [])) && (!relief || a.relief) && !taken.has(a.id)),
    (a) => a.tier * 10 + gains(a, 'trust') + (a.once ? 2 : 0),
  );
  const takes = byScore(
    d.open(dprk).filter((a) => cat(a, ...(wheel?.take ?? [])) && !taken.has(a.id)),
    (a) => a.tier * 10 + gains(a, 'denuclearization') + gains(a, 'verification') / 4 + (a.once ? 2 : 0),
  );
  const out: [string, string][] = [];
  for (let i = 0; i < Math.min(n, gives.length, takes.length); i++) out.push([gives[i].id, takes[i].id]);
  return out;
}

/** A careful team takes on only what it can carry out: its owed steps this round must fit its overt slots. */
function hasRoom(d: Driver, team: TeamId, deal: Deal): boolean {
  const owed = d.due(team).filter((x) => x.deal.obligations.some((o) => o.team === team && o.byRound <= d.state.round));
  const more = deal.obligations.filter((o) => o.team === team && o.byRound <= d.state.round).length;
  return owed.length + more <= slots(d).overt;
}

/** Has the other side broken a deal with this team (a cooperative bot stops trusting it)? */
const burned = (d: Driver, team: TeamId, other: TeamId) =>
  Object.values(d.state.deals).some(
    (x) => x.status === 'broken' && x.parties.includes(team) && x.breakers.includes(other),
  );

function usCooperative(
  name: string,
  summary: string,
  opts: { pairs: number; snapback: boolean; watch: boolean; relief?: boolean },
) {
  return {
    name,
    teams: ['us'],
    summary,
    propose(d: Driver, team: TeamId) {
      const other = d.state.scenario.rules.sides[1];
      if (burned(d, team, other) && !opts.snapback) return;
      // Snapback can guard relief only: a side that arms it offers relief.
      for (const [u, k] of bestPairs(d, opts.pairs, opts.relief || opts.snapback))
        d.propose(
          team,
          [other],
          [
            { team, action: u, byRound: d.state.round },
            { team: other, action: k, byRound: d.state.round },
          ],
          opts.snapback,
        );
    },
    accept: (d: Driver, team: TeamId, deal: Deal) => !burned(d, team, deal.from) && hasRoom(d, team, deal),
    draft(d: Driver, team: TeamId, owed: string[]) {
      const watch = opts.watch
        ? byScore(
            d.open(team).filter((a) => gains(a, 'verification') > 0 || gains(a, 'us_intel') > 0),
            (a) => gains(a, 'verification') + gains(a, 'us_intel'),
          )
        : [];
      const calm = byScore(
        d.open(team).filter((a) => cat(a, 'signal')),
        (a) => gains(a, 'trust'),
      );
      const covert = opts.watch ? d.open(team, true).filter((a) => gains(a, 'us_intel') > 0) : [];
      const keep = opts.watch ? owed.slice(0, slots(d).overt - 1) : owed;
      return fill(d, keep, [...watch, ...calm], covert);
    },
  } satisfies TeamStrategy;
}

function dprkTrading(name: string, summary: string, opts: { deliver: boolean; cheat: boolean }): TeamStrategy {
  return {
    name,
    teams: ['dprk'],
    summary,
    accept: (d, team, deal) =>
      deal.obligations.every((o) => o.team !== team || !cat(action(d, o.action), 'provocation')) &&
      !burned(d, team, deal.from) &&
      hasRoom(d, team, deal),
    draft(d, team, owed) {
      const calm = byScore(
        d.open(team).filter((a) => cat(a, 'signal', 'restraint') && !a.once),
        (a) => gains(a, 'trust') - gains(a, 'tension'),
      );
      const cheats = opts.cheat
        ? byScore(
            d.open(team, true).filter((a) => a.exposure?.cheating),
            (a) => gains(a, 'capability'),
          )
        : [];
      if (opts.deliver) return fill(d, owed, calm, cheats);
      // Pocketing: takes what it is given, delivers nothing it promised, and keeps the programme going.
      const owedSteps = new Set(owed);
      return fill(
        d,
        [],
        calm.filter((a) => !owedSteps.has(a.id)),
        cheats,
      );
    },
  };
}

/** Random legal play: random deals, random answers, random moves (owed steps kept most of the time). */
export const random: TeamStrategy = {
  name: 'random',
  teams: ['*'],
  summary: 'random legal play: random deals and answers, random open moves, now and then a covert one',
  propose(d, team) {
    if (!chance(d, team, 0.4)) return;
    const others = d.state.scenario.teams.map((t) => t.id).filter((t) => t !== team);
    const other = pick(d, team, others)!;
    const mine = pick(d, team, d.open(team));
    const theirs = pick(d, team, d.open(other));
    if (mine && theirs)
      d.propose(
        team,
        [other],
        [
          { team, action: mine.id, byRound: d.state.round },
          { team: other, action: theirs.id, byRound: d.state.round },
        ],
      );
  },
  accept: (d, team) => chance(d, team, 0.5),
  draft(d, team, owed) {
    const keep = owed.filter(() => chance(d, team, 0.7));
    const pool = [...d.open(team)];
    const shuffled: Action[] = [];
    while (pool.length) shuffled.push(pool.splice(Math.floor(d.dice[team].next() * pool.length), 1)[0]);
    const covert = chance(d, team, 0.3) ? [pick(d, team, d.open(team, true))].filter((a): a is Action => !!a) : [];
    return fill(d, keep, shuffled, covert);
  },
};

/** A side-track deal: this team's engagement step for the other side's, when both are open. */
function trackDeal(d: Driver, team: TeamId, other: TeamId) {
  const track = d.state.scenario.rules.tracks?.find((t) => t.sides.includes(team) && t.sides.includes(other));
  if (!track) return;
  const taken = new Set([...promised(d, team), ...promised(d, other)]);
  const side = (t: TeamId) =>
    byScore(
      d.open(t).filter((a) => a.track === track.id && !cat(a, 'provocation', 'pressure') && !taken.has(a.id)),
      (a) => a.tier * 10 + gains(a, track.meter),
    )[0];
  const mine = side(team),
    theirs = side(other);
  if (mine && theirs)
    d.propose(
      team,
      [other],
      [
        { team, action: mine.id, byRound: d.state.round },
        { team: other, action: theirs.id, byRound: d.state.round },
      ],
    );
}

function leaning(
  name: string,
  team: TeamId,
  summary: string,
  prefer: (a: Action) => number,
  opts: { track?: boolean; covert?: (a: Action) => boolean; only?: (a: Action) => boolean } = {},
): TeamStrategy {
  return {
    name,
    teams: [team],
    summary,
    propose: opts.track ? (d, t) => trackDeal(d, t, d.state.scenario.rules.sides[1]) : undefined,
    accept: (d, t, deal) =>
      !!opts.track && deal.parties.length === 2 && !burned(d, t, deal.from) && hasRoom(d, t, deal),
    draft(d, t, owed) {
      const pool = d.open(t).filter((a) => (opts.only ? opts.only(a) : true));
      const covert = opts.covert ? d.open(t, true).filter(opts.covert) : [];
      return fill(d, owed, byScore(pool, prefer), covert);
    },
  };
}

const usReciprocal = usCooperative(
  'cooperative',
  'trades its two strongest open inducements for two DPRK steps every round',
  { pairs: 2, snapback: false, watch: false },
);
const usOnePair = usCooperative('one-pair', 'trades one inducement for one DPRK step a round', {
  pairs: 1,
  snapback: false,
  watch: false,
});
/**
 * Walking away without raising the temperature: no relief, the moves that keep leverage and the alliances while
 * lowering tension and China's grip. What a US that wants to sit out the process would play.
 */
const calmAlone = (d: Driver, team: TeamId) =>
  fill(
    d,
    [],
    byScore(
      d.open(team).filter((a) => !a.relief),
      (a) => gains(a, 'leverage') * 2 + gains(a, 'cohesion') - gains(a, 'tension') * 3 - gains(a, 'dependence') * 2,
    ),
  );
/** Main pairs made, and deals between the wheel's sides proposed or in force that may yet make more. */
const pairsUnderWay = (d: Driver) => {
  const [a, b] = d.state.scenario.rules.sides;
  const open = Object.values(d.state.deals).filter(
    (x) => x.parties.includes(a) && x.parties.includes(b) && (x.status === 'proposed' || x.status === 'accepted'),
  );
  return d.state.pairs.filter((p) => p.sides).length + open.length;
};
/** Proposes one pair a round (as one-pair) until `n` are made or under way, accepts no deal, then walks away. */
const pairsThenWalk = (name: string, n: number): TeamStrategy => ({
  name,
  teams: ['us'],
  summary: `proposes one pair a round (one-pair) until ${n === 1 ? 'one is' : `${n} are`} made, accepts none, then calm-no-deal`,
  propose: (d, t) => (pairsUnderWay(d) >= n ? undefined : usOnePair.propose(d, t)),
  accept: () => false,
  draft: (d, t, owed) => (owed.length ? usOnePair.draft(d, t, owed) : calmAlone(d, t)),
});
/**
 * Ways of walking away that keep the board calm, which outside reviews found outscoring reciprocity as the US
 * objectives changed (docs/balance.md, "Walking away"): early, none should; after three pairs, the measure is slow
 * trading.
 */
const walkingAway: TeamStrategy[] = [
  {
    name: 'calm-no-deal',
    teams: ['us'],
    summary: 'no deals and no relief; moves that keep leverage and the alliances and lower tension',
    accept: () => false,
    draft: (d, t) => calmAlone(d, t),
  },
  pairsThenWalk('one-pair-then-walk', 1),
  pairsThenWalk('three-pairs-then-walk', 3),
];
const lastRound = (d: Driver) => d.state.round >= d.state.options.rounds;
/** The last round's moves of a US that breaks off: leverage and the alliances, no relief. */
const squeeze = (d: Driver, team: TeamId, skip: readonly string[] = []) =>
  byScore(
    d.open(team).filter((a) => !a.relief && !skip.includes(a.id)),
    (a) => gains(a, 'leverage') * 2 + gains(a, 'cohesion'),
  )
    .slice(0, slots(d).overt)
    .map((a) => a.id);

/**
 * The end game: reciprocal until the last round, then breaking off, when nothing that follows can answer. Either
 * way should score less than keeping on (docs/balance.md, "The last round").
 */
const lastRoundDefectors: TeamStrategy[] = [
  {
    name: 'last-round-squeeze',
    teams: ['us'],
    summary: 'reciprocal until the last round, then no deal and no relief: pressure and the alliances',
    propose: (d, t) => (lastRound(d) ? undefined : usReciprocal.propose?.(d, t)),
    accept: (d, t, deal) => !lastRound(d) && usReciprocal.accept(d, t, deal),
    draft: (d, t, owed) => (lastRound(d) ? { overt: squeeze(d, t), covert: [] } : usReciprocal.draft(d, t, owed)),
  },
  {
    ...usReciprocal,
    name: 'last-round-pocket',
    summary: 'reciprocal throughout, but in the last round carries out none of what it promised',
    draft: (d, t, owed) => (lastRound(d) ? { overt: squeeze(d, t, owed), covert: [] } : usReciprocal.draft(d, t, owed)),
  },
];

/**
 * A fixed script: the same overt moves every round, and a covert channel never, every round, or only in the last
 * round (when no later reveal would roll for it, before rules version 3). It answers no proposal.
 */
function fixedScript(
  name: string,
  team: TeamId,
  moves: { overt: string[]; covert: string; says: string; channel: string },
  when: 'never' | 'always' | 'last',
): TeamStrategy {
  const tail = { never: '', always: `, and ${moves.channel}`, last: `, and ${moves.channel} in the last round` };
  return {
    name,
    teams: [team],
    summary: `the same moves every round: ${moves.says}${tail[when]}`,
    accept: () => false,
    draft(d, t) {
      const overt = moves.overt.filter((id) => d.open(t).some((a) => a.id === id));
      const covert =
        when === 'always' || (when === 'last' && lastRound(d))
          ? d
              .open(t, true)
              .filter((a) => a.id === moves.covert)
              .map((a) => a.id)
          : [];
      return { overt, covert };
    },
  };
}

/** China's script: the talks, yuan settlement and the party channel; the covert e-CNY channel. */
const CHINA_SCRIPT = {
  overt: ['prc-host-talks', 'prc-yuan-settlement', 'prc-party-summit'],
  covert: 'prc-ecny-channel',
  says: 'host the talks, yuan settlement, a party summit',
  channel: 'the covert e-CNY channel',
};
/** Japan's script: trilateral coordination, the abductee re-investigation and UN aid; the covert back-channel. */
const JAPAN_SCRIPT = {
  overt: ['jpn-trilateral', 'jpn-reinvestigation', 'jpn-un-aid'],
  covert: 'jpn-backchannel',
  says: 'trilateral coordination, the abductee re-investigation, UN aid',
  channel: 'the covert back-channel on the abductees',
};

const dprkReciprocal = dprkTrading('cooperative', 'accepts pairs and carries out every step it promised', {
  deliver: true,
  cheat: false,
});

/** Japan's support: the abductees and the wheel's momentum first, China's grip least, and never the brake. */
const japanSupport = (a: Action) =>
  a.holds ? -20 : gains(a, 'abductions') + gains(a, 'momentum') * 3 - gains(a, 'dependence');

export const LIBRARY: TeamStrategy[] = [
  usReciprocal,
  ...lastRoundDefectors,
  fixedScript('china-script', 'prc', CHINA_SCRIPT, 'never'),
  fixedScript('china-script-covert', 'prc', CHINA_SCRIPT, 'always'),
  fixedScript('china-script-covert-late', 'prc', CHINA_SCRIPT, 'last'),
  fixedScript('japan-script', 'jpn', JAPAN_SCRIPT, 'never'),
  fixedScript('japan-script-covert', 'jpn', JAPAN_SCRIPT, 'always'),
  fixedScript('japan-script-covert-late', 'jpn', JAPAN_SCRIPT, 'last'),
  usOnePair,
  ...walkingAway,
  usCooperative(
    'watchful',
    'one relief-for-a-step pair a round with snapback armed, plus verification and intelligence (overt and covert)',
    { pairs: 1, snapback: true, watch: true },
  ),
  usCooperative('trusting', 'one relief-for-a-step pair a round, no snapback, no verification or intelligence', {
    pairs: 1,
    snapback: false,
    watch: false,
    relief: true,
  }),
  leaning('hawkish', 'us', 'no deals; designations, secondary sanctions and exercises', (a) =>
    cat(a, 'pressure') ? 10 + gains(a, 'leverage') : -10,
  ),
  dprkReciprocal,
  {
    ...dprkReciprocal,
    name: 'last-round-pocket',
    summary: 'accepts pairs and carries out its steps, except in the last round: then none of what it promised',
    draft(d, t, owed) {
      if (!lastRound(d)) return dprkReciprocal.draft(d, t, owed);
      const x = dprkReciprocal.draft(d, t, []);
      return { ...x, overt: x.overt.filter((id) => !owed.includes(id)) };
    },
  },
  dprkTrading('one-pair', 'accepts pairs and carries out every step it promised', { deliver: true, cheat: false }),
  dprkTrading('watchful', 'accepts pairs and carries out every step it promised', { deliver: true, cheat: false }),
  dprkTrading('trusting', 'accepts pairs and carries out every step it promised', { deliver: true, cheat: false }),
  dprkTrading('cheat-while-trading', 'carries out its steps and also cheats covertly every round', {
    deliver: true,
    cheat: true,
  }),
  dprkTrading('pocketing', 'accepts relief, never delivers its step, cheats covertly every round', {
    deliver: false,
    cheat: true,
  }),
  leaning('hawkish', 'dprk', 'launches and salvoes; accepts nothing', (a) => (cat(a, 'provocation') ? 10 : -10)),
  leaning(
    'china-heavy',
    'prc',
    'pours in trade, aid and summits, covert help at the border, and a China–DPRK track deal',
    (a) => gains(a, 'dependence') * 10 + gains(a, 'economy'),
    { track: true, covert: (a) => gains(a, 'economy') > 0, only: (a) => !cat(a, 'pressure') },
  ),
  leaning(
    'china-restrained',
    'prc',
    'enforces sanctions, hosts talks and backs the US–DPRK channel; no new dependence',
    (a) => (gains(a, 'dependence') > 0 ? -10 : gains(a, 'momentum') * 3 - gains(a, 'dependence') - gains(a, 'tension')),
  ),
  leaning(
    'rok-engagement',
    'rok',
    'inter-Korean deals, aid and a summit; backs the US–DPRK talks',
    (a) => (cat(a, 'pressure') ? -10 : gains(a, 'momentum') * 3 - gains(a, 'dependence') - gains(a, 'tension')),
    { track: true },
  ),
  leaning(
    'rok-deterrence',
    'rok',
    'deterrence first: the alliance drills, the audacious initiative, and small steps that keep the border calm',
    (a) => gains(a, 'cohesion') * 2 + gains(a, 'inter_korean') - gains(a, 'tension') + (a.once ? 3 : 0),
    // A deterrence-minded government offers the initiative, not summits or joint projects.
    { only: (a) => a.tier === 0 },
  ),
  leaning('rok-hawkish', 'rok', 'deterrence and nothing else: every round, the drills and the pressure', (a) =>
    cat(a, 'pressure') ? 10 + gains(a, 'tension') : -10,
  ),
  leaning(
    'japan-support',
    'jpn',
    'trilateral coordination, UN aid and a Japan–DPRK track on the abductees; never brakes',
    japanSupport,
    { track: true },
  ),
  leaning(
    'japan-support-covert',
    'jpn',
    'japan-support, and the covert back-channel on the abductees every round',
    japanSupport,
    { track: true, covert: (a) => a.id === 'jpn-backchannel' },
  ),
  leaning('japan-brake', 'jpn', 'brakes US relief every round and renews its own sanctions', (a) =>
    a.holds ? 20 : cat(a, 'pressure') ? 5 : 0,
  ),
];

/** Which strategy each team plays: `name` for every team that has it, or `team:name` for one team. */
export function compose(teams: TeamId[], specs: string[]): Record<TeamId, TeamStrategy> {
  const plan: Record<TeamId, TeamStrategy> = Object.fromEntries(teams.map((t) => [t, random]));
  for (const spec of specs) {
    const [team, name] = spec.includes(':') ? spec.split(':') : [null, spec];
    const hits = LIBRARY.filter((s) => s.name === name && (team === null || s.teams.includes(team)));
    if (name === 'random') {
      for (const t of team ? [team] : teams) plan[t] = random;
      continue;
    }
    if (hits.length === 0) throw new Error(`unknown strategy "${spec}"; try --list`);
    for (const s of hits) for (const t of s.teams) if (teams.includes(t)) plan[t] = s;
  }
  return plan;
}
