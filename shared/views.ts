// What a client may ever see: the projection of a game for one audience. Produced only by the engine's viewFor.
export type AudienceKind = 'team' | 'control' | 'observer';
/** The kinds of line on an adjudication; 'other' is the sum of moves an audience cannot see (docs/rules.md). */
export type LineKind =
  | 'action'
  | 'covert'
  | 'exposure'
  | 'delayed'
  | 'deal'
  | 'pair'
  | 'break'
  | 'snapback'
  | 'friction'
  | 'freeform'
  | 'closure'
  | 'erosion'
  /** A view's own summary of meter moves by lines its audience cannot read. */
  | 'other';
export type DealStatus = 'proposed' | 'accepted' | 'rejected' | 'withdrawn' | 'expired' | 'fulfilled' | 'broken';
export type InjectStatus = 'scheduled' | 'pending' | 'published' | 'skipped';
export type InjectKind = 'scheduled' | 'contingency' | 'intel';
import type { Phase } from './phases.ts';
export type { Phase };
/** The dice, as everyone sees them: see docs/rules.md, "Provable dice". */
export interface DiceView {
  scheme: 'mulberry32' | 'hmac-sha256';
  /** sha256 (hex) of the seed (salted when it was chosen), published when the game is created. */
  commitment: string;
  /** The creator chose the seed (anyone who knows it can predict every roll). */
  chosen: boolean;
  /** The seed, once the game is over; null before. */
  seed: string | null;
  /** A chosen seed's salt, revealed with it (the commitment is sha256 of "salt:seed"); null before, or with none. */
  salt: string | null;
}

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
  kind: LineKind;
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
  /** `scaled`: the delta shrinks as another meter rises (`scaledBy`, that meter, when the audience sees it). */
  effects: { meter: string; delta: number; delay?: number; scaled?: boolean; scaledBy?: string }[];
  precedent?: string;
  open: boolean;
  lockReason: string | null;
  /**
   * `chance` is the one the dice use at the next reveal; `partial` when it also depends on meters this team cannot
   * see (then `chance` counts only the ones it can).
   */
  exposure?: { chance: number; window: number; cheating: boolean; partial?: boolean };
}

/** What of an action changes during a game: whether it may be taken now, and its chance of exposure. */
export interface ActionState {
  id: string;
  open: boolean;
  /** Absent while the action is open. */
  lockReason?: string;
  exposure?: { chance: number; partial?: boolean };
}

type MeterView = GameView['meters'][number];
/** What of a meter changes during a game; its name and description are in the catalogue. */
export type MeterState = Pick<MeterView, 'id' | 'value' | 'history'>;
export type MeterStatic = Omit<MeterView, 'value' | 'history'>;

/**
 * The part of an action that never changes during a game (for one audience, until the debrief shows every meter):
 * fetched once through the `catalogue` request and joined to each view's `actions` (ActionState) by the client.
 */
export type ActionStatic = Omit<ActionView, 'open' | 'lockReason' | 'exposure'> & {
  exposure?: { window: number; cheating: boolean };
};

/**
 * An audience's catalogue: the static part of the actions and meters it may see, named by its scenario and a hash
 * of its content.
 */
export interface Catalogue {
  scenarioId: string;
  hash: string;
  actions: ActionStatic[];
  meters: MeterStatic[];
}
export type CatalogueRef = Pick<Catalogue, 'scenarioId' | 'hash'>;

/** How many of the latest rounds' reveals a whole view carries in full; older ones come on request. */
export const RECENT_REVEALS = 1;
/** The most reveals one answer to a `reveals` request holds. */
export const REVEAL_PAGE = 20;

export interface RevealView {
  round: number;
  at: number;
  lines: LineView[];
}

/**
 * A round's reveal that a whole view leaves out: enough for a list of rounds. `final` is set once the game is over
 * (the reveal then tells every meter), so that a client drops the copy it fetched before.
 */
export interface RevealSummary {
  round: number;
  at: number;
  lines: number;
  final: boolean;
}

export interface InjectView {
  id: string;
  title: string;
  text: string;
  round: number | null;
  status: InjectStatus;
  kind: InjectKind;
  audience: unknown;
  effects: MeterChangeView[];
  intel: string | null;
}

/**
 * A deal or inject of an earlier round that a whole view leaves out, named with a hash of its view as the audience
 * reads it: a client keeps the copy it fetched while the hash stays the same (a deal snapped back later, or an
 * inject whose hidden effects the debrief shows, gets a new one). See `archive` in docs/protocol.md.
 */
export interface ArchivedRef {
  id: string;
  /** Its place in the audience's whole list, so that a client puts it back where it belongs. */
  index: number;
  hash: string;
}
/** The most entries one answer to an `archive` request holds. */
export const ARCHIVE_PAGE = 100;

export interface DealView {
  id: string;
  from: string;
  to: string[];
  parties: string[];
  secret: boolean;
  snapback: boolean;
  snappedBack: boolean;
  note: string;
  status: DealStatus;
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
  /** Set once submissions have closed on a draft its team had not locked: it was taken as it stood. */
  taken?: true;
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
    phase: Phase;
    deadline: number | null;
    paused: { from: Phase; remaining: number | null } | null;
    autoApprove: boolean;
    /** The ending reached, as the board names it until the debrief; null while play goes on. */
    ending: { name: string; round: number } | null;
    phases: Record<string, number>;
    /** How many actions of each kind a team may submit in a round. */
    slots: { overt: number; covert: number; freeform: number };
    dice: DiceView;
  };
  teams: {
    id: string;
    name: string;
    short: string;
    color: string;
    publicBriefing: string;
    players: number;
    /** A bot plays this team (who else is at the table is shown to everyone). */
    bot: boolean;
    /** A White Cell member plays this team. */
    whiteCell: boolean;
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
  /** `meter` is the scenario's momentum meter (where the audience sees it): a tier opens when it reaches `momentum`. */
  tiers: { tier: number; name: string; open: boolean; meter?: string; momentum: number; pairsBelow: number }[];
  actions: ActionView[];
  /**
   * Deals this audience may read, in the order they were proposed. Whole views and patches leave out those settled
   * before this round: `earlierDeals` names them.
   */
  deals: DealView[];
  /** The settled deals of earlier rounds that `deals` leaves out, with the hash of each one's view; empty where whole. */
  earlierDeals: ArchivedRef[];
  channels: { id: string; name: string; members: string[]; canPost: boolean }[];
  /** The latest lines of each readable channel (older ones on request: see `history` in docs/protocol.md). */
  messages: { id: string; channel: string; from: string; name: string; text: string; at: number; round: number }[];
  /**
   * Per readable channel, how many older lines `messages` leaves out. Set in whole views only: patches add new lines
   * to the end, and a client that fetches an older page lowers its own count.
   */
  earlierMessages: Record<string, number>;
  /**
   * Injects this audience may read. Whole views and patches leave out those published or skipped before this round:
   * `earlierInjects` names them.
   */
  injects: InjectView[];
  /** The injects of earlier rounds that `injects` leaves out, with the hash of each one's view; empty where whole. */
  earlierInjects: ArchivedRef[];
  /** Each round's reveal, oldest first. Whole views and patches carry the latest only; `earlierReveals` the rest. */
  reveals: RevealView[];
  /**
   * The reveals `reveals` leaves out, oldest first (see `reveals` in docs/protocol.md); empty where every reveal is
   * in `reveals` (the record, the replay, the export).
   */
  earlierReveals: RevealSummary[];
  /**
   * The catalogue the static part of `actions` comes from, on the wire (where `actions` holds ActionState only);
   * null where `actions` is whole.
   */
  catalogue: CatalogueRef | null;
  /**
   * On the wire only (null in the whole projection, where `me.draft` holds it): the seated team's draft, apart from
   * the rest of `me`, so that an edit sends the draft and not the team's briefing again.
   */
  draft: DraftView | null;
  /** On the wire only, for the White Cell (null elsewhere; `control.drafts` in the whole projection): every draft. */
  drafts: Record<string, DraftView> | null;
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
    teammates: { id: string; name: string; seated: boolean; bot: boolean; whiteCell: boolean }[];
    /** Free-form lines on which the team may state an estimate during adjudication. */
    estimating: LineView[];
  };
  /** Only for the White Cell. */
  control: null | {
    drafts: Record<string, DraftView>;
    adjudication: { round: number; lines: LineView[] } | null;
    players: {
      id: string;
      name: string;
      role: string;
      seated: boolean;
      joinedAt: number;
      /** The bot's strategy id, for a bot seat. */
      bot: string | null;
      whiteCell: boolean;
    }[];
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
    /** Null until the game is over when the seed is a server secret. */
    seed: string | null;
    /** The designer's and facilitator's notes: never in a player's or observer's view. */
    designNotes: string[];
    /** Endings the White Cell played on past. */
    pastEndings: { id: string; name: string; round: number; debrief: string }[];
  };
  debrief: null | {
    ending: { id: string; name: string; round: number; debrief: string };
    /** Endings reached before this one, which the White Cell chose to play on past, in the order reached. */
    pastEndings: { name: string; round: number }[];
    scores: {
      team: string;
      total: number;
      max: number;
      objectives: { id: string; text: string; points: number; achieved: boolean }[];
    }[];
    /** Effects still under way when the game ended (a step verified a round later): the scores count them as landed. */
    underWay: { meter: string; delta: number }[];
    covertLog: { round: number; team: string; actionId: string; name: string; exposedRound: number | null }[];
    dice: DiceView;
  };
  /** The record kept beside the play: the fork link, rapporteur notes this audience may read, and the hot wash. */
  record: {
    /** The game and round this one was forked from; the parent's log position (`version`) for the White Cell only. */
    forkedFrom: { gameId: string; round: number; version?: number; at: number } | null;
    notes: NoteView[];
    /** The hot wash: for the White Cell always, for everyone else once the exercise is over. */
    hotwash: HotwashView[] | null;
    /** Feedback forms open now (see server/engine/forms.ts). */
    forms: FormView[];
    /** The forms the White Cell may send at any time (empty for everyone else). */
    sendable: { id: string; title: string }[];
  };
}

/**
 * A view as it travels: `actions` and `meters` hold only what changes (the client joins them to the catalogue), and
 * the record names each form's questions once. What the server's projection builds for a whole view or patch, and
 * what a client holds before joining.
 */
export type WireView = Omit<GameView, 'actions' | 'meters' | 'me' | 'control' | 'record'> & {
  actions: ActionState[];
  meters: MeterState[];
  /** `me` without its draft, which travels in `draft`. */
  me: Omit<NonNullable<GameView['me']>, 'draft'> | null;
  /** `control` without the drafts, which travel in `drafts`. */
  control: Omit<NonNullable<GameView['control']>, 'drafts'> | null;
  /**
   * The record with each form's round, answers and results only, and the title and questions of the forms it holds
   * in `templates`, once per form however many rounds it asks about.
   */
  record: Omit<GameView['record'], 'forms'> & { forms: FormState[]; templates: FormStatic[] };
};

export interface FormView {
  id: string;
  title: string;
  when: 'round' | 'game' | 'manual';
  round: number;
  questions: { id: string; text: string; kind: 'likert' | 'choice' | 'text'; options?: string[] }[];
  /** Who has answered: every player for the White Cell, the team's own players for a team. */
  answeredBy: string[];
  /** How many players have answered (the White Cell's live count); null for others. */
  responses: number | null;
  /** Aggregates per question: for the White Cell always, for everyone once the exercise is over. */
  results: FormResult[] | null;
  /** Each answer, for the White Cell only. */
  answers:
    | { playerId: string; team: string; name: string; at: number; answers: Record<string, number | string> }[]
    | null;
}

/** What of a form is the same in every round it asks about: in the wire record's `templates`. */
export type FormStatic = Pick<FormView, 'id' | 'title' | 'when' | 'questions'>;
/** What of a form travels in a view: which round it asks about, who has answered, and the results. */
export type FormState = Omit<FormView, 'title' | 'when' | 'questions'>;

export interface FormResult {
  question: string;
  n: number;
  /** Likert: the mean, and how many chose 1..5. */
  mean?: number;
  scale?: number[];
  /** Choice: how many chose each option. */
  counts?: Record<string, number>;
  /** Text: the answers themselves (White Cell only). */
  texts?: string[];
  /** Too few answers to show how they split without telling whose they are (to all but the White Cell). */
  withheld?: true;
}

export interface NoteView {
  id: string;
  authorId: string;
  author: string;
  role: 'control' | 'observer';
  at: number;
  round: number;
  text: string;
  tags: string[];
  target: { kind: 'round' | 'line' | 'deal' | 'inject' | 'move'; id: string } | null;
  shared: boolean;
}

export interface HotwashView {
  id: string;
  kind: 'strength' | 'improvement' | 'action';
  text: string;
  owner: string | null;
  due: string | null;
  by: string;
  at: number;
}
