// Paged chat over the wire: a whole view carries each channel's latest lines, `history` pages in the older ones
// for the channels a seat may read (and nothing else), and a patched view agrees with a resync.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compactChat } from '../../../shared/protocol.ts';
import { RECENT_MESSAGES } from '../../../shared/views.ts';
import { createGame, join } from '../../helpers/http.ts';
import { socketSuite } from '../../helpers/socket-suite.ts';

const suite = socketSuite(test, { STORE: 'memory', COMMAND_RATE: '1000', COMMAND_BURST: '1000' });
const { connect } = suite;

test('older chat comes a page at a time, only from readable channels, and resyncs agree', async () => {
  const game = await createGame(suite.server.url, 'tutorial', { seed: 'pages' });
  const control = await connect(game.controlToken, 'control');
  const usToken = (await join(suite.server.url, game.codes.teams.us, 'Alice')).token;
  const us = await connect(usToken, 'us');
  const observer = await connect((await join(suite.server.url, game.codes.observer, 'Wall')).token, 'observer');
  await control.do({ type: 'game.start' });

  const plenary = Array.from({ length: 3 * RECENT_MESSAGES + 5 }, (_, i) => `plenary ${i}`);
  const inTeam = Array.from({ length: RECENT_MESSAGES + 3 }, (_, i) => `us only ${i}`);
  for (const text of plenary) await us.do({ type: 'chat.post', channel: 'plenary', text });
  for (const text of inTeam) await us.do({ type: 'chat.post', channel: 'team:us', text });
  await control.do({ type: 'chat.post', channel: 'announcements', text: 'last call' });
  // Versions are each audience's own: a client has caught up when the last line has reached it.
  const heard = (c: typeof us) => !!c.view?.messages.some((m) => m.text === 'last call');
  await Promise.all([us, observer].map((c) => c.until(() => heard(c), `${c.label} caught up`)));

  // The clients that watched it happen hold every line; a patched view agrees with the whole view, cut back.
  for (const c of [us, observer]) {
    const patched = JSON.parse(JSON.stringify(compactChat(c.view!)));
    const ack = await c.resync();
    assert.ok(ack.ok);
    if (ack.ok) assert.equal(patched, ack.view, `${c.label}: the patched view is the whole view`);
  }

  // A newcomer holds only the latest lines, with counts of what is older, and pages in the rest.
  const late = await connect(usToken, 'us, second tab');
  const lines = (ch: string) => late.view!.messages.filter((m) => m.channel === ch).map((m) => m.text);
  assert.equal(lines('plenary'), plenary.slice(-RECENT_MESSAGES));
  assert.is(late.view!.earlierMessages.plenary, plenary.length - RECENT_MESSAGES);
  assert.is(late.view!.earlierMessages['team:us'], inTeam.length - RECENT_MESSAGES);
  const page = await late.history({ channel: 'plenary', before: late.view!.earlierMessages.plenary, limit: 10 });
  assert.ok(page.ok && page.messages.length === 10 && page.start === plenary.length - RECENT_MESSAGES - 10);
  await late.loadAllChat();
  assert.equal(lines('plenary'), plenary);
  assert.equal(lines('team:us'), inTeam);
  assert.equal(lines('announcements'), ['last call']);

  // The observer cannot read a team's channel, and asking for it reveals nothing; bad requests are refused.
  const refused = await observer.history({ channel: 'team:us', before: 5 });
  assert.equal(refused, { ok: false, error: { code: 'UNKNOWN_CHANNEL', message: 'No such channel for you' } });
  assert.ok(!JSON.stringify(observer.received).includes('us only'), 'no team line reached the observer');
  for (const bad of [null, 'plenary', { channel: 'plenary' }, { channel: 'plenary', before: -1 }, { before: 1 }]) {
    const ack = await observer.history(bad);
    assert.ok(!ack.ok && ack.error.code === 'BAD_REQUEST', JSON.stringify(bad));
  }
});

test.run();
