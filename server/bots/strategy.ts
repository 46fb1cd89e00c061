// The small interface a bot's strategy implements, and the helpers strategies share. A strategy reads only the
// projection of the game for its own team (sections of a GameView from viewFor) and draws any chance from the dice
// it is handed, which the runner seeds from the game's seed, the team and the round: the same game plays the same
// way.
import type { Dice } from '../engine/index.ts';
import type { ActionView, DealView, GameView, LineView } from '../../shared/views.ts';
import type { Scenario } from '../../shared/scenario.ts';

/**
 * The sections of its team's view a bot decides on. Only these are built for it: the whole view (channels, reveals,
 * the record...) costs several times as much, and a seminar's bots are asked after every move of their game.
 */
export const BOT_SECTIONS = ['audience', 'game', 'teams', 'actions', 'deals', 'messages', 'me'] as const;
export type BotView = Pick<GameView, (typeof BOT_SECTIONS)[number]>;

/**
 * How a bot weighs an action's effects, from the scenario's `botWeights`: the designer's judgement, not a secret of
 * any team's. `dulls` is the meter that dulls the wheel (the Flywheel exercise's China dependence), if any.
 */
export interface BotWeights {
  cooperation: Record<string, number>;
  pressure: Record<string, number>;
  gain: Record<string, number>;
  dulls: string | null;
}

const weightsByScenario = new WeakMap<Scenario, BotWeights>();

/** A scenario's weights, with what a bot assumes where the scenario says nothing (docs/scenario-format.md). */
export function botWeights(s: Scenario): BotWeights {
  let w = weightsByScenario.get(s);
  if (!w) {
    const cooperation = s.botWeights?.cooperation ?? { [s.rules.momentumMeter]: 1 };
    w = {
      cooperation,
      pressure: s.botWeights?.pressure ?? Object.fromEntries(Object.entries(cooperation).map(([m, k]) => [m, -k])),
      gain: s.botWeights?.gain ?? {},
      dulls: s.rules.wheel?.scaleBy?.meter ?? null,
    };
    weightsByScenario.set(s, w);
  }
  return w;
}

/** Everything a strategy knows when it decides: its own team's view, its dice for this round, and its weights. */
export interface BotTurn {
  team: string;
  view: BotView;
  dice: Dice;
  weights: BotWeights;
}

/** A deal a bot puts on the table: the body of a deal.propose command. */
export interface Offer {
  to: string[];
  obligations: { team: string; action: string; byRound: number }[];
  secret: boolean;
  snapback: boolean;
  note: string;
}

export interface BotStrategy {
  id: string;
  name: string;
  /** One line for the White Cell's seat menu. */
  summary: string;
  /** The deal this team proposes this round, if any (one a round at most). */
  offer(t: BotTurn): Offer | null;
  /** Whether the team accepts a deal proposed to it. */
  accepts(t: BotTurn, deal: DealView): boolean;
  /** The round's submission, from the team's open menu; keeping or breaking deals is decided here. */
  moves(t: BotTurn): { overt: string[]; covert: string[] };
  /** The chance the team states for a free-form line at adjudication, 0..1. */
  estimate(t: BotTurn, line: LineView): number;
  /** Whether the strategy means anything in this exercise (absent: it fits every one). */
  fits?(scenario: Scenario): boolean;
}

/** Whether a strategy may play in an exercise: those that do not fit it are neither offered nor taken. */
export const strategyFits = (strategy: BotStrategy, scenario: Scenario): boolean => strategy.fits?.(scenario) ?? true;

/** The team's open actions of one kind (overt or covert). */
export function menu(t: BotTurn, covert: boolean, team = t.team): ActionView[] {
  return t.view.actions.filter((a) => a.team === team && a.covert === covert && a.open);
}

/** What an action does to a meter, as far as this team can see. */
export const gains = (a: ActionView, meter: string): number =>
  a.effects.filter((e) => e.meter === meter).reduce((n, e) => n + e.delta, 0);

/** Highest score first; ties by id, so that the order never depends on the menu's order. */
export function ranked(xs: readonly ActionView[], score: (a: ActionView) => number): ActionView[] {
  return [...xs].sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id));
}

/** What an action's visible effects are worth by a set of weights. */
export const weigh = (a: ActionView, weights: Record<string, number>): number =>
  a.effects.reduce((n, e) => n + e.delta * (weights[e.meter] ?? 0), 0);

/** How much an action helps the negotiation along: the scenario's cooperation weights, relief and a higher tier. */
export const cooperation = (t: BotTurn, a: ActionView): number =>
  weigh(a, t.weights.cooperation) + (a.relief ? 2 : 0) + a.tier * 3;

/** Obligations of this team under deals in force that are not yet carried out, soonest first. */
export function owed(t: BotTurn): { action: string; byRound: number; dealId: string }[] {
  const out: { action: string; byRound: number; dealId: string }[] = [];
  for (const d of t.view.deals)
    if (d.status === 'accepted')
      for (const o of d.obligations)
        if (o.team === t.team && o.fulfilledRound === null && o.byRound >= t.view.game.round)
          out.push({ action: o.action, byRound: o.byRound, dealId: d.id });
  return out.sort((a, b) => a.byRound - b.byRound || a.action.localeCompare(b.action));
}

/** Fills the overt slots: the actions given first (deduplicated, only open ones), then the best of the rest. */
export function fill(t: BotTurn, first: readonly string[], rest: readonly ActionView[]): string[] {
  const open = new Set(menu(t, false).map((a) => a.id));
  const out: string[] = [];
  for (const id of [...first, ...rest.map((a) => a.id)])
    if (out.length < t.view.game.slots.overt && open.has(id) && !out.includes(id)) out.push(id);
  return out;
}

/**
 * How far a bot trusts another team's free-form move to work: that team's record in the deals this bot can see,
 * kept against broken, from an even start ((1 + kept) / (2 + kept + broken)); a little of the bot's own dice on top,
 * so that bots of one strategy do not all answer alike. Its own team's moves it rates `own`.
 */
export function trustedChance(t: BotTurn, line: LineView, own: number): number {
  if (line.team === t.team) return own;
  let kept = 0;
  let broken = 0;
  for (const d of t.view.deals) {
    if (!line.team || !d.parties.includes(line.team)) continue;
    if (d.status === 'fulfilled') kept++;
    else if (d.breakers.includes(line.team)) broken++;
  }
  const chance = (1 + kept) / (2 + kept + broken) + (t.dice.next() - 0.5) * 0.1;
  return Math.round(Math.min(0.95, Math.max(0.05, chance)) * 100) / 100;
}

/** Whether another team has broken a deal it made with this one (which the view shows to both parties). */
export const brokeWith = (t: BotTurn, other: string): boolean =>
  t.view.deals.some((d) => d.parties.includes(t.team) && d.breakers.includes(other));

/**
 * The other team whose open moves do the most for cooperation: the natural partner for a reciprocal deal. A team
 * that broke a deal with this one is not asked again.
 */
export function partner(t: BotTurn): string | null {
  let best: { team: string; score: number } | null = null;
  for (const team of t.view.teams) {
    if (team.id === t.team || brokeWith(t, team.id)) continue;
    const top = ranked(menu(t, false, team.id), (a) => cooperation(t, a))[0];
    const score = top ? cooperation(t, top) : Number.NEGATIVE_INFINITY;
    if (top && (!best || score > best.score)) best = { team: team.id, score };
  }
  return best?.team ?? null;
}

/** A pair deal: my best step for the partner's best step, both due this round. */
export function pairOffer(t: BotTurn, mine: ActionView | undefined, snapback = false): Offer | null {
  const other = partner(t);
  const theirs = other ? ranked(menu(t, false, other), (a) => cooperation(t, a))[0] : undefined;
  if (!other || !mine || !theirs) return null;
  const round = t.view.game.round;
  return {
    to: [other],
    obligations: [
      { team: t.team, action: mine.id, byRound: round },
      { team: other, action: theirs.id, byRound: round },
    ],
    secret: false,
    snapback: snapback && mine.relief,
    note: '',
  };
}

/**
 * Whether the team can keep a deal besides those it already owes: every obligation it puts on this team is a step
 * it can take (an open, overt action of its own), and, since each action taken fulfils one obligation (docs/rules.md,
 * "Deals"), all it would owe by any round fits the rounds left, its overt slots in each and an action once a round.
 * (Four deals promising the same step this round are three broken ones.)
 */
export function canKeep(t: BotTurn, deal: DealView): boolean {
  const open = new Set(menu(t, false).map((a) => a.id));
  const mine = deal.obligations.filter((o) => o.team === t.team);
  if (!mine.every((o) => open.has(o.action))) return false;
  const all = [...owed(t), ...mine];
  const now = t.view.game.round;
  for (const due of new Set(all.map((o) => o.byRound))) {
    const rounds = Math.max(1, due - now + 1);
    const by = all.filter((o) => o.byRound <= due);
    if (by.length > rounds * t.view.game.slots.overt) return false;
    const times = new Map<string, number>();
    for (const o of by) times.set(o.action, (times.get(o.action) ?? 0) + 1);
    if ([...times.values()].some((n) => n > rounds)) return false;
  }
  return true;
}
