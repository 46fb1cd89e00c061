// Drives the engine in tests: keeps the state and the event log, and replays commands as given seats.
import {
  createGame,
  decide,
  evolve,
  fold,
  isDomainError,
  type Actor,
  type Command,
  type GameEvent,
  type GameState,
  type DomainError,
} from '../../server/engine/index.ts';
import type { GameOptions } from '../../shared/commands.ts';
import { markSeen } from '../../server/games/audience-versions.ts';
import type { Scenario } from '../../shared/scenario.ts';

export const control: Actor = { kind: 'control', playerId: 'wc1', name: 'Control' };
export const system: Actor = { kind: 'system' };
export const teamActor = (team: string, name = `${team}-player`): Actor => ({
  kind: 'team',
  team,
  playerId: `p-${team}`,
  name,
});

export class Game {
  log: GameEvent[] = [];
  state: GameState;
  now = 1_700_000_000_000;
  /** Mark events with the audiences whose view they change, as the server does (audience-versions.ts). */
  marking = false;
  private idSeq = 0;

  /**
   * With `secret`, the game rolls secret dice as the server's do; otherwise its seed is 'test-seed' or the given one.
   */
  constructor(scenario: Scenario, options: GameOptions = {}, secret?: string, idKey?: string) {
    const opts = secret === undefined ? { seed: 'test-seed', ...options } : options;
    const events = createGame('g1', scenario, opts, this.now, secret, idKey);
    if (isDomainError(events)) throw new Error(events.message);
    this.log.push(...events);
    this.state = fold(events);
  }

  /** Runs a command; returns the domain error, or null on success (the events are folded and logged). */
  try(actor: Actor, command: Command): DomainError | null {
    const ids = Array.from({ length: 4 }, () => `id${++this.idSeq}`);
    const decided = decide(this.state, { command, actor, now: this.now, ids });
    if (isDomainError(decided)) return decided;
    // As the server stores them: marked with the audiences whose view changed, which moves their own versions.
    const out = this.marking ? markSeen(this.state, decided) : decided;
    for (const e of out) this.state = evolve(this.state, e);
    this.log.push(...out);
    return null;
  }

  do(actor: Actor, command: Command): this {
    const err = this.try(actor, command);
    if (err)
      throw new Error(
        `${command.type} by ${actor.kind}${'team' in actor ? ` ${actor.team}` : ''} failed: ${err.code} ${err.message}`,
      );
    return this;
  }

  seatAll(teams: string[]) {
    for (const t of teams) this.do(system, { type: 'seat.take', playerId: `p-${t}`, name: `${t}-player`, role: t });
    this.do(system, { type: 'seat.take', playerId: 'wc1', name: 'Control', role: 'control' });
    return this;
  }

  advance(ms: number) {
    this.now += ms;
    return this;
  }
  lastDealId(): string {
    return this.state.dealOrder[this.state.dealOrder.length - 1];
  }
}

/**
 * Given-events / when-command / then-events: the events themselves are the contract a test pins.
 * `given` folds a log (typically one recorded with Game); `when` decides one command; the result is the events the
 * command caused, or the domain error that refused it.
 */
export function given(events: readonly GameEvent[]) {
  const state = fold(events);
  return {
    state,
    when(actor: Actor, command: Command, now = 1_700_000_000_000, ids = ['id-a', 'id-b', 'id-c', 'id-d']) {
      const out = decide(state, { command, actor, now, ids });
      return isDomainError(out) ? { error: out, events: [] as GameEvent[] } : { error: null, events: out };
    },
  };
}
