// The bots of a whole process take turns of the event loop: after a restart every game's bots want to move at once,
// and no two of their decisions may run in the same turn (the players' I/O gets a turn between any two). Their dice
// are keyed by the game's seed, one stream for each kind of decision.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { STRATEGIES } from '../../../server/bots/library.ts';
import type { BotStrategy } from '../../../server/bots/strategy.ts';
import { botDice } from '../../../server/bots/runner.ts';
import type { GameState } from '../../../server/engine/index.ts';
import { secretRoll } from '../../../server/engine/dice.ts';
import { botWorld } from '../../helpers/bot-world.ts';

const GAMES = 6;

test('a burst of bot decisions across games is spread over turns of the event loop, one a turn', async () => {
  const before = botWorld();
  const games = [];
  for (let g = 0; g < GAMES; g++) {
    const game = await before.create({ seed: `turns-${g}` });
    for (const team of ['us', 'prc'])
      await before.hands.assign(game.gameId, team, game.controlToken, { by: 'bot', strategy: 'cooperative' });
    games.push(game);
  }
  // The process "dies" before its bots get to negotiate.
  before.runner.close();
  for (const game of games)
    for (const type of ['game.start', 'phase.advance', 'phase.advance']) await game.act({ type });

  // Each turn of the event loop has a number; every decision notes the turn it ran in.
  let turn = 0;
  let counting = true;
  const count = () => {
    turn++;
    if (counting) setImmediate(count);
  };
  setImmediate(count);
  const turns: number[] = [];
  const noting = new Map<string, BotStrategy>(
    [...STRATEGIES].map(([id, s]) => [
      id,
      {
        ...s,
        offer: (t) => {
          turns.push(turn);
          return s.offer(t);
        },
      },
    ]),
  );
  const after = botWorld({ store: before.store, strategies: noting });
  await after.games.start();
  after.runner.start();
  await after.runner.idle();
  counting = false;

  assert.ok(turns.length >= GAMES * 2, `every bot decided (${turns.length} decisions)`);
  assert.is(new Set(turns).size, turns.length, 'no two decisions in one turn of the event loop');
  for (const game of games) {
    const s = after.games.peek(game.gameId)!.state;
    assert.ok(
      s.dealOrder.some((id) => s.deals[id].from === 'us'),
      'each game still got its bots’ offers',
    );
  }
});

test("a bot's dice: keyed by the game's seed, a stream for each decision, none shared by teams, rounds or phases", () => {
  const at = (options: GameState['options'], round = 2, phase = 'submission') =>
    ({ options, round, phase }) as unknown as GameState;
  const drawn = (s: GameState, team: string, purpose: string) => botDice(s, team, purpose).next();
  const server = at({ seed: 'a server-drawn secret' } as GameState['options']);
  // An HMAC of the game's secret: what is drawn in public tells nothing of the next draw, or of another stream.
  assert.is(drawn(server, 'dprk', 'moves'), secretRoll('a server-drawn secret', 0, 'bot:dprk:2:submission:moves'));
  const firsts = new Set([
    drawn(server, 'dprk', 'statement'),
    drawn(server, 'dprk', 'moves'),
    drawn(server, 'prc', 'moves'),
    drawn(at({ seed: 'a server-drawn secret' } as GameState['options'], 3), 'dprk', 'moves'),
    drawn(at({ seed: 'a server-drawn secret' } as GameState['options'], 2, 'negotiation'), 'dprk', 'moves'),
  ]);
  assert.is(firsts.size, 5, 'the statement and the moves, two teams, two rounds, two phases: five streams');
  // A seed chosen by hand plays the same bot game again, whatever salt its commitment drew.
  const chosen = (salt: string) => at({ seed: 'qa-seed-1', salt } as GameState['options']);
  assert.is(drawn(chosen('salt one'), 'dprk', 'moves'), drawn(chosen('salt two'), 'dprk', 'moves'));
});

test.run();
