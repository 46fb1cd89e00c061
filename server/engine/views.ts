// The one gate for secrets: every byte that leaves the engine for a client is built here, for one audience.
// Nothing is filtered in the browser; whatever is not put into a view cannot leak.
import {
  ARCHIVE_PAGE,
  RECENT_REVEALS,
  REVEAL_PAGE,
  type ActionState,
  type ArchivedRef,
  type ActionStatic,
  type ActionView,
  type Catalogue,
  type DealView,
  type DraftView,
  type FormState,
  type FormStatic,
  type GameView,
  type InjectView,
  type LineView,
  type MeterState,
  type MeterStatic,
  type RevealSummary,
  type RevealView,
  type WireView,
} from '../../shared/views.ts';
import { contentHash } from '../../shared/hash.ts';
import { roundLabel } from '../../shared/rounds.ts';
import { exposureChance, lineCounts } from './adjudication.ts';
import { diceCommitment, seedChosen } from './dice.ts';
import { channelsFor } from './channels.ts';
import { earlierCounts, recentMessages } from './chat-view.ts';
import { canRead, meterVisible, sumChanges } from './meters.ts';
import { actionLockReason, actionOpen, tierOpen } from './tiers.ts';
import { spentOnce } from './wheel.ts';
import { objectivesOf, scores, underWay } from './conditions.ts';
import type { Audience, Deal, Draft, GameState, Line, MeterChange, NoteTarget, Reveal, Scenario } from './types.ts';
import type { Form } from '../../shared/scenario.ts';
import { openForms, scenarioForms } from './forms.ts';
import { isOverPhase } from '../../shared/phases.ts';

const isOver = (s: GameState) => isOverPhase(s.phase);

export function audiences(s: GameState): Audience[] {
  return [
    ...s.scenario.teams.map((t) => ({ kind: 'team' as const, team: t.id })),
    { kind: 'control' },
    { kind: 'observer' },
  ];
}

export function audienceKey(a: Audience): string {
  return a.kind === 'team' ? `team:${a.team}` : a.kind;
}

function visibleChanges(s: GameState, a: Audience, changes: readonly MeterChange[]) {
  // After the game, every meter's story is told (the hidden ones included) for the after-action review.
  return changes.filter((c) => isOver(s) || meterVisible(s, a, c.meter));
}

function lineView(s: GameState, a: Audience, l: Line, all: readonly Line[], round: number): LineView {
  const v: LineView = {
    id: l.id,
    kind: l.kind,
    team: l.team,
    actionId: l.actionId,
    dealId: l.dealId,
    text: l.text,
    why: l.why,
    effects: visibleChanges(s, a, l.effects),
    later: l.later.filter((x) => isOver(s) || meterVisible(s, a, x.meter)),
    roll: l.roll,
    cancelled: l.cancelled,
    counts: lineCounts(all, l),
    amendments: l.amendments,
    freeform: l.freeform,
  };
  if (a.kind === 'control') {
    // A covert move exposed in its own round is read by everyone (exposedThisRound): "Seen by" says so.
    v.visibleTo = l.kind === 'covert' && lineVisible({ kind: 'observer' }, l, all, round) ? 'all' : l.visibleTo;
    v.dependsOn = l.dependsOn;
  }
  return v;
}

/**
 * Whether an audience reads a line at the reveal. Beyond the line's own audience, amendments flow through: an
 * exposure the White Cell overruled or cancelled is read by no team, and a line that depends on another (snapback on
 * an exposure or a break) is read only by those who read that one, since its text names what it depends on.
 */
export function lineVisible(a: Audience, l: Line, all: readonly Line[], round: number, depth = 0): boolean {
  if (a.kind === 'control') return true;
  if (!canRead(a, l.visibleTo)) return l.kind === 'covert' && exposedThisRound(a, l, all, round, depth);
  if (l.kind === 'exposure' && !lineCounts(all, l)) return false;
  if (!l.dependsOn) return true;
  const dep = all.find((x) => x.id === l.dependsOn);
  return !!dep && depth < all.length && lineVisible(a, dep, all, round, depth + 1);
}

/**
 * A covert move exposed in the very reveal it is taken in: the exposure tells everyone what was done, so the move's
 * own line is read with it, and what it moved is on the record under its name rather than summed up unexplained in
 * "Other developments". (A move exposed in a later round was revealed then as a move nobody could read; its round
 * stays as it was told.)
 */
function exposedThisRound(a: Audience, l: Line, all: readonly Line[], round: number, depth: number): boolean {
  return all.some(
    (x) =>
      x.kind === 'exposure' &&
      x.team === l.team &&
      x.actionId === l.actionId &&
      x.moveRound === round &&
      depth < all.length &&
      lineVisible(a, x, all, round, depth + 1),
  );
}

/**
 * Public meters that moved by lines an audience cannot read, added up into one line, so the board's moves are
 * accounted for without saying what moved them or who (docs/rules.md, "Other developments").
 */
function otherDevelopments(s: GameState, a: Audience, round: number, lines: readonly Line[]): LineView | null {
  const hidden = lines
    .filter((l) => !lineVisible(a, l, lines, round) && lineCounts(lines, l))
    .flatMap((l) => l.effects);
  const effects = visibleChanges(s, a, sumChanges(hidden));
  if (effects.length === 0) return null;
  return {
    id: `r${round}-other`,
    kind: 'other',
    team: null,
    actionId: null,
    dealId: null,
    text: 'Other developments',
    why: 'Moves on the board this round that are not on your record',
    effects,
    later: [],
    roll: null,
    cancelled: false,
    counts: true,
    amendments: [],
    freeform: null,
  };
}

/**
 * A free-form line as a team sees it while adjudication is under way: the argument and its own estimate, never the
 * ruling (chance, roll, effects, rationale), which reaches teams only at the reveal and only if it is public.
 */
function argumentView(l: Line, team: string): LineView {
  const f = l.freeform!;
  const own = f.estimates[team];
  return {
    id: l.id,
    kind: l.kind,
    team: l.team,
    actionId: null,
    dealId: null,
    text: l.text,
    why: "Awaiting the White Cell's ruling",
    effects: [],
    later: [],
    roll: null,
    cancelled: false,
    counts: false,
    amendments: [],
    freeform: {
      text: f.text,
      intent: f.intent,
      rationale: f.rationale,
      open: f.open,
      estimates: own === undefined ? {} : { [team]: own },
      ruled: f.ruled,
    },
  };
}

function draftView(d: Draft): DraftView {
  return { overt: d.overt, covert: d.covert, freeform: d.freeform, locked: d.locked, updatedBy: d.updatedBy };
}

/** A team's draft; once submissions close, the sealed submission (shown locked) until its round is revealed. */
function currentDraft(s: GameState, team: string): DraftView {
  const sealed = s.submissions[s.round]?.[team];
  if (sealed && !s.reveals.some((r) => r.round === s.round))
    // `taken`: the team had not locked; its draft was sealed as it stood when submissions closed.
    return { ...draftView(sealed), locked: true, ...(sealed.locked ? {} : { taken: true as const }) };
  return draftView(s.drafts[team]);
}

function dealVisible(a: Audience, d: Deal): boolean {
  if (a.kind === 'control') return true;
  if (a.kind === 'team' && d.parties.includes(a.team)) return true;
  return dealSeenByAll(d);
}

/**
 * Whether every seat sees a deal. Proposals are private to their parties until accepted (so a refusal is never
 * public); secret deals stay with their parties for good.
 */
export function dealSeenByAll(d: Pick<Deal, 'secret' | 'status'>): boolean {
  return (
    !d.secret &&
    d.status !== 'proposed' &&
    d.status !== 'rejected' &&
    d.status !== 'withdrawn' &&
    d.status !== 'expired'
  );
}

function dealView(s: GameState, d: Deal): DealView {
  return {
    id: d.id,
    from: d.from,
    to: d.to,
    parties: d.parties,
    secret: d.secret,
    snapback: d.snapback,
    snappedBack: d.snappedBack,
    note: d.note,
    status: d.status,
    acceptedBy: d.acceptedBy,
    proposedRound: d.proposedRound,
    acceptedRound: d.acceptedRound,
    settledRound: d.settledRound,
    breakers: d.breakers,
    obligations: d.obligations.map((o) => ({
      ...o,
      actionName: s.scenario.actions.find((x) => x.id === o.action)?.name ?? o.action,
    })),
  };
}

function covertLog(s: GameState) {
  return s.taken
    .filter((t) => t.covert)
    .map((t) => ({
      round: t.round,
      team: t.team,
      actionId: t.actionId,
      name: s.scenario.actions.find((x) => x.id === t.actionId)?.name ?? t.actionId,
      exposedRound: t.exposedRound,
    }));
}

function privateBriefing(s: GameState, teamId: string) {
  const t = s.scenario.teams.find((x) => x.id === teamId)!;
  const variant = s.options.variants[teamId] ?? null;
  const chosen = variant ? t.variants?.find((v) => v.id === variant) : undefined;
  return {
    privateBriefing: chosen?.privateBriefing ?? t.privateBriefing,
    variant,
    objectives: objectivesOf(s, teamId).map((o) => ({ id: o.id, text: o.text, points: o.points })),
  };
}

/**
 * What everyone knows about the dice: the commitment from the start, whether the creator chose the seed, and the
 * seed itself once the game is over, so any player can check every roll (npm run verify-dice).
 */
function diceSummary(s: GameState, over: boolean): GameView['game']['dice'] {
  const o = s.options;
  return {
    scheme: o.dice ?? 'mulberry32',
    commitment: o.commitment ?? diceCommitment(o.seed),
    chosen: seedChosen(o),
    seed: over ? o.seed : null,
    salt: over ? (o.salt ?? null) : null,
  };
}

type Section = keyof GameView;
export const SECTIONS: readonly Section[] = [
  'audience',
  'game',
  'teams',
  'meters',
  'tiers',
  'actions',
  'deals',
  'earlierDeals',
  'channels',
  'messages',
  'earlierMessages',
  'injects',
  'earlierInjects',
  'reveals',
  'earlierReveals',
  'catalogue',
  'draft',
  'drafts',
  'pairs',
  'me',
  'control',
  'debrief',
  'record',
];

/**
 * The parts of the state each section of a view is built from. When none of them changed (by reference: evolve
 * never mutates), the section cannot have changed, so the server neither rebuilds nor resends it.
 */
const DEPENDS: Record<Section, readonly (keyof GameState)[]> = {
  audience: [],
  game: ['phase', 'round', 'deadline', 'paused', 'options', 'ending'],
  teams: ['players', 'drafts', 'phase'],
  meters: ['meters', 'history', 'phase'],
  tiers: ['meters', 'pairs', 'phase'],
  actions: ['meters', 'pairs', 'phase'],
  // This round decides which deals and injects are earlier ones (see dealSettledBefore and injectViews).
  deals: ['deals', 'dealOrder', 'round'],
  earlierDeals: ['deals', 'dealOrder', 'round'],
  channels: ['scenario'],
  messages: ['messages'],
  earlierMessages: ['messages'],
  injects: ['injects', 'injectOrder', 'phase', 'round'],
  earlierInjects: ['injects', 'injectOrder', 'phase', 'round'],
  reveals: ['reveals', 'phase'],
  earlierReveals: ['reveals', 'phase'],
  catalogue: ['scenario', 'phase'],
  draft: ['drafts', 'submissions', 'reveals', 'round'],
  drafts: ['drafts', 'submissions', 'reveals', 'round'],
  pairs: ['pairs', 'deals'],
  me: ['drafts', 'submissions', 'reveals', 'intel', 'players', 'adjudication', 'options'],
  control: ['drafts', 'submissions', 'reveals', 'adjudication', 'players', 'intel', 'taken', 'options', 'phase'],
  debrief: ['phase', 'ending', 'meters', 'history', 'pairs', 'deals', 'taken', 'round'],
  // A shared note's target shows only where the reader sees it (noteTargetSeen), and what a reader sees moves with
  // the deals, injects and reveals.
  record: ['record', 'phase', 'reveals', 'deals', 'dealOrder', 'injects', 'injectOrder', 'round'],
};

/**
 * On the wire `me` and `control` leave the drafts to `draft` and `drafts` (see wireView): they no longer change with
 * a draft edit, which is most of a negotiation's commands.
 */
const WIRE_DEPENDS: Record<Section, readonly (keyof GameState)[]> = {
  ...DEPENDS,
  me: ['intel', 'players', 'adjudication', 'options'],
  control: ['reveals', 'adjudication', 'players', 'intel', 'taken', 'options', 'phase'],
};

/** The sections whose inputs differ between two states of one game (of its view on the wire, with `wire`). */
export function changedSections(prev: GameState, next: GameState, wire = false): Section[] {
  const depends = wire ? WIRE_DEPENDS : DEPENDS;
  return SECTIONS.filter((sec) => depends[sec].some((k) => prev[k] !== next[k]));
}

interface Ctx {
  s: GameState;
  a: Audience;
  over: boolean;
  control: boolean;
  team: string | null;
  /** For the wire: the latest reveal only (older ones summed up in `earlierReveals`), and a catalogue reference. */
  paged: boolean;
}

/** One round's reveal as an audience reads it: its lines, and the moves of the ones it cannot read summed up. */
function revealView(s: GameState, a: Audience, r: Reveal): RevealView {
  const lines = r.lines
    .filter((l) => lineVisible(a, l, r.lines, r.round))
    .map((l) => lineView(s, a, l, r.lines, r.round));
  const other = a.kind === 'control' ? null : otherDevelopments(s, a, r.round, r.lines);
  return { round: r.round, at: r.at, lines: other ? [...lines, other] : lines };
}

/** The reveals a whole view on the wire leaves out: all but the latest. */
const earlierOf = (s: GameState) => s.reveals.slice(0, Math.max(0, s.reveals.length - RECENT_REVEALS));

function actionStatic(x: ActionView): ActionStatic {
  const { open: _open, lockReason: _lock, exposure, ...rest } = x;
  return { ...rest, ...(exposure ? { exposure: { window: exposure.window, cheating: exposure.cheating } } : {}) };
}

type MeterView = GameView['meters'][number];
const meterState = (m: MeterView): MeterState => ({ id: m.id, value: m.value, history: m.history });
function meterStatic(m: MeterView): MeterStatic {
  const { value: _value, history: _history, ...rest } = m;
  return rest;
}

/**
 * Catalogues per scenario and audience (and whether the game is over, when hidden meters' effects are shown): they
 * never change within a game, so each is built and hashed once.
 */
const catalogues = new WeakMap<Scenario, Map<string, Catalogue>>();

/** The static part of the actions and meters an audience's view holds, built by the same projection as the view. */
export function catalogueFor(s: GameState, a: Audience): Catalogue {
  let byAudience = catalogues.get(s.scenario);
  if (!byAudience) {
    byAudience = new Map();
    catalogues.set(s.scenario, byAudience);
  }
  const key = `${audienceKey(a)}/${isOver(s)}`;
  let cat = byAudience.get(key);
  if (!cat) {
    const v = viewFor(s, a, ['actions', 'meters']);
    const actions = (v.actions ?? []).map(actionStatic);
    const meters = (v.meters ?? []).map(meterStatic);
    cat = { scenarioId: s.scenario.id, hash: contentHash(JSON.stringify([actions, meters])), actions, meters };
    byAudience.set(key, cat);
  }
  return cat;
}

/**
 * Up to `limit` reveals of rounds before `before`, newest last, as the audience reads them: the same projection as
 * its view. Rounds without a reveal (none yet, or none before round 1) answer an empty list.
 */
export function olderReveals(s: GameState, a: Audience, before: number, limit = REVEAL_PAGE): RevealView[] {
  const older = s.reveals.filter((r) => r.round < before);
  const n = Math.min(Math.max(1, Math.floor(limit)), REVEAL_PAGE);
  return older.slice(Math.max(0, older.length - n)).map((r) => revealView(s, a, r));
}

const SETTLED: ReadonlySet<Deal['status']> = new Set(['rejected', 'withdrawn', 'expired', 'fulfilled', 'broken']);

/**
 * A deal that a whole view on the wire leaves out: settled, and last touched before this round. (It may still change:
 * snapback reverses a fulfilled deal later. Its hash then changes, and so does the ref the view names.)
 */
const dealSettledBefore = (s: GameState, d: Deal) =>
  SETTLED.has(d.status) && (d.settledRound ?? d.acceptedRound ?? d.proposedRound) < s.round;

/** Names an entry of an earlier round: its place in the audience's whole list, and a hash of its view there. */
const hashOf = (view: unknown) => contentHash(JSON.stringify(view));
const archivedRef = (id: string, index: number, view: unknown): ArchivedRef => ({ id, index, hash: hashOf(view) });

/**
 * The injects an audience may read, each marked `earlier` when a whole view on the wire leaves it out: published or
 * skipped in a round before this one (scheduled and pending ones, which the White Cell acts on, always travel).
 */
function injectViews(s: GameState, a: Audience): { view: InjectView; earlier: boolean }[] {
  const control = a.kind === 'control';
  const team = a.kind === 'team' ? a.team : null;
  return s.injectOrder.flatMap((id): { view: InjectView; earlier: boolean }[] => {
    const i = s.injects[id];
    const round = i.publishedRound ?? i.def.round ?? null;
    const earlier = (i.status === 'published' || i.status === 'skipped') && round !== null && round < s.round;
    if (!control && (i.status !== 'published' || !canRead(a, i.def.audience))) {
      // A team outside an inject's audience may still have been handed private intel with it.
      const intel = team && i.status === 'published' ? i.def.intel?.[team] : undefined;
      if (!intel) return [];
      const view: InjectView = {
        id,
        title: 'Intelligence report',
        text: intel,
        round: i.publishedRound,
        status: i.status,
        kind: 'intel',
        audience: [team],
        effects: [],
        intel,
      };
      return [{ view, earlier }];
    }
    const view: InjectView = {
      id,
      title: i.def.title,
      text: i.def.text,
      round,
      status: i.status,
      kind: i.def.kind,
      audience: i.def.audience,
      effects: visibleChanges(
        s,
        a,
        i.status === 'published' ? i.effects : i.def.effects.map((e) => ({ meter: e.meter, delta: e.delta })),
      ),
      intel: control ? (i.def.intel ? JSON.stringify(i.def.intel) : null) : team ? (i.def.intel?.[team] ?? null) : null,
    };
    return [{ view, earlier }];
  });
}

/**
 * The deals or injects of earlier rounds among `ids` that this audience may read, each with the hash its view names:
 * the same projection as its view. Ids it may not read, or not of an earlier round, are left out without a word.
 */
export function archivedEntries(
  s: GameState,
  a: Audience,
  kind: 'deals' | 'injects',
  ids: readonly string[],
): { hash: string; item: DealView | InjectView }[] {
  const wanted = new Set(ids);
  const items: (DealView | InjectView)[] =
    kind === 'deals'
      ? s.dealOrder
          .map((id) => s.deals[id])
          .filter((d) => wanted.has(d.id) && dealVisible(a, d) && dealSettledBefore(s, d))
          .map((d) => dealView(s, d))
      : injectViews(s, a)
          .filter(({ view, earlier }) => earlier && wanted.has(view.id))
          .map(({ view }) => view);
  return items.slice(0, ARCHIVE_PAGE).map((item) => ({ hash: hashOf(item), item }));
}

const BUILD: { [K in Section]: (c: Ctx) => GameView[K] } = {
  audience: ({ a, team }) => (team ? { kind: 'team', team } : { kind: a.kind }),
  game: ({ s }) => ({
    id: s.id,
    title: s.options.title,
    scenarioId: s.scenario.id,
    scenarioTitle: s.scenario.title,
    summary: s.scenario.summary,
    source: s.scenario.source,
    notes: s.scenario.notes,
    rounds: s.options.rounds,
    round: s.round,
    roundLabel: roundLabel(s.scenario, s.round),
    phase: s.phase,
    deadline: s.deadline,
    paused: s.paused,
    autoApprove: s.options.autoApprove,
    // What the board says of an ending until the debrief (a hollow deal reads as a breakthrough).
    ending: s.ending ? { name: s.ending.headline ?? s.ending.name, round: s.ending.round } : null,
    phases: s.options.phases,
    slots: s.scenario.rules.slots,
    dice: diceSummary(s, false),
  }),
  teams: ({ s }) => {
    const seated = Object.values(s.players).filter((p) => p.seated);
    return s.scenario.teams.map((t) => ({
      id: t.id,
      name: t.name,
      short: t.short,
      color: t.color,
      publicBriefing: t.publicBriefing,
      players: seated.filter((p) => p.role === t.id).length,
      // Every audience is told who plays a seat other than its own people; the bot's strategy stays with control.
      bot: seated.some((p) => p.role === t.id && !!p.bot),
      whiteCell: seated.some((p) => p.role === t.id && !!p.whiteCell),
      submitted: s.phase === 'submission' ? s.drafts[t.id].locked : null,
    }));
  },
  meters: ({ s, a, over }) =>
    s.scenario.meters
      .filter((m) => over || canRead(a, m.visibleTo))
      .map((m) => ({
        id: m.id,
        name: m.name,
        description: m.description,
        value: s.meters[m.id],
        history: s.history[m.id],
        public: m.visibleTo === 'all',
        ...(m.source ? { source: m.source } : {}),
      })),
  tiers: ({ s, a, over }) =>
    s.scenario.rules.tiers.map((t) => ({
      tier: t.tier,
      name: t.name,
      open: tierOpen(s, t.tier),
      // The momentum meter's id, for its name, where the audience may see the meter (as effects' `scaledBy`).
      ...(over || meterVisible(s, a, s.scenario.rules.momentumMeter) ? { meter: s.scenario.rules.momentumMeter } : {}),
      momentum: t.momentum,
      pairsBelow: t.pairsBelow,
    })),
  actions: (c) =>
    actionsSeen(c).map((x): ActionView => {
      const { s, a, over } = c;
      const lockReason = lockOf(s, x);
      const exposure = exposureSeen(c, x);
      return {
        id: x.id,
        team: x.team,
        tier: x.tier,
        covert: x.covert,
        name: x.name,
        summary: x.summary,
        relief: x.relief,
        effects: x.effects
          .filter((e) => over || meterVisible(s, a, e.meter))
          .map((e) => ({
            meter: e.meter,
            delta: e.delta,
            ...(e.delay ? { delay: e.delay } : {}),
            // Which meter dulls it, when the audience may see that meter.
            ...(e.scaleBy
              ? { scaled: true, ...(over || meterVisible(s, a, e.scaleBy.meter) ? { scaledBy: e.scaleBy.meter } : {}) }
              : {}),
          })),
        ...(x.precedent ? { precedent: x.precedent } : {}),
        open: lockReason === null,
        lockReason,
        ...(exposure && x.exposure
          ? {
              exposure: {
                chance: exposure.chance,
                window: x.exposure.window,
                cheating: x.exposure.cheating,
                ...(exposure.partial ? { partial: true } : {}),
              },
            }
          : {}),
      };
    }),
  deals: ({ s, a, paged }) =>
    s.dealOrder
      .map((id) => s.deals[id])
      .filter((d) => dealVisible(a, d) && !(paged && dealSettledBefore(s, d)))
      .map((d) => dealView(s, d)),
  earlierDeals: ({ s, a, paged }) =>
    paged
      ? s.dealOrder
          .map((id) => s.deals[id])
          .filter((d) => dealVisible(a, d))
          .flatMap((d, index) => (dealSettledBefore(s, d) ? [archivedRef(d.id, index, dealView(s, d))] : []))
      : [],
  channels: ({ s, a }) => channelsFor(s, a).map((ch) => ({ ...ch, members: [...ch.members] })),
  messages: ({ s, a }) => recentMessages(s, a),
  earlierMessages: ({ s, a }) => earlierCounts(s, a),
  injects: ({ s, a, paged }) =>
    injectViews(s, a)
      .filter(({ earlier }) => !(paged && earlier))
      .map(({ view }) => view),
  earlierInjects: ({ s, a, paged }) =>
    paged
      ? injectViews(s, a).flatMap(({ view, earlier }, index) => (earlier ? [archivedRef(view.id, index, view)] : []))
      : [],
  reveals: ({ s, a, paged }) =>
    (paged ? s.reveals.slice(earlierOf(s).length) : s.reveals).map((r) => revealView(s, a, r)),
  earlierReveals: ({ s, a, paged, over }) =>
    paged
      ? earlierOf(s).map(
          (r): RevealSummary => ({ round: r.round, at: r.at, lines: revealView(s, a, r).lines.length, final: over }),
        )
      : [],
  catalogue: ({ s, a, paged }) => {
    if (!paged) return null;
    const { scenarioId, hash } = catalogueFor(s, a);
    return { scenarioId, hash };
  },
  draft: ({ s, paged, team }) => (paged && team ? currentDraft(s, team) : null),
  drafts: ({ s, paged, control }) =>
    paged && control ? Object.fromEntries(s.scenario.teams.map((t) => [t.id, currentDraft(s, t.id)])) : null,
  pairs: ({ s, control, team }) =>
    s.pairs
      .filter((p) => control || (team && s.deals[p.dealId].parties.includes(team)) || !s.deals[p.dealId].secret)
      .map((p) => ({ round: p.round, dealId: p.dealId, tier: p.tier })),
  me: ({ s, team }) => {
    if (!team) return null;
    const t = s.scenario.teams.find((x) => x.id === team)!;
    const b = privateBriefing(s, team);
    return {
      team,
      variant: b.variant,
      privateBriefing: b.privateBriefing,
      objectives: b.objectives,
      factCards: t.factCards.map((f) => ({ id: f.id, title: f.title, text: f.text, source: f.source })),
      draft: currentDraft(s, team),
      intel: s.intel
        .filter((r) => r.team === team)
        .map((r) => ({ round: r.round, text: r.text, meter: r.meter, estimate: r.estimate, noise: r.noise })),
      teammates: Object.values(s.players)
        .filter((p) => p.role === team)
        .map((p) => ({ id: p.id, name: p.name, seated: p.seated, bot: !!p.bot, whiteCell: !!p.whiteCell })),
      // A team's own free-form, and other teams' open ones, each with only this team's own estimate (no anchoring).
      estimating: s.adjudication
        ? s.adjudication.lines
            .filter((l) => l.freeform && (l.team === team || l.freeform.open))
            .map((l) => argumentView(l, team))
        : [],
    };
  },
  control: ({ s, a, control, over }) => {
    if (!control) return null;
    const sc = s.scenario;
    return {
      drafts: Object.fromEntries(sc.teams.map((t) => [t.id, currentDraft(s, t.id)])),
      adjudication: s.adjudication
        ? {
            round: s.adjudication.round,
            lines: s.adjudication.lines.map((l) => lineView(s, a, l, s.adjudication!.lines, s.adjudication!.round)),
          }
        : null,
      players: Object.values(s.players).map((p) => ({
        id: p.id,
        name: p.name,
        role: p.role,
        seated: p.seated,
        joinedAt: p.joinedAt,
        bot: p.bot ?? null,
        whiteCell: !!p.whiteCell,
      })),
      briefings: Object.fromEntries(sc.teams.map((t) => [t.id, privateBriefing(s, t.id)])),
      intel: s.intel.map((r) => ({ round: r.round, team: r.team, text: r.text })),
      covertLog: covertLog(s),
      // Not even the White Cell may know the rolls in advance: the seed is shown once the game is over.
      seed: over || seedChosen(s.options) ? s.options.seed : null,
      designNotes: sc.designNotes ?? [],
      pastEndings: s.pastEndings,
    };
  },
  debrief: ({ s, over }) => {
    if (!over || !s.ending) return null;
    return {
      ending: s.ending,
      // Every screen said when each was reached ("Ending reached"), and the White Cell played on: the debrief says so.
      pastEndings: s.pastEndings.map((e) => ({ name: e.name, round: e.round })),
      scores: scores(s),
      // What the scores count beyond the meters on the board: the effects still under way when the game ended.
      underWay: sumChanges(underWay(s)),
      covertLog: covertLog(s),
      dice: diceSummary(s, true),
    };
  },
  record: ({ s, a, over, control, team }) => {
    const r = s.record;
    return {
      // The parent's log position at the cut would count, for a team, moves of the parent it never saw.
      forkedFrom: r?.forkedFrom ? (control ? r.forkedFrom : omitVersion(r.forkedFrom)) : null,
      // The White Cell reads every note; observers their own audience's and shared ones; teams shared ones only.
      // A shared note comes without its target where the reader cannot see the target.
      notes: (() => {
        const seen = noteTargetsSeen(s, a);
        return (r?.notes ?? [])
          .filter((n) => control || n.shared || (a.kind === 'observer' && n.role === 'observer'))
          .map((n) => (control || !n.target || seen(n.target) ? n : { ...n, target: null }));
      })(),
      hotwash: control || over ? (r?.hotwash ?? []) : null,
      forms:
        a.kind === 'observer' && !over
          ? []
          : openForms(s).map(({ form, round }) => formView(s, form, round, control, team, over)),
      sendable: control
        ? scenarioForms(s)
            .filter((f) => f.when === 'manual')
            .map((f) => ({ id: f.id, title: f.title }))
        : [],
    };
  },
};

const omitVersion = ({ version: _version, ...rest }: { gameId: string; round: number; version: number; at: number }) =>
  rest;

/** The part of a form that is the same in every round it asks about (on the wire, once in the record's templates). */
function formStatic(form: Form): FormStatic {
  return {
    id: form.id,
    title: form.title,
    when: form.when,
    questions: form.questions.map((q) => ({
      id: q.id,
      text: q.text,
      kind: q.kind,
      ...(q.options ? { options: q.options } : {}),
    })),
  };
}

/**
 * The record as it travels: of each form its round, answers and results, and the title and questions of the forms
 * it holds once each. Taken from the audience's own record, so it names no form before that audience may see it.
 */
function wireRecord(record: GameView['record']): WireView['record'] {
  const templates = new Map<string, FormStatic>();
  const forms = record.forms.map(({ title, when, questions, ...state }): FormState => {
    if (!templates.has(state.id)) templates.set(state.id, { id: state.id, title, when, questions });
    return state;
  });
  return { ...record, forms, templates: [...templates.values()] };
}

/** The fewest answers to a question whose split is shown to the teams and observers (the White Cell sees any). */
export const FORM_MIN_SHOWN = 5;

/**
 * Whether a question's split would tell a team the other teams' answers: fewer than FORM_MIN_SHOWN answers in all,
 * or, for some team that answered, between one and FORM_MIN_SHOWN - 1 answers from all the others.
 */
function fewBesideAnyTeam(all: readonly { team: string; answers: Record<string, unknown> }[], question: string) {
  const answered = all.filter((x) => x.answers[question] !== undefined);
  if (answered.length < FORM_MIN_SHOWN) return true;
  const byTeam = new Map<string, number>();
  for (const x of answered) byTeam.set(x.team, (byTeam.get(x.team) ?? 0) + 1);
  return [...byTeam.values()].some((own) => {
    const others = answered.length - own;
    return others > 0 && others < FORM_MIN_SHOWN;
  });
}

function formView(s: GameState, form: Form, round: number, control: boolean, team: string | null, over: boolean) {
  const all = (s.record?.answers ?? []).filter((x) => x.formId === form.id && x.round === round);
  const results =
    control || over
      ? form.questions.map((q) => {
          const values = all.map((x) => x.answers[q.id]).filter((v) => v !== undefined);
          // Too few answers, and a team could tell the others' answers from the totals and its own: only the
          // White Cell sees how they split. "Few" is counted for every team that answered, as the answers of the
          // other teams: six of the US's and two of Japan's would give Japan's two away to the US, and to anyone
          // the US tells, observers included, so the split is withheld from every audience alike.
          if (!control && fewBesideAnyTeam(all, q.id))
            return { question: q.id, n: values.length, withheld: true as const };
          if (q.kind === 'likert') {
            const nums = values.filter((v): v is number => typeof v === 'number');
            const scale = [1, 2, 3, 4, 5].map((k) => nums.filter((v) => v === k).length);
            const mean = nums.length ? Math.round((nums.reduce((a, b) => a + b, 0) / nums.length) * 100) / 100 : 0;
            return { question: q.id, n: nums.length, mean, scale };
          }
          if (q.kind === 'choice')
            return {
              question: q.id,
              n: values.length,
              counts: Object.fromEntries((q.options ?? []).map((o) => [o, values.filter((v) => v === o).length])),
            };
          // Free text may name what only its author's team knew: it goes to the White Cell alone.
          return { question: q.id, n: values.length, ...(control ? { texts: values.map(String) } : {}) };
        })
      : null;
  const { id, title, when, questions } = formStatic(form);
  return {
    id,
    title,
    when,
    round,
    questions,
    answeredBy: all.filter((x) => control || x.team === team).map((x) => x.playerId),
    responses: control ? all.length : null,
    results,
    answers: control
      ? all.map((x) => ({ playerId: x.playerId, team: x.team, name: x.name, at: x.at, answers: x.answers }))
      : null,
  };
}

/**
 * Whether what a note is attached to (a round, a deal, an inject, a move or a line) is in the audience's own view:
 * the author may attach a note only to what it sees, and a reader sees a shared note's target only if it sees the
 * target too (a note on a secret deal must not tell the other teams that the deal exists). The audience's deals,
 * injects and lines are gathered once, on the first question that needs them, then asked of every note.
 */
export function noteTargetsSeen(s: GameState, a: Audience): (t: NoteTarget) => boolean {
  let seen: { deals: Set<string>; injects: Set<string>; lines: Map<string, LineView['kind']> } | null = null;
  const gather = () => {
    const v = viewFor(s, a, ['reveals', 'deals', 'injects', 'control']);
    const lines = [...v.reveals!.flatMap((r) => r.lines), ...(v.control?.adjudication?.lines ?? [])];
    return {
      deals: new Set(v.deals!.map((d) => d.id)),
      injects: new Set(v.injects!.map((i) => i.id)),
      lines: new Map(lines.map((l) => [l.id, l.kind] as const)),
    };
  };
  return (t) => {
    if (t.kind === 'round') return /^\d+$/.test(t.id) && Number(t.id) <= s.round;
    seen ??= gather();
    const { deals, injects, lines } = seen;
    if (t.kind === 'deal') return deals.has(t.id);
    if (t.kind === 'inject') return injects.has(t.id);
    const kind = lines.get(t.id);
    if (t.kind === 'move') return kind === 'action' || kind === 'covert' || kind === 'freeform';
    return kind !== undefined;
  };
}

/**
 * An audience's view of the game: the only way game state leaves the engine. With `sections`, only those parts
 * (for a patch after a command that touched them); without, the whole view.
 */
export function viewFor(s: GameState, a: Audience): GameView;
export function viewFor(s: GameState, a: Audience, sections: Iterable<Section>): Partial<GameView>;
export function viewFor(s: GameState, a: Audience, sections: Iterable<Section> = SECTIONS): Partial<GameView> {
  return build(s, a, sections, false);
}

function build(s: GameState, a: Audience, sections: Iterable<Section>, paged: boolean): Partial<GameView> {
  const c: Ctx = {
    s,
    a,
    over: isOver(s),
    control: a.kind === 'control',
    team: a.kind === 'team' ? a.team : null,
    paged,
  };
  const out: Partial<Record<Section, unknown>> = {};
  for (const sec of sections) out[sec] = (paged && sec === 'actions' ? actionStates : BUILD[sec])(c);
  return out as Partial<GameView>;
}

/**
 * The wire's actions: of each action the audience sees, only what changes during a game (the rest is in its
 * catalogue, catalogueFor), built without the rest of the whole projection (`BUILD.actions`), since every phase
 * change rebuilds them for every audience.
 */
function actionStates(c: Ctx): ActionState[] {
  return actionsSeen(c).map((x): ActionState => {
    const lockReason = lockOf(c.s, x);
    const exposure = exposureSeen(c, x);
    return {
      id: x.id,
      open: lockReason === null,
      ...(lockReason !== null ? { lockReason } : {}),
      ...(exposure ? { exposure } : {}),
    };
  });
}

type ScenarioAction = Scenario['actions'][number];

/** The actions an audience may see: every overt one, its own covert ones, and all of them for the White Cell. */
const actionsSeen = ({ s, control, team }: Ctx) =>
  s.scenario.actions.filter((x) => control || !x.covert || x.team === team);

/**
 * The chance that an action is exposed, for the audiences that may know it (its team, the White Cell): worked out
 * from the meters this audience may see, as the dice will use it (no hidden meter leaks), `partial` when some of
 * its modifiers are hidden from it.
 */
function exposureSeen({ s, a, over, control, team }: Ctx, x: ScenarioAction): ActionState['exposure'] {
  if (!x.exposure || !(control || x.team === team)) return undefined;
  const counts = (meter: string) => over || meterVisible(s, a, meter);
  return {
    chance: exposureChance(s, x, counts),
    ...(x.exposure.modifiers.some((m) => !counts(m.meter)) ? { partial: true } : {}),
  };
}

/**
 * Why an action is closed, or null if it is open: the same for every audience, so worked out once per state. A
 * one-off step already taken is closed too (a draft naming it is refused): that it was taken is known to whoever may
 * see the action, since overt moves are revealed to all and covert ones are listed only for their team.
 */
const LOCKS = new WeakMap<GameState, Map<string, string>>();
function lockOf(s: GameState, x: ScenarioAction): string | null {
  let locks = LOCKS.get(s);
  if (!locks) {
    locks = new Map();
    for (const y of s.scenario.actions)
      if (!actionOpen(s, y)) locks.set(y.id, actionLockReason(s, y));
      else if (spentOnce(s, y)) locks.set(y.id, 'A one-off step, already taken');
    LOCKS.set(s, locks);
  }
  return locks.get(x.id) ?? null;
}

function withoutKey<T extends object, K extends keyof T>(o: T, key: K): Omit<T, K> {
  const { [key]: _gone, ...rest } = o;
  return rest;
}

/**
 * An audience's view as it goes to a client (whole, or the sections of a patch): the same projection as viewFor,
 * with the latest reveal only (older ones summed up; see olderReveals) and, of each action, only what changes
 * (the rest is in catalogueFor, named by `catalogue`). The record, the replay and the export keep viewFor.
 */
export function wireView(s: GameState, a: Audience): WireView;
export function wireView(s: GameState, a: Audience, sections: Iterable<Section>): Partial<WireView>;
export function wireView(s: GameState, a: Audience, sections: Iterable<Section> = SECTIONS): Partial<WireView> {
  const v = build(s, a, sections, true);
  // Replaced in place, so that the sections keep their order (a whole view is compared byte for byte).
  return {
    ...v,
    ...(v.meters ? { meters: v.meters.map(meterState) } : {}),
    ...(v.me ? { me: withoutKey(v.me, 'draft') } : {}),
    ...(v.control ? { control: withoutKey(v.control, 'drafts') } : {}),
    ...(v.record ? { record: wireRecord(v.record) } : {}),
  } as Partial<WireView>;
}
