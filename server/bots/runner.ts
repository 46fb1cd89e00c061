// Runs the bots of every game this process holds. After each update a game's bots are asked, one at a time, for
// their next move on their own team's view; a move goes through the players' path: parsed by the same zod schemas
// as a socket's payload, then decided and appended by Games for the bot's own seat. There is no other way in.
//
// Bots never hold players up. A bot decides only when its game has no command queued or running, so a player's
// command never waits behind a bot's; and all the bots of the process take turns of the event loop, one decision
// a turn, so twenty cells' bots answering twenty offers at once are spread out between the players' I/O instead of
// building twenty views in one go.
//
// Determinism: a strategy sees a view and dice keyed by the game's seed, the team, the round, the phase and what
// they decide (botDice), never Math.random or the clock, so the same game state gives the same moves. The log
// records the moves themselves, so replaying a bot game needs no bot at all.
import { SecretDice, type Dice } from '../engine/index.ts';
import type { GameState } from '../engine/index.ts';
import { viewFor } from '../engine/index.ts';
import type { Games } from '../games/games.ts';
import { actorOf, type Seat } from '../games/seat.ts';
import type { Logger } from '../log.ts';
import { parseCommand } from '../realtime/parse-command.ts';
import { STRATEGIES } from './library.ts';
import { PUBLIC_CHANNEL, nextMove, type BotPayload } from './next-move.ts';
import { BOT_SECTIONS, type BotStrategy, type BotView, botWeights } from './strategy.ts';

export interface BotRunnerDeps {
  games: Games;
  log: Logger;
  strategies?: ReadonlyMap<string, BotStrategy>;
}

/**
 * The parts of the state a bot's decision can depend on. After a bot has found nothing to do, an update that
 * changed none of them (a chat line, a presence change) cannot give it anything to do: it is not asked again, which
 * spares building its view for every message of a talkative game.
 */
const RELEVANT: readonly (keyof GameState)[] = [
  'phase',
  'round',
  'paused',
  'deals',
  'dealOrder',
  'drafts',
  'adjudication',
  'meters',
  'pairs',
  'players',
];

/**
 * A runaway guard: no bot should ever need this many commands of its own in one phase of one round. Its answers to
 * other teams' proposals are not counted (each closes a proposal, so they are bounded by what others send): counted,
 * a burst of hidden proposals spent the bot's moves and kept it from drafting and locking, which every seat saw.
 */
const MAX_MOVES_PER_PHASE = 40;

const isAnswer = (payload: { type: string }): boolean =>
  payload.type === 'deal.accept' || payload.type === 'deal.reject';

/**
 * The order in which a game's bots make their kinds of move (`#turn`): what everyone sees when it is made (the
 * plenary statement, the lock that "N teams locked" counts) comes first or last, the hidden moves between.
 */
const STATEMENT = 0;
const HIDDEN = 1;
const LOCK = 2;
type MoveKind = typeof STATEMENT | typeof HIDDEN | typeof LOCK;

const kindOf = (p: BotPayload): MoveKind =>
  p.type === 'chat.post' && p.channel === PUBLIC_CHANNEL ? STATEMENT : p.type === 'draft.lock' ? LOCK : HIDDEN;

interface Decision {
  bot: BotSeat;
  payload: BotPayload;
  key: string;
  phaseKey: string;
  /** The game's version it was decided on (a refused move is not asked again until the game moves). */
  version: number;
}

export interface BotSeat {
  playerId: string;
  name: string;
  team: string;
  strategy: string;
}

type Player = GameState['players'][string];

/** A seat a bot plays: seated, with a strategy, on one of the scenario's teams. */
const isBotSeat = (s: GameState, p: Player) => p.seated && !!p.bot && s.scenario.teams.some((t) => t.id === p.role);

/** The bots seated in a game, in the scenario's team order. */
export function botsOf(s: GameState): BotSeat[] {
  const order = s.scenario.teams.map((t) => t.id);
  return Object.values(s.players)
    .filter((p) => isBotSeat(s, p))
    .map((p) => ({ playerId: p.id, name: p.name, team: p.role, strategy: p.bot! }))
    .sort((a, b) => order.indexOf(a.team) - order.indexOf(b.team));
}

/** Whether botsOf(s) holds any bot: asked after every update of every game, so it builds no list. */
export function hasBots(s: GameState): boolean {
  for (const id in s.players) if (isBotSeat(s, s.players[id])) return true;
  return false;
}

/**
 * The dice a bot decides one thing with (`purpose`: its statement, its moves, an estimate) in one phase of one round.
 * Keyed by the game's seed (HMAC), so the same seed plays the same bot game, yet what a bot says or plays in public
 * tells nothing of its other choices while the seed is secret; each purpose draws from its own stream. (A 32-bit
 * hash of the seed gave every bot, round and phase one shared state, which a seat could work back from the bots'
 * public lines and moves.) A seed chosen by hand keys the bots as it keys the game's own dice: whoever knows it
 * foresees both, which is what choosing one is for.
 */
export function botDice(s: GameState, team: string, purpose: string): Dice {
  return new SecretDice(s.options.seed, 0, `bot:${team}:${s.round}:${s.phase}:${purpose}`);
}

export class BotRunner {
  readonly #games: Games;
  readonly #log: Logger;
  readonly #strategies: ReadonlyMap<string, BotStrategy>;
  /** Games with a turn scheduled or running, and whether another was asked for meanwhile. */
  readonly #busy = new Map<string, { again: boolean }>();
  /** `${game}/${team}` -> the version at which its last move was refused: not asked again until the game moves. */
  readonly #refusedAt = new Map<string, number>();
  /** `${game}/${team}/${round}/${phase}` -> moves made, for the runaway guard. */
  readonly #moves = new Map<string, number>();
  /** `${game}/${team}` -> the state at which the bot last found nothing to do. */
  readonly #quiet = new Map<string, GameState>();
  #idle: (() => void)[] = [];
  #closed = false;
  /** Bot decisions waiting for a turn of the event loop, oldest first (every game's bots share them). */
  readonly #waiting: (() => void)[] = [];
  #pumping = false;

  constructor(deps: BotRunnerDeps) {
    this.#games = deps.games;
    this.#log = deps.log;
    this.#strategies = deps.strategies ?? STRATEGIES;
    deps.games.onUpdate((gameId) => this.kick(gameId));
  }

  /** After a (re)start: every loaded game's bots pick up where their game is. */
  start(): void {
    for (const id of this.#games.loadedIds()) this.kick(id);
  }

  close(): void {
    this.#closed = true;
  }

  /** Asks a game's bots to act (soon, not now: this may be called from inside a command's own processing). */
  kick(gameId: string): void {
    if (this.#closed) return;
    const busy = this.#busy.get(gameId);
    if (busy) {
      busy.again = true;
      return;
    }
    const game = this.#games.peek(gameId);
    if (!game || !hasBots(game.state)) return;
    this.#busy.set(gameId, { again: false });
    setImmediate(() => void this.#turns(gameId));
  }

  /** Resolves once no game has a bot turn scheduled or running (for tests and the benchmark). */
  idle(): Promise<void> {
    if (this.#busy.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  async #turns(gameId: string): Promise<void> {
    try {
      for (;;) {
        const busy = this.#busy.get(gameId)!;
        busy.again = false;
        const moved = await this.#turn(gameId);
        // A move stores events, and their update asks again; a turn with no move ends the round of asking.
        if (!moved && !busy.again) break;
        if (this.#closed) break;
      }
    } catch (err) {
      this.#log.error('bot turn failed', { game: gameId, err });
    } finally {
      this.#busy.delete(gameId);
      if (this.#busy.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
    }
  }

  /**
   * Each bot of the game in turn is asked for its move; then the moves of the first kind anyone has go: statements,
   * then hidden moves (answers, offers, drafts, estimates), then locks. So the bots speak first, one a turn in team
   * order, before anything private; and they lock one a turn in team order once none has anything private left to
   * do. Were a bot to lock as soon as it was ready, a hidden move before it (a secret proposal to answer) would put
   * it behind the next bot, and the order everyone sees would tell of it. True if a bot moved, or one still wants to.
   */
  async #turn(gameId: string): Promise<boolean> {
    const game = this.#games.peek(gameId);
    if (!game) return false;
    const asked: { move: Decision; kind: MoveKind }[] = [];
    for (const bot of botsOf(game.state)) {
      if (this.#closed) return false;
      await this.#slot(gameId);
      const move = this.#decide(gameId, bot);
      if (move) asked.push({ move, kind: kindOf(move.payload) });
    }
    if (!asked.length) return false;
    const first = Math.min(...asked.map((a) => a.kind)) as MoveKind;
    const going = asked.filter((a) => a.kind === first);
    for (const { move: decided } of first === HIDDEN ? going : going.slice(0, 1)) {
      if (this.#closed) return false;
      await this.#slot(gameId);
      // A slot of its own: if the game has moved since the bot was asked, it is asked again.
      const move = this.#games.peek(gameId)?.version === decided.version ? decided : this.#decide(gameId, decided.bot);
      if (move && kindOf(move.payload) === first) await this.#make(gameId, move);
    }
    return true;
  }

  /**
   * A bot's next move on the game as it is now (called in a slot of its own), or null: nothing to do, or not its to
   * make any more.
   */
  #decide(gameId: string, bot: BotSeat): Decision | null {
    const game = this.#games.peek(gameId);
    if (this.#closed || !game) return null;
    // The game may have moved while this bot waited: the bot may have left the seat, or changed strategy.
    const seated = game.state.players[bot.playerId];
    if (!seated?.seated || seated.role !== bot.team || !seated.bot) return null;
    const s = game.state;
    const key = `${gameId}/${bot.team}`;
    if (this.#refusedAt.get(key) === game.version) return null;
    const quiet = this.#quiet.get(key);
    if (quiet && RELEVANT.every((k) => quiet[k] === s[k])) return null;
    const strategy = this.#strategies.get(seated.bot);
    if (!strategy) return null;
    const phaseKey = `${key}/${s.round}/${s.phase}`;
    if ((this.#moves.get(phaseKey) ?? 0) >= MAX_MOVES_PER_PHASE) return null;
    // The bot's whole knowledge of the game: its own team's projection.
    const view = viewFor(s, { kind: 'team', team: bot.team }, BOT_SECTIONS) as BotView;
    const payload = nextMove(
      strategy,
      { team: bot.team, view, weights: botWeights(s.scenario) },
      (purpose) => botDice(s, bot.team, purpose),
      bot.name,
      s.scenario.botLines?.[bot.team],
    );
    if (!payload) {
      this.#quiet.set(key, s);
      return null;
    }
    this.#quiet.delete(key);
    return { bot, payload, key, phaseKey, version: game.version };
  }

  /** Sends a bot's move through the players' path, at once (it was decided in this turn of the event loop). */
  async #make(gameId: string, { bot, payload, key, phaseKey, version }: Decision): Promise<void> {
    const seat: Seat = { gameId, playerId: bot.playerId, name: bot.name, role: 'team', team: bot.team };
    const parsed = parseCommand(seat, payload);
    const ack = parsed.ok
      ? await this.#games.submit(gameId, actorOf(seat), parsed.command)
      : ({ ok: false, error: parsed.error } as const);
    if (!ack.ok || !isAnswer(payload)) {
      const made = (this.#moves.get(phaseKey) ?? 0) + 1;
      this.#moves.set(phaseKey, made);
      if (made === MAX_MOVES_PER_PHASE)
        this.#log.warn('bot stopped: too many moves this phase', { game: gameId, team: bot.team, moves: made });
    }
    if (!ack.ok) {
      this.#refusedAt.set(key, version);
      this.#log.warn('bot move refused', { game: gameId, team: bot.team, command: payload.type, error: ack.error });
    }
  }

  /**
   * Waits until the game has no command queued or running, then for a turn of the event loop of this decision's
   * own: deciding and submitting take no more than that turn, and the game's queue was empty when it began.
   */
  async #slot(gameId: string): Promise<void> {
    for (;;) {
      const busy = this.#games.busy(gameId);
      if (busy) {
        await busy;
        continue;
      }
      await new Promise<void>((resolve) => {
        this.#waiting.push(resolve);
        this.#pump();
      });
      // A player's command may have come in meanwhile: it goes first.
      if (!this.#games.busy(gameId)) return;
    }
  }

  /** Lets one waiting decision go per turn of the event loop (an immediate queued by an immediate waits for I/O). */
  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    setImmediate(() => {
      this.#pumping = false;
      this.#waiting.shift()?.();
      if (this.#waiting.length) this.#pump();
    });
  }

  /** Forgets a game's bookkeeping (its bots were all released). */
  forget(gameId: string): void {
    for (const map of [this.#refusedAt, this.#moves, this.#quiet])
      for (const k of map.keys()) if (k.startsWith(`${gameId}/`)) map.delete(k);
  }
}
