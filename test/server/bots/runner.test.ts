// The bots of a whole process take turns of the event loop: after a restart every game's bots want to move at once,
// and no two of their decisions may run in the same turn (the players' I/O gets a turn between any two).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { STRATEGIES } from '../../../server/bots/library.ts';
import type { BotStrategy } from '../../../server/bots/strategy.ts';
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

test.run();
