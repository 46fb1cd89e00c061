// The one gate for secrets: every byte that leaves the engine for a client is built here, for one audience.
// Nothing is filtered in the browser; whatever is not put into a view cannot leak.
import type { ActionView, DealView, DraftView, GameView, LineView } from '../../shared/views.ts';
import { lineCounts } from './adjudication.ts';
import { channelsFor } from './channels.ts';
import { earlierCounts, recentMessages } from './chat-view.ts';
import { holds } from './conditions.ts';
import { canRead, meterVisible } from './meters.ts';
import { tierLockReason, tierOpen } from './tiers.ts';
import type { Audience, Deal, Draft, GameState, Line, MeterChange } from './types.ts';

export const roundLabel = (s: GameState, round: number): string => {
  if (round < 1) return 'Before the first round';
  const q = s.scenario.start.quarter - 1 + (round - 1);
  return `Q${(q % 4) + 1} ${s.scenario.start.year + Math.floor(q / 4)}`;
};

const isOver = (s: GameState) => s.phase === 'debrief' || s.phase === 'ended';

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

function lineView(s: GameState, a: Audience, l: Line, all: readonly Line[]): LineView {
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
    v.visibleTo = l.visibleTo;
    v.dependsOn = l.dependsOn;
  }
  return v;
}

function draftView(d: Draft): DraftView {
  return { overt: d.overt, covert: d.covert, freeform: d.freeform, locked: d.locked, updatedBy: d.updatedBy };
}

function dealVisible(a: Audience, d: Deal): boolean {
  if (a.kind === 'control') return true;
  if (a.kind === 'team' && d.parties.includes(a.team)) return true;
  // Proposals are private to their parties until accepted; secret deals stay with their parties for good.
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
    objectives: t.objectives.map((o) => ({ id: o.id, text: o.text, points: o.points })),
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
  'channels',
  'messages',
  'earlierMessages',
  'injects',
  'reveals',
  'pairs',
  'me',
  'control',
  'debrief',
];

/**
 * The parts of the state each section of a view is built from. When none of them changed (by reference: evolve
 * never mutates), the section cannot have changed, so the server neither rebuilds nor resends it.
 */
const DEPENDS: Record<Section, readonly (keyof GameState)[]> = {
  audience: [],
  game: ['phase', 'round', 'deadline', 'paused', 'options'],
  teams: ['players', 'drafts', 'phase'],
  meters: ['meters', 'history', 'phase'],
  tiers: ['meters', 'pairs'],
  actions: ['meters', 'pairs', 'phase'],
  deals: ['deals', 'dealOrder'],
  channels: ['scenario'],
  messages: ['messages'],
  earlierMessages: ['messages'],
  injects: ['injects', 'injectOrder', 'phase'],
  reveals: ['reveals', 'phase'],
  pairs: ['pairs', 'deals'],
  me: ['drafts', 'intel', 'players', 'adjudication', 'options'],
  control: ['drafts', 'adjudication', 'players', 'intel', 'taken', 'options'],
  debrief: ['phase', 'ending', 'meters', 'history', 'pairs', 'deals', 'taken', 'round'],
};

/** The sections whose inputs differ between two states of one game. */
export function changedSections(prev: GameState, next: GameState): Section[] {
  return SECTIONS.filter((sec) => DEPENDS[sec].some((k) => prev[k] !== next[k]));
}

interface Ctx {
  s: GameState;
  a: Audience;
  over: boolean;
  control: boolean;
  team: string | null;
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
    roundLabel: roundLabel(s, s.round),
    phase: s.phase,
    deadline: s.deadline,
    paused: s.paused,
    autoApprove: s.options.autoApprove,
    phases: s.options.phases,
    slots: s.scenario.rules.slots,
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
  tiers: ({ s }) =>
    s.scenario.rules.tiers.map((t) => ({
      tier: t.tier,
      name: t.name,
      open: tierOpen(s, t.tier),
      momentum: t.momentum,
      pairsBelow: t.pairsBelow,
    })),
  actions: ({ s, a, over, control, team }) =>
    s.scenario.actions
      .filter((x) => control || !x.covert || x.team === team)
      .map((x): ActionView => {
        const open = tierOpen(s, x.tier);
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
              ...(e.scaleBy ? { scaled: true } : {}),
            })),
          ...(x.precedent ? { precedent: x.precedent } : {}),
          open,
          lockReason: open ? null : tierLockReason(s, x.tier),
          ...(x.exposure && (control || x.team === team)
            ? { exposure: { chance: x.exposure.chance, window: x.exposure.window, cheating: x.exposure.cheating } }
            : {}),
        };
      }),
  deals: ({ s, a }) =>
    s.dealOrder
      .map((id) => s.deals[id])
      .filter((d) => dealVisible(a, d))
      .map((d) => dealView(s, d)),
  channels: ({ s, a }) => channelsFor(s, a),
  messages: ({ s, a }) => recentMessages(s, a),
  earlierMessages: ({ s, a }) => earlierCounts(s, a),
  injects: ({ s, a, control, team }) =>
    s.injectOrder.flatMap((id): GameView['injects'] => {
      const i = s.injects[id];
      if (!control && (i.status !== 'published' || !canRead(a, i.def.audience))) {
        // A team outside an inject's audience may still have been handed private intel with it.
        const intel = team && i.status === 'published' ? i.def.intel?.[team] : undefined;
        if (!intel) return [];
        return [
          {
            id,
            title: 'Intelligence report',
            text: intel,
            round: i.publishedRound,
            status: i.status,
            kind: 'intel',
            audience: [team],
            effects: [],
            intel,
          },
        ];
      }
      return [
        {
          id,
          title: i.def.title,
          text: i.def.text,
          round: i.publishedRound ?? i.def.round ?? null,
          status: i.status,
          kind: i.def.kind,
          audience: i.def.audience,
          effects: visibleChanges(
            s,
            a,
            i.status === 'published' ? i.effects : i.def.effects.map((e) => ({ meter: e.meter, delta: e.delta })),
          ),
          intel: control
            ? i.def.intel
              ? JSON.stringify(i.def.intel)
              : null
            : team
              ? (i.def.intel?.[team] ?? null)
              : null,
        },
      ];
    }),
  reveals: ({ s, a }) =>
    s.reveals.map((r) => ({
      round: r.round,
      at: r.at,
      lines: r.lines.filter((l) => canRead(a, l.visibleTo)).map((l) => lineView(s, a, l, r.lines)),
    })),
  pairs: ({ s, control, team }) =>
    s.pairs
      .filter((p) => control || (team && s.deals[p.dealId].parties.includes(team)) || !s.deals[p.dealId].secret)
      .map((p) => ({ round: p.round, dealId: p.dealId, tier: p.tier })),
  me: ({ s, a, team }) => {
    if (!team) return null;
    const t = s.scenario.teams.find((x) => x.id === team)!;
    const b = privateBriefing(s, team);
    return {
      team,
      variant: b.variant,
      privateBriefing: b.privateBriefing,
      objectives: b.objectives,
      factCards: t.factCards.map((f) => ({ id: f.id, title: f.title, text: f.text, source: f.source })),
      draft: draftView(s.drafts[team]),
      intel: s.intel
        .filter((r) => r.team === team)
        .map((r) => ({ round: r.round, text: r.text, meter: r.meter, estimate: r.estimate, noise: r.noise })),
      teammates: Object.values(s.players)
        .filter((p) => p.role === team)
        .map((p) => ({ id: p.id, name: p.name, seated: p.seated })),
      // A team's own free-form, and other teams' open ones, each with only this team's own estimate (no anchoring).
      estimating: s.adjudication
        ? s.adjudication.lines
            .filter((l) => l.freeform && (l.team === team || l.freeform.open))
            .map((l) => {
              const lv = lineView(s, a, l, s.adjudication!.lines);
              const own = l.freeform!.estimates[team];
              return { ...lv, freeform: { ...lv.freeform!, estimates: own === undefined ? {} : { [team]: own } } };
            })
        : [],
    };
  },
  control: ({ s, a, control }) => {
    if (!control) return null;
    const sc = s.scenario;
    return {
      drafts: Object.fromEntries(sc.teams.map((t) => [t.id, draftView(s.drafts[t.id])])),
      adjudication: s.adjudication
        ? {
            round: s.adjudication.round,
            lines: s.adjudication.lines.map((l) => lineView(s, a, l, s.adjudication!.lines)),
          }
        : null,
      players: Object.values(s.players).map((p) => ({
        id: p.id,
        name: p.name,
        role: p.role,
        seated: p.seated,
        joinedAt: p.joinedAt,
      })),
      briefings: Object.fromEntries(sc.teams.map((t) => [t.id, privateBriefing(s, t.id)])),
      intel: s.intel.map((r) => ({ round: r.round, team: r.team, text: r.text })),
      covertLog: covertLog(s),
      seed: s.options.seed,
    };
  },
  debrief: ({ s, over }) => {
    if (!over || !s.ending) return null;
    return {
      ending: s.ending,
      scores: s.scenario.teams.map((t) => {
        const objectives = t.objectives.map((o) => ({
          id: o.id,
          text: o.text,
          points: o.points,
          achieved: holds(o.condition, s),
        }));
        return {
          team: t.id,
          objectives,
          total: objectives.filter((o) => o.achieved).reduce((n, o) => n + o.points, 0),
          max: objectives.reduce((n, o) => n + o.points, 0),
        };
      }),
      covertLog: covertLog(s),
    };
  },
};

/** Some sections of an audience's view (all of them by default). */
export function viewSections(s: GameState, a: Audience, sections: Iterable<Section> = SECTIONS): Partial<GameView> {
  const c: Ctx = { s, a, over: isOver(s), control: a.kind === 'control', team: a.kind === 'team' ? a.team : null };
  const out: Partial<Record<Section, unknown>> = {};
  for (const sec of sections) out[sec] = BUILD[sec](c);
  return out as Partial<GameView>;
}

/** An audience's whole view of the game: the only way game state leaves the engine. */
export function viewFor(s: GameState, a: Audience): GameView {
  return viewSections(s, a) as GameView;
}
