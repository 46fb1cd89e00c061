// Side channel: a seat's version moves only when its own view does, so other teams' private activity cannot be
// counted or timed through it; and every process folds the same versions from the log.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fold, seqOf, viewFor } from '../../../server/engine/index.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game, control, teamActor } from '../../helpers/engine.ts';

function started() {
  const g = new Game(mini);
  g.marking = true;
  g.seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  return g;
}

test("other teams' private chat, drafts and proposals leave a team's version and view alone", () => {
  const g = started();
  const before = seqOf(g.state, 'team:prc');
  const view = JSON.stringify(viewFor(g.state, { kind: 'team', team: 'prc' }));
  const usAt = seqOf(g.state, 'team:us');
  g.do(teamActor('us'), { type: 'chat.post', channel: 'team:us', text: 'a' });
  g.do(teamActor('us'), { type: 'chat.post', channel: 'bi:us:dprk', text: 'b' });
  g.do(teamActor('dprk'), { type: 'draft.set', overt: ['dprk-channel'], covert: [], freeform: null });
  g.do(teamActor('us'), {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [{ team: 'us', action: 'us-talks', byRound: 1 }],
    secret: true,
    snapback: false,
    note: 'n',
  });
  assert.is(JSON.stringify(viewFor(g.state, { kind: 'team', team: 'prc' })), view);
  assert.is(seqOf(g.state, 'team:prc'), before, 'the PRC counts nothing');
  assert.is(seqOf(g.state, 'team:us'), usAt + 3, 'the US saw its own three changes, one each');
  g.do(teamActor('prc'), { type: 'chat.post', channel: 'plenary', text: 'hello' });
  assert.is(seqOf(g.state, 'team:prc'), before + 1, 'and moves by one when its view does');
});

test('the versions follow from the log alone: a replay gives the same', () => {
  const g = started();
  g.do(teamActor('us'), { type: 'chat.post', channel: 'plenary', text: 'x' });
  g.do(control, { type: 'phase.advance' });
  assert.equal(fold(g.log).seqs, g.state.seqs);
  assert.ok(Object.keys(g.state.seqs ?? {}).length >= 5);
});

test.run();
