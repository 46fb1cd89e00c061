// evolve: folds one event into the state. Pure and total: the same events always give the same state, byte for byte.
import { assertNever } from '../../shared/assert-never.ts';
import { applyAdjudication } from './adjudication.ts';
import { initialMachine, phaseOf, step } from './machine.ts';
import { internScenario, internState } from './intern.ts';
import { applyChanges } from './meters.ts';
import {
  MESSAGE_CHUNK,
  type Draft,
  type GameEvent,
  type GameState,
  type InjectState,
  type Player,
  type Seen,
  type RecordState,
} from './types.ts';

export const emptyDraft = (): Draft => ({ overt: [], covert: [], freeform: null, locked: false, updatedBy: null });

export function createState(e: Extract<GameEvent, { type: 'GameCreated' }>): GameState {
  const sc = internScenario(e.scenario);
  const meters: Record<string, number> = {};
  const history: Record<string, number[]> = {};
  for (const m of sc.meters) {
    meters[m.id] = m.start;
    history[m.id] = [m.start];
  }
  const injects: Record<string, InjectState> = {};
  for (const i of sc.injects)
    injects[i.id] = { def: i, status: 'scheduled', publishedRound: null, publishedAt: null, effects: [], added: false };
  const drafts: Record<string, Draft> = {};
  for (const t of sc.teams) drafts[t.id] = emptyDraft();
  const machine = initialMachine(e.options.rounds);
  return {
    id: e.gameId,
    scenario: sc,
    options: e.options,
    createdAt: e.at,
    machine,
    phase: phaseOf(machine),
    round: 0,
    deadline: null,
    paused: null,
    rng: e.rng,
    meters,
    history,
    players: {},
    drafts,
    submissions: {},
    taken: [],
    delayed: [],
    deals: {},
    dealOrder: [],
    messages: {},
    injects,
    injectOrder: sc.injects.map((i) => i.id),
    intel: [],
    adjudication: null,
    reveals: [],
    pairs: [],
    ending: null,
    pastEndings: [],
    closures: [],
    endedAt: null,
  };
}

export function evolve(s: GameState, e: GameEvent): GameState {
  const next = evolveEvent(s, e);
  const seen = (e as Seen).seen;
  if (!seen?.length) return next;
  const seqs = { ...next.seqs };
  for (const key of seen) seqs[key] = (Object.hasOwn(seqs, key) ? seqs[key] : 1) + 1;
  return { ...next, seqs };
}

/** An audience's own version in a state (see GameState.seqs). */
export const seqOf = (s: GameState, key: string): number => (s.seqs && Object.hasOwn(s.seqs, key) ? s.seqs[key] : 1);

function evolveEvent(s: GameState, e: GameEvent): GameState {
  switch (e.type) {
    case 'GameCreated':
      return createState(e);
    case 'SeatTaken':
      return { ...s, players: { ...s.players, [e.player.id]: e.player } };
    case 'SeatLeft': {
      const p = s.players[e.playerId];
      return p ? { ...s, players: { ...s.players, [e.playerId]: { ...p, seated: false } } } : s;
    }
    case 'PlayerRenamed': {
      const p = s.players[e.playerId];
      return p ? { ...s, players: { ...s.players, [e.playerId]: { ...p, name: e.name } } } : s;
    }
    case 'PlayerReseated': {
      const p = s.players[e.playerId];
      if (!p) return s;
      // Playing a team for someone else means nothing at the White Cell's own table or among the observers.
      const { whiteCell, ...rest } = p;
      const toTeam = e.to !== 'control' && e.to !== 'observer';
      const moved: Player = toTeam && whiteCell ? { ...rest, role: e.to, whiteCell } : { ...rest, role: e.to };
      return { ...s, players: { ...s.players, [e.playerId]: moved } };
    }
    case 'PhaseChanged': {
      const machine = step(s.machine, e.via);
      if (!machine || phaseOf(machine) !== e.phase)
        throw new Error(`log inconsistent: ${e.via} from ${s.phase} does not lead to ${e.phase}`);
      const next: GameState = {
        ...s,
        machine,
        phase: e.phase,
        round: machine.context.round,
        deadline: e.deadline,
        paused: e.phase === 'debrief' ? null : s.paused,
      };
      if (e.phase === 'ended') next.endedAt = e.at;
      return next;
    }
    case 'Paused': {
      const machine = step(s.machine, 'PAUSE');
      if (!machine) throw new Error(`log inconsistent: cannot pause in ${s.phase}`);
      return { ...s, machine, phase: 'paused', deadline: null, paused: { from: e.from, remaining: e.remaining } };
    }
    case 'Resumed': {
      const machine = step(s.machine, 'RESUME');
      if (!machine) throw new Error('log inconsistent: cannot resume');
      return { ...s, machine, phase: e.phase, deadline: e.deadline, paused: null };
    }
    case 'DeadlineSet':
      return { ...s, deadline: e.deadline };
    case 'PausedClockSet':
      return { ...s, paused: { ...s.paused!, remaining: e.remaining } };
    case 'InjectsQueued': {
      const injects = { ...s.injects };
      for (const id of e.injectIds) injects[id] = { ...injects[id], status: 'pending' };
      return { ...s, injects };
    }
    case 'InjectPublished': {
      const i = s.injects[e.injectId];
      return {
        ...s,
        meters: applyChanges(s.meters, e.effects),
        injects: {
          ...s.injects,
          [e.injectId]: { ...i, status: 'published', publishedRound: s.round, publishedAt: e.at, effects: e.effects },
        },
      };
    }
    case 'InjectSkipped':
      return { ...s, injects: { ...s.injects, [e.injectId]: { ...s.injects[e.injectId], status: 'skipped' } } };
    case 'InjectUnskipped':
      return { ...s, injects: { ...s.injects, [e.injectId]: { ...s.injects[e.injectId], status: e.status } } };
    case 'InjectEdited':
      return { ...s, injects: { ...s.injects, [e.injectId]: { ...s.injects[e.injectId], def: e.def } } };
    case 'InjectAdded':
      return {
        ...s,
        injectOrder: [...s.injectOrder, e.inject.id],
        injects: {
          ...s.injects,
          [e.inject.id]: {
            def: e.inject,
            status: 'pending',
            publishedRound: null,
            publishedAt: null,
            effects: [],
            added: true,
          },
        },
      };
    case 'IntelDelivered':
      return { ...s, intel: [...s.intel, e.report], rng: e.rng };
    case 'MessagePosted': {
      const chunks = s.messages[e.message.channel] ?? [];
      const last = chunks[chunks.length - 1];
      const next =
        !last || last.length >= MESSAGE_CHUNK
          ? [...chunks, [e.message]]
          : [...chunks.slice(0, -1), [...last, e.message]];
      return { ...s, messages: { ...s.messages, [e.message.channel]: next } };
    }
    case 'DealProposed':
      return { ...s, deals: { ...s.deals, [e.deal.id]: e.deal }, dealOrder: [...s.dealOrder, e.deal.id] };
    case 'DealAccepted': {
      const d = s.deals[e.dealId];
      const acceptedBy = [...d.acceptedBy, e.team];
      const all = d.parties.every((p) => acceptedBy.includes(p));
      return {
        ...s,
        deals: {
          ...s.deals,
          [d.id]: { ...d, acceptedBy, status: all ? 'accepted' : d.status, acceptedRound: all ? s.round : null },
        },
      };
    }
    case 'DealRejected':
      return {
        ...s,
        deals: { ...s.deals, [e.dealId]: { ...s.deals[e.dealId], status: 'rejected', settledRound: s.round } },
      };
    case 'DealWithdrawn':
      return {
        ...s,
        deals: { ...s.deals, [e.dealId]: { ...s.deals[e.dealId], status: 'withdrawn', settledRound: s.round } },
      };
    case 'DraftSet':
      return {
        ...s,
        drafts: {
          ...s.drafts,
          [e.team]: { ...s.drafts[e.team], overt: e.overt, covert: e.covert, freeform: e.freeform, updatedBy: e.by },
        },
      };
    case 'DraftLocked':
      return { ...s, drafts: { ...s.drafts, [e.team]: { ...s.drafts[e.team], locked: true, updatedBy: e.by } } };
    case 'DraftUnlocked':
      return { ...s, drafts: { ...s.drafts, [e.team]: { ...s.drafts[e.team], locked: false, updatedBy: e.by } } };
    case 'AdjudicationProposed': {
      // Submissions are sealed as they stand when the clock ran out (locked or not) and drafts start afresh.
      const drafts: Record<string, Draft> = {};
      for (const t of s.scenario.teams) drafts[t.id] = emptyDraft();
      return {
        ...s,
        submissions: { ...s.submissions, [e.round]: s.drafts },
        drafts,
        adjudication: { round: e.round, lines: e.lines },
        rng: e.rng,
      };
    }
    case 'AdjudicationRevised':
      return { ...s, adjudication: { ...s.adjudication!, lines: e.lines } };
    case 'LineAmended':
    case 'FreeformRuled': {
      const adj = s.adjudication!;
      const lines = adj.lines.map((l) => (l.id === e.line.id ? e.line : l));
      return { ...s, adjudication: { ...adj, lines }, rng: e.type === 'FreeformRuled' ? e.rng : s.rng };
    }
    case 'EstimateGiven': {
      const adj = s.adjudication!;
      const lines = adj.lines.map((l) =>
        l.id === e.lineId && l.freeform
          ? { ...l, freeform: { ...l.freeform, estimates: { ...l.freeform.estimates, [e.team]: e.probability } } }
          : l,
      );
      return { ...s, adjudication: { ...adj, lines } };
    }
    case 'AdjudicationApproved':
      return applyAdjudication(s, s.adjudication!.lines, e.at);
    case 'PlayedOn':
      // The ending stays on the record; play goes on from the reveal it was reached at.
      return s.ending ? { ...s, ending: null, pastEndings: [...s.pastEndings, s.ending] } : s;
    case 'GameEnded':
      return s.ending
        ? s
        : {
            ...s,
            ending: {
              id: 'stopped',
              name: 'Stopped by the White Cell',
              round: s.round,
              debrief: 'The White Cell ended the exercise before its last round.',
            },
          };
    case 'GameForked':
      // The copied history ends here: the fork's own dice take over, and its clock waits for its White Cell.
      return withRecord({ ...s, rng: e.rng, deadline: null }, () => ({ forkedFrom: { ...e.parent, at: e.at } }));
    case 'NoteAdded':
      return withRecord(s, (r) => ({ notes: [...r.notes, e.note] }));
    case 'NoteShared':
      return withRecord(s, (r) => ({ notes: r.notes.map((n) => (n.id === e.noteId ? { ...n, shared: true } : n)) }));
    case 'HotwashRecorded':
      return withRecord(s, (r) => ({ hotwash: [...r.hotwash, e.item] }));
    case 'HotwashRemoved':
      return withRecord(s, (r) => ({ hotwash: r.hotwash.filter((x) => x.id !== e.itemId) }));
    case 'FormSent':
      return withRecord(s, (r) => ({ sent: [...(r.sent ?? []), { formId: e.formId, round: e.round, at: e.at }] }));
    case 'FormAnswered': {
      // A player who answers again replaces their earlier answers to the same form and round.
      const a = e.answer;
      return withRecord(s, (r) => ({
        answers: [
          ...(r.answers ?? []).filter(
            (x) => !(x.formId === a.formId && x.round === a.round && x.playerId === a.playerId),
          ),
          a,
        ],
      }));
    }
    case 'StateRestored':
      // The carried state is the game itself as the snapshot held it, audience versions included (so each
      // audience's version goes on from where its players last saw it). It must be this game's.
      if (s && e.state.id !== s.id) throw new Error(`log inconsistent: restores game ${e.state.id} into ${s.id}`);
      return internState(e.state);
    default:
      return assertNever(e, 'event');
  }
}

const emptyRecord = (): RecordState => ({ forkedFrom: null, notes: [], hotwash: [] });
const withRecord = (s: GameState, change: (r: RecordState) => Partial<RecordState>): GameState => {
  const r = s.record ?? emptyRecord();
  return { ...s, record: { ...r, ...change(r) } };
};

export function fold(events: readonly GameEvent[], from?: GameState): GameState {
  let s = from as GameState;
  for (const e of events) s = evolve(s, e);
  return s;
}
