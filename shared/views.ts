// What a client may ever see: the projection of a game for one audience. Produced only by the engine's viewFor.
export type AudienceKind = 'team' | 'control' | 'observer';

/** How many of each channel's latest lines a whole view carries; older ones come a page at a time on request. */
export const RECENT_MESSAGES = 12;
/** The most lines one page of older chat holds. */
export const MESSAGE_PAGE = 100;
export interface MeterChangeView {
  meter: string;
  delta: number;
}

export interface LineView {
  id: string;
  kind: string;
  team: string | null;
  actionId: string | null;
  dealId: string | null;
  text: string;
  why: string;
  effects: MeterChangeView[];
  later: { meter: string; delta: number; round: number }[];
  roll: { chance: number; value: number; success: boolean; what: string } | null;
  cancelled: boolean;
  counts: boolean;
  amendments: { by: string; rationale: string; at: number }[];
  freeform: {
    text: string;
    intent: string;
    rationale: string;
    open: boolean;
    estimates: Record<string, number>;
    ruled: boolean;
  } | null;
  visibleTo?: unknown;
  dependsOn?: string | null;
}

export interface ActionView {
  id: string;
  team: string;
  tier: number;
  covert: boolean;
  name: string;
  summary: string;
  relief: boolean;
  effects: { meter: string; delta: number; delay?: number; scaled?: boolean }[];
  precedent?: string;
  open: boolean;
  lockReason: string | null;
  exposure?: { chance: number; window: number; cheating: boolean };
}

export interface DealView {
  id: string;
  from: string;
  to: string[];
  parties: string[];
  secret: boolean;
  snapback: boolean;
  snappedBack: boolean;
  note: string;
  status: string;
  acceptedBy: string[];
  proposedRound: number;
  acceptedRound: number | null;
  settledRound: number | null;
  breakers: string[];
  obligations: { team: string; action: string; actionName: string; byRound: number; fulfilledRound: number | null }[];
}

export interface DraftView {
  overt: string[];
  covert: string[];
  freeform: { text: string; intent: string; rationale: string; open: boolean } | null;
  locked: boolean;
  updatedBy: string | null;
}

export interface GameView {
  audience: { kind: AudienceKind; team?: string };
  game: {
    id: string;
    title: string;
    scenarioId: string;
    scenarioTitle: string;
    summary: string;
    source: { title: string; url?: string; author?: string; date?: string };
    notes: string[];
    rounds: number;
    round: number;
    roundLabel: string;
    phase: string;
    deadline: number | null;
    paused: { from: string; remaining: number | null } | null;
    autoApprove: boolean;
    phases: Record<string, number>;
    /** How many actions of each kind a team may submit in a round. */
    slots: { overt: number; covert: number; freeform: number };
  };
  teams: {
    id: string;
    name: string;
    short: string;
    color: string;
    publicBriefing: string;
    players: number;
    submitted: boolean | null;
  }[];
  meters: {
    id: string;
    name: string;
    description: string;
    value: number;
    history: number[];
    public: boolean;
    source?: { title: string; url?: string };
  }[];
  tiers: { tier: number; name: string; open: boolean; momentum: number; pairsBelow: number }[];
  actions: ActionView[];
  deals: DealView[];
  channels: { id: string; name: string; members: string[]; canPost: boolean }[];
  /** The latest lines of each readable channel (older ones on request: see `history` in docs/protocol.md). */
  messages: { id: string; channel: string; from: string; name: string; text: string; at: number; round: number }[];
  /**
   * Per readable channel, how many older lines `messages` leaves out. Set in whole views only: patches add new lines
   * to the end, and a client that fetches an older page lowers its own count.
   */
  earlierMessages: Record<string, number>;
  injects: {
    id: string;
    title: string;
    text: string;
    round: number | null;
    status: string;
    kind: string;
    audience: unknown;
    effects: MeterChangeView[];
    intel: string | null;
  }[];
  reveals: { round: number; at: number; lines: LineView[] }[];
  pairs: { round: number; dealId: string; tier: number }[];
  /** The seated team's own material (absent for control and observers). */
  me: null | {
    team: string;
    variant: string | null;
    privateBriefing: { situation: string; redLines: string[]; wants: string[] };
    objectives: { id: string; text: string; points: number }[];
    factCards: { id: string; title: string; text: string; source: { title: string; url?: string } }[];
    draft: DraftView;
    intel: { round: number; text: string; meter: string | null; estimate: number | null; noise: number | null }[];
    teammates: { id: string; name: string; seated: boolean }[];
    /** Free-form lines on which the team may state an estimate during adjudication. */
    estimating: LineView[];
  };
  /** Only for the White Cell. */
  control: null | {
    drafts: Record<string, DraftView>;
    adjudication: { round: number; lines: LineView[] } | null;
    players: { id: string; name: string; role: string; seated: boolean; joinedAt: number }[];
    briefings: Record<
      string,
      {
        privateBriefing: { situation: string; redLines: string[]; wants: string[] };
        objectives: { id: string; text: string; points: number }[];
        variant: string | null;
      }
    >;
    intel: { round: number; team: string; text: string }[];
    covertLog: { round: number; team: string; actionId: string; name: string; exposedRound: number | null }[];
    seed: string;
  };
  debrief: null | {
    ending: { id: string; name: string; round: number; debrief: string };
    scores: {
      team: string;
      total: number;
      max: number;
      objectives: { id: string; text: string; points: number; achieved: boolean }[];
    }[];
    covertLog: { round: number; team: string; actionId: string; name: string; exposedRound: number | null }[];
  };
}
