// Games and seats: create a game, join one with a code, read and rotate the codes, and turn a token into a seat.
// Seats reach the engine as seat.take / seat.leave commands sent by the system, after the auth record is durable.
import type { Scenario } from '../../shared/scenario.ts';
import type {
  CreateGameBody,
  CreateGameResult,
  ForkResult,
  JoinBody,
  JoinCodes,
  JoinPreview,
  JoinPreviewBody,
  JoinResult,
  MovePlayerResult,
  RenamePlayerResult,
  RotateCodesResult,
  ScenarioSummary,
} from '../../shared/protocol.ts';
import { isDomainError, type DomainError, type GameState, type SeatCommand } from '../engine/index.ts';
import { forkEvents } from '../record/fork.ts';
import type { Logger } from '../log.ts';
import { AppError } from '../games/app-error.ts';
import { CorruptLog } from '../store/event-store.ts';
import { type AuthBook, type CodeCredential, type Credential, parseCode, parseToken } from './auth-book.ts';
import { normaliseShortCode } from '../../shared/join-code.ts';
import { sameName } from '../../shared/format.ts';
import type { Games } from '../games/games.ts';
import { newDiceSecret, newId } from '../games/ids.ts';
import type { LoadedGame } from '../games/loaded-game.ts';
import { summarize } from './scenario-summary.ts';
import { engineRole, SYSTEM, type Seat } from '../games/seat.ts';

/** Another seated player of this seat (an engine role) already goes by `name`, compared as join compares names. */
function nameTaken(players: GameState['players'], role: string, name: string, except: string): boolean {
  return Object.values(players).some((p) => p.id !== except && p.seated && p.role === role && sameName(p.name, name));
}

export interface LobbyDeps {
  games: Games;
  auth: AuthBook;
  scenarios: ReadonlyMap<string, Scenario>;
  log: Logger;
}

// The same answer for an unknown game, a wrong secret and an old code: nothing about what exists leaks.
const badCode = () => new AppError(403, 'BAD_CODE', 'That join code is not valid');
const SEAT_KINDS = { team: "a team's", control: "the White Cell's", observer: "the observers'" } as const;
const wrongSeat = (wanted: keyof typeof SEAT_KINDS) =>
  new AppError(409, 'WRONG_SEAT', `This page needs ${SEAT_KINDS[wanted]} code; that code is for another seat`);
const unauthorized = () => new AppError(401, 'UNAUTHORIZED', 'A valid White Cell token is required');
const forbidden = () => new AppError(403, 'NOT_ALLOWED', 'Only the White Cell can do that');
// A White Cell seat got with a recovery code (or moved there) was never given the key the codes are made from.
const keyless = () =>
  new AppError(
    403,
    'NOT_ALLOWED',
    'This White Cell seat holds no codes key (it was recovered or moved here), so it cannot read the join codes: ' +
      'new codes (rotate) can be read by it, or ask a White Cell member who joined with the White Cell code',
  );

export class Lobby {
  readonly #games: Games;
  readonly #auth: AuthBook;
  readonly #scenarios: ReadonlyMap<string, Scenario>;
  readonly #log: Logger;
  readonly #revokedListeners: ((seats: Seat[]) => void)[] = [];
  readonly #reseatedListeners: ((seat: Seat) => void)[] = [];

  constructor(deps: LobbyDeps) {
    this.#games = deps.games;
    this.#auth = deps.auth;
    this.#scenarios = deps.scenarios;
    this.#log = deps.log;
  }

  /** A scenario of the library by its id, or undefined. */
  scenario(id: string): Scenario | undefined {
    return this.#scenarios.get(id);
  }

  scenarios(): ScenarioSummary[] {
    return [...this.#scenarios.values()].map(summarize);
  }

  async createGame(body: CreateGameBody): Promise<CreateGameResult> {
    const scenario = this.#scenarios.get(body.scenario);
    if (!scenario) throw new AppError(404, 'NO_SCENARIO', 'No such scenario');
    return this.#open(body.name, (gameId) => this.#games.create(gameId, scenario, body.options));
  }

  /**
   * A new game from a past round of another (see server/record/fork.ts), for a White Cell member of the parent.
   * The fork gets its own id, codes and White Cell token: nothing of it opens the parent, nor the parent it.
   */
  async forkGame(parentId: string, bearer: string | undefined, round: number, name: string): Promise<ForkResult> {
    const seat = await this.authenticate(bearer);
    if (!seat || seat.gameId !== parentId) throw unauthorized();
    if (seat.role !== 'control') throw forbidden();
    const log = await this.#games.log(parentId);
    if (!log) throw unauthorized();
    const result = await this.#open(name, (gameId) =>
      this.#games.createFrom(gameId, (now) => forkEvents(log, round, gameId, newDiceSecret(), now, newDiceSecret())),
    );
    this.#log.info('game forked', { game: result.gameId, parent: parentId, round });
    return { ...result, parent: { gameId: parentId, round } };
  }

  /** Creates a game under a fresh id, then its auth record with its creator seated at the White Cell. */
  async #open(
    name: string,
    create: (gameId: string) => Promise<DomainError | 'taken' | LoadedGame>,
  ): Promise<CreateGameResult> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const gameId = newId();
      const created = await create(gameId);
      if (created === 'taken') continue;
      if (isDomainError(created)) throw new AppError(400, created.code, created.message);
      const playerId = newId();
      const { controlToken, codes } = await this.#auth.create(
        gameId,
        created.state.scenario.teams.map((t) => t.id),
        { playerId, name },
      );
      await this.#seat({ gameId, playerId, name, role: 'control', team: null });
      return { gameId, controlToken, playerId, codes };
    }
    throw new Error('no free game id after 5 tries');
  }

  /** A long code (it names its game) or a short one (looked up in the index); null if it is neither. */
  async #code(typed: string): Promise<CodeCredential | null> {
    const long = parseCode(typed);
    if (long) return long;
    const short = normaliseShortCode(typed);
    return short ? this.#auth.resolveShort(short) : null;
  }

  async join(body: JoinBody): Promise<JoinResult> {
    const code = await this.#code(body.code);
    const game = code ? await this.#games.get(code.gameId) : null;
    if (!code || !game) throw badCode();
    if (body.role) {
      const seat = await this.#auth.peek(code);
      if (!seat) throw badCode();
      if (seat.role !== body.role) throw wrongSeat(body.role);
    }
    // Joining again under the same name for the same seat (a new browser, a lost tab) takes back that player's
    // seat, instead of leaving an offline "ghost" beside a second player of the same name. Never a bot's or the
    // White Cell's hand on a team: typing "Bot" must not take over the bot's player (its flag, its record).
    const returning = (seat: Pick<Seat, 'role' | 'team'>) =>
      Object.values(game.state.players).find(
        (p) => sameName(p.name, body.name) && p.role === engineRole(seat) && !p.bot && !p.whiteCell,
      )?.id;
    const issued = await this.#auth.redeem(code, body.name, newId(), returning);
    if (!issued) throw badCode();
    await this.#seat(issued.seat);
    const { seat, token } = issued;
    return { token, gameId: seat.gameId, playerId: seat.playerId, role: seat.role, team: seat.team, name: seat.name };
  }

  /** Which exercise and seat a code is for (either form), so the join page can say so before anyone joins. */
  async preview(body: JoinPreviewBody): Promise<JoinPreview> {
    const code = await this.#code(body.code);
    const game = code ? await this.#games.get(code.gameId) : null;
    const seat = code && game ? await this.#auth.peek(code) : null;
    if (!game || !seat) throw badCode();
    const team = seat.team ? game.state.scenario.teams.find((t) => t.id === seat.team) : undefined;
    const seatName = team ? team.name : seat.role === 'control' ? 'the White Cell' : 'an observer';
    return { title: game.state.options.title ?? game.state.scenario.title, role: seat.role, team: seat.team, seatName };
  }

  async codes(gameId: string, bearer: string | undefined): Promise<JoinCodes> {
    const token = await this.#controlToken(gameId, bearer);
    const codes = await this.#auth.codes(token);
    if (codes === null) throw unauthorized();
    if (codes === 'forbidden') throw forbidden();
    if (codes === 'keyless') throw keyless();
    return codes;
  }

  async rotateCodes(gameId: string, bearer: string | undefined, revokeSeats: boolean): Promise<RotateCodesResult> {
    const token = await this.#controlToken(gameId, bearer);
    const rotated = await this.#auth.rotate(token, revokeSeats);
    if (rotated === null) throw unauthorized();
    if (rotated === 'forbidden') throw forbidden();
    if (rotated.revoked.length) {
      // Their sockets close first, as the bot seat menu and a seminar move do: nothing more reaches a signed-out
      // seat while its leaving is recorded.
      for (const listener of this.#revokedListeners) listener(rotated.revoked);
      for (const seat of rotated.revoked)
        await this.#games.submit(gameId, SYSTEM, { type: 'seat.leave', playerId: seat.playerId });
    }
    this.#log.info(rotated.rekeyed ? 'codes rotated under a new key' : 'codes rotated', {
      game: gameId,
      revoked: rotated.revoked.length,
    });
    return { codes: rotated.codes, revoked: rotated.revoked.length, rekeyed: rotated.rekeyed };
  }

  /** The White Cell seat behind a bearer token for this game; throws 401/403 like the other White Cell routes. */
  async controlSeat(gameId: string, bearer: string | undefined): Promise<Seat> {
    const token = await this.#controlToken(gameId, bearer);
    const seat = await this.#auth.verifyToken(token);
    if (!seat) throw unauthorized();
    if (seat.role !== 'control') throw forbidden();
    return seat;
  }

  /** Tells the listeners that these seats' tokens were revoked (their sockets are closed). */
  revoked(seats: Seat[]): void {
    for (const listener of this.#revokedListeners) listener(seats);
  }

  /** The White Cell takes a player out of the game: their tokens stop working and their seat is left. */
  async removePlayer(gameId: string, bearer: string | undefined, playerId: string): Promise<{ removed: string }> {
    const token = await this.#controlToken(gameId, bearer);
    const removed = await this.#auth.removePlayer(token, playerId);
    if (removed === null) throw unauthorized();
    if (removed === 'forbidden') throw forbidden();
    if (removed === 'unknown') throw new AppError(404, 'UNKNOWN_PLAYER', 'No such player to remove');
    for (const listener of this.#revokedListeners) listener(removed);
    await this.#games.submit(gameId, SYSTEM, { type: 'seat.leave', playerId });
    this.#log.info('player removed', { game: gameId, player: playerId });
    return { removed: playerId };
  }

  /**
   * The White Cell corrects a player's name: every token of theirs carries it from now on, and the game records it
   * (PlayerRenamed), so every audience that sees the player sees the new name. Their sockets are re-seated.
   */
  async renamePlayer(
    gameId: string,
    bearer: string | undefined,
    playerId: string,
    name: string,
  ): Promise<RenamePlayerResult> {
    const token = await this.#controlToken(gameId, bearer);
    const game = await this.#games.get(gameId);
    const player = game?.state.players[playerId];
    if (player && nameTaken(game.state.players, player.role, name, playerId))
      throw new AppError(409, 'NAME_TAKEN', 'Another player of this seat already has that name');
    const renamed = await this.#auth.renamePlayer(token, playerId, name);
    if (renamed === null) throw unauthorized();
    if (renamed === 'forbidden') throw forbidden();
    if (renamed === 'unknown') throw new AppError(404, 'UNKNOWN_PLAYER', 'No such player to rename');
    this.#reseat(renamed);
    await this.#reconcile(renamed, true);
    this.#log.info('player renamed', { game: gameId, player: playerId });
    return { playerId, name: renamed.name };
  }

  /**
   * The White Cell moves a player to another seat (a team, "control" or "observer"). The auth record changes first,
   * so the player's token holds the new seat; their sockets are closed before the game records the move
   * (PlayerReseated), so no socket of theirs is sent the old seat's view after it, and they reconnect to the new one.
   */
  async movePlayer(
    gameId: string,
    bearer: string | undefined,
    playerId: string,
    to: string,
  ): Promise<MovePlayerResult> {
    const token = await this.#controlToken(gameId, bearer);
    const game = await this.#games.get(gameId);
    if (!game) throw unauthorized();
    const target: Pick<Seat, 'role' | 'team'> =
      to === 'control' || to === 'observer' ? { role: to, team: null } : { role: 'team', team: to };
    if (target.role === 'team' && !game.state.scenario.teams.some((t) => t.id === to))
      throw new AppError(400, 'UNKNOWN_TEAM', 'No such team');
    const player = game.state.players[playerId];
    if (player && player.role !== to && nameTaken(game.state.players, to, player.name, playerId))
      throw new AppError(409, 'NAME_TAKEN', 'A player of that seat already has this name');
    const moved = await this.#auth.movePlayer(token, playerId, target);
    if (moved === null) throw unauthorized();
    if (moved === 'forbidden') throw forbidden();
    if (moved === 'unknown') throw new AppError(404, 'UNKNOWN_PLAYER', 'No such player to move');
    if (moved.moved) this.#reseat(moved.to);
    // Also when nothing moved: a retry after a crash between the two writes brings the game in line.
    await this.#reconcile(moved.to);
    this.#log.info('player moved', { game: gameId, player: playerId, to });
    return { playerId, role: moved.to.role, team: moved.to.team };
  }

  /** Called with a seat whose name or place just changed, so its sockets can be closed and reconnect to it. */
  onReseated(listener: (seat: Seat) => void): void {
    this.#reseatedListeners.push(listener);
  }

  #reseat(seat: Seat): void {
    for (const listener of this.#reseatedListeners) listener(seat);
  }

  /** Called with the seats whose tokens were just revoked, so their sockets can be closed. */
  onRevoked(listener: (seats: Seat[]) => void): void {
    this.#revokedListeners.push(listener);
  }

  /** The seat behind a token, with its game loaded; null for any token that does not hold a seat now. */
  async authenticate(token: unknown): Promise<Seat | null> {
    const parsed = parseToken(token);
    if (!parsed || !(await this.#gameOf(parsed))) return null;
    return this.#auth.verifyToken(parsed);
  }

  /**
   * Makes sure the engine has the seat: a crash between writing the auth record and seat.take would otherwise
   * leave a player who can connect but is unknown to the game.
   */
  async ensureSeated(seat: Seat): Promise<void> {
    const game = await this.#games.get(seat.gameId);
    if (game && !game.state.players[seat.playerId]?.seated) await this.#seat(seat);
    else await this.#reconcile(seat);
  }

  /**
   * Brings the game's record of a player in line with their auth record, which is written first: a crash between a
   * rename or move and its game event would otherwise leave the game showing the old name or seat.
   */
  async #reconcile(seat: Seat, exactName = false): Promise<void> {
    const player = (await this.#games.get(seat.gameId))?.state.players[seat.playerId];
    // Bots hold no tokens; a player who left is seated again by ensureSeated, not here.
    if (!player?.seated || player.bot) return;
    const commands: SeatCommand[] = [];
    if (player.role !== engineRole(seat))
      commands.push({ type: 'seat.move', playerId: seat.playerId, role: engineRole(seat) });
    // A returning player's older tokens may carry their name in other capitals (joining again matches names that
    // way, and the game keeps the latest): only the White Cell's own rename makes capitals alone count.
    const differs = exactName ? player.name !== seat.name : player.name.toLowerCase() !== seat.name.toLowerCase();
    if (differs) commands.push({ type: 'seat.rename', playerId: seat.playerId, name: seat.name });
    for (const command of commands) {
      const ack = await this.#games.submit(seat.gameId, SYSTEM, command);
      if (!ack.ok)
        this.#log.warn('seat not updated', { game: seat.gameId, player: seat.playerId, code: ack.error.code });
    }
  }

  async #seat(seat: Seat): Promise<void> {
    const ack = await this.#games.submit(seat.gameId, SYSTEM, {
      type: 'seat.take',
      playerId: seat.playerId,
      name: seat.name,
      role: engineRole(seat),
    });
    // The auth record stands; ensureSeated retries when the player connects.
    if (!ack.ok) this.#log.warn('seat not taken', { game: seat.gameId, player: seat.playerId, code: ack.error.code });
  }

  async #controlToken(gameId: string, bearer: string | undefined) {
    const token = parseToken(bearer);
    if (!token || token.gameId !== gameId || !(await this.#gameOf(token))) throw unauthorized();
    return token;
  }

  /**
   * Whether a token's game exists. A damaged game's own players are told it is damaged (the CorruptLog goes on, and
   * is answered GAME_DAMAGED); a token that seats nobody gets the answer it gets for any game (no game, so
   * UNAUTHORIZED), not a word about this one. The auth record is apart from the log and still reads; if it does not
   * either, the damage is the answer.
   */
  async #gameOf(token: Credential): Promise<boolean> {
    try {
      return (await this.#games.get(token.gameId)) !== null;
    } catch (err) {
      if (err instanceof CorruptLog && !(await this.#auth.verifyToken(token).catch(() => 'unknown'))) return false;
      throw err;
    }
  }
}
