// The scenario format: everything an exercise needs, as data. The engine plays any file that parses here.
// JSON Schema for editors is generated from these zod schemas (scripts/scenario-schema.ts).
import { z } from 'zod';

export const Id = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,47}$/, 'ids are lower-case letters, digits, "-" or "_", starting with a letter');

const Comparison = {
  gte: z.number().optional(),
  lte: z.number().optional(),
  gt: z.number().optional(),
  lt: z.number().optional(),
};

/**
 * A structured condition: never a string to evaluate. `rounds`
 * asks that a meter test held at each of the last N round ends.
 */
export type Condition =
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition }
  | { meter: string; gte?: number; lte?: number; gt?: number; lt?: number; rounds?: number }
  | { round: { gte?: number; lte?: number; gt?: number; lt?: number } }
  | { pairs: { gte: number; tier?: number } }
  | { dealsBroken: { gte: number; team?: string } }
  | { exposed: { gte: number; team?: string } };

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.strictObject({ all: z.array(Condition).min(1) }),
    z.strictObject({ any: z.array(Condition).min(1) }),
    z.strictObject({ not: Condition }),
    z.strictObject({ meter: Id, ...Comparison, rounds: z.number().int().min(1).optional() }),
    z.strictObject({ round: z.strictObject(Comparison) }),
    z.strictObject({
      pairs: z.strictObject({ gte: z.number().int().min(0), tier: z.number().int().min(0).optional() }),
    }),
    z.strictObject({ dealsBroken: z.strictObject({ gte: z.number().int().min(0), team: Id.optional() }) }),
    z.strictObject({ exposed: z.strictObject({ gte: z.number().int().min(0), team: Id.optional() }) }),
  ]),
);

/**
 * A change to one meter. `scaleBy` multiplies the delta by (1 - value(meter)/100 * factor): how relief counts for less
 * while China already supplies. `delay` defers it by whole rounds (denuclearization takes time to carry out and
 * verify).
 */
export const Effect = z.strictObject({
  meter: Id,
  delta: z.number().min(-100).max(100),
  scaleBy: z.strictObject({ meter: Id, factor: z.number().min(0).max(1) }).optional(),
  delay: z.number().int().min(0).max(4).optional(),
});
export type Effect = z.infer<typeof Effect>;

export const Source = z.strictObject({
  title: z.string().min(1),
  url: z.string().optional(),
  note: z.string().optional(),
});

export const FactCard = z.strictObject({ id: Id, title: z.string().min(1), text: z.string().min(1), source: Source });

export const PrivateBriefing = z.strictObject({
  situation: z.string().min(1),
  redLines: z.array(z.string().min(1)),
  wants: z.array(z.string().min(1)),
});

export const Objective = z.strictObject({
  id: Id,
  text: z.string().min(1),
  condition: Condition,
  points: z.number().int().min(1).max(100),
});

export const Team = z.strictObject({
  id: Id,
  name: z.string().min(1),
  short: z.string().min(1).max(8),
  color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
  publicBriefing: z.string().min(1),
  privateBriefing: PrivateBriefing,
  /** Alternative private briefings, one chosen when the game is created (e.g. South Korea's two governments). */
  variants: z
    .array(
      z.strictObject({
        id: Id,
        name: z.string().min(1),
        privateBriefing: PrivateBriefing,
        /** A government with its own aims scores its own objectives, in place of the team's. */
        objectives: z.array(Objective).optional(),
      }),
    )
    .optional(),
  objectives: z.array(Objective),
  factCards: z.array(FactCard),
});

export const Visibility = z.union([z.literal('all'), z.array(Id).min(1)]);

export const Meter = z.strictObject({
  id: Id,
  name: z.string().min(1),
  description: z.string().min(1),
  start: z.number().min(0).max(100),
  /** 'all', or the teams (besides the White Cell, which sees everything) allowed to see it. */
  visibleTo: Visibility,
  source: Source.optional(),
});

export const Exposure = z.strictObject({
  /** Chance (0-1) of exposure at each reveal while the action is live. */
  chance: z.number().min(0).max(1),
  /** Added chance per point of a meter, e.g. verification access or US intelligence focus. */
  modifiers: z.array(z.strictObject({ meter: Id, per: z.number().min(-0.05).max(0.05) })).default([]),
  /** Number of reveals (starting with its own) at which it can be exposed. */
  window: z.number().int().min(1).max(8).default(3),
  /** What exposure costs. */
  effects: z.array(Effect).default([]),
  /** Exposed cheating fires snapback on relief that this team received under a deal. */
  cheating: z.boolean().default(false),
});

export const Action = z.strictObject({
  id: Id,
  team: Id,
  tier: z.number().int().min(0).max(3),
  covert: z.boolean().default(false),
  name: z.string().min(1),
  /** What everybody reads at the reveal (for covert actions: only the actor and the White Cell, unless exposed). */
  summary: z.string().min(1),
  effects: z.array(Effect).min(1),
  /**
   * Relief actions may carry a snapback clause in a deal: reversed
   * automatically if the deal breaks or cheating is exposed.
   */
  relief: z.boolean().default(false),
  exposure: Exposure.optional(),
  /** Precedent this action is modelled on, shown on its card. */
  precedent: z.string().optional(),
  /**
   * What kind of step this is (e.g. inducement, restraint, denuclearization, provocation). The rules' `wheel` says
   * which categories make a pair that turns the main wheel; other categories never do.
   */
  category: Id.optional(),
  /** A one-off step (a freeze, a declaration, a delisting) can be taken once; others lose effect when repeated. */
  once: z.boolean().optional(),
  /** A side-track action: gated by its track's own meter, not by the main tiers. */
  track: Id.optional(),
  /** Holds up the first relief step this team takes in the same round by one round (Japan's alliance brake). */
  holds: Id.optional(),
});

export const Inject = z.strictObject({
  id: Id,
  kind: z.enum(['scheduled', 'contingency']),
  /** Round in which a scheduled inject is due. */
  round: z.number().int().min(1).optional(),
  title: z.string().min(1),
  text: z.string().min(1),
  audience: Visibility,
  effects: z.array(Effect).default([]),
  /** Private intelligence for individual teams, delivered with the inject. */
  intel: z.record(Id, z.string().min(1)).optional(),
  source: Source.optional(),
});

export const Ending = z.strictObject({
  id: Id,
  name: z.string().min(1),
  condition: Condition,
  debrief: z.string().min(1),
  /** What the board says until the debrief, when it differs (a hollow deal looks like a breakthrough). */
  headline: z.string().min(1).optional(),
  /** Before this round the ending does not end the game; its crisis inject is queued for the next round instead. */
  notBefore: z.number().int().min(1).optional(),
  crisisInject: Id.optional(),
});

export const Tier = z.strictObject({
  tier: z.number().int().min(0).max(3),
  name: z.string().min(1),
  /** Momentum needed for this tier to be open. */
  momentum: z.number().min(0).max(100),
  /** Completed reciprocal pairs at the tier below that are also needed. */
  pairsBelow: z.number().int().min(0),
});

export const Intel = z.strictObject({
  team: Id,
  meter: Id,
  /** Half-width of the uniform noise on the estimate, before tightening. */
  noise: z.number().min(0).max(100),
  tighten: z.array(z.strictObject({ meter: Id, per: z.number().min(0).max(1) })).default([]),
  minNoise: z.number().min(0).max(100).default(2),
});

/** A parallel track (inter-Korean, Japan–DPRK, China–DPRK): its own meter, its own gates, its own smaller pairs. */
export const Track = z.strictObject({
  id: Id,
  name: z.string().min(1),
  sides: z.tuple([Id, Id]),
  meter: Id,
  /** Value of the track's meter at which its tier 0..3 actions open. */
  open: z.array(z.number().min(0).max(100)).length(4),
  /** What a fulfilled deal between the two sides of the track does. */
  pair: z.array(Effect).min(1),
});

/** The main wheel: which pairs turn it, and what scales, wears and erodes it. */
export const Wheel = z.strictObject({
  /** Categories the first side gives (inducements) and the second side gives back (restraint, denuclearization). */
  give: z.array(Id).min(1),
  take: z.array(Id).min(1),
  /** A pair's momentum is multiplied by (1 - value(meter)/100 * factor): China's engagement dulls the wheel. */
  scaleBy: z.strictObject({ meter: Id, factor: z.number().min(0).max(1) }).optional(),
  /** A repeatable action (and a pair reusing a step) is worth this much more each earlier time: 0.5 halves it. */
  repeatFactor: z.number().min(0).max(1),
  /** Main pairs completed after exposed cheating that reopen the tier it closed. */
  reopenPairs: z.number().int().min(0),
  /** A round in which the second side takes no step costs `meter` this much per 10 points of unguarded relief. */
  erosion: z.strictObject({ meter: Id, per: z.number().min(0).max(20), relief: Id }).optional(),
});

export const Rules = z.strictObject({
  momentumMeter: Id,
  trustMeter: Id,
  /** The two sides whose pairs turn the wheel (US and DPRK in the Flywheel exercise). */
  sides: z.tuple([Id, Id]),
  /** Momentum added by a completed pair, indexed by the pair's highest tier. */
  pairMomentum: z.array(z.number()).length(4),
  pairTrust: z.number(),
  /** Arming snapback multiplies the trust a pair earns by this. */
  snapbackTrustFactor: z.number().min(0).max(1),
  breakMomentum: z.number(),
  breakTrust: z.number(),
  /** Both sides' matched actions must fall within this many rounds for a pair to count. */
  pairWindow: z.number().int().min(1),
  friction: z.number().min(0),
  frictionHalvedAt: z.number().min(0).max(100),
  tiers: z.array(Tier).length(4),
  slots: z.strictObject({
    overt: z.number().int().min(0).max(5),
    covert: z.number().int().min(0).max(3),
    freeform: z.number().int().min(0).max(2),
  }),
  intel: z.array(Intel).default([]),
  wheel: Wheel.optional(),
  tracks: z.array(Track).optional(),
});

/** Weights by meter id, for a bot's judgement of an action (botWeights). */
const MeterWeights = z.record(Id, z.number().min(-10).max(10));

export const Phases = z.strictObject({
  briefing: z.number().int().min(0),
  injects: z.number().int().min(0),
  negotiation: z.number().int().min(0),
  submission: z.number().int().min(0),
  reveal: z.number().int().min(0),
});
export type Phases = z.infer<typeof Phases>;

const BotLine = z.string().trim().min(1).max(300);
/**
 * What a bot playing a team may say in public, in character: one short statement a round, picked by what every seat
 * can see (a public deal it made this round, a public deal another party broke with it, or neither). Optional:
 * without lines a bot plays in silence.
 */
export const BotLines = z.strictObject({
  opening: z.array(BotLine).max(20).default([]),
  agreed: z.array(BotLine).max(20).default([]),
  refused: z.array(BotLine).max(20).default([]),
});
export type BotLines = z.infer<typeof BotLines>;
/** A feedback question: a 1–5 Likert scale (with its two end labels), one choice among options, or free text. */
export const Question = z.strictObject({
  id: Id,
  text: z.string().min(1).max(300),
  kind: z.enum(['likert', 'choice', 'text']),
  /** Choice: the options. Likert: the labels of 1 and 5 (default "Not at all", "Completely"). */
  options: z.array(z.string().min(1).max(120)).max(8).optional(),
});
export type Question = z.infer<typeof Question>;

/** A short questionnaire: after each round, after the game, or when the White Cell sends it. */
export const Form = z.strictObject({
  id: Id,
  title: z.string().min(1).max(120),
  when: z.enum(['round', 'game', 'manual']),
  questions: z.array(Question).min(1).max(12),
});
export type Form = z.infer<typeof Form>;

export const Scenario = z.strictObject({
  $schema: z.string().optional(),
  id: Id,
  title: z.string().min(1),
  summary: z.string().min(1),
  source: Source.extend({
    author: z.string().optional(),
    publisher: z.string().optional(),
    date: z.string().optional(),
  }),
  /** Notes for everyone (players included). */
  notes: z.array(z.string()).default([]),
  /** Designer's and facilitator's notes: the White Cell's eyes only. */
  designNotes: z.array(z.string()).optional(),
  /** Named settings a facilitator can start from: rounds and clocks that fit a session. */
  presets: z
    .array(
      z.strictObject({
        id: Id,
        name: z.string().min(1),
        rounds: z.number().int().min(1).max(20),
        phases: Phases,
        minutes: z.number().int().min(1).optional(),
      }),
    )
    .optional(),
  /**
   * When the first round falls. With a quarter, each round is a quarter; with a month, a month; with the year alone,
   * a year. Give this or `roundName`.
   */
  start: z
    .strictObject({
      year: z.number().int(),
      quarter: z.number().int().min(1).max(4).optional(),
      month: z.number().int().min(1).max(12).optional(),
    })
    .optional(),
  /** Rounds named by number instead of by date, for an exercise without a calendar: "Turn {n}", "Day {n}". */
  roundName: z.string().min(1).max(40).regex(/\{n\}/, 'must hold "{n}", where the round\'s number goes').optional(),
  rounds: z.number().int().min(1).max(20),
  /** Seconds per phase; 0 means the phase waits for the White Cell. */
  phases: Phases,
  teams: z.array(Team).min(2).max(8),
  meters: z.array(Meter).min(1),
  rules: Rules,
  actions: z.array(Action).min(1),
  injects: z.array(Inject),
  endings: z.array(Ending),
  /** Debrief text when time runs out with no other ending. */
  timeout: z.strictObject({ name: z.string().min(1), debrief: z.string().min(1) }),
  /** Public statements per team id for bot-played seats. */
  botLines: z.record(Id, BotLines).optional(),
  /**
   * How bots weigh what an action does, meter by meter (points of weight per point of the meter). Without it, a bot
   * values only the momentum meter: it plays legal moves, but knows nothing else of the exercise.
   */
  botWeights: z
    .strictObject({
      /** What helps the negotiation along: the cooperative bot's choice, and what any bot looks for in a partner. */
      cooperation: MeterWeights,
      /** What a hard line plays for: the hawkish bot's choice. Without it, the opposite of `cooperation`. */
      pressure: MeterWeights.optional(),
      /** What a team gains for itself alone: what the pocketing bot plays for. Without it, nothing. */
      gain: MeterWeights.optional(),
    })
    .optional(),
  /** Feedback forms for the players (see docs/export.md); none by default. */
  forms: z.array(Form).default([]),
});

export type Scenario = z.infer<typeof Scenario>;
export type ScenarioInput = z.input<typeof Scenario>;
export type Team = z.infer<typeof Team>;
export type Meter = z.infer<typeof Meter>;
export type Action = z.infer<typeof Action>;
export type Inject = z.infer<typeof Inject>;
export type Ending = z.infer<typeof Ending>;
export type Rules = z.infer<typeof Rules>;
export type Visibility = z.infer<typeof Visibility>;
export type Track = z.infer<typeof Track>;
export type Wheel = z.infer<typeof Wheel>;
