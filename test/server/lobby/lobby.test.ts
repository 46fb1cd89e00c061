// The lobby: a fork's dice, and its line ids, are keyed by secrets as long as a new game's (docs/rules.md, "Provable
// dice", "Versions and ids").
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { botWorld } from '../../helpers/bot-world.ts';

test("a fork's dice secret and line-id key are 256 random bits each, as a new game's are", async () => {
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
  // And the key of their line ids is another secret of the same length, never the seed revealed at the debrief.
  const keys = [game.state().options.idKey, world.games.peek(fork.gameId)!.state.options.idKey];
  for (const key of keys) assert.match(key ?? '', /^[0-9a-f]{64}$/);
  assert.equal(new Set([...seeds, ...keys]).size, 4, 'four secrets, all different');
});

test.run();
