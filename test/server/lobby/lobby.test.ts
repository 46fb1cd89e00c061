// The lobby: a fork's dice are keyed by a secret as long as a new game's (docs/rules.md, "Provable dice").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { botWorld } from '../../helpers/bot-world.ts';

test("a fork's dice secret is 256 random bits, as a new game's is", async () => {
  const world = botWorld();
  const game = await world.create();
  await game.act({ type: 'game.start' });
  while (game.state().phase !== 'adjudication') await game.act({ type: 'phase.advance' });
  await game.act({ type: 'adjudication.approve' });
  const fork = await world.lobby.forkGame(game.gameId, game.controlToken, 1, 'Fork facilitator');
  const seeds = [game.state().options.seed, world.games.peek(fork.gameId)!.state.options.seed];
  for (const seed of seeds) assert.match(seed, /^[0-9a-f]{64}$/, '32 random bytes, in hex');
  assert.is.not(seeds[0], seeds[1]);
  assert.is(world.games.peek(fork.gameId)!.state.options.dice, 'hmac-sha256');
});

test.run();
