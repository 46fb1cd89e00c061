// Fork: a new game that starts where a past round of another ended. Its log opens with its own GameCreated (its
// own id and secret seed, hence its own dice and commitment), copies the parent's play up to the end of that round, and
// closes the copy with GameForked, which links the parent, hands the dice to the new seed and stops the clock.
// Seats, notes, the hot wash and the forms' answers are the parent's own session and are not copied: the fork has
// new players and new codes. The names in what is copied (who said what in chat, who amended a line) become the
// parent's pseudonyms ("us-1"), so the fork's players, often another group, do not read the parent's players' names.
import {
  audienceKey,
  audiences,
  createGame,
  fail,
  fold,
  isDomainError,
  type DomainError,
  type GameEvent,
  type GameState,
  type Seen,
} from '../engine/index.ts';
import { labelsUsed, pseudonymise, pseudonymsFor } from './pseudonyms.ts';

const NOT_COPIED = new Set<GameEvent['type']>([
  'GameCreated',
  'SeatTaken',
  'SeatLeft',
  'PlayerRenamed',
  'PlayerReseated',
  'NoteAdded',
  'NoteShared',
  'HotwashRecorded',
  'HotwashRemoved',
  'FormSent',
  'FormAnswered',
  'GameForked',
]);

/** How many events of the parent make up its history to the end of `round` (0: the briefing), or an error. */
export function forkPoint(parent: readonly GameEvent[], round: number): number | DomainError {
  if (!Number.isInteger(round) || round < 0) return fail('BAD_FORK', 'Pick a round to fork from');
  // A repaired log (StateRestored) passed through the phases of the events it stands for without their PhaseChanged:
  // its state tells where it stands. A round whose reveal and end both fell among those events has no point in the
  // log to fork from, and is refused like one never played.
  const reached =
    round === 0
      ? parent.some((e) => e.type === 'PhaseChanged' || e.type === 'StateRestored')
      : parent.some(
          (e) =>
            (e.type === 'PhaseChanged' && e.phase === 'reveal' && e.round === round) ||
            (e.type === 'StateRestored' && e.state.phase === 'reveal' && e.state.round === round),
        );
  if (!reached)
    return fail(
      'BAD_FORK',
      round === 0
        ? 'The game has not started: there is no briefing to fork from yet'
        : `Round ${round} has not been played to its reveal`,
    );
  const past = (phase: string, r: number) => r > round || phase === 'debrief' || phase === 'ended';
  // The round ends where the next begins, or where the game turns to its debrief.
  const end = parent.findIndex(
    (e) =>
      e.type === 'GameEnded' ||
      (e.type === 'PhaseChanged' && past(e.phase, e.round)) ||
      (e.type === 'StateRestored' && past(e.state.phase, e.state.round)),
  );
  return end === -1 ? parent.length : end;
}

/**
 * The fork's log. `secret` keys its dice as a new game's are (docs/rules.md, "Provable dice"): nobody, its White
 * Cell included, can foresee a roll until the seed is revealed at its debrief, whatever the parent's dice were.
 * `idKey` keys the ids of its own lines (server/engine/line-ids.ts); the copied lines keep the parent's.
 */
export function forkEvents(
  parent: readonly GameEvent[],
  round: number,
  gameId: string,
  secret: string,
  now: number,
  idKey?: string,
): GameEvent[] | DomainError {
  const created = parent[0];
  if (created?.type !== 'GameCreated') return fail('BAD_FORK', 'No such game');
  const cut = forkPoint(parent, round);
  if (isDomainError(cut)) return cut;
  const { options, scenario } = created;
  const start = createGame(
    gameId,
    scenario,
    {
      rounds: options.rounds,
      phases: options.phases,
      autoApprove: options.autoApprove,
      variants: options.variants,
      title: `${options.title} (from round ${round})`.slice(0, 120),
    },
    now,
    secret,
    idKey,
  );
  if (isDomainError(start)) return start;
  const fresh = fold(start);
  // Labels as the parent's export gives them, from its whole log: a player who joined the parent after the cut still
  // holds a label there, and the fork's players are numbered after it.
  const parentState = fold(parent);
  const names = pseudonymsFor(parentState, parent);
  const history = parent
    .slice(1, cut)
    .filter((e) => !NOT_COPIED.has(e.type))
    .map((e) => pseudonymise(e.type === 'StateRestored' ? { ...e, state: forkedState(e.state, fresh) } : e, names));
  // Every audience's view changes here (the link to the parent, the stopped clock): each gets a version of its own,
  // as for any command that changes it (server/games/audience-versions.ts), so that a replay's step at that version
  // shows what a seat of the fork is first shown.
  const forked: GameEvent & Seen = {
    type: 'GameForked',
    parent: { gameId: created.gameId, round, version: cut },
    rng: fresh.rng,
    labels: labelsUsed(parentState, parent),
    at: now,
    seen: audiences(fresh).map(audienceKey),
  };
  return [...start, ...history, forked];
}

/**
 * A state restored in the parent's log, as the fork copies it: the play is the parent's, but the game is the fork's
 * own (its id, options and seed, creation time) and, as for the events copied, without the parent's seats and record.
 */
function forkedState(restored: GameState, fresh: GameState): GameState {
  const { record: _record, ...play } = restored;
  return { ...play, id: fresh.id, options: fresh.options, createdAt: fresh.createdAt, players: {} };
}
