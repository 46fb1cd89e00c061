// The strategies a White Cell can give a bot. They follow the scripted play of server/sim/strategies.ts (the
// balance checks), recast for one team seeing only its own view: reciprocity becomes "cooperative", pocketing and
// the two China postures keep their names, and "hawkish" and "no deals" round out the table.
import {
  brokeWith,
  type BotStrategy,
  type BotTurn,
  canKeep,
  trustedChance,
  cooperation,
  fill,
  gains,
  weigh,
  menu,
  owed,
  pairOffer,
  ranked,
} from './strategy.ts';
import type { ActionView, DealView } from '../../shared/views.ts';
import type { Scenario } from '../../shared/scenario.ts';

/** An obligation due this round that a locked draft leaves out would be broken at once: a keeper says no. */
function dueNowButLocked(t: BotTurn, deal: DealView): boolean {
  const draft = t.view.me?.draft;
  if (!draft?.locked) return false;
  return deal.obligations.some(
    (o) => o.team === t.team && o.byRound <= t.view.game.round && !draft.overt.includes(o.action),
  );
}

const covertBest = (t: BotTurn, score: (a: ActionView) => number): string[] =>
  ranked(
    menu(t, true).filter((a) => score(a) > 0),
    score,
  )
    .slice(0, t.view.game.slots.covert ? 1 : 0)
    .map((a) => a.id);

const cooperative: BotStrategy = {
  id: 'cooperative',
  name: 'Cooperative',
  summary: 'Offers a step for a step each round, accepts deals it can keep and keeps them; once cheated, it stops.',
  offer: (t) => pairOffer(t, ranked(menu(t, false), (a) => cooperation(t, a))[0]),
  accepts: (t, deal) =>
    canKeep(t, deal) &&
    !deal.parties.some((p) => p !== t.team && brokeWith(t, p)) &&
    !dueNowButLocked(t, deal) &&
    deal.obligations
      .filter((o) => o.team === t.team)
      .every((o) => {
        const a = t.view.actions.find((x) => x.id === o.action);
        return !!a && cooperation(t, a) >= 0;
      }),
  // Only moves that do the negotiation no harm: with a small menu, filling every slot would have it escalate.
  moves: (t) => ({
    overt: fill(
      t,
      owed(t).map((o) => o.action),
      ranked(
        menu(t, false).filter((a) => cooperation(t, a) >= 0),
        (a) => cooperation(t, a),
      ),
    ),
    covert: [],
  }),
  estimate: (t, line) => trustedChance(t, line, 0.65),
};

/** What a hard line wants of an action: the scenario's pressure, and no relief given away. */
const hawkScore = (t: BotTurn, a: ActionView) => weigh(a, t.weights.pressure) - (a.relief ? 3 : 0);

/** What an action does to the meter that dulls the wheel (China's engagement in the Flywheel exercise), if any. */
const dulling = (t: BotTurn, a: ActionView) => (t.weights.dulls ? gains(a, t.weights.dulls) : 0);
/** The two China strategies play for or against a meter that dulls the wheel: without one they mean nothing. */
const dulledWheel = (s: Scenario) => !!s.rules.wheel?.scaleBy;

const hawkish: BotStrategy = {
  id: 'hawkish',
  name: 'Hawkish',
  summary: 'Makes no deals, turns every offer down, and plays for leverage and deterrence.',
  offer: () => null,
  accepts: () => false,
  moves: (t) => ({
    overt: fill(
      t,
      [],
      ranked(menu(t, false), (a) => hawkScore(t, a)),
    ),
    covert: covertBest(t, (a) => weigh(a, t.weights.pressure)),
  }),
  estimate: () => 0.25,
};

/** What an action is worth to the team that pockets: its own gains, never the other side's. */
const selfish = (t: BotTurn, a: ActionView) => weigh(a, t.weights.gain);

const pocketing: BotStrategy = {
  id: 'pocketing',
  name: 'Pocketing',
  summary: 'Asks for relief against a promise, accepts every deal, never carries out its side, and cheats in secret.',
  offer: (t) => {
    // Relief from whoever can give it, for this team's cheapest-looking promise, due a round later.
    const giver = t.view.teams.find((x) => x.id !== t.team && menu(t, false, x.id).some((a) => a.relief));
    const relief = giver
      ? ranked(
          menu(t, false, giver.id).filter((a) => a.relief),
          (a) => selfish(t, a),
        )[0]
      : null;
    const promise = ranked(menu(t, false), (a) => cooperation(t, a) - a.tier * 10)[0];
    if (!giver || !relief || !promise) return null;
    const round = t.view.game.round;
    return {
      to: [giver.id],
      obligations: [
        { team: giver.id, action: relief.id, byRound: round },
        { team: t.team, action: promise.id, byRound: Math.min(round + 1, t.view.game.rounds) },
      ],
      secret: false,
      snapback: false,
      note: '',
    };
  },
  accepts: (t, deal) => canKeep(t, deal),
  moves: (t) => {
    // Whatever it promised is left out on purpose: that is the pocketing.
    const promised = new Set(owed(t).map((o) => o.action));
    return {
      overt: fill(
        t,
        [],
        ranked(
          menu(t, false).filter((a) => !promised.has(a.id)),
          (a) => selfish(t, a),
        ),
      ),
      covert: covertBest(t, (a) => (a.exposure?.cheating ? 10 : 0) + selfish(t, a)),
    };
  },
  estimate: (t, line) => trustedChance(t, line, 0.6),
};

const chinaHeavy: BotStrategy = {
  id: 'china-heavy',
  name: 'China-heavy',
  summary: 'Pours engagement and trade into the neighbour, deepening its dependence; keeps the deals it makes.',
  fits: dulledWheel,
  offer: () => null,
  accepts: (t, deal) => canKeep(t, deal) && !dueNowButLocked(t, deal),
  moves: (t) => ({
    overt: fill(
      t,
      owed(t).map((o) => o.action),
      ranked(menu(t, false), (a) => dulling(t, a) * 10 + selfish(t, a)),
    ),
    covert: covertBest(t, (a) => dulling(t, a)),
  }),
  estimate: (t, line) => trustedChance(t, line, 0.6),
};

const chinaRestrained: BotStrategy = {
  id: 'china-restrained',
  name: 'China-restrained',
  summary: 'Holds back trade and aid that would deepen dependence; keeps the deals it makes.',
  fits: dulledWheel,
  offer: () => null,
  accepts: (t, deal) => canKeep(t, deal) && !dueNowButLocked(t, deal),
  moves: (t) => ({
    overt: fill(
      t,
      owed(t).map((o) => o.action),
      ranked(
        menu(t, false).filter((a) => dulling(t, a) <= 0 && selfish(t, a) <= 0),
        (a) => weigh(a, t.weights.cooperation) - dulling(t, a),
      ),
    ),
    covert: [],
  }),
  estimate: () => 0.4,
};

const noDeals: BotStrategy = {
  id: 'no-deals',
  name: 'No deals',
  summary: 'Turns down every deal and plays open moves picked at random by the game dice.',
  offer: () => null,
  accepts: () => false,
  moves: (t) => {
    const pool = menu(t, false);
    const out: string[] = [];
    while (out.length < t.view.game.slots.overt && pool.length)
      out.push(pool.splice(Math.floor(t.dice.next() * pool.length), 1)[0].id);
    return { overt: out, covert: [] };
  },
  estimate: (t) => Math.round(t.dice.next() * 100) / 100,
};

export const STRATEGIES: ReadonlyMap<string, BotStrategy> = new Map(
  [cooperative, hawkish, pocketing, chinaHeavy, chinaRestrained, noDeals].map((s) => [s.id, s]),
);
