// An announcement speaks to the room for the rest of its round, until the round is revealed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { currentAnnouncements } from '../../../client/lib/announcements.ts';
import { viewFor } from '../../../server/engine/index.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game, control } from '../../helpers/engine.ts';

const say = (g: Game, text: string) => g.do(control, { type: 'chat.post', channel: 'announcements', text });
const board = (g: Game) => currentAnnouncements(viewFor(g.state, { kind: 'observer' })).map((m) => m.text);

test('an announcement lasts its round until the reveal; one made at the reveal lasts until the next round', () => {
  const g = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  g.advance(1000);
  say(g, 'Two minutes to submission.');
  g.advance(1000).do(control, { type: 'phase.advance' });
  assert.equal(board(g), ['Two minutes to submission.'], 'it stays into submission');
  g.advance(1000).do(control, { type: 'phase.advance' }).do(control, { type: 'adjudication.approve' });
  assert.is(g.state.phase, 'reveal');
  assert.equal(board(g), [], 'the revealed round is over for it');
  g.advance(1000);
  say(g, 'Coffee: ten minutes.');
  assert.equal(board(g), ['Coffee: ten minutes.']);
  g.advance(1000).do(control, { type: 'phase.advance' });
  assert.equal(board(g), [], 'round 2 starts clean');
});

test.run();
