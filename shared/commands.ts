// Every command a client may send, as zod schemas: the server parses with these at the edge, and the engine's
// types come from them. Sizes are bounded here so that no payload can grow the log without limit.
import { z } from 'zod';
import { Id, Effect, Visibility } from './scenario.ts';
import { lineOfText, visibleText } from './text.ts';

const EntityId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);

export const Freeform = z.strictObject({
  text: visibleText(1000),
  intent: visibleText(500),
  rationale: visibleText(1000),
  /** Matrix-game style: the argument is shown to every team at adjudication, and each may estimate its chance. */
  open: z.boolean().default(false),
});

export const PlayerCommand = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('chat.post'), channel: z.string().max(40), text: visibleText(2000) }),
  z.strictObject({
    type: z.literal('deal.propose'),
    to: z.array(Id).min(1).max(6),
    obligations: z
      .array(z.strictObject({ team: Id, action: Id, byRound: z.number().int().min(1).max(50) }))
      .min(1)
      .max(8),
    secret: z.boolean().default(false),
    snapback: z.boolean().default(false),
    // Empty when the proposer adds nothing; otherwise text a reader can see, as chat is.
    note: z.union([z.literal(''), visibleText(1000)]).default(''),
  }),
  z.strictObject({ type: z.literal('deal.accept'), dealId: EntityId }),
  z.strictObject({ type: z.literal('deal.reject'), dealId: EntityId }),
  z.strictObject({ type: z.literal('deal.withdraw'), dealId: EntityId }),
  z.strictObject({
    type: z.literal('draft.set'),
    overt: z.array(Id).max(6),
    covert: z.array(Id).max(4),
    freeform: Freeform.nullable().default(null),
    /**
     * The draft this edit was made from, when the sender may be out of date (an edit queued while offline): the edit
     * applies only if the team's draft is still that, so it never undoes a teammate's change made meanwhile.
     */
    base: z
      .strictObject({ overt: z.array(Id).max(6), covert: z.array(Id).max(4), freeform: Freeform.nullable() })
      .optional(),
  }),
  z.strictObject({ type: z.literal('draft.lock') }),
  z.strictObject({ type: z.literal('draft.unlock') }),
  z.strictObject({ type: z.literal('freeform.estimate'), lineId: EntityId, probability: z.number().min(0).max(1) }),
  z.strictObject({
    type: z.literal('form.answer'),
    formId: Id,
    round: z.number().int().min(0).max(50),
    answers: z.record(Id, z.union([z.number().int().min(1).max(5), visibleText(1000)])),
  }),
]);
export type PlayerCommand = z.infer<typeof PlayerCommand>;

/** Rapporteur notes, sent by observers and White Cell members alike. */
const NoteTargetKind = z.enum(['round', 'line', 'deal', 'inject', 'move']);
const NoteCommands = [
  z.strictObject({
    type: z.literal('note.add'),
    text: visibleText(2000),
    tags: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .regex(/^[a-z0-9][a-z0-9 -]{0,23}$/),
      )
      .max(8)
      .default([]),
    target: z.strictObject({ kind: NoteTargetKind, id: EntityId }).nullable().default(null),
    shared: z.boolean().default(false),
  }),
  z.strictObject({ type: z.literal('note.share'), noteId: EntityId }),
] as const;
export const ObserverCommand = z.discriminatedUnion('type', [...NoteCommands]);
export type ObserverCommand = z.infer<typeof ObserverCommand>;

const MeterDelta = z.strictObject({ meter: Id, delta: z.number().min(-100).max(100) });

export const ControlCommand = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('game.start') }),
  z.strictObject({ type: z.literal('phase.advance') }),
  z.strictObject({ type: z.literal('phase.extend'), seconds: z.number().int().min(-3600).max(3600) }),
  z.strictObject({ type: z.literal('game.pause') }),
  z.strictObject({ type: z.literal('game.resume') }),
  z.strictObject({ type: z.literal('game.end') }),
  /** Play on past an ending reached before the last round; the ending stays on the record. */
  z.strictObject({ type: z.literal('game.playOn') }),
  z.strictObject({ type: z.literal('inject.publish'), injectId: Id }),
  z.strictObject({ type: z.literal('inject.skip'), injectId: Id }),
  // Undoes a skip: the inject waits again (due now if its round has come).
  z.strictObject({ type: z.literal('inject.unskip'), injectId: Id }),
  z.strictObject({
    type: z.literal('inject.edit'),
    injectId: Id,
    title: visibleText(200).optional(),
    text: visibleText(4000).optional(),
    audience: Visibility.optional(),
    effects: z.array(Effect).max(10).optional(),
  }),
  z.strictObject({
    type: z.literal('inject.add'),
    title: visibleText(200),
    text: visibleText(4000),
    audience: Visibility,
    effects: z.array(Effect).max(10).default([]),
    publish: z.boolean().default(true),
  }),
  z.strictObject({
    type: z.literal('adjudication.amend'),
    lineId: EntityId,
    effects: z.array(MeterDelta).max(12).optional(),
    success: z.boolean().optional(),
    cancel: z.boolean().optional(),
    rationale: visibleText(2000),
  }),
  z.strictObject({
    type: z.literal('freeform.rule'),
    lineId: EntityId,
    chance: z.number().min(0).max(1),
    effects: z.array(MeterDelta).max(12),
    public: z.boolean().default(true),
    rationale: visibleText(2000),
  }),
  z.strictObject({ type: z.literal('adjudication.approve') }),
  ...NoteCommands,
  z.strictObject({
    type: z.literal('hotwash.record'),
    kind: z.enum(['strength', 'improvement', 'action']),
    text: visibleText(1000),
    owner: lineOfText(80).optional(),
    due: z.iso.date().optional(),
  }),
  z.strictObject({ type: z.literal('hotwash.remove'), itemId: EntityId }),
  z.strictObject({ type: z.literal('form.send'), formId: Id }),
  // The White Cell may post to any channel, including announcements.
  z.strictObject({ type: z.literal('chat.post'), channel: z.string().max(40), text: visibleText(2000) }),
]);
export type ControlCommand = z.infer<typeof ControlCommand>;

/** Sent by the server itself: a phase deadline has passed. A late or duplicate tick is a no-op. */
export const TickCommand = z.strictObject({ type: z.literal('tick') });

export const GameOptions = z.strictObject({
  rounds: z.number().int().min(1).max(20).optional(),
  phases: z
    .strictObject({
      briefing: z.number().int().min(0).max(86400).optional(),
      injects: z.number().int().min(0).max(86400).optional(),
      negotiation: z.number().int().min(0).max(86400).optional(),
      submission: z.number().int().min(0).max(86400).optional(),
      reveal: z.number().int().min(0).max(86400).optional(),
    })
    .optional(),
  seed: z.union([z.string().max(64), z.number().int()]).optional(),
  autoApprove: z.boolean().optional(),
  /** Chosen briefing variant per team, e.g. {"rok": "deterrence"}. */
  variants: z.record(Id, Id).optional(),
  title: lineOfText(120).optional(),
  /** One of the scenario's presets: its rounds and clocks, under any rounds or phases given here. */
  preset: Id.optional(),
});
export type GameOptions = z.infer<typeof GameOptions>;

export type PlayerCommandType = PlayerCommand['type'];
export type ControlCommandType = ControlCommand['type'];
export type CommandType = PlayerCommandType | ControlCommandType | 'tick';

/**
 * What a client may send: the schemas' input types, so defaults may be left out and a misspelt type fails to compile.
 */
export type PlayerCommandInput = z.input<typeof PlayerCommand>;
export type ControlCommandInput = z.input<typeof ControlCommand>;
export type ClientCommandInput = PlayerCommandInput | ControlCommandInput;

/** The command types each kind of seat may send, derived from the schemas so no list can fall out of step. */
export const PLAYER_COMMAND_TYPES: ReadonlySet<string> = new Set<PlayerCommandType>(
  PlayerCommand.options.map((o) => o.shape.type.value),
);
export const CONTROL_COMMAND_TYPES: ReadonlySet<string> = new Set<ControlCommandType>(
  ControlCommand.options.map((o) => o.shape.type.value),
);
/** Observers play no part, but keep rapporteur notes. */
export const OBSERVER_COMMAND_TYPES: ReadonlySet<string> = new Set<ObserverCommand['type']>(
  ObserverCommand.options.map((o) => o.shape.type.value),
);

/** Commands both kinds of seat send (chat). */
export type SharedCommand = Extract<PlayerCommand, ControlCommand>;
/** Commands only the White Cell sends. */
export type WhiteCellCommand = Exclude<ControlCommand, SharedCommand>;
/** Commands only a team sends. */
export type TeamCommand = Exclude<PlayerCommand, SharedCommand>;

const isShared = (type: string) => PLAYER_COMMAND_TYPES.has(type) && CONTROL_COMMAND_TYPES.has(type);
export const isWhiteCellCommand = (c: { type: string }): c is WhiteCellCommand =>
  CONTROL_COMMAND_TYPES.has(c.type) && !isShared(c.type);
export const isTeamCommand = (c: { type: string }): c is TeamCommand =>
  PLAYER_COMMAND_TYPES.has(c.type) && !isShared(c.type);
export const isSharedCommand = (c: { type: string }): c is SharedCommand => isShared(c.type);
