// The White Cell's roll call counts a team at the table when a seated player is online, or when a bot plays it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { teamsAtTable } from '../../../client/lib/roll-call.ts';
import { viewFor } from '../../../server/engine/index.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game, system } from '../../helpers/engine.ts';

test('a bot is at the table though it is never online; an absent person is not', () => {
  const g = new Game(mini).seatAll(['us', 'dprk']);
  g.do(system, { type: 'seat.take', playerId: 'bot-prc', name: 'Bot', role: 'prc', bot: 'cooperative' });
  const v = viewFor(g.state, { kind: 'control' });
  assert.is(teamsAtTable(v, null), 3, 'before the server says who is online, every seated team counts');
  assert.is(teamsAtTable(v, new Set(['p-us'])), 2, 'the US player is online and the bot plays China');
  assert.is(teamsAtTable(v, new Set()), 1, 'the bot alone');
});

test.run();
