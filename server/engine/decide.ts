// decide: checks a command against the state and the rules, and returns the events it causes, or a DomainError.
// Pure: time, ids and the acting seat come in the envelope; dice come from the state's generator.
import type { Scenario } from '../../shared/scenario.ts';
import {
  type ControlCommand,
  type GameOptions,
  isSharedCommand,
  isWhiteCellCommand,
  type SharedCommand,
  type TeamCommand,
  type WhiteCellCommand,
} from '../../shared/commands.ts';
import { actionById, proposeAdjudication } from './adjudication.ts';
import { diceCommitment, diceOf, seedState } from './dice.ts';
import { fail, seatChanged, type DomainError } from './errors.ts';
import { own } from './own.ts';
import { evolve } from './evolve.ts';
import { channelsFor } from './channels.ts';
import { meterName, resolveEffect, sumChanges } from './meters.ts';
import { assertNever } from '../../shared/assert-never.ts';
import { endsEarly, isRoundPhase } from '../../shared/phases.ts';
import { sameName } from '../../shared/format.ts';
import { peek } from './machine.ts';
import { actionLockReason, actionOpen } from './tiers.ts';
import { RULES_VERSION } from './types.ts';
import type { Actor, Draft, Envelope, GameEvent, GameState, Line, Phase, SeatCommand } from './types.ts';
import { rulesV2, spentOnce } from './wheel.ts';
import { badAnswers, openForms, scenarioForms } from './forms.ts';
import { noteTargetsSeen } from './views.ts';

type NoteCommand = Extract<ControlCommand, { type: 'note.add' | 'note.share' }>;

export type Decision = GameEvent[] | DomainError;

/**
 * The first event of every game: the whole scenario and the seed, so that the log alone replays the game.
 * `secret` is the seed the server drew for a game whose creator chose none: its dice are then unpredictable (see
 * DiceScheme), and only its commitment is shown until the debrief.
 */
export function createGame(
  gameId: string,
  scenario: Scenario,
  options: GameOptions,
  now: number,
  secret?: string,
  idKey?: string,
): Decision {
  for (const [team, variant] of Object.entries(options.variants ?? {})) {
    const t = scenario.teams.find((x) => x.id === team);
    if (!t) return fail('BAD_OPTIONS', `No team "${team}" in this scenario`);
    if (!t.variants?.some((v) => v.id === variant))
      return fail('BAD_OPTIONS', `Team "${team}" has no briefing variant "${variant}"`);
  }
  const preset = options.preset ? scenario.presets?.find((p) => p.id === options.preset) : undefined;
  if (options.preset && !preset) return fail('BAD_OPTIONS', `This scenario has no preset "${options.preset}"`);
  const seed = String(options.seed ?? secret ?? gameId);
  const salt = options.seed !== undefined && secret !== undefined ? secret : undefined;
  // A seed chosen through the server (which brings a secret, the salt) rolls the same keyed dice as one it draws:
  // mulberry32's whole state is 32 bits, which one public roll gives away however long the seed. Only a game made
  // without a server secret (the engine's own tests, the simulator) keeps mulberry32.
  const scheme = secret === undefined ? 'mulberry32' : 'hmac-sha256';
  return [
    {
      type: 'GameCreated',
      gameId,
      scenario,
      at: now,
      rng: scheme === 'mulberry32' ? seedState(seed) : 0,
      options: {
        rounds: options.rounds ?? preset?.rounds ?? scenario.rounds,
        phases: {
          ...scenario.phases,
          ...preset?.phases,
          ...Object.fromEntries(Object.entries(options.phases ?? {}).filter(([, v]) => v !== undefined)),
        },
        autoApprove: options.autoApprove ?? false,
        variants: Object.fromEntries(
          scenario.teams
            .filter((t) => t.variants?.length)
            .map((t) => [t.id, options.variants?.[t.id] ?? t.variants![0].id]),
        ),
        seed,
        title: options.title ?? scenario.title,
        dice: scheme,
        commitment: diceCommitment(seed, salt),
        ...(salt !== undefined ? { salt } : {}),
        ...(idKey !== undefined ? { idKey } : {}),
        rulesVersion: RULES_VERSION,
      },
    },
  ];
}

/** Accumulates events while keeping a working state, so that later steps of one command see earlier ones. */
class Outcome {
  events: GameEvent[] = [];
  constructor(public state: GameState) {}
  add(...events: GameEvent[]) {
    for (const e of events) {
      this.events.push(e);
      this.state = evolve(this.state, e);
    }
    return this;
  }
}

type ClockedPhase = keyof GameState['options']['phases'];
/** Whether an ending was reached before the last round: the exercise may end there, or play on. */
const endedEarly = (s: GameState): boolean => endsEarly({ ending: s.ending, round: s.round, rounds: s.options.rounds });
/**
 * A phase's deadline from its clock; phases without a clock (adjudication, debrief) or with 0 seconds have none, and
 * neither has a reveal at which an ending was reached before the last round: whether the exercise ends there or plays
 * on is the White Cell's call, not the clock's. A game whose outcomes are approved automatically is one nobody
 * attends (a bots' game, a seminar cell left to run): its clock still ends it there, as before.
 */
const deadlineFor = (s: GameState, phase: Phase, now: number): number | null => {
  if (phase === 'reveal' && endedEarly(s) && !s.options.autoApprove) return null;
  const secs = phase in s.options.phases ? s.options.phases[phase as ClockedPhase] : 0;
  return secs > 0 ? now + secs * 1000 : null;
};

/**
 * Leaves the current phase for the one the round machine says comes next, with what happens on the way out and on
 * the way in. `by` names who approved the outcome when an adjudication is left.
 */
function advance(o: Outcome, now: number, by: string): void {
  const s = o.state;
  // An ending reached before the last round closes the exercise early; otherwise the machine's ADVANCE decides.
  const via = s.phase === 'reveal' && endedEarly(s) ? 'FINISH' : 'ADVANCE';
  const next = peek(s.machine, via);
  if (!next) return;
  leave(o, s.phase, by, now);
  o.add({
    type: 'PhaseChanged',
    via,
    phase: next.phase,
    round: next.round,
    deadline: deadlineFor(o.state, next.phase, now),
    at: now,
  });
  enter(o, next.phase, now);
}

function leave(o: Outcome, phase: Phase, by: string, now: number): void {
  const s = o.state;
  switch (phase) {
    case 'injects':
      // Whatever the White Cell left waiting goes out before negotiation opens.
      for (const id of s.injectOrder) if (s.injects[id].status === 'pending') publish(o, id, now);
      return;
    case 'adjudication':
      o.add({ type: 'AdjudicationApproved', round: s.round, by, at: now });
      return;
  }
}

function enter(o: Outcome, phase: Phase, now: number): void {
  switch (phase) {
    case 'injects':
      enterRound(o, now);
      return;
    case 'adjudication': {
      const { lines, rng } = proposeAdjudication(o.state, o.state.drafts, o.state.rng);
      o.add({ type: 'AdjudicationProposed', round: o.state.round, lines, rng });
      if (o.state.options.autoApprove) advance(o, now, 'auto');
      return;
    }
  }
}

/** A new round: its scheduled injects wait for the White Cell, and each team's intelligence report is drawn. */
function enterRound(o: Outcome, _now: number) {
  const s = o.state;
  const due = s.injectOrder.filter(
    (id) =>
      s.injects[id].status === 'scheduled' &&
      s.injects[id].def.kind === 'scheduled' &&
      s.injects[id].def.round === s.round,
  );
  if (due.length) o.add({ type: 'InjectsQueued', round: s.round, injectIds: due });
  for (const spec of s.scenario.rules.intel) {
    const dice = diceOf(o.state.options, o.state.rng);
    const noise = Math.max(
      spec.minNoise,
      spec.noise - spec.tighten.reduce((sum, t) => sum + (o.state.meters[t.meter] ?? 0) * t.per, 0),
    );
    const truth = o.state.meters[spec.meter] ?? 0;
    const estimate = Math.max(0, Math.min(100, Math.round(truth + (dice.next() * 2 - 1) * noise)));
    const name = meterName(s, spec.meter);
    o.add({
      type: 'IntelDelivered',
      rng: dice.state,
      report: {
        round: s.round,
        team: spec.team,
        meter: spec.meter,
        estimate,
        noise: Math.round(noise),
        text: `Estimate of ${name}: ${estimate} (± ${Math.round(noise)})`,
      },
    });
  }
}

function publish(o: Outcome, injectId: string, now: number) {
  const i = o.state.injects[injectId];
  o.add({
    type: 'InjectPublished',
    injectId,
    effects: sumChanges(i.def.effects.map((e) => resolveEffect(o.state, e))),
    at: now,
  });
}

const isSeat = (c: { type: string }): c is SeatCommand => c.type.startsWith('seat.');

/**
 * A player the game holds no longer in the seat they act from: moved to another, or signed out (their seat left).
 * The server closes such a player's sockets when it moves or removes them, but a socket on another process can
 * miss that word (its Redis subscription down at the time): the game itself refuses it. A player the game does not
 * hold yet is let through: a new player's seat is recorded just after their socket connects.
 */
export function actorGone(s: GameState, actor: Actor): boolean {
  return actor.kind !== 'system' && playerGone(s, actor.playerId, actor.kind === 'team' ? actor.team : actor.kind);
}

/** actorGone for a player and the role (a team id, 'control' or 'observer') they act in. */
export function playerGone(s: GameState, playerId: string, role: string): boolean {
  const p = own(s.players, playerId);
  return !!p && (!p.seated || p.role !== role);
}

export function decide(s: GameState, env: Envelope): Decision {
  const { command: c, actor, now } = env;
  const o = new Outcome(s);
  if (c.type === 'tick') {
    if (actor.kind !== 'system') return fail('NOT_ALLOWED', 'Only the server keeps time');
    if (s.paused || s.deadline === null || now < s.deadline) return [];
    advance(o, now, 'control');
    return o.events;
  }
  if (isSeat(c)) {
    if (actor.kind !== 'system') return fail('NOT_ALLOWED', 'Seats are given by the server');
    return decideSeat(s, c, now);
  }
  if (actorGone(s, actor)) return seatChanged();
  if (s.phase === 'ended') return fail('GAME_OVER', 'This exercise has ended');
  // Rapporteur notes come from observers and the White Cell alike: decided before the White Cell's own commands.
  if (c.type === 'note.add' || c.type === 'note.share') return decideNote(s, c, actor, env);
  if (isWhiteCellCommand(c)) {
    if (actor.kind !== 'control') return fail('NOT_ALLOWED', 'Only the White Cell can do that');
    return decideControl(o, c, actor, env);
  }
  if (isSharedCommand(c)) return decideChat(s, c, actor, env);
  if (actor.kind !== 'team')
    return fail(
      'NOT_ALLOWED',
      actor.kind === 'control' ? 'The White Cell does not play a team' : 'Observers cannot act',
    );
  if (s.paused) return fail('PAUSED', 'The exercise is paused');
  return decidePlayer(o, c, actor, env);
}

/** Another seated player of this seat already goes by this name (compared as join compares it). */
const nameTaken = (s: GameState, role: string, name: string, except: string) =>
  Object.values(s.players).some((p) => p.id !== except && p.seated && p.role === role && sameName(p.name, name));

function decideSeat(s: GameState, c: SeatCommand, now: number): Decision {
  if (c.type === 'seat.leave') {
    if (!own(s.players, c.playerId)) return fail('UNKNOWN_PLAYER', 'No such player');
    return [{ type: 'SeatLeft', playerId: c.playerId }];
  }
  if (c.type === 'seat.rename') {
    const p = own(s.players, c.playerId);
    if (!p) return fail('UNKNOWN_PLAYER', 'No such player');
    const name = c.name.trim();
    if (!name || name.length > 40) return fail('BAD_NAME', 'A name has 1 to 40 characters');
    if (name === p.name) return [];
    if (nameTaken(s, p.role, name, p.id)) return fail('NAME_TAKEN', 'Another player of this seat has that name');
    return [{ type: 'PlayerRenamed', playerId: p.id, from: p.name, name, at: now }];
  }
  if (c.type === 'seat.move') {
    const p = own(s.players, c.playerId);
    if (!p) return fail('UNKNOWN_PLAYER', 'No such player');
    if (c.role !== 'control' && c.role !== 'observer' && !s.scenario.teams.some((t) => t.id === c.role))
      return fail('UNKNOWN_TEAM', 'No such team');
    if (p.bot) return fail('NOT_ALLOWED', 'A bot is seated with the bot controls, not moved');
    if (c.role === p.role) return [];
    if (nameTaken(s, c.role, p.name, p.id)) return fail('NAME_TAKEN', 'A player of that seat already has this name');
    return [{ type: 'PlayerReseated', playerId: p.id, from: p.role, to: c.role, at: now }];
  }
  if (c.role !== 'control' && c.role !== 'observer' && !s.scenario.teams.some((t) => t.id === c.role))
    return fail('UNKNOWN_TEAM', 'No such team');
  const team = c.role !== 'control' && c.role !== 'observer';
  if (!team && (c.bot || c.whiteCell)) return fail('NOT_ALLOWED', 'Only a team seat is played for someone else');
  return [
    {
      type: 'SeatTaken',
      player: {
        id: c.playerId,
        name: c.name,
        role: c.role,
        joinedAt: now,
        seated: true,
        ...(c.bot ? { bot: c.bot } : {}),
        ...(c.whiteCell ? { whiteCell: true } : {}),
      },
    },
  ];
}

function decideChat(s: GameState, c: SharedCommand, actor: Actor, env: Envelope): Decision {
  if (actor.kind === 'system' || actor.kind === 'observer')
    return fail('NOT_ALLOWED', 'Observers read; they do not post');
  const audience =
    actor.kind === 'control' ? { kind: 'control' as const } : { kind: 'team' as const, team: actor.team };
  const channel = channelsFor(s, audience).find((ch) => ch.id === c.channel);
  if (!channel?.canPost) return fail('UNKNOWN_CHANNEL', 'No such channel for you');
  return [
    {
      type: 'MessagePosted',
      message: {
        id: env.ids[0],
        channel: c.channel,
        from: actor.kind === 'control' ? 'control' : actor.team,
        name: actor.name,
        text: c.text,
        at: env.now,
        round: s.round,
      },
    },
  ];
}

function decideControl(
  o: Outcome,
  c: WhiteCellCommand,
  actor: Extract<Actor, { kind: 'control' }>,
  env: Envelope,
): Decision {
  const s = o.state;
  const now = env.now;
  switch (c.type) {
    case 'game.start':
      if (s.phase !== 'lobby') return fail('WRONG_PHASE', 'The exercise has already started');
      o.add({
        type: 'PhaseChanged',
        via: 'START',
        phase: 'briefing',
        round: 0,
        deadline: deadlineFor(s, 'briefing', now),
        at: now,
      });
      return o.events;
    case 'phase.advance':
      if (s.paused) return fail('PAUSED', 'Resume the exercise first');
      if (!peek(s.machine, 'ADVANCE')) return fail('WRONG_PHASE', `Nothing to advance to from ${s.phase}`);
      advance(o, now, 'control');
      return o.events;
    case 'phase.extend': {
      // Paused, the clock keeps what was left: a facilitator who stops the room to talk may give it more time.
      if (s.paused) {
        if (s.paused.remaining === null) return fail('NO_DEADLINE', 'This phase has no clock');
        return [{ type: 'PausedClockSet', remaining: Math.max(0, s.paused.remaining + c.seconds * 1000), at: now }];
      }
      if (s.deadline === null) return fail('NO_DEADLINE', 'This phase has no clock');
      return [{ type: 'DeadlineSet', deadline: Math.max(now, s.deadline + c.seconds * 1000), at: now }];
    }
    case 'game.pause':
      if (s.paused) return fail('PAUSED', 'Already paused');
      if (!peek(s.machine, 'PAUSE')) return fail('WRONG_PHASE', `Cannot pause in ${s.phase}`);
      return [
        {
          type: 'Paused',
          from: s.phase,
          remaining: s.deadline === null ? null : Math.max(0, s.deadline - now),
          at: now,
        },
      ];
    case 'game.resume':
      if (!s.paused) return fail('NOT_PAUSED', 'The exercise is not paused');
      return [
        {
          type: 'Resumed',
          phase: s.paused.from,
          deadline: s.paused.remaining === null ? null : now + s.paused.remaining,
          at: now,
        },
      ];
    case 'game.end':
      if (s.phase === 'debrief') {
        o.add({ type: 'PhaseChanged', via: 'CLOSE', phase: 'ended', round: s.round, deadline: null, at: now });
        return o.events;
      }
      if (s.phase === 'lobby') return fail('WRONG_PHASE', 'The exercise has not started');
      o.add({ type: 'GameEnded', at: now });
      o.add({ type: 'PhaseChanged', via: 'FINISH', phase: 'debrief', round: s.round, deadline: null, at: now });
      return o.events;
    case 'game.playOn':
      // The White Cell may play on past an ending reached before the last round; it stays on the record.
      if (!rulesV2(s)) return fail('NOT_ALLOWED', 'Games under the first rules cannot play on');
      if (s.phase !== 'reveal' || !s.ending || s.ending.id === 'stopped')
        return fail('WRONG_PHASE', 'Play on from the reveal at which an ending was reached');
      if (s.round >= s.options.rounds) return fail('WRONG_PHASE', 'This was the last round');
      return [{ type: 'PlayedOn', at: now, by: actor.name }];
    case 'inject.publish': {
      const i = own(s.injects, c.injectId);
      if (!i) return fail('UNKNOWN_INJECT', 'No such inject');
      if (i.status === 'published' || i.status === 'skipped')
        return fail('INJECT_CLOSED', `That inject was already ${i.status}`);
      if (!isRoundPhase(s.phase) && s.phase !== 'paused')
        return fail('WRONG_PHASE', 'Injects are published during rounds');
      publish(o, c.injectId, now);
      return o.events;
    }
    case 'inject.skip': {
      const i = own(s.injects, c.injectId);
      if (!i) return fail('UNKNOWN_INJECT', 'No such inject');
      if (i.status === 'published' || i.status === 'skipped')
        return fail('INJECT_CLOSED', `That inject was already ${i.status}`);
      return [{ type: 'InjectSkipped', injectId: c.injectId, at: now }];
    }
    case 'inject.unskip': {
      const i = own(s.injects, c.injectId);
      if (!i) return fail('UNKNOWN_INJECT', 'No such inject');
      if (i.status !== 'skipped') return fail('INJECT_CLOSED', 'Only a skipped inject can be restored');
      const due = i.def.round !== undefined && i.def.round !== null && i.def.round <= s.round && s.round >= 1;
      return [{ type: 'InjectUnskipped', injectId: c.injectId, status: due ? 'pending' : 'scheduled', at: now }];
    }
    case 'inject.edit': {
      const i = own(s.injects, c.injectId);
      if (!i) return fail('UNKNOWN_INJECT', 'No such inject');
      if (i.status === 'published' || i.status === 'skipped')
        return fail('INJECT_CLOSED', `That inject was already ${i.status}`);
      const bad = badRefs(
        s,
        c.audience,
        c.effects?.map((e) => e.meter),
      );
      if (bad) return bad;
      const def = {
        ...i.def,
        ...(c.title && { title: c.title }),
        ...(c.text && { text: c.text }),
        ...(c.audience && { audience: c.audience }),
        ...(c.effects && { effects: c.effects }),
      };
      return [{ type: 'InjectEdited', injectId: c.injectId, def, at: now }];
    }
    case 'inject.add': {
      const bad = badRefs(
        s,
        c.audience,
        c.effects.map((e) => e.meter),
      );
      if (bad) return bad;
      if (!isRoundPhase(s.phase) && s.phase !== 'paused' && c.publish)
        return fail('WRONG_PHASE', 'Injects are published during rounds');
      const id = `new-${env.ids[0].toLowerCase()}`;
      o.add({
        type: 'InjectAdded',
        inject: { id, kind: 'contingency', title: c.title, text: c.text, audience: c.audience, effects: c.effects },
        at: now,
      });
      if (c.publish) publish(o, id, now);
      return o.events;
    }
    case 'adjudication.amend': {
      const l = s.adjudication?.lines.find((x) => x.id === c.lineId);
      if (!s.adjudication || s.phase !== 'adjudication')
        return fail('NO_ADJUDICATION', 'There is no adjudication under way');
      if (!l) return fail('UNKNOWN_LINE', 'No such line');
      const bad = badRefs(
        s,
        undefined,
        c.effects?.map((e) => e.meter),
      );
      if (bad) return bad;
      if (c.success !== undefined && !l.roll) return fail('UNKNOWN_LINE', 'That line has no roll to overrule');
      const amended: Line = {
        ...l,
        effects: c.effects ?? l.effects,
        roll: c.success !== undefined && l.roll ? { ...l.roll, success: c.success } : l.roll,
        cancelled: c.cancel ?? l.cancelled,
        amendments: [...l.amendments, { by: actor.name, rationale: c.rationale, at: now }],
      };
      if (l.kind === 'exposure') {
        // What follows from an exposure (deals voided, snapback, a tier closed) follows the ruling, not the dice; so
        // do its text and who reads it, which the revised proposal gives from the roll as ruled.
        const ruled = s.adjudication.lines.map((x) => (x.id === l.id ? amended : x));
        const { lines } = proposeAdjudication(s, s.submissions[s.round] ?? {}, s.rng, ruled);
        return [{ type: 'AdjudicationRevised', lines }];
      }
      return [{ type: 'LineAmended', line: amended }];
    }
    case 'freeform.rule': {
      if (!s.adjudication || s.phase !== 'adjudication')
        return fail('NO_ADJUDICATION', 'There is no adjudication under way');
      const l = s.adjudication.lines.find((x) => x.id === c.lineId);
      if (!l?.freeform) return fail('UNKNOWN_LINE', 'No such free-form line');
      const bad = badRefs(
        s,
        undefined,
        c.effects.map((e) => e.meter),
      );
      if (bad) return bad;
      const dice = diceOf(s.options, s.rng);
      const value = dice.next();
      const success = value < c.chance;
      const line: Line = {
        ...l,
        effects: c.effects,
        visibleTo: c.public ? 'all' : [l.team!],
        roll: { chance: c.chance, value, success, what: 'success of the free-form action' },
        why: c.rationale,
        freeform: { ...l.freeform, ruled: true },
        amendments: [...l.amendments, { by: actor.name, rationale: c.rationale, at: now }],
      };
      return [{ type: 'FreeformRuled', line, rng: dice.state }];
    }
    case 'adjudication.approve':
      if (s.phase !== 'adjudication' || !s.adjudication)
        return fail('NO_ADJUDICATION', 'There is no adjudication under way');
      advance(o, now, actor.name);
      return o.events;
    case 'hotwash.record':
      if (c.kind === 'action' && (!c.owner || !c.due))
        return fail('BAD_HOTWASH', 'A corrective action needs an owner and a due date');
      return [
        {
          type: 'HotwashRecorded',
          item: {
            id: env.ids[0],
            kind: c.kind,
            text: c.text,
            owner: c.kind === 'action' ? c.owner! : null,
            due: c.kind === 'action' ? c.due! : null,
            by: actor.name,
            at: now,
          },
        },
      ];
    case 'hotwash.remove':
      if (!s.record?.hotwash.some((x) => x.id === c.itemId)) return fail('UNKNOWN_ITEM', 'No such hot-wash entry');
      return [{ type: 'HotwashRemoved', itemId: c.itemId, at: now }];
    case 'form.send': {
      const form = scenarioForms(s).find((f) => f.id === c.formId);
      if (!form) return fail('UNKNOWN_FORM', 'No such form');
      if (openForms(s).some((o) => o.form.id === form.id && o.round === s.round))
        return fail('FORM_OPEN', 'That form is already open for this round');
      return [{ type: 'FormSent', formId: form.id, round: s.round, at: now }];
    }
    case 'note.add':
    case 'note.share':
      return decideNote(s, c, actor, env);
    default:
      return assertNever(c, 'command');
  }
}

/** Rapporteur notes: observers and the White Cell note what they see, on what their own audience can see. */
function decideNote(s: GameState, c: NoteCommand, actor: Actor, env: Envelope): Decision {
  if (actor.kind !== 'control' && actor.kind !== 'observer')
    return fail('NOT_ALLOWED', 'Notes are kept by observers and the White Cell');
  if (c.type === 'note.share') {
    const n = s.record?.notes.find((x) => x.id === c.noteId);
    // Someone else's private note answers like a note that does not exist.
    if (!n || (n.authorId !== actor.playerId && actor.kind !== 'control')) return fail('UNKNOWN_NOTE', 'No such note');
    if (n.shared) return fail('ALREADY_SHARED', 'That note is already shared');
    return [{ type: 'NoteShared', noteId: n.id, at: env.now }];
  }
  if (c.target && !noteTargetsSeen(s, { kind: actor.kind })(c.target))
    return fail('UNKNOWN_TARGET', `No such ${c.target.kind} for you`);
  return [
    {
      type: 'NoteAdded',
      note: {
        id: env.ids[0],
        authorId: actor.playerId,
        author: actor.name,
        role: actor.kind,
        at: env.now,
        round: s.round,
        text: c.text,
        tags: [...new Set(c.tags)],
        target: c.target,
        shared: c.shared,
      },
    },
  ];
}

function badRefs(s: GameState, audience: unknown, meters: string[] | undefined): DomainError | null {
  if (Array.isArray(audience))
    for (const t of audience)
      if (!s.scenario.teams.some((x) => x.id === t)) return fail('UNKNOWN_TEAM', `No team "${t}"`);
  for (const m of meters ?? [])
    if (!s.scenario.meters.some((x) => x.id === m)) return fail('UNKNOWN_METER', `No meter "${m}"`);
  return null;
}

/** Two drafts hold the same moves (in the same order, as the draft keeps them) and the same free-form move. */
const sameDraft = (a: Pick<Draft, 'overt' | 'covert' | 'freeform'>, b: Pick<Draft, 'overt' | 'covert' | 'freeform'>) =>
  JSON.stringify([a.overt, a.covert, a.freeform]) === JSON.stringify([b.overt, b.covert, b.freeform]);

/**
 * How many of a team's proposals may wait for answers at once. Each one asks something of other teams (a bot answers
 * it before it drafts), so a team that sends them by the dozen floods its partners' consoles without saying more.
 */
export const MAX_OPEN_PROPOSALS = 10;

/** A team's proposals still waiting for an answer. Proposals lapse when their round ends, so only this round's count. */
function openProposals(s: GameState, team: string): number {
  let open = 0;
  for (let i = s.dealOrder.length - 1; i >= 0; i--) {
    const deal = s.deals[s.dealOrder[i]];
    if (deal.proposedRound !== s.round) break;
    if (deal.from === team && deal.status === 'proposed') open++;
  }
  return open;
}

function decidePlayer(o: Outcome, c: TeamCommand, actor: Extract<Actor, { kind: 'team' }>, env: Envelope): Decision {
  const s = o.state;
  const team = actor.team;
  const now = env.now;
  const negotiating = s.phase === 'negotiation' || s.phase === 'submission';
  switch (c.type) {
    case 'draft.set': {
      if (!negotiating) return fail('WRONG_PHASE', 'Moves are drafted during negotiation and submission');
      if (s.drafts[team].locked) return fail('DRAFT_LOCKED', 'Your submission is locked; unlock it first');
      if (c.base && !sameDraft(c.base, s.drafts[team]))
        return fail('DRAFT_CHANGED', 'A teammate changed the draft meanwhile, so your edit was not applied: check it');
      const slots = s.scenario.rules.slots;
      if (c.overt.length > slots.overt || c.covert.length > slots.covert)
        return fail('TOO_MANY_ACTIONS', `At most ${slots.overt} overt and ${slots.covert} covert actions a round`);
      if (c.freeform && slots.freeform < 1)
        return fail('FREEFORM_NOT_ALLOWED', 'This scenario has no free-form actions');
      const all = [...c.overt, ...c.covert];
      if (new Set(all).size !== all.length) return fail('DUPLICATE_ACTION', 'The same action twice');
      for (const [id, covertSlot] of [
        ...c.overt.map((x) => [x, false] as const),
        ...c.covert.map((x) => [x, true] as const),
      ]) {
        const a = actionById(s, id);
        // The same answer for an action that does not exist and one
        // that belongs to someone else: no probing of other menus.
        if (!a || a.team !== team) return fail('UNKNOWN_ACTION', 'One of those actions is not on your menu');
        if (a.covert !== covertSlot) return fail('WRONG_SLOT', `"${a.name}" is ${a.covert ? 'covert' : 'overt'}`);
        if (!actionOpen(s, a)) return fail('TIER_LOCKED', actionLockReason(s, a));
        if (spentOnce(s, a)) return fail('ALREADY_TAKEN', `"${a.name}" is a one-off step, already taken`);
      }
      return [{ type: 'DraftSet', team, overt: c.overt, covert: c.covert, freeform: c.freeform, by: actor.name }];
    }
    case 'draft.lock': {
      if (s.phase !== 'submission') return fail('WRONG_PHASE', 'Submissions lock during the submission phase');
      if (s.drafts[team].locked) return fail('ALREADY_LOCKED', 'Already locked');
      o.add({ type: 'DraftLocked', team, by: actor.name, at: now });
      const seated = new Set(
        Object.values(o.state.players)
          .filter((p) => p.seated)
          .map((p) => p.role),
      );
      const teams = s.scenario.teams.filter((t) => seated.has(t.id));
      if (teams.length > 0 && teams.every((t) => o.state.drafts[t.id].locked)) advance(o, now, 'control');
      return o.events;
    }
    case 'draft.unlock':
      if (s.phase !== 'submission') return fail('WRONG_PHASE', 'Submissions unlock during the submission phase');
      if (!s.drafts[team].locked) return fail('NOT_LOCKED', 'Not locked');
      return [{ type: 'DraftUnlocked', team, by: actor.name }];
    case 'deal.propose': {
      if (!negotiating) return fail('WRONG_PHASE', 'Deals are made during negotiation and submission');
      const teams = new Set(s.scenario.teams.map((t) => t.id));
      const to = c.to;
      if (to.some((t) => !teams.has(t))) return fail('UNKNOWN_TEAM', 'No such team');
      // Refused rather than quietly merged, as the same obligation twice is: a sender that lists a team twice has
      // made a mistake it should hear about.
      if (new Set(to).size !== to.length) return fail('BAD_DEAL', 'The same team twice');
      if (to.includes(team)) return fail('BAD_DEAL', 'A deal is made with other teams');
      const parties = [team, ...to];
      for (const ob of c.obligations) {
        if (!parties.includes(ob.team)) return fail('BAD_DEAL', 'Every obligation must fall on a party to the deal');
        const a = actionById(s, ob.action);
        // Covert actions cannot be promised in a deal, and another team's covert menu must not be probed.
        if (!a || a.team !== ob.team || (a.covert && ob.team !== team))
          return fail('UNKNOWN_ACTION', 'An obligation names an action that team cannot promise');
        if (a.covert) return fail('BAD_DEAL', 'Covert actions cannot be promised in a deal');
        if (spentOnce(s, a)) return fail('ALREADY_TAKEN', `"${a.name}" is a one-off step, already taken`);
        if (ob.byRound < s.round || ob.byRound > s.options.rounds)
          return fail('BAD_DEAL', `Obligations fall due between round ${s.round} and ${s.options.rounds}`);
        // Due this round, a step its tier keeps closed now would break the deal unless the tier opened before the
        // moves are taken (an inject can move the meters it waits on); due later, the parties take that chance.
        if (ob.byRound === s.round && !actionOpen(s, a))
          return fail(
            'TIER_LOCKED',
            `"${a.name}" cannot be taken now (${actionLockReason(s, a)})${
              s.round < s.options.rounds ? ': promise it for a later round' : ''
            }`,
          );
      }
      if (new Set(c.obligations.map((x) => `${x.team}/${x.action}`)).size !== c.obligations.length)
        return fail('BAD_DEAL', 'The same obligation twice');
      if (c.snapback && !c.obligations.some((x) => actionById(s, x.action)?.relief))
        return fail('SNAPBACK_NOT_RELIEF', 'Snapback can only be armed on a deal that includes relief');
      if (openProposals(s, team) >= MAX_OPEN_PROPOSALS)
        return fail(
          'TOO_MANY_PROPOSALS',
          `At most ${MAX_OPEN_PROPOSALS} of your proposals can wait for an answer at once: withdraw one, or wait for answers`,
        );
      return [
        {
          type: 'DealProposed',
          deal: {
            id: env.ids[0],
            from: team,
            to,
            parties,
            obligations: c.obligations.map((x) => ({ ...x, fulfilledRound: null })),
            secret: c.secret,
            snapback: c.snapback,
            snappedBack: false,
            note: c.note,
            status: 'proposed',
            acceptedBy: [team],
            proposedRound: s.round,
            acceptedRound: null,
            settledRound: null,
            breakers: [],
            at: now,
          },
        },
      ];
    }
    case 'deal.accept':
    case 'deal.reject':
    case 'deal.withdraw': {
      const d = own(s.deals, c.dealId);
      // A deal a team is not party to answers exactly like one that does not exist.
      if (!d?.parties.includes(team)) return fail('NO_DEAL', 'No such deal');
      if (!negotiating) return fail('WRONG_PHASE', 'Deals are made during negotiation and submission');
      if (d.status !== 'proposed') return fail('DEAL_CLOSED', `That deal is ${d.status}`);
      if (c.type === 'deal.withdraw') {
        if (d.from !== team) return fail('NOT_YOUR_DEAL', 'Only the proposer can withdraw a deal');
        return [{ type: 'DealWithdrawn', dealId: d.id, at: now }];
      }
      if (d.from === team) return fail('NOT_YOUR_DEAL', 'You proposed this deal; withdraw it instead');
      if (c.type === 'deal.reject') return [{ type: 'DealRejected', dealId: d.id, team, at: now }];
      if (d.acceptedBy.includes(team)) return fail('DEAL_CLOSED', 'You have already accepted');
      return [{ type: 'DealAccepted', dealId: d.id, team, at: now }];
    }
    case 'freeform.estimate': {
      if (!s.adjudication || s.phase !== 'adjudication')
        return fail('NO_ADJUDICATION', 'There is no adjudication under way');
      const l = s.adjudication.lines.find((x) => x.id === c.lineId);
      // Another team's closed free-form answers exactly like a line that does not exist.
      if (!l?.freeform || (l.team !== team && !l.freeform.open)) return fail('UNKNOWN_LINE', 'No such free-form line');
      if (l.freeform.ruled) return fail('WRONG_PHASE', 'The White Cell has already ruled');
      return [{ type: 'EstimateGiven', lineId: l.id, team, probability: c.probability }];
    }
    case 'form.answer': {
      const open = openForms(s).find((o) => o.form.id === c.formId && o.round === c.round);
      if (!open) return fail('UNKNOWN_FORM', 'That form is not open');
      const bad = badAnswers(open.form, c.answers);
      if (bad) return fail('BAD_ANSWER', bad);
      return [
        {
          type: 'FormAnswered',
          answer: {
            formId: c.formId,
            round: c.round,
            playerId: actor.playerId,
            team,
            name: actor.name,
            answers: c.answers,
            at: now,
          },
        },
      ];
    }
    default:
      return assertNever(c, 'command');
  }
}
