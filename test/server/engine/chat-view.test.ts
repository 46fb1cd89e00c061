// Chat kept per channel: the state built line by line is the state a replay builds, byte for byte (snapshots
// included), and a whole view's recent lines plus older pages give back exactly the channels the audience may read.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { audiences, fold, olderMessages, viewFor, evolve, type GameState } from '../../../server/engine/index.ts';
import { channelsFor } from '../../../server/engine/channels.ts';
import { Dice } from '../../../server/engine/dice.ts';
import { MESSAGE_CHUNK } from '../../../server/engine/types.ts';
import { prependPage, type MessagePage } from '../../../shared/protocol.ts';
import { RECENT_MESSAGES, type GameView } from '../../../shared/views.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game, control, teamActor } from '../../helpers/engine.ts';

/** A started game with `lines` chat lines spread over every kind of channel, by every team and the White Cell. */
function talkative(lines: number, seed = 5): Game {
  const g = new Game(mini, { seed }).seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' });
  const d = new Dice(seed);
  const channels = ['plenary', 'team:us', 'team:dprk', 'team:prc', 'bi:us:dprk', 'bi:dprk:prc', 'bi:us:prc'];
  for (let i = 0; i < lines; i++) {
    const ch = channels[Math.floor(d.next() * channels.length)];
    const team = ch.startsWith('team:') ? ch.slice(5) : ch.startsWith('bi:') ? ch.split(':')[1] : 'us';
    g.advance(1000);
    if (d.next() < 0.1) g.do(control, { type: 'chat.post', channel: 'announcements', text: `notice ${i}` });
    else g.do(teamActor(team), { type: 'chat.post', channel: ch, text: `line ${i} in ${ch}` });
  }
  return g;
}

/** Every line ever posted to `channel`, from the log. */
const posted = (g: Game, channel: string) =>
  g.log.flatMap((e) => (e.type === 'MessagePosted' && e.message.channel === channel ? [e.message] : []));

test('chat kept per channel replays byte for byte, from the log and across a snapshot', () => {
  const g = talkative(3 * MESSAGE_CHUNK + 17);
  assert.is(JSON.stringify(fold(g.log)), JSON.stringify(g.state));
  // A snapshot is the state's JSON; folding the rest of the log onto it gives the same bytes as the whole fold.
  const cut = Math.floor(g.log.length / 2);
  let s: GameState = JSON.parse(JSON.stringify(fold(g.log.slice(0, cut))));
  for (const e of g.log.slice(cut)) s = evolve(s, e);
  assert.is(JSON.stringify(s), JSON.stringify(g.state));
  for (const ch of Object.keys(g.state.messages)) {
    const chunks = g.state.messages[ch];
    assert.ok(
      chunks.every((c, i) => c.length === MESSAGE_CHUNK || i === chunks.length - 1),
      `${ch}: full chunks`,
    );
    assert.equal(chunks.flat(), posted(g, ch), `${ch}: every line, in order`);
  }
});

test('a whole view holds the latest lines of each readable channel, and older pages give back the rest', () => {
  const g = talkative(900);
  for (const a of audiences(g.state)) {
    const readable = channelsFor(g.state, a).map((c) => c.id);
    let view: GameView = viewFor(g.state, a);
    assert.equal(Object.keys(view.earlierMessages), readable, 'a count for each readable channel, and no other');
    for (const ch of readable) {
      const mine = view.messages.filter((m) => m.channel === ch);
      assert.equal(mine, posted(g, ch).slice(-RECENT_MESSAGES), `${ch}: the latest lines`);
      assert.is(view.earlierMessages[ch], posted(g, ch).length - mine.length);
    }
    assert.ok(
      view.messages.every((m) => readable.includes(m.channel)),
      'no line of a channel it cannot read',
    );
    // Page back to the start of every channel, a page at a time, as a client would.
    for (const ch of readable) {
      for (let guard = 0; view.earlierMessages[ch] > 0; guard++) {
        assert.ok(guard < 100, 'paging ends');
        const page = olderMessages(g.state, a, ch, view.earlierMessages[ch], 37)!;
        view = prependPage(view, { gameId: 'g1', ...page });
      }
      assert.equal(
        view.messages.filter((m) => m.channel === ch),
        posted(g, ch),
        `${ch}: the whole channel`,
      );
    }
    // A channel the audience cannot read answers like one that does not exist.
    for (const ch of ['announcements', 'plenary', 'team:us', 'bi:dprk:prc', 'nope'])
      if (!readable.includes(ch)) assert.is(olderMessages(g.state, a, ch, 10), null, `${ch} is not readable`);
  }
});

test('a page that does not end where the held lines begin is ignored', () => {
  const g = talkative(200);
  const view = viewFor(g.state, { kind: 'control' });
  const before = view.earlierMessages.plenary;
  assert.ok(before > 5);
  const page = olderMessages(g.state, { kind: 'control' }, 'plenary', before - 3, 10)!;
  const stale: MessagePage = { gameId: 'g1', ...page };
  assert.is(prependPage(view, stale), view);
  const unknown: MessagePage = { gameId: 'g1', channel: 'nope', start: 0, messages: [] };
  assert.is(prependPage(view, unknown), view);
});

test.run();
