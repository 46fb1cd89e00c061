// Reads (older chat, reveals, the archive) are charged by what they weigh to the reader's audience in
// its game: a team's players share one budget, so a join code handed round cannot multiply it, and another team's
// reads go on. The catalogue, which every screen needs first, is not weighed. A read sent with no payload at all is
// "nothing", not a bad request.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Ack } from '../../../shared/protocol.ts';
import type { Catalogue } from '../../../shared/views.ts';
import { MESSAGE_PAGE } from '../../../shared/views.ts';
import { createGame, join } from '../../helpers/http.ts';
import { socketSuite } from '../../helpers/socket-suite.ts';

// 150 KB in a burst and 1 KB a minute after: one page of a hundred long lines (about 196 KB) overdraws it.
const suite = socketSuite(test, {
  STORE: 'memory',
  COMMAND_RATE: '1000',
  COMMAND_BURST: '1000',
  CHAT_RATE: '100000',
  CHAT_BURST: '1000',
  READ_RATE_KB: '1',
  READ_BURST_KB: '150',
});
const { connect } = suite;

test("a team's players share one read budget, charged by size; another team's is its own", async () => {
  const url = suite.server.url;
  const game = await createGame(url, 'tutorial', { seed: 'budget' });
  const control = await connect(game.controlToken, 'control');
  await control.do({ type: 'game.start' });
  const poster = await connect((await join(url, game.codes.teams.us, 'Ann')).token, 'Ann');
  const long = 'x'.repeat(1_900);
  for (let i = 0; i < 2 * MESSAGE_PAGE; i++)
    await poster.do({ type: 'chat.post', channel: 'plenary', text: `${i} ${long}` });

  // Players who arrive now see the recent lines and a count of older ones to page in.
  const us = await Promise.all(
    ['Bob', 'Cy', 'Di'].map(async (name) => connect((await join(url, game.codes.teams.us, name)).token, name)),
  );
  const dprk = await connect((await join(url, game.codes.teams.dprk, 'Kim')).token, 'Kim');
  const before = us[0].view!.earlierMessages.plenary ?? 0;
  assert.ok(before > MESSAGE_PAGE, `older lines to page in (${before})`);

  // The first page goes through on what is left of the bucket; the team then waits, whichever player asks.
  const first = await us[0].history({ channel: 'plenary', before, limit: MESSAGE_PAGE });
  assert.ok(first.ok && first.messages.length === MESSAGE_PAGE, 'a first page');
  for (const player of [poster, ...us]) {
    const ack = await player.history({ channel: 'plenary', before, limit: 5 });
    assert.is(!ack.ok && ack.error.code, 'RATE_LIMITED', `${player.label} waits with the rest of the team`);
    const more = await player.reveals({ before: 1 });
    assert.is(!more.ok && more.error.code, 'RATE_LIMITED', 'every kind of read shares the budget');
    const catalogue = await player.catalogue();
    assert.ok(catalogue.ok, 'the catalogue is not weighed: a screen shows nothing without it');
  }
  // Another team reads on.
  const theirs = await dprk.history({ channel: 'plenary', before, limit: MESSAGE_PAGE });
  assert.ok(theirs.ok && theirs.messages.length === MESSAGE_PAGE, "another team's reads are its own");
  // Commands are not reads: the team still plays.
  await us[1].do({ type: 'chat.post', channel: 'team:us', text: 'still here' });
});

test('a catalogue asked for with no payload at all is answered, as with {} or null', async () => {
  const url = suite.server.url;
  const game = await createGame(url, 'tutorial', { seed: 'bare' });
  const observer = await connect((await join(url, game.codes.observer, 'Wall')).token, 'observer');
  const ack = (await observer.raw.timeout(10_000).emitWithAck('catalogue')) as Ack<Catalogue>;
  assert.ok(ack.ok, JSON.stringify(ack).slice(0, 200));
  const history = (await observer.raw.timeout(10_000).emitWithAck('history')) as Ack<object>;
  assert.is(!history.ok && history.error.code, 'BAD_REQUEST', 'a read that needs a request still needs one');
});

test.run();
