// The record desk: who may take which record of a game. Every answer is built from the stored log by the engine,
// for the audience of the caller's own seat (a White Cell member may also replay any other audience's view).
import type { Audience, GameEvent } from '../engine/index.ts';
import type { GameView } from '../../shared/views.ts';
import { AppError } from '../games/app-error.ts';
import type { Games } from '../games/games.ts';
import { audienceOf, type Seat } from '../games/seat.ts';
import type { Lobby } from '../lobby/lobby.ts';
import { buildExport, type GameExport } from './export.ts';
import { recordView, replayIndex, stateAt, type ReplayStep } from './replay.ts';
import { isOverPhase } from '../../shared/phases.ts';

const unauthorized = () => new AppError(401, 'UNAUTHORIZED', 'A valid seat token for this game is required');

/** Parses "control", "observer" or "team:<id>" into an audience of this game; null if it is none of them. */
export function parseAudience(key: unknown, teams: readonly string[]): Audience | null {
  if (key === 'control' || key === 'observer') return { kind: key };
  if (typeof key === 'string' && key.startsWith('team:') && teams.includes(key.slice(5)))
    return { kind: 'team', team: key.slice(5) };
  return null;
}

// A repaired log may have reached the debrief inside the state a StateRestored carries, not through a PhaseChanged.
const over = (log: readonly GameEvent[]) =>
  log.some(
    (e) =>
      (e.type === 'PhaseChanged' && isOverPhase(e.phase)) || (e.type === 'StateRestored' && isOverPhase(e.state.phase)),
  );

export class RecordDesk {
  /** The scrubber's steps are a walk of the whole log: kept per game, audience and log length. */
  readonly #steps = new Map<string, { steps: ReplayStep[]; logVersions: number[] }>();

  constructor(
    private readonly games: Games,
    private readonly lobby: Lobby,
  ) {}

  async #open(gameId: string, bearer: string | undefined): Promise<{ seat: Seat; log: GameEvent[] }> {
    const seat = await this.lobby.authenticate(bearer);
    if (!seat || seat.gameId !== gameId) throw unauthorized();
    const log = await this.games.log(gameId);
    if (!log) throw unauthorized();
    return { seat, log };
  }

  /** The export of the caller's own audience: the whole record for the White Cell, a team's own view for a team. */
  async export(gameId: string, bearer: string | undefined, pseudonymise: boolean): Promise<GameExport> {
    const { seat, log } = await this.#open(gameId, bearer);
    return buildExport(log, audienceOf(seat), { pseudonymise });
  }

  /**
   * Whose replay the caller may watch: the White Cell any audience's, at any time; everyone else only their own,
   * once the exercise is over (before that, a replay would only repeat what their screen shows).
   */
  async #replayable(gameId: string, bearer: string | undefined, audienceKey: unknown) {
    const { seat, log } = await this.#open(gameId, bearer);
    const own = audienceOf(seat);
    const teams = log[0].type === 'GameCreated' ? log[0].scenario.teams.map((t) => t.id) : [];
    const audience = audienceKey === undefined ? own : parseAudience(audienceKey, teams);
    if (!audience) throw new AppError(400, 'BAD_AUDIENCE', 'audience: control, observer or team:<id>');
    if (seat.role !== 'control') {
      if (JSON.stringify(audience) !== JSON.stringify(own))
        throw new AppError(403, 'NOT_ALLOWED', 'You may replay your own view only');
      if (!over(log)) throw new AppError(403, 'NOT_YET', 'The replay opens when the exercise is over');
    }
    return { log, audience };
  }

  /** The audience's steps, with the log position of each (a team's steps are numbered by its own changes). */
  #index(gameId: string, log: readonly GameEvent[], audience: Audience) {
    const key = `${gameId}/${JSON.stringify(audience)}/${log.length}`;
    let index = this.#steps.get(key);
    if (!index) {
      index = replayIndex(log, audience);
      if (this.#steps.size > 50) this.#steps.delete(this.#steps.keys().next().value!);
      this.#steps.set(key, index);
    }
    return index;
  }

  async steps(gameId: string, bearer: string | undefined, audienceKey: unknown) {
    const { log, audience } = await this.#replayable(gameId, bearer, audienceKey);
    const { steps } = this.#index(gameId, log, audience);
    // The last step's number: the log's length for the White Cell, the audience's own count of changes otherwise.
    return { gameId, version: steps[steps.length - 1].version, audience, steps };
  }

  /** The view at one of the audience's steps, named by the step's version (as `steps` numbers them). */
  async view(
    gameId: string,
    bearer: string | undefined,
    audienceKey: unknown,
    version: number,
  ): Promise<{ gameId: string; version: number; view: GameView }> {
    const { log, audience } = await this.#replayable(gameId, bearer, audienceKey);
    const { steps, logVersions } = this.#index(gameId, log, audience);
    const last = steps[steps.length - 1].version;
    // The White Cell's versions are log positions, and any of them may be shown; another audience's name its steps
    // (its live versions, which a restored game may skip some of).
    const step = audience.kind === 'control' ? -1 : steps.findIndex((s) => s.version === version);
    if (!Number.isSafeInteger(version) || version < 1 || version > last || (audience.kind !== 'control' && step < 0))
      throw new AppError(404, 'NO_VERSION', `No such version: the versions run from 1 to ${last}`);
    const at = audience.kind === 'control' ? version : logVersions[step];
    return { gameId, version, view: recordView(stateAt(log, at), audience) };
  }
}
