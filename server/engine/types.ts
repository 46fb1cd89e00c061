// The engine's domain: the state that the event log folds into, and the events themselves.
// Everything here is plain JSON (no Map, Set, Date or class), so that a state can be snapshotted and compared byte for byte.
import type { Scenario, Inject, Phases, Visibility } from '../../shared/scenario.ts';
import type { PlayerCommand, ControlCommand, GameOptions } from '../../shared/commands.ts';

export type TeamId = string;
export type Phase =
  | 'lobby'
  | 'briefing'
  | 'injects'
  | 'negotiation'
  | 'submission'
  | 'adjudication'
  | 'reveal'
  | 'paused'
  | 'debrief'
  | 'ended';
export const ROUND_PHASES = ['injects', 'negotiation', 'submission', 'adjudication', 'reveal'] as const;
export type RoundPhase = (typeof ROUND_PHASES)[number];

/** Who a view is for. The White Cell sees everything; observers see the public record. */
export type Audience = { kind: 'team'; team: TeamId } | { kind: 'control' } | { kind: 'observer' };

/** Who sent a command, as established by the server from an authenticated seat. */
export type Actor =
  | { kind: 'team'; team: TeamId; playerId: string; name: string }
  | { kind: 'control'; playerId: string; name: string }
  | { kind: 'observer'; playerId: string; name: string }
  | { kind: 'system' };

export type Command = PlayerCommand | ControlCommand | { type: 'tick' } | SeatCommand;

/** Seats are managed by the server after it has checked a join code; the engine records them. */
export type SeatCommand =
  | { type: 'seat.take'; playerId: string; name: string; role: TeamId | 'control' | 'observer' }
  | { type: 'seat.leave'; playerId: string };

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
  | 'freeform';

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
}

/**
 * The shape of GameState, for snapshots: bump it with any change to the fields below, so that snapshots written by an
 * older engine are ignored and games are replayed from their logs instead.
 */
export const STATE_FORMAT = 4;

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
  pairs: { round: number; dealId: string; tier: number; sides: boolean }[];
  ending: { id: string; name: string; round: number; debrief: string } | null;
  endedAt: number | null;
}

export interface MachineContext {
  round: number;
  rounds: number;
  pausedFrom: string | null;
}

export type GameEvent =
  | { type: 'GameCreated'; gameId: string; scenario: Scenario; options: GameState['options']; rng: number; at: number }
  | { type: 'SeatTaken'; player: Player }
  | { type: 'SeatLeft'; playerId: string }
  | {
      type: 'PhaseChanged';
      via: 'START' | 'ADVANCE' | 'FINISH' | 'CLOSE';
      phase: Phase;
      round: number;
      deadline: number | null;
      at: number;
    }
  | { type: 'Paused'; from: Phase; remaining: number | null; at: number }
  | { type: 'Resumed'; phase: Phase; deadline: number | null; at: number }
  | { type: 'DeadlineSet'; deadline: number | null; at: number }
  | { type: 'InjectsQueued'; round: number; injectIds: string[] }
  | { type: 'InjectPublished'; injectId: string; effects: MeterChange[]; at: number }
  | { type: 'InjectSkipped'; injectId: string; at: number }
  | { type: 'InjectEdited'; injectId: string; def: Inject; at: number }
  | { type: 'InjectAdded'; inject: Inject; at: number }
  | { type: 'IntelDelivered'; report: IntelReport; rng: number }
  | { type: 'MessagePosted'; message: Message }
  | { type: 'DealProposed'; deal: Deal }
  | { type: 'DealAccepted'; dealId: string; team: TeamId; at: number }
  | { type: 'DealRejected'; dealId: string; team: TeamId; at: number }
  | { type: 'DealWithdrawn'; dealId: string; at: number }
  | { type: 'DraftSet'; team: TeamId; overt: string[]; covert: string[]; freeform: Draft['freeform']; by: string }
  | { type: 'DraftLocked'; team: TeamId; by: string }
  | { type: 'DraftUnlocked'; team: TeamId; by: string }
  | { type: 'AdjudicationProposed'; round: number; lines: Line[]; rng: number }
  | { type: 'LineAmended'; line: Line }
  | { type: 'EstimateGiven'; lineId: string; team: TeamId; probability: number }
  | { type: 'FreeformRuled'; line: Line; rng: number }
  | { type: 'AdjudicationApproved'; round: number; by: string; at: number }
  | { type: 'GameEnded'; at: number };

export type { Scenario, GameOptions };
