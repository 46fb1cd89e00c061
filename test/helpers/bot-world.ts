// A whole server in one process, without sockets: memory store, games, lobby, bots and the White Cell's seat menu,
// on a clock the test moves. For tests of bots and cohorts that need no network.
import { readFileSync } from 'node:fs';
import { BotRunner } from '../../server/bots/runner.ts';
import { STRATEGIES } from '../../server/bots/library.ts';
import { SeatHands } from '../../server/bots/seat-hands.ts';
import type { BotStrategy } from '../../server/bots/strategy.ts';
import { Cohorts } from '../../server/cohorts/cohorts.ts';
import { Games } from '../../server/games/games.ts';
import { actorOf } from '../../server/games/seat.ts';
import { AuthBook } from '../../server/lobby/auth-book.ts';
import { Lobby } from '../../server/lobby/lobby.ts';
import { createLogger, type Logger } from '../../server/log.ts';
import { Metrics } from '../../server/metrics.ts';
import { type MemoryBacking, MemoryStore } from '../../server/store/memory-store.ts';
import { Scenario } from '../../shared/scenario.ts';
import type { GameOptions } from '../../shared/commands.ts';

export const tutorial = Scenario.parse(
  JSON.parse(readFileSync(new URL('../../scenarios/tutorial.json', import.meta.url), 'utf8')),
);

/** Every phase waits for the White Cell: nothing depends on how fast the machine is. */
export const NO_CLOCKS = { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 };

export function botWorld(
  opts: {
    strategies?: ReadonlyMap<string, BotStrategy>;
    scenario?: Scenario;
    store?: MemoryStore;
    /** Another world works on the same store at once: two processes on one Redis. */
    sharedStore?: boolean;
  } = {},
) {
  /** Pass the store of an earlier world to play a restart: everything else starts afresh from what it holds. */
  const store = opts.store ?? new MemoryStore();
  const sharedStore = opts.sharedStore ?? false;
  let t = 1_000_000;
  const now = () => (t += 1000);
  const warnings: { msg: string; fields?: Record<string, unknown> }[] = [];
  const quiet = createLogger('silent');
  const log: Logger = { ...quiet, warn: (msg, fields) => warnings.push({ msg, fields }) };
  const games = new Games({ store, log, metrics: new Metrics(), snapshotEvery: 1000, now, sharedStore });
  const auth = new AuthBook(store, now);
  const scenario = opts.scenario ?? tutorial;
  const lobby = new Lobby({ games, auth, scenarios: new Map([[scenario.id, scenario]]), log });
  const strategies = opts.strategies ?? STRATEGIES;
  const runner = new BotRunner({ games, log, strategies });
  const hands = new SeatHands({ games, lobby, auth, runner, strategies, log });
  const cohorts = new Cohorts({
    store,
    games,
    lobby,
    auth,
    hands,
    scenarios: new Map([[scenario.id, scenario]]),
    log,
    now,
    sharedStore,
  });

  async function create(options: GameOptions = {}) {
    const made = await lobby.createGame({
      scenario: scenario.id,
      options: { phases: NO_CLOCKS, ...options },
      name: 'Facilitator',
    });
    const control = await lobby.controlSeat(made.gameId, made.controlToken);
    const act = async (command: { type: string } & Record<string, unknown>) => {
      const ack = await games.submit(made.gameId, actorOf(control), command as never);
      if (!ack.ok) throw new Error(`${command.type}: ${ack.error.code} ${ack.error.message}`);
      await runner.idle();
    };
    const state = () => games.peek(made.gameId)!.state;
    /** Moves the game on as a White Cell would, letting the bots act after each step, until the debrief. */
    const playToEnd = async (each?: (phase: string, round: number) => Promise<void>) => {
      await act({ type: 'game.start' });
      for (let guard = 0; guard < 200; guard++) {
        const s = state();
        if (s.phase === 'debrief' || s.phase === 'ended') return;
        await each?.(s.phase, s.round);
        await runner.idle();
        const after = state();
        if (after.phase !== s.phase || after.round !== s.round) continue;
        await act({ type: after.phase === 'adjudication' ? 'adjudication.approve' : 'phase.advance' });
      }
      throw new Error('the game did not end');
    };
    return { ...made, control, act, state, playToEnd };
  }

  return { store, games, auth, lobby, runner, hands, cohorts, warnings, create, now };
}

/** A process started again on what a store holds (its backing): games, then seminars, then their bots, recovered. */
export async function restartWorld(backing: MemoryBacking) {
  const world = botWorld({ store: new MemoryStore(backing) });
  await world.games.start();
  await world.cohorts.start();
  await world.runner.idle();
  return world;
}
