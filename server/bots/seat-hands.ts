// The White Cell's hand on a team's seat: give it to a bot, play it yourself, or hand it back to the team's people.
// Each is recorded in the game's log as an ordinary seat.take / seat.leave sent by the server, so every audience
// sees who is at the table and replay needs nothing else.
import type { BotStrategyInfo, SeatAssignBody, SeatAssignResult } from '../../shared/seat-assignment.ts';
import type { Scenario } from '../../shared/scenario.ts';
import { AppError } from '../games/app-error.ts';
import type { Games } from '../games/games.ts';
import { newId } from '../games/ids.ts';
import { SYSTEM, type Seat } from '../games/seat.ts';
import type { AuthBook } from '../lobby/auth-book.ts';
import type { Lobby } from '../lobby/lobby.ts';
import type { Logger } from '../log.ts';
import type { BotRunner } from './runner.ts';
import { strategyFits, type BotStrategy } from './strategy.ts';

export interface SeatHandsDeps {
  games: Games;
  lobby: Lobby;
  auth: AuthBook;
  runner: BotRunner;
  strategies: ReadonlyMap<string, BotStrategy>;
  log: Logger;
}

/** One bot per team, under a fixed player id: assigning again changes its strategy, it is never seated twice. */
export const botPlayerId = (team: string) => `bot-${team}`;
export const BOT_NAME = 'Bot';

export class SeatHands {
  constructor(readonly deps: SeatHandsDeps) {}

  /** The strategies on offer, as the menus list them: in one exercise, those that fit it; else all of them. */
  strategiesIn(scenario?: Scenario): BotStrategyInfo[] {
    return [...this.deps.strategies.values()]
      .filter((s) => !scenario || strategyFits(s, scenario))
      .map(({ id, name, summary }) => ({ id, name, summary }));
  }

  /** A strategy by its id, if there is one and it fits the exercise; what a seat or a seminar may be given. */
  strategyIn(id: string, scenario: Scenario): BotStrategy | undefined {
    const strategy = this.deps.strategies.get(id);
    return strategy && strategyFits(strategy, scenario) ? strategy : undefined;
  }

  /**
   * The strategies a bot may play in this game, for its White Cell's menu: read from the scenario the game was made
   * with (its log holds it), which the server's library may no longer hold or may hold in another version.
   */
  async strategiesFor(gameId: string, bearer: string | undefined): Promise<BotStrategyInfo[]> {
    await this.deps.lobby.controlSeat(gameId, bearer);
    const game = await this.deps.games.sync(gameId);
    if (!game) throw new AppError(404, 'NO_GAME', 'No such game');
    return this.strategiesIn(game.state.scenario);
  }

  async assign(gameId: string, team: string, bearer: string | undefined, body: SeatAssignBody) {
    const control = await this.deps.lobby.controlSeat(gameId, bearer);
    return this.assignAs(control, team, body);
  }

  /**
   * A team's own player takes the seat back from a bot (or from the White Cell) without waiting for the White Cell:
   * the caller's token must hold a seat on that very team, as one of its people.
   */
  async reclaim(gameId: string, team: string, bearer: string | undefined): Promise<SeatAssignResult> {
    const seat = await this.deps.lobby.authenticate(bearer);
    if (!seat || seat.gameId !== gameId) throw new AppError(401, 'UNAUTHORIZED', "A valid player's token is required");
    const game = await this.deps.games.sync(gameId);
    const me = game?.state.players[seat.playerId];
    if (seat.role !== 'team' || seat.team !== team || !me || me.whiteCell || me.bot)
      throw new AppError(403, 'NOT_ALLOWED', "Only the team's own players can take its seat back");
    const control: Seat = { gameId, playerId: seat.playerId, name: seat.name, role: 'control', team: null };
    return this.assignAs(control, team, { by: 'players' });
  }

  /** For a White Cell seat already established (the cohort dashboard acts for its instructor this way). */
  async assignAs(control: Seat, team: string, body: SeatAssignBody): Promise<SeatAssignResult> {
    const { games, auth, runner, log } = this.deps;
    const gameId = control.gameId;
    const game = await games.sync(gameId);
    if (!game) throw new AppError(404, 'NO_GAME', 'No such game');
    if (!game.state.scenario.teams.some((t) => t.id === team)) throw new AppError(404, 'UNKNOWN_TEAM', 'No such team');
    if (game.state.phase === 'ended') throw new AppError(409, 'GAME_OVER', 'This exercise has ended');
    if (body.by === 'bot' && !this.strategyIn(body.strategy, game.state.scenario))
      throw new AppError(400, 'UNKNOWN_STRATEGY', 'No bot strategy of that name for this exercise');

    const players = Object.values(game.state.players).filter((p) => p.seated && p.role === team);
    const whiteCell = players.filter((p) => p.whiteCell).map((p) => p.id);
    const bot = players.find((p) => p.bot);
    // Whoever played the seat for someone else steps aside first.
    if (whiteCell.length && body.by !== 'whiteCell') {
      await auth.revoke(gameId, whiteCell);
      this.deps.lobby.revoked(whiteCell.map((playerId) => ({ gameId, playerId, name: '', role: 'team', team })));
      for (const playerId of whiteCell) await this.#submit(gameId, { type: 'seat.leave', playerId });
    }
    if (bot && body.by !== 'bot') await this.#submit(gameId, { type: 'seat.leave', playerId: bot.id });

    let seat: SeatAssignResult['seat'];
    if (body.by === 'bot') {
      await this.#submit(gameId, {
        type: 'seat.take',
        playerId: botPlayerId(team),
        name: BOT_NAME,
        role: team,
        bot: body.strategy,
      });
      runner.kick(gameId);
    } else if (body.by === 'whiteCell') {
      const playerId = newId();
      const name = `${control.name} (White Cell)`.slice(0, 40);
      const token = await auth.issue(gameId, { playerId, name, team });
      await this.#submit(gameId, { type: 'seat.take', playerId, name, role: team, whiteCell: true });
      seat = { token, gameId, playerId, role: 'team', team, name };
    }
    log.info('seat assigned', {
      game: gameId,
      team,
      by: body.by,
      ...(body.by === 'bot' ? { strategy: body.strategy } : {}),
    });
    return { team, by: body.by, ...(seat ? { seat } : {}) };
  }

  async #submit(gameId: string, command: Parameters<Games['submit']>[2]): Promise<void> {
    const ack = await this.deps.games.submit(gameId, SYSTEM, command);
    if (!ack.ok) throw new AppError(409, ack.error.code, ack.error.message);
  }
}
