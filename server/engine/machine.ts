// The round machine: the one place that says which phase follows which. It holds no timers (deadlines are data in
// the game state, driven by TICK) and no rules: decide() asks it where an ADVANCE, FINISH, PAUSE or RESUME leads,
// with XState's pure transition(), and only adds what happens on leaving and entering a phase.
import { assign, initialTransition, setup, transition, type SnapshotFrom } from 'xstate';
import { PAUSABLE_PHASES, type PausablePhase, type Phase, ROUND_PHASES, type RoundPhase } from '../../shared/phases.ts';
import type { MachineContext } from './types.ts';

export type MachineEventType = 'START' | 'ADVANCE' | 'PAUSE' | 'RESUME' | 'FINISH' | 'CLOSE';
type MachineEvent = { type: MachineEventType };

// Each pausable phase pauses into `paused`, remembering where it was (a history state would not survive
// resolveState, so the phase is kept in context).
const pauseFrom = (phase: PausablePhase) => ({
  target: '#game.paused',
  actions: { type: 'rememberPhase' as const, params: { phase } },
});

// injects → negotiation → submission → adjudication → reveal; reveal leads to the next round or, after the last
// one, to the debrief.
const roundStates = Object.fromEntries(
  ROUND_PHASES.map((phase, i) => {
    const next: RoundPhase | undefined = ROUND_PHASES[i + 1];
    const advance = next
      ? { target: next }
      : [
          { guard: 'lastRound' as const, target: '#game.debrief' },
          { target: ROUND_PHASES[0], actions: 'nextRound' as const },
        ];
    return [phase, { on: { ADVANCE: advance, PAUSE: pauseFrom(phase) } }];
  }),
);

export const roundMachine = setup({
  types: { context: {} as MachineContext, events: {} as MachineEvent, input: {} as { rounds: number } },
  actions: {
    nextRound: assign({ round: ({ context }) => context.round + 1 }),
    rememberPhase: assign((_, params: { phase: PausablePhase }) => ({ pausedFrom: params.phase })),
    forgetPhase: assign({ pausedFrom: null }),
  },
  guards: {
    lastRound: ({ context }) => context.round >= context.rounds,
    pausedFrom: ({ context }, params: { phase: PausablePhase }) => context.pausedFrom === params.phase,
  },
}).createMachine({
  id: 'game',
  initial: 'lobby',
  context: ({ input }) => ({ round: 0, rounds: input.rounds, pausedFrom: null }),
  states: {
    lobby: { on: { START: 'briefing' } },
    briefing: {
      on: {
        ADVANCE: { target: `round.${ROUND_PHASES[0]}`, actions: 'nextRound' },
        PAUSE: pauseFrom('briefing'),
        FINISH: 'debrief',
      },
    },
    // FINISH from any round phase ends the exercise early: an ending was reached, or the White Cell stopped it.
    round: { initial: ROUND_PHASES[0], on: { FINISH: '#game.debrief' }, states: roundStates },
    paused: {
      on: {
        RESUME: PAUSABLE_PHASES.map((phase) => ({
          guard: { type: 'pausedFrom' as const, params: { phase } },
          target: phase === 'briefing' ? '#game.briefing' : `#game.round.${phase}`,
          actions: 'forgetPhase',
        })),
        FINISH: { target: 'debrief', actions: 'forgetPhase' },
      },
    },
    debrief: { on: { CLOSE: 'ended' } },
    ended: { type: 'final' },
  },
});

type Snapshot = SnapshotFrom<typeof roundMachine>;
export interface MachineState {
  value: unknown;
  context: MachineContext;
}

// Resolving a stored {value, context} costs more than the transition itself; replay folds thousands of events, so the
// resolved snapshot is remembered per stored object (which is never mutated).
const resolved = new WeakMap<MachineState, Snapshot>();

function toSnapshot(m: MachineState): Snapshot {
  let snap = resolved.get(m);
  if (!snap) {
    snap = roundMachine.resolveState({ value: m.value as Snapshot['value'], context: m.context });
    resolved.set(m, snap);
  }
  return snap;
}

function fromSnapshot(snap: Snapshot): MachineState {
  const m = { value: structuredClone(snap.value) as unknown, context: { ...snap.context } };
  resolved.set(m, snap);
  return m;
}

export function initialMachine(rounds: number): MachineState {
  const [snap] = initialTransition(roundMachine, { rounds });
  return fromSnapshot(snap);
}

// The machine has few states (phase x round x paused-from), and transition() is pure, so its answers can be
// remembered: replaying a long log then costs a map lookup per phase change instead of a statechart step.
const steps = new Map<string, MachineState | null>();

/** The next machine state for an event, or null if the machine does not accept it here. */
export function step(m: MachineState, type: MachineEventType): MachineState | null {
  const key = `${JSON.stringify(m.value)}|${m.context.round}|${m.context.rounds}|${m.context.pausedFrom}|${type}`;
  if (steps.has(key)) return steps.get(key)!;
  const snap = toSnapshot(m);
  const next = snap.can({ type }) ? fromSnapshot(transition(roundMachine, snap, { type })[0]) : null;
  if (steps.size > 10_000) steps.clear();
  steps.set(key, next);
  return next;
}

/** The flat phase name of a machine state. */
export function phaseOf(m: MachineState): Phase {
  const v = m.value;
  if (typeof v === 'string') return v as Phase;
  return (v as { round: Phase }).round;
}

/** Where an event would lead from here, without taking it: the phase and round, or null if not accepted. */
export function peek(m: MachineState, type: MachineEventType): { phase: Phase; round: number } | null {
  const next = step(m, type);
  return next && { phase: phaseOf(next), round: next.context.round };
}
