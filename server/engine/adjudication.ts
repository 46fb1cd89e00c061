// Adjudication: the engine proposes an outcome for the round, line by line (what, why, which roll); the White Cell may
// amend lines; approval applies them. Proposing rolls the dice; applying is a pure fold of the approved lines.
import type { Action } from '../../shared/scenario.ts';
import { diceOf } from './dice.ts';
import { lineId } from './line-ids.ts';
import { applyChanges, meterName, resolveEffect, sumChanges } from './meters.ts';
import type { Deal, Draft, GameState, Line, LineVisibility, MeterChange, TeamId } from './types.ts';
import { holds } from './conditions.ts';
import { actionOpen, tierOpen } from './tiers.ts';
import {
  classifyPair,
  dealInPublic,
  holdsErosionOff,
  pairInPublic,
  pairScale,
  repeatFactor,
  rulesV2,
  rulesV3,
  rulesV4,
  usesBefore,
  wheelStep,
  type Pledge,
} from './wheel.ts';

function line(id: string, partial: Partial<Line> & Pick<Line, 'kind' | 'text' | 'why'>): Line {
  return {
    id,
    team: null,
    actionId: null,
    dealId: null,
    effects: [],
    roll: null,
    visibleTo: 'all',
    cancelled: false,
    amendments: [],
    freeform: null,
    later: [],
    dependsOn: null,
    deal: null,
    ...partial,
  };
}

export function actionById(s: GameState, id: string): Action | undefined {
  return s.scenario.actions.find((a) => a.id === id);
}

const teamName = (s: GameState, t: TeamId) => s.scenario.teams.find((x) => x.id === t)?.name ?? t;
const teamShort = (s: GameState, t: TeamId) => s.scenario.teams.find((x) => x.id === t)?.short ?? t;

/** An exposure line's text, which follows its outcome when the White Cell overrules the roll. */
function exposureText(s: GameState, team: TeamId, action: Action, exposed: boolean): string {
  return `${exposed ? 'Exposed' : 'Not exposed'}: ${teamName(s, team)} — ${action.name}`;
}

/** How a deal is named on the record: its parties, and the start of its note when it has one. */
export function dealLabel(s: GameState, d: Deal): string {
  const note = d.note.trim();
  const quoted = note ? ` ("${note.length > 48 ? `${note.slice(0, 47)}…` : note}")` : '';
  return `The ${d.parties.map((p) => teamShort(s, p)).join('–')} deal${quoted}`;
}

/** How close the two steps of a pair must be, in words: a window of 2 means the same round or the next. */
const pairSpan = (window: number) =>
  window <= 1
    ? 'in the same round'
    : window === 2
      ? 'in the same round or the next'
      : `less than ${window} rounds apart`;

/** An action's effects now, split into what lands at this reveal and what lands later. */
function actionEffects(s: GameState, a: Action, round: number, hold = 0) {
  const now: MeterChange[] = [];
  const later: Line['later'] = [];
  const factor = repeatFactor(s, a);
  for (const e of a.effects) {
    const c = resolveEffect(s, e, factor);
    if (c.delta === 0) continue;
    if (e.delay || hold) later.push({ ...c, round: round + (e.delay ?? 0) + hold });
    else now.push(c);
  }
  return { now: sumChanges(now), later, factor };
}

/** The chance a covert action is exposed at this reveal: the card shows the same number the dice are rolled on. */
export function exposureChance(s: GameState, a: Action, counts: (meter: string) => boolean = () => true): number {
  const x = a.exposure!;
  let p = x.chance;
  for (const m of x.modifiers) if (counts(m.meter)) p += (s.meters[m.meter] ?? 0) * m.per;
  return Math.max(0, Math.min(0.95, Math.round(p * 1000) / 1000));
}

/** Relief this deal delivered, reversed: what snapback takes back. */
function snapbackEffects(s: GameState, deal: Deal, fulfilledNow: Set<number>): MeterChange[] {
  const out: MeterChange[] = [];
  deal.obligations.forEach((o, i) => {
    if (o.fulfilledRound === null && !fulfilledNow.has(i)) return;
    const a = actionById(s, o.action);
    if (!a?.relief) return;
    for (const e of a.effects) if (!e.delay) out.push({ meter: e.meter, delta: -resolveEffect(s, e).delta });
  });
  return sumChanges(out);
}

/**
 * The engine's proposal for the round. With `ruled` (the lines as the White Cell has amended them so far) it revises
 * the proposal instead, drawing no dice: each exposure keeps its roll as ruled, and what follows from the exposures
 * (deals voided, snapback, a tier closed, and so the pairs and friction) is worked out again from them. Lines that
 * come out the same keep their ids and the White Cell's amendments; free-form lines are kept as they stand.
 */
export function proposeAdjudication(
  s: GameState,
  submissions: Record<TeamId, Draft>,
  rngState: number,
  ruled?: readonly Line[],
): { lines: Line[]; rng: number } {
  const r = s.round;
  const rules = s.scenario.rules;
  const dice = diceOf(s.options, rngState);
  const lines: Line[] = [];
  const nextId = () => lineId(s, r, lines.length + 1);
  const push = (partial: Parameters<typeof line>[1]) => {
    const l = line(nextId(), partial);
    lines.push(l);
    return l;
  };

  // 1. Effects promised by earlier rounds land now.
  for (const d of s.delayed.filter((x) => x.dueRound === r)) {
    const a = actionById(s, d.actionId);
    push({
      kind: 'delayed',
      team: d.team,
      actionId: d.actionId,
      visibleTo: d.visibleTo,
      text: `${a?.name ?? d.actionId}: carried out and verified`,
      why: `Taken in an earlier round; its effect on ${d.meter} lands now`,
      effects: [{ meter: d.meter, delta: d.delta }],
    });
  }

  // 2. This round's actions, overt then covert, team by team in scenario order.
  const v2 = rulesV2(s);
  const held = v2 ? heldThisRound(s, submissions) : new Map<string, TeamId>();
  const live: { team: TeamId; action: Action; round: number }[] = [];
  for (const team of s.scenario.teams) {
    const sub = submissions[team.id];
    if (!sub) continue;
    for (const id of [...sub.overt, ...sub.covert]) {
      const a = actionById(s, id)!;
      const by = held.get(`${team.id}/${a.id}`);
      const { now, later, factor } = actionEffects(s, a, r, by ? 1 : 0);
      const repeated = factor < 1 ? ` (repeated: ${Math.round(factor * 100)}% of its first effect)` : '';
      push({
        kind: a.covert ? 'covert' : 'action',
        team: team.id,
        actionId: a.id,
        visibleTo: a.covert ? [team.id] : 'all',
        text: `${team.name}: ${a.name}${by ? ` — held up a round by ${teamName(s, by)}` : ''}`,
        why: `${a.summary}${repeated}`,
        effects: now,
        later,
        ...(by ? { heldTo: r + 1 } : {}),
      });
      if (a.covert && a.exposure) live.push({ team: team.id, action: a, round: r });
    }
    if (sub.freeform) {
      push({
        kind: 'freeform',
        team: team.id,
        visibleTo: 'all',
        text: `${team.name} (free-form): ${sub.freeform.text}`,
        why: "Awaiting the White Cell's ruling",
        freeform: { ...sub.freeform, estimates: {}, ruled: false },
      });
    }
  }

  // 3. Covert actions still live roll for exposure.
  for (const t of s.taken) {
    const a = actionById(s, t.actionId);
    if (!a?.covert || !a.exposure || t.exposedRound !== null) continue;
    if (r - t.round < a.exposure.window) live.push({ team: t.team, action: a, round: t.round });
  }
  const exposedCheaters = new Map<TeamId, string>();
  // In the last round (rules v3) a covert move rolls once for every reveal left in its window: the game ends, but
  // the risk does not. Rolled only at the reveals that happen, a covert move saved for the last round faced one roll
  // instead of its window's, and paid (a Chinese e-CNY channel opened in the last round scored 11 points more).
  const closing = rulesV3(s) && r >= s.options.rounds;
  for (const { team, action, round } of live) {
    const perReveal = exposureChance(s, action);
    const left = closing ? action.exposure!.window - (r - round) : 1;
    const chance = left > 1 ? 1 - (1 - perReveal) ** left : perReveal;
    const before = ruled && rolledBefore(ruled, team, action.id, round);
    const value = before?.roll ? before.roll.value : dice.next();
    const success = before?.roll ? before.roll.success : value < chance;
    const rest =
      left > 1
        ? ` per reveal; ${Math.round(chance * 100)}% over the ${left} reveals left in its window, as the game closes`
        : '';
    const l = push({
      kind: 'exposure',
      team,
      actionId: action.id,
      visibleTo: success ? 'all' : 'control',
      text: exposureText(s, team, action, success),
      why: `Covert action from round ${round}; exposure chance ${Math.round(perReveal * 100)}%${rest}`,
      effects: sumChanges(action.exposure!.effects.map((e) => resolveEffect(s, e))),
      roll: { chance, value, success, what: `exposure of ${action.name}` },
      moveRound: round,
    });
    const counts = success && !before?.cancelled;
    if (counts && action.exposure!.cheating && !exposedCheaters.has(team)) exposedCheaters.set(team, l.id);
  }

  // 4. Deals: fulfilment, pairs, breaks, snapback, expiry.
  // Under rules v2 each action taken fulfils one obligation only (the first deal, in the order made, that names it),
  // and exposed cheating breaks the cheater's open deals with the first side.
  const pool = v2 ? actionPool(s, submissions, held) : null;
  const forced = new Map<string, { team: TeamId; line: string }>();
  if (v2)
    for (const [team, exposureLine] of exposedCheaters)
      for (const id of s.dealOrder) {
        const d = s.deals[id];
        if (d.status === 'accepted' && d.parties.includes(team) && d.parties.includes(rules.sides[0]))
          forced.set(id, { team, line: exposureLine });
      }
  let pairs = 0;
  for (const id of s.dealOrder) {
    const deal = s.deals[id];
    const vis: LineVisibility = deal.secret ? deal.parties : 'all';
    const force = forced.get(id);
    if (force) {
      push({
        kind: 'break',
        dealId: id,
        visibleTo: vis,
        dependsOn: force.line,
        text: `${dealLabel(s, deal)} is void: ${teamName(s, force.team)} was caught cheating`,
        why: 'Exposed cheating breaks every open deal the cheater has with the other side',
        deal: { status: 'broken', fulfilled: [], breakers: [force.team] },
      });
      continue;
    }
    if (deal.status === 'proposed') {
      push({
        kind: 'deal',
        dealId: id,
        // A proposal never accepted was never public: its lapse is news to its parties alone.
        visibleTo: deal.parties,
        text: `${dealLabel(s, deal)} expired unaccepted`,
        why: 'Proposals lapse at the end of the round they were made in',
        deal: { status: 'expired', fulfilled: [], breakers: [] },
      });
      continue;
    }
    if (deal.status !== 'accepted') continue;
    const fulfilled: { index: number; round: number }[] = [];
    deal.obligations.forEach((o, i) => {
      if (o.fulfilledRound !== null) return;
      if (pool) {
        const key = `${o.team}/${o.action}`;
        const n = pool.get(key) ?? 0;
        if (n > 0) {
          pool.set(key, n - 1);
          fulfilled.push({ index: i, round: r });
        }
        return;
      }
      const sub = submissions[o.team];
      if (sub && (sub.overt.includes(o.action) || sub.covert.includes(o.action)))
        fulfilled.push({ index: i, round: r });
    });
    const fulfilledNow = new Set(fulfilled.map((f) => f.index));
    const rounds = deal.obligations.map((o, i) => o.fulfilledRound ?? (fulfilledNow.has(i) ? r : null));
    // A step held up by a brake is not late: it counts next round.
    const undone = deal.obligations.filter(
      (o, i) => rounds[i] === null && o.byRound <= r && !held.has(`${o.team}/${o.action}`),
    );
    const breakers = [...new Set(undone.map((o) => o.team))];
    // A step its tier kept closed could not be taken: the line says so, so the parties see why it broke.
    const closed = undone
      .map((o) => s.scenario.actions.find((a) => a.id === o.action))
      .filter((a): a is Action => !!a && !actionOpen(s, a))
      .map((a) => `"${a.name}"`);
    if (breakers.length > 0) {
      const sideBroke = breakers.some((b) => rules.sides.includes(b));
      const br = push({
        kind: 'break',
        dealId: id,
        visibleTo: vis,
        text: `${dealLabel(s, deal)} was broken by ${breakers.map((b) => teamName(s, b)).join(', ')}`,
        why: closed.length
          ? `An obligation was not carried out by its round: ${closed.join(', ')} could not be taken, its tier being closed`
          : 'An obligation was not carried out by its round',
        // Rules v2: only a broken deal between the two sides costs the main wheel momentum.
        effects: sumChanges([
          ...(!v2 || rules.sides.every((t) => deal.parties.includes(t))
            ? [{ meter: rules.momentumMeter, delta: rules.breakMomentum }]
            : []),
          ...(sideBroke ? [{ meter: rules.trustMeter, delta: rules.breakTrust }] : []),
        ]),
        deal: { status: 'broken', fulfilled, breakers },
      });
      const reliefGivenByOthers = deal.obligations.some(
        (o, i) => !breakers.includes(o.team) && rounds[i] !== null && actionById(s, o.action)?.relief,
      );
      if (deal.snapback && !deal.snappedBack && reliefGivenByOthers) {
        push({
          kind: 'snapback',
          dealId: id,
          visibleTo: vis,
          dependsOn: br.id,
          text: `Snapback: relief under ${dealLabel(s, deal).replace(/^The/, 'the')} is reversed`,
          why: 'The deal broke and its relief carried a snapback clause, which no one can block',
          effects: snapbackEffects(s, deal, fulfilledNow),
        });
      }
      continue;
    }
    if (rounds.every((x) => x !== null)) {
      const spread = Math.max(...(rounds as number[])) - Math.min(...(rounds as number[]));
      const pledges: Pledge[] = deal.obligations.map((o) => ({ team: o.team, action: actionById(s, o.action)! }));
      const kind = v2 && spread < rules.pairWindow ? classifyPair(s, deal.parties, pledges) : null;
      push({
        kind: 'deal',
        dealId: id,
        visibleTo: vis,
        text: `${dealLabel(s, deal)} is fulfilled`,
        why: v2 ? fulfilledWhy(s, deal, spread, kind) : 'Every obligation has been carried out',
        deal: { status: 'fulfilled', fulfilled, breakers: [] },
      });
      const teams = new Set(deal.obligations.map((o) => o.team));
      if (v2) {
        if (!kind) continue;
        const tier = Math.max(...pledges.map((p) => p.action.tier));
        const actions = deal.obligations.map((o) => o.action);
        if (kind.main) {
          // Friction is public: under rules v4 only a pair made in public spares the round its friction.
          if (dealInPublic(s, deal)) pairs++;
          push(mainPairLine(s, deal, tier, actions, vis));
        } else {
          push({
            kind: 'pair',
            dealId: id,
            visibleTo: vis,
            text: `${kind.track.name}: a reciprocal pair`,
            why: 'A side track moves on its own, with its own smaller effects; it does not turn the main wheel',
            effects: sumChanges(kind.track.pair.map((e) => resolveEffect(s, e))),
            pair: { round: r, dealId: id, tier, sides: false, track: kind.track.id, actions },
            deal: { status: 'fulfilled', fulfilled: [], breakers: [] },
          });
        }
        continue;
      }
      if (teams.size >= 2 && spread < rules.pairWindow) {
        const tier = Math.max(...deal.obligations.map((o) => actionById(s, o.action)?.tier ?? 0));
        const sides = rules.sides.every((t) => teams.has(t));
        const trust = sides ? rules.pairTrust * (deal.snapback ? rules.snapbackTrustFactor : 1) : 0;
        pairs++;
        push({
          kind: 'pair',
          dealId: id,
          visibleTo: vis,
          text: `Reciprocal pair completed at tier ${tier}`,
          why:
            `Both sides carried out their matched actions within ${rules.pairWindow} ` +
            `rounds${deal.snapback ? ' (snapback armed: less trust earned)' : ''}`,
          effects: sumChanges([
            { meter: rules.momentumMeter, delta: rules.pairMomentum[tier] },
            { meter: rules.trustMeter, delta: Math.round(trust) },
          ]),
          deal: { status: 'fulfilled', fulfilled: [], breakers: [] },
        });
      }
    } else if (fulfilled.length > 0) {
      push({
        kind: 'deal',
        dealId: id,
        visibleTo: vis,
        text: `${dealLabel(s, deal)}: ${fulfilled.length} obligation${fulfilled.length === 1 ? '' : 's'} carried out, others pending`,
        why: 'Obligations are due by their rounds',
        deal: { status: 'accepted', fulfilled, breakers: [] },
      });
    }
  }

  // Exposed cheating closes the highest open tier (rules v2) and fires snapback on armed relief the cheater received.
  const current = [3, 2, 1].find((t) => tierOpen(s, t));
  const firstExposure = [...exposedCheaters.values()][0];
  if (v2 && rules.wheel && current && firstExposure)
    push({
      kind: 'closure',
      dependsOn: firstExposure,
      text: `Tier ${current} (${rules.tiers[current].name}) closes`,
      why: `Cheating was exposed; the tier reopens after ${rules.wheel.reopenPairs} new reciprocal pairs`,
      closeTier: current,
    });
  for (const [team, exposureLine] of exposedCheaters) {
    for (const id of s.dealOrder) {
      const deal = s.deals[id];
      if (!deal.snapback || deal.snappedBack || !deal.parties.includes(team)) continue;
      if (!['accepted', 'fulfilled'].includes(deal.status)) continue;
      if (lines.some((l) => l.kind === 'snapback' && l.dealId === id)) continue;
      // Relief handed over this round counts too (rules v2): the deal may have been fulfilled or voided just now.
      const now = v2
        ? new Set(deal.obligations.flatMap((o, i) => (submissions[o.team]?.overt.includes(o.action) ? [i] : [])))
        : new Set<number>();
      const effects = snapbackEffects(s, deal, now);
      if (effects.length === 0) continue;
      push({
        kind: 'snapback',
        dealId: id,
        visibleTo: deal.secret ? deal.parties : 'all',
        dependsOn: exposureLine,
        text: `Snapback: relief under ${dealLabel(s, deal).replace(/^The/, 'the')} is reversed`,
        why: `${teamName(s, team)} was caught cheating; the relief carried a snapback clause`,
        effects,
      });
    }
  }

  // 5. Friction: a wheel that nobody pushes slows down.
  if (pairs === 0 && rules.friction > 0) {
    const momentum = s.meters[rules.momentumMeter] ?? 0;
    const loss = momentum >= rules.frictionHalvedAt ? rules.friction / 2 : rules.friction;
    push({
      kind: 'friction',
      text: rulesV4(s)
        ? 'Friction: no reciprocal pair completed in public this round'
        : 'Friction: no reciprocal pair completed this round',
      why:
        momentum >= rules.frictionHalvedAt
          ? 'The wheel is spinning: friction is halved'
          : 'A heavy wheel slows when nobody pushes it',
      effects: [{ meter: rules.momentumMeter, delta: -Math.round(loss) }],
    });
  }
  if (v2) erosion(s, submissions, push);
  return { lines: ruled ? carryOver(s, lines, ruled) : lines, rng: dice.state };
}

/** The exposure line a revision starts from for a covert move (lines from before `moveRound`: the first of its kind). */
function rolledBefore(ruled: readonly Line[], team: TeamId, actionId: string, round: number): Line | undefined {
  const rolls = ruled.filter((l) => l.kind === 'exposure' && l.team === team && l.actionId === actionId);
  return rolls.find((l) => l.moveRound === round) ?? rolls.find((l) => l.moveRound === undefined);
}

/**
 * A revised proposal, joined to the lines it revises: a line that is the same thing as before (kind, team, action,
 * deal, covert move, tier) keeps its id and the White Cell's amendments (a free-form line, the whole line as ruled);
 * a new line gets an id no line of the round has had. Dependencies follow the ids.
 */
function carryOver(s: GameState, fresh: Line[], ruled: readonly Line[]): Line[] {
  const key = (l: Line) => [l.kind, l.team, l.actionId, l.dealId, l.moveRound, l.closeTier].join('|');
  const unused = new Map<string, Line[]>();
  for (const l of ruled) unused.set(key(l), [...(unused.get(key(l)) ?? []), l]);
  const taken = new Set(ruled.map((l) => l.id));
  let n = ruled.length;
  const ids = new Map<string, string>();
  const joined = fresh.map((l) => {
    const old = unused.get(key(l))?.shift();
    if (!old) {
      let id: string;
      do id = lineId(s, s.round, ++n);
      while (taken.has(id));
      taken.add(id);
      ids.set(l.id, id);
      return { ...l, id };
    }
    ids.set(l.id, old.id);
    if (l.kind === 'freeform') return { ...old, dependsOn: l.dependsOn };
    if (old.amendments.length === 0) return { ...l, id: old.id };
    return { ...l, id: old.id, effects: old.effects, cancelled: old.cancelled, amendments: old.amendments };
  });
  return joined.map((l) => (l.dependsOn ? { ...l, dependsOn: ids.get(l.dependsOn) ?? l.dependsOn } : l));
}

/**
 * Why a fulfilled deal between the two main sides did or did not turn the wheel: a table that sees a deal kept and
 * then "no reciprocal pair" needs to know which kinds of step make one.
 */
function fulfilledWhy(s: GameState, deal: Deal, spread: number, kind: ReturnType<typeof classifyPair>): string {
  const rules = s.scenario.rules;
  const kept = 'Every obligation has been carried out';
  const [first, second] = rules.sides;
  const mainSides = deal.parties.length === 2 && rules.sides.every((t) => deal.parties.includes(t));
  if (!mainSides || kind?.main) return kept;
  if (spread >= rules.pairWindow)
    return `${kept}, but ${spread} rounds apart: the two steps of a reciprocal pair come less than ${rules.pairWindow} rounds apart`;
  const wheel = rules.wheel;
  if (!wheel) return kept;
  return `${kept}, but it is not a reciprocal pair: that takes a step of the kind ${kinds(wheel.give)} from ${teamName(s, first)}, answered by one of the kind ${kinds(wheel.take)} from ${teamName(s, second)}`;
}

/** Categories as a reader says them: "restraint or denuclearization". */
const kinds = (cats: readonly string[]) =>
  cats.length === 1 ? cats[0] : `${cats.slice(0, -1).join(', ')} or ${cats[cats.length - 1]}`;

/** What makes a main pair, in the scenario's own terms: "US inducement traded for a DPRK restraint or ... step". */
function pairTrade(s: GameState): string {
  const { sides, wheel } = s.scenario.rules;
  const [first, second] = sides;
  if (!wheel) return `A deal between ${teamShort(s, first)} and ${teamShort(s, second)} fulfilled`;
  return `${teamShort(s, first)} ${kinds(wheel.give)} traded for a ${teamShort(s, second)} ${kinds(wheel.take)} step`;
}

/** A main pair: momentum by tier, dulled by the wheel's scaling meter and by reuse of the same steps; trust for both sides. */
function mainPairLine(s: GameState, deal: Deal, tier: number, actions: string[], vis: LineVisibility) {
  const rules = s.scenario.rules;
  const f = rules.wheel?.repeatFactor ?? 1;
  // A public pair's momentum is read by all: under rules v4 it is dulled only by reuse that all have seen.
  const seen = (p: (typeof s.pairs)[number]) => !dealInPublic(s, deal) || pairInPublic(s, p);
  const reused = Math.max(
    0,
    ...actions.map((a) => s.pairs.filter((p) => p.sides && p.actions?.includes(a) && seen(p)).length),
  );
  const scale = pairScale(s) * f ** reused;
  const trust = rules.pairTrust * (deal.snapback ? rules.snapbackTrustFactor : 1) * f ** reused;
  const by = rules.wheel?.scaleBy;
  const notes = [
    deal.snapback ? 'snapback armed: less trust earned' : '',
    pairScale(s) < 1 && by
      ? `worth ${Math.round(pairScale(s) * 100)}% with ${meterName(s, by.meter)} at ${s.meters[by.meter] ?? 0}`
      : '',
    reused ? `a step traded before: ${Math.round(f ** reused * 100)}%` : '',
  ].filter(Boolean);
  return {
    kind: 'pair' as const,
    dealId: deal.id,
    visibleTo: vis,
    text: `Reciprocal pair completed at tier ${tier}`,
    why: `${pairTrade(s)} ${pairSpan(rules.pairWindow)}${notes.length ? ` (${notes.join('; ')})` : ''}`,
    effects: sumChanges([
      { meter: rules.momentumMeter, delta: Math.round(rules.pairMomentum[tier] * scale) },
      { meter: rules.trustMeter, delta: Math.round(trust) },
    ]),
    pair: { round: s.round, dealId: deal.id, tier, sides: true, actions },
    deal: { status: 'fulfilled' as const, fulfilled: [], breakers: [] },
  };
}

/**
 * The brake: an action that `holds` a team holds up that team's first relief step of the round (overt order) by one
 * round. Returns "team/action" of each held step, with who held it.
 */
function heldThisRound(s: GameState, submissions: Record<TeamId, Draft>): Map<string, TeamId> {
  const held = new Map<string, TeamId>();
  for (const t of s.scenario.teams)
    for (const id of submissions[t.id]?.overt ?? []) {
      const target = actionById(s, id)?.holds;
      if (!target) continue;
      const relief = (submissions[target]?.overt ?? []).find(
        (x) => actionById(s, x)?.relief && !held.has(`${target}/${x}`),
      );
      if (relief) held.set(`${target}/${relief}`, t.id);
    }
  return held;
}

/** Every action that can fulfil an obligation this round, once each: this round's, and last round's held steps. */
function actionPool(s: GameState, submissions: Record<TeamId, Draft>, held: Map<string, TeamId>) {
  const pool = new Map<string, number>();
  const add = (k: string) => pool.set(k, (pool.get(k) ?? 0) + 1);
  for (const [team, sub] of Object.entries(submissions))
    for (const id of [...sub.overt, ...sub.covert]) if (!held.has(`${team}/${id}`)) add(`${team}/${id}`);
  for (const t of s.taken) if (t.heldTo === s.round) add(`${t.team}/${t.actionId}`);
  return pool;
}

/**
 * Relief given without snapback is hard to take back: each round the second side takes no restraint or
 * denuclearization step, the sanctions regime erodes in proportion to the unguarded relief in force.
 */
function erosion(s: GameState, submissions: Record<TeamId, Draft>, push: (l: Parameters<typeof line>[1]) => Line) {
  const rules = s.scenario.rules;
  const e = rules.wheel?.erosion;
  if (!e) return;
  const [first, second] = rules.sides;
  const steps = (submissions[second]?.overt ?? []).map((id) => actionById(s, id));
  if (steps.some((a) => holdsErosionOff(s, a))) return;
  // Rules v5: a step of the right kind, worn down by repetition, is a token and holds nothing off; the line says so.
  const token = steps.find((a) => wheelStep(s, a));
  const v3 = rulesV3(s);
  // Relief delivered stays delivered when the deal is later broken or voided: only snapback takes it back (rules
  // v3; version 2 counted only deals still in force).
  const eroding = s.dealOrder
    .map((id) => s.deals[id])
    .filter((d) => !d.snapback && (v3 || ['accepted', 'fulfilled'].includes(d.status)));
  const reliefUnder = (d: Deal) =>
    d.obligations.reduce((n, o) => {
      const a = actionById(s, o.action);
      if (o.team !== first || o.fulfilledRound === null || !a?.relief) return n;
      return n + a.effects.filter((x) => x.meter === e.relief && !x.delay).reduce((m, x) => m + x.delta, 0);
    }, 0);
  // Rules v4: relief under a secret deal erodes on a line its parties alone read, as its pair was; on the public
  // line its amount would tell every team what the deal carried.
  const groups = [
    { deals: eroding.filter((d) => dealInPublic(s, d)), secret: null },
    ...eroding.filter((d) => !dealInPublic(s, d)).map((d) => ({ deals: [d], secret: d })),
  ];
  for (const { deals, secret } of groups) {
    const unguarded = deals.reduce((n, d) => n + reliefUnder(d), 0);
    const loss = Math.round((e.per * unguarded) / 10);
    if (loss <= 0) continue;
    push({
      kind: 'erosion',
      ...(secret ? { dealId: secret.id, visibleTo: secret.parties } : {}),
      text: secret
        ? `Relief without snapback under ${dealLabel(s, secret).replace(/^The/, 'the')} erodes ${meterName(s, e.meter)}`
        : `Relief without snapback erodes ${meterName(s, e.meter)}`,
      why:
        `No ${kinds(rules.wheel!.take)} step by ${teamShort(s, second)} this round` +
        (token
          ? ` that still counts (${token.name}, taken ${usesBefore(s, second, token.id)} times before, is worth ` +
            `${Math.round(repeatFactor(s, token) * 100)}% of its first use: a token holds nothing off)`
          : '') +
        `, and ${unguarded} points of relief in force that cannot snap back`,
      effects: [{ meter: e.meter, delta: -loss }],
    });
  }
}

/** Whether a line takes effect: not cancelled, its roll (if any) succeeded, and the line it depends on took effect. */
export function lineCounts(lines: readonly Line[], l: Line): boolean {
  if (l.cancelled) return false;
  if (l.roll && !l.roll.success) return false;
  if (l.freeform && !l.freeform.ruled) return false;
  if (l.dependsOn) {
    const dep = lines.find((x) => x.id === l.dependsOn);
    return !!dep && lineCounts(lines, dep);
  }
  return true;
}

/**
 * Applies approved lines: meters, delayed effects, actions taken, exposures, deals and pairs; then history and endings.
 */
export function applyAdjudication(s: GameState, lines: Line[], at: number): GameState {
  const r = s.round;
  let meters = s.meters;
  const delayed = s.delayed.filter((d) => d.dueRound !== r);
  const taken = [...s.taken];
  const deals = { ...s.deals };
  const pairs = [...s.pairs];
  const closures = [...s.closures];
  for (const l of lines) {
    if (l.kind === 'action' || l.kind === 'covert') {
      // An action is carried out even if the White Cell cancels its effects; cancelling removes the effects only.
      taken.push({
        round: r,
        team: l.team!,
        actionId: l.actionId!,
        covert: l.kind === 'covert',
        exposedRound: null,
        ...(l.heldTo ? { heldTo: l.heldTo } : {}),
      });
    }
    if (!lineCounts(lines, l)) continue;
    meters = applyChanges(meters, l.effects);
    for (const x of l.later)
      delayed.push({
        dueRound: x.round,
        team: l.team!,
        actionId: l.actionId!,
        meter: x.meter,
        delta: x.delta,
        visibleTo: l.visibleTo,
      });
    if (l.kind === 'exposure') {
      const i = taken.findIndex(
        (t) =>
          t.team === l.team &&
          t.actionId === l.actionId &&
          t.exposedRound === null &&
          (l.moveRound === undefined || t.round === l.moveRound),
      );
      if (i >= 0) taken[i] = { ...taken[i], exposedRound: r };
    }
    if (l.dealId && l.deal) {
      const d = deals[l.dealId];
      const obligations = d.obligations.map((o, i) => {
        const f = l.deal!.fulfilled.find((x) => x.index === i);
        return f ? { ...o, fulfilledRound: f.round } : o;
      });
      const settled = ['fulfilled', 'broken', 'expired'].includes(l.deal.status);
      deals[l.dealId] = {
        ...d,
        obligations,
        status: l.deal.status,
        breakers: l.deal.breakers.length ? l.deal.breakers : d.breakers,
        settledRound: settled ? r : d.settledRound,
      };
    }
    if (l.kind === 'closure' && l.closeTier) closures.push({ round: r, tier: l.closeTier });
    if (l.kind === 'pair' && l.pair) pairs.push(l.pair);
    else if (l.kind === 'pair') {
      const d = deals[l.dealId!];
      const tier = Math.max(...d.obligations.map((o) => actionById(s, o.action)?.tier ?? 0));
      pairs.push({
        round: r,
        dealId: d.id,
        tier,
        sides: s.scenario.rules.sides.every((t) => d.obligations.some((o) => o.team === t)),
      });
    }
    if (l.kind === 'snapback') deals[l.dealId!] = { ...deals[l.dealId!], snappedBack: true };
  }
  const history: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(s.history)) history[k] = [...v, meters[k]];
  let next: GameState = {
    ...s,
    meters,
    delayed,
    taken,
    deals,
    pairs,
    closures,
    history,
    adjudication: null,
    reveals: [...s.reveals, { round: r, lines, at }],
  };
  if (!next.ending) {
    const v2 = rulesV2(s);
    const passed = new Set(s.pastEndings.map((e) => e.id));
    const reached = s.scenario.endings.filter((e) => !passed.has(e.id) && holds(e.condition, next, true));
    // Rules v2: an ending that comes too early is a crisis to play through, not the end of the exercise.
    const early = (e: (typeof reached)[number]) => v2 && e.notBefore !== undefined && r < e.notBefore;
    for (const e of reached.filter(early)) {
      const inject = e.crisisInject ? next.injects[e.crisisInject] : undefined;
      if (inject && inject.status === 'scheduled')
        next = { ...next, injects: { ...next.injects, [inject.def.id]: { ...inject, status: 'pending' } } };
    }
    const ending = reached.find((e) => !early(e));
    if (ending)
      next = {
        ...next,
        ending: {
          id: ending.id,
          name: ending.name,
          round: r,
          debrief: ending.debrief,
          ...(v2 && ending.headline ? { headline: ending.headline } : {}),
        },
      };
    else if (r >= s.options.rounds)
      next = {
        ...next,
        ending: { id: 'timeout', name: s.scenario.timeout.name, round: r, debrief: s.scenario.timeout.debrief },
      };
  }
  return next;
}
