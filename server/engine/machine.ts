// The round machine: which phase follows which. It holds no timers (deadlines are data in the game state, driven by
// TICK) and no rules; the engine asks it where an ADVANCE, PAUSE or RESUME leads, with XState's pure transition().
import { setup, assign, initialTransition, transition, type SnapshotFrom } from 'xstate';
import type { MachineContext, Phase } from './types.ts';

type MachineEvent =
  | { type: 'START' }
  | { type: 'ADVANCE' }
  | { type: 'PAUSE' }
  | { type: 'RESUME' }
  | { type: 'FINISH' }
  | { type: 'CLOSE' };

export const roundMachine = setup({
  types: { context: {} as MachineContext, events: {} as MachineEvent, input: {} as { rounds: number } },
}).createMachine({
  id: 'game',
  initial: 'lobby',
  context: ({ input }) => ({ round: 0, rounds: input.rounds, pausedFrom: null }),
  states: {
    lobby: { on: { START: 'briefing' } },
    briefing: {
      on: {
        ADVANCE: { target: 'round.injects', actions: assign({ round: 1 }) },
        PAUSE: { target: 'paused', actions: assign({ pausedFrom: 'briefing' }) },
        FINISH: 'debrief',
      },
    },
    round: {
      initial: 'injects',
      on: { FINISH: '#game.debrief' },
      states: {
        injects: {
          on: { ADVANCE: 'negotiation', PAUSE: { target: '#game.paused', actions: assign({ pausedFrom: 'injects' }) } },
        },
        negotiation: {
          on: {
            ADVANCE: 'submission',
            PAUSE: { target: '#game.paused', actions: assign({ pausedFrom: 'negotiation' }) },
          },
        },
        submission: {
          on: {
            ADVANCE: 'adjudication',
            PAUSE: { target: '#game.paused', actions: assign({ pausedFrom: 'submission' }) },
          },
        },
        adjudication: {
          on: { ADVANCE: 'reveal', PAUSE: { target: '#game.paused', actions: assign({ pausedFrom: 'adjudication' }) } },
        },
        reveal: {
          on: {
            ADVANCE: [
              { guard: ({ context }) => context.round >= context.rounds, target: '#game.debrief' },
              { target: 'injects', actions: assign({ round: ({ context }) => context.round + 1 }) },
            ],
            PAUSE: { target: '#game.paused', actions: assign({ pausedFrom: 'reveal' }) },
          },
        },
      },
    },
    paused: {
      on: {
        // Back to the phase it was paused from (kept in context: a history state would not survive resolveState).
        RESUME: ['briefing', 'injects', 'negotiation', 'submission', 'adjudication', 'reveal'].map((phase) => ({
          guard: ({ context }: { context: MachineContext }) => context.pausedFrom === phase,
          target: phase === 'briefing' ? '#game.briefing' : `#game.round.${phase}`,
          actions: assign({ pausedFrom: null }),
        })),
        FINISH: { target: 'debrief', actions: assign({ pausedFrom: null }) },
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
export function step(m: MachineState, type: MachineEvent['type']): MachineState | null {
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
