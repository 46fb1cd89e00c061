// The engine's domain: the state that the event log folds into, and the events themselves.
// Everything here is plain JSON (no Map, Set, Date or class), so
// that a state can be snapshotted and compared byte for byte.
import type { Scenario, Inject, Phases, Visibility } from '../../shared/scenario.ts';
import type { PlayerCommand, ControlCommand, GameOptions, ObserverCommand } from '../../shared/commands.ts';
import type { DiceScheme } from './dice.ts';
import type { NoteView } from '../../shared/views.ts';

export type TeamId = string;
export type { Phase, RoundPhase } from '../../shared/phases.ts';
export { ROUND_PHASES } from '../../shared/phases.ts';
import type { Phase, PausablePhase } from '../../shared/phases.ts';

/** Who a view is for. The White Cell sees everything; observers see the public record. */
export type Audience = { kind: 'team'; team: TeamId } | { kind: 'control' } | { kind: 'observer' };

/** Who sent a command, as established by the server from an authenticated seat. */
export type Actor =
  | { kind: 'team'; team: TeamId; playerId: string; name: string }
  | { kind: 'control'; playerId: string; name: string }
  | { kind: 'observer'; playerId: string; name: string }
  | { kind: 'system' };

export type Command = PlayerCommand | ControlCommand | ObserverCommand | { type: 'tick' } | SeatCommand;

/** Seats are managed by the server after it has checked a join code; the engine records them. */
export type SeatCommand =
  | {
      type: 'seat.take';
      playerId: string;
      name: string;
      role: TeamId | 'control' | 'observer';
      /** A bot plays the seat, with this strategy from the bot library (absent: a person). */
      bot?: string;
      /** A White Cell member plays this team's seat. */
      whiteCell?: boolean;
    }
  | { type: 'seat.leave'; playerId: string }
  /** The White Cell corrects a player's name, or moves them to another seat (their token follows them). */
  | { type: 'seat.rename'; playerId: string; name: string }
  | { type: 'seat.move'; playerId: string; role: TeamId | 'control' | 'observer' };

/** Everything decide needs beyond the state: who, when, and fresh ids, so that the engine itself stays pure. */
export interface Envelope<C = Command> {
  command: C;
  actor: Actor;
  now: number;
  ids: string[];
}

export interface MeterChange {
  meter: string;
  delta: number;
}

export interface Roll {
  /** Chance of success, 0..1. */
  chance: number;
  /** The die: uniform in [0, 1). Success when value < chance. */
  value: number;
  success: boolean;
  what: string;
}

export type LineVisibility = Visibility | 'control';

/** The kinds of line the engine writes; views add their own summary line ('other'). */
export type LineKind = Exclude<import('../../shared/views.ts').LineKind, 'other'>;

/** One line of an adjudication: what happens, why, with which roll. The White Cell may amend it before approving. */
export interface Line {
  id: string;
  kind: LineKind;
  team: TeamId | null;
  actionId: string | null;
  dealId: string | null;
  text: string;
  why: string;
  effects: MeterChange[];
  roll: Roll | null;
  /** Who reads this line at the reveal ('control': the White Cell alone, which reads all lines anyway). */
  visibleTo: LineVisibility;
  /** Effects that land at a later reveal (denuclearization is carried out, then verified). */
  later: { meter: string; delta: number; round: number }[];
  /** A line that only counts if another line does (snapback on an exposure roll or a break). */
  dependsOn: string | null;
  /** Deal bookkeeping this line carries out when approved. */
  deal: { status: DealStatus; fulfilled: { index: number; round: number }[]; breakers: TeamId[] } | null;
  cancelled: boolean;
  /** Rules v2: a pair line's bookkeeping (which tier, main wheel or which side track, which actions). */
  pair?: PairRecord;
  /** Rules v2: a relief step held up by a brake; it counts as taken in this round for deals. */
  heldTo?: number;
  /** Rules v2: exposed cheating closes this tier (and those above) until new pairs reopen it. */
  closeTier?: number;
  /**
   * An exposure line: the round of the covert move it rolls for, since a team may take the same covert action in
   * several rounds. Lines proposed before it was recorded have none, and expose that action's earliest live move.
   */
  moveRound?: number;
  amendments: { by: string; rationale: string; at: number }[];
  /** Free-form lines: the team's argument, each team's estimate, and the White Cell's ruling. */
  freeform: {
    text: string;
    intent: string;
    rationale: string;
    open: boolean;
    estimates: Record<TeamId, number>;
    ruled: boolean;
  } | null;
}

export interface Draft {
  overt: string[];
  covert: string[];
  freeform: { text: string; intent: string; rationale: string; open: boolean } | null;
  locked: boolean;
  updatedBy: string | null;
}

export interface Obligation {
  team: TeamId;
  action: string;
  byRound: number;
  fulfilledRound: number | null;
}

export type DealStatus = 'proposed' | 'accepted' | 'rejected' | 'withdrawn' | 'expired' | 'fulfilled' | 'broken';

export interface Deal {
  id: string;
  from: TeamId;
  to: TeamId[];
  parties: TeamId[];
  obligations: Obligation[];
  secret: boolean;
  snapback: boolean;
  /** Set once snapback has reversed this deal's relief. */
  snappedBack: boolean;
  note: string;
  status: DealStatus;
  acceptedBy: TeamId[];
  proposedRound: number;
  acceptedRound: number | null;
  settledRound: number | null;
  breakers: TeamId[];
  at: number;
}

export const MESSAGE_CHUNK = 128;

export interface Message {
  id: string;
  channel: string;
  from: TeamId | 'control';
  name: string;
  text: string;
  at: number;
  round: number;
}

export interface TakenAction {
  round: number;
  team: TeamId;
  actionId: string;
  covert: boolean;
  exposedRound: number | null;
  /** Rules v2: held up by a brake; fulfils obligations in this round instead. */
  heldTo?: number;
}

export interface PairRecord {
  round: number;
  dealId: string;
  tier: number;
  /** Turns the main wheel (rules v1: both sides were bound). */
  sides: boolean;
  /** Rules v2: the side track this pair belongs to, and the actions traded. */
  track?: string;
  actions?: string[];
}

export interface InjectState {
  def: Inject;
  status: 'scheduled' | 'pending' | 'published' | 'skipped';
  publishedRound: number | null;
  publishedAt: number | null;
  effects: MeterChange[];
  added: boolean;
}

export interface IntelReport {
  round: number;
  team: TeamId;
  text: string;
  meter: string | null;
  estimate: number | null;
  noise: number | null;
}

export interface DelayedEffect {
  dueRound: number;
  team: TeamId;
  actionId: string;
  meter: string;
  delta: number;
  visibleTo: LineVisibility;
}

export interface Reveal {
  round: number;
  lines: Line[];
  at: number;
}

export interface Player {
  id: string;
  name: string;
  role: TeamId | 'control' | 'observer';
  joinedAt: number;
  seated: boolean;
  /** Optional, so that games stored before bots existed load unchanged: the bot's strategy id, if a bot plays. */
  bot?: string;
  /** A White Cell member playing a team's seat, on the record as such. */
  whiteCell?: boolean;
}

/**
 * The shape of GameState, for snapshots: bump it with any change to the fields below, so that snapshots written by an
 * older engine are ignored and games are replayed from their logs instead.
 */
export const STATE_FORMAT = 4;

/** The rules new games are played under. Games created before rules were versioned have none: version 1. */
export const RULES_VERSION = 5;

export interface GameState {
  id: string;
  scenario: Scenario;
  options: {
    rounds: number;
    phases: Phases;
    autoApprove: boolean;
    variants: Record<TeamId, string>;
    seed: string;
    title: string;
    /** Absent in games created before secret seeds: those roll mulberry32 (see DiceScheme). */
    dice?: DiceScheme;
    /** sha256 of the seed, published to everyone from the start; the seed itself only at the debrief. */
    commitment?: string;
    /**
     * A seed chosen by hand is salted with a server secret (see diceCommitment), which also keys the line ids; both
     * stay hidden from every seat until the debrief. Absent for a seed the server drew, which needs none.
     */
    salt?: string;
    /**
     * The key of the line ids (server/engine/line-ids.ts): a server secret of its own, in no team's or observer's view
     * or export ever (the White Cell's export holds it, beside every line), so that the seed and salt revealed at the
     * debrief do not let a team place its lines among those it never read. Absent
     * in games created before it: their ids stay keyed by the salt or the seed, so their logs replay unchanged.
     */
    idKey?: string;
    /** Absent in games created under rules version 1. */
    rulesVersion?: number;
  };
  createdAt: number;
  /** The XState round machine's value and context, restored with machine.resolveState. */
  machine: { value: unknown; context: MachineContext };
  phase: Phase;
  round: number;
  deadline: number | null;
  /** While paused: the phase paused from and the time that was left on its clock. */
  paused: { from: Phase; remaining: number | null } | null;
  rng: number;
  meters: Record<string, number>;
  /** Meter values at each round end; index 0 is the start. */
  history: Record<string, number[]>;
  players: Record<string, Player>;
  drafts: Record<TeamId, Draft>;
  /** Locked submissions per round, hidden until the reveal. */
  submissions: Record<number, Record<TeamId, Draft>>;
  taken: TakenAction[];
  delayed: DelayedEffect[];
  deals: Record<string, Deal>;
  dealOrder: string[];
  /**
   * Chat keyed by channel, each channel in chunks of at most MESSAGE_CHUNK: appending copies one short chunk, not
   * the whole history, and a view reads its channels' latest lines without filtering everything ever said.
   */
  messages: Record<string, Message[][]>;
  injects: Record<string, InjectState>;
  injectOrder: string[];
  intel: IntelReport[];
  adjudication: { round: number; lines: Line[] } | null;
  reveals: Reveal[];
  pairs: PairRecord[];
  ending: EndingState | null;
  /** Rules v2: endings the White Cell chose to play on past, kept on the record. */
  pastEndings: EndingState[];
  /** Rules v2: tiers closed by exposed cheating, and when. */
  closures: { round: number; tier: number }[];
  endedAt: number | null;
  /**
   * Each audience's own version: how many times its view has changed (1 at the start; an absent key is 1). The
   * server marks the events that changed a view (`seen`), so these follow from the log alone, in every process,
   * and a seat's version says nothing about what it cannot see (docs/protocol.md, "Versions").
   */
  seqs?: Record<string, number>;
  /**
   * The record kept beside the play (fork link, rapporteur notes, hot wash). Absent until its first event, so that
   * games which never use it fold to exactly the state they always did.
   */
  record?: RecordState;
}

/** Added by the server to the last event of a command: the audiences (audienceKey) whose view it changed. */
export interface Seen {
  seen?: string[];
}

export interface EndingState {
  id: string;
  name: string;
  round: number;
  debrief: string;
  /** What the board says until the debrief, when it differs from the name. */
  headline?: string;
}

/**
 * A rapporteur's note: by an observer or a White Cell member, private to the author's audience until shared. Its
 * shape is the one the views show (who may read it is decided in views.ts).
 */
export type RapporteurNote = NoteView;
export type NoteTarget = NonNullable<NoteView['target']>;

/** One entry of the hot wash (after-action review and improvement plan), recorded by the White Cell. */
export interface HotwashItem {
  id: string;
  kind: 'strength' | 'improvement' | 'action';
  text: string;
  /** Corrective actions only: who owns it and by when (an ISO date, YYYY-MM-DD). */
  owner: string | null;
  due: string | null;
  by: string;
  at: number;
}

/** One player's answers to one feedback form, for one round (0 for the after-game and sent forms' own keys). */
export interface FormAnswer {
  formId: string;
  round: number;
  playerId: string;
  team: TeamId;
  name: string;
  answers: Record<string, number | string>;
  at: number;
}

export interface RecordState {
  forkedFrom: { gameId: string; round: number; version: number; at: number } | null;
  notes: RapporteurNote[];
  hotwash: HotwashItem[];
  /** Forms the White Cell sent by hand, and every answer (absent until the first). */
  sent?: { formId: string; round: number; at: number }[];
  answers?: FormAnswer[];
}

export interface MachineContext {
  round: number;
  rounds: number;
  pausedFrom: PausablePhase | null;
}

export type GameEvent =
  | { type: 'GameCreated'; gameId: string; scenario: Scenario; options: GameState['options']; rng: number; at: number }
  | { type: 'SeatTaken'; player: Player }
  | { type: 'SeatLeft'; playerId: string }
  | { type: 'PlayerRenamed'; playerId: string; from: string; name: string; at: number }
  | { type: 'PlayerReseated'; playerId: string; from: Player['role']; to: Player['role']; at: number }
  | {
      type: 'PhaseChanged';
      via: 'START' | 'ADVANCE' | 'FINISH' | 'CLOSE';
      phase: Phase;
      round: number;
      deadline: number | null;
      at: number;
    }
  | { type: 'Paused'; from: Phase; remaining: number | null; at: number }
  /** The White Cell moved the clock while the exercise was paused: the time left when it resumes. */
  | { type: 'PausedClockSet'; remaining: number; at: number }
  | { type: 'Resumed'; phase: Phase; deadline: number | null; at: number }
  | { type: 'DeadlineSet'; deadline: number | null; at: number }
  | { type: 'InjectsQueued'; round: number; injectIds: string[] }
  | { type: 'InjectPublished'; injectId: string; effects: MeterChange[]; at: number }
  | { type: 'InjectSkipped'; injectId: string; at: number }
  | { type: 'InjectUnskipped'; injectId: string; status: 'scheduled' | 'pending'; at: number }
  | { type: 'InjectEdited'; injectId: string; def: Inject; at: number }
  | { type: 'InjectAdded'; inject: Inject; at: number }
  | { type: 'IntelDelivered'; report: IntelReport; rng: number }
  | { type: 'MessagePosted'; message: Message }
  | { type: 'DealProposed'; deal: Deal }
  | { type: 'DealAccepted'; dealId: string; team: TeamId; at: number }
  | { type: 'DealRejected'; dealId: string; team: TeamId; at: number }
  | { type: 'DealWithdrawn'; dealId: string; at: number }
  | { type: 'DraftSet'; team: TeamId; overt: string[]; covert: string[]; freeform: Draft['freeform']; by: string }
  | { type: 'DraftLocked'; team: TeamId; by: string; at?: number }
  | { type: 'DraftUnlocked'; team: TeamId; by: string }
  | { type: 'AdjudicationProposed'; round: number; lines: Line[]; rng: number }
  | { type: 'LineAmended'; line: Line }
  /** The White Cell overruled an exposure: the proposal worked out again from the rolls as ruled. */
  | { type: 'AdjudicationRevised'; lines: Line[] }
  | { type: 'EstimateGiven'; lineId: string; team: TeamId; probability: number }
  | { type: 'FreeformRuled'; line: Line; rng: number }
  | { type: 'AdjudicationApproved'; round: number; by: string; at: number }
  | { type: 'GameEnded'; at: number }
  | { type: 'PlayedOn'; at: number; by: string }
  | {
      type: 'GameForked';
      parent: { gameId: string; round: number; version: number };
      /** The fork's own dice, from its new seed (the copied history ran on the parent's). */
      rng: number;
      /**
       * role -> how many pseudonyms of that role the parent had given ("us-3": 3), so that the fork's own players
       * are numbered after them (server/record/pseudonyms.ts). Absent in forks made before it was recorded.
       */
      labels?: Record<string, number>;
      at: number;
    }
  | { type: 'NoteAdded'; note: RapporteurNote }
  | { type: 'NoteShared'; noteId: string; at: number }
  | { type: 'HotwashRecorded'; item: HotwashItem }
  | { type: 'HotwashRemoved'; itemId: string; at: number }
  | { type: 'FormSent'; formId: string; round: number; at: number }
  | { type: 'FormAnswered'; answer: FormAnswer }
  /**
   * Written only by the operator's repair of a damaged log (scripts/repair-log.ts), never by decide: the events
   * between the last whole batch before the damage and the game's last snapshot no longer read, so this one event
   * stands for them, carrying the snapshot's state (taken at version `snapshotVersion` of the damaged log). Folding
   * it replaces the state, so the repaired log alone still replays the game. `at` is the time of the repair.
   */
  | { type: 'StateRestored'; state: GameState; snapshotVersion: number; at: number };

export type { Scenario, GameOptions };
