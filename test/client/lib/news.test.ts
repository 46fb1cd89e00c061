// What a screen reader is told of others' doings: deals addressed to the team and answers to its own, announcements,
// and new lines in the channel on screen; nothing already on the page when it opened, nothing of the seat's own.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { NewsWatcher } from '../../../client/lib/news.ts';
import { viewFor } from '../../../server/engine/index.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game, control, teamActor } from '../../helpers/engine.ts';

const us = teamActor('us');
const dprk = teamActor('dprk');
const prc = teamActor('prc');
const usView = (g: Game) => viewFor(g.state, { kind: 'team', team: 'us' });
const name = (g: Game, team: string) => g.state.scenario.teams.find((t) => t.id === team)!.name;

function negotiating() {
  const g = new Game(mini).seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  return g;
}
const offer = (g: Game, from: typeof us, to: string, mine: string, theirs: string) =>
  g.do(from, {
    type: 'deal.propose',
    to: [to],
    obligations: [
      { team: from.kind === 'team' ? from.team : '', action: mine, byRound: 1 },
      { team: to, action: theirs, byRound: 1 },
    ],
    secret: false,
    snapback: false,
    note: '',
  });

test('what the page found when it opened is not news; what others do after is', () => {
  const g = negotiating();
  g.do(control, { type: 'chat.post', channel: 'announcements', text: 'Welcome to the exercise.' });
  offer(g, dprk, 'us', 'dprk-channel', 'us-talks');
  const watcher = new NewsWatcher();
  assert.equal(watcher.news(usView(g), { team: 'us', channel: 'plenary' }), []);

  g.advance(1000).do(control, { type: 'chat.post', channel: 'announcements', text: 'Ten minutes left.' });
  offer(g, dprk, 'us', 'dprk-moratorium', 'us-food');
  assert.equal(watcher.news(usView(g), { team: 'us', channel: 'plenary' }), [
    'Announcement from the White Cell: Ten minutes left.',
    `${name(g, 'dprk')} proposes a deal`,
  ]);
  assert.equal(watcher.news(usView(g), { team: 'us', channel: 'plenary' }), [], 'said once');
});

test('lines are said in the channel on screen only, and never the seat’s own; a teammate’s are', () => {
  const g = negotiating();
  const watcher = new NewsWatcher();
  const me = { team: 'us', name: 'us-player', channel: 'plenary' };
  watcher.news(usView(g), me);
  g.advance(1000).do(prc, { type: 'chat.post', channel: 'plenary', text: 'Beijing proposes a meeting.' });
  g.advance(1000).do(us, { type: 'chat.post', channel: 'plenary', text: 'Washington agrees.' });
  assert.equal(watcher.news(usView(g), me), ['prc-player: Beijing proposes a meeting.']);
  g.advance(1000).do(teamActor('us', 'Ursula'), { type: 'chat.post', channel: 'plenary', text: 'Thursday suits us.' });
  assert.equal(watcher.news(usView(g), me), ['Ursula: Thursday suits us.'], 'a teammate is not the seat');
  g.advance(1000).do(prc, { type: 'chat.post', channel: 'plenary', text: 'Thursday, then.' });
  assert.equal(watcher.news(usView(g), { ...me, channel: null }), [], 'the channels are not on screen');
  for (let i = 0; i < 4; i++) g.advance(1000).do(prc, { type: 'chat.post', channel: 'plenary', text: `Line ${i}` });
  assert.equal(watcher.news(usView(g), me), ['4 new messages in this channel']);
  // An older page of the channel, loaded on request, goes before the lines held: not news.
  const v = usView(g);
  v.messages.unshift({
    id: 'older',
    channel: 'plenary',
    from: 'prc',
    name: 'prc-player',
    text: 'Old',
    at: 0,
    round: 1,
  });
  assert.equal(watcher.news(v, me), []);
  // A new line stamped a little earlier by another process's clock is still news: it comes after the lines held.
  v.messages.push({
    id: 'skewed',
    channel: 'plenary',
    from: 'prc',
    name: 'prc-player',
    text: 'Late clock',
    at: 5,
    round: 1,
  });
  assert.equal(watcher.news(v, me), ['prc-player: Late clock']);
});

test('answers to the team’s own proposals are said; an observer hears the announcements only', () => {
  const g = negotiating();
  const watcher = new NewsWatcher();
  const observer = new NewsWatcher();
  watcher.news(usView(g), { team: 'us' });
  observer.news(viewFor(g.state, { kind: 'observer' }));
  offer(g, us, 'dprk', 'us-talks', 'dprk-channel');
  const accepted = g.lastDealId();
  offer(g, us, 'prc', 'us-food', 'prc-summit');
  const refused = g.lastDealId();
  assert.equal(watcher.news(usView(g), { team: 'us' }), [], 'its own proposals are not news to it');
  g.do(dprk, { type: 'deal.accept', dealId: accepted }).do(prc, { type: 'deal.reject', dealId: refused });
  g.advance(1000).do(control, { type: 'chat.post', channel: 'announcements', text: 'Lunch.' });
  assert.equal(watcher.news(usView(g), { team: 'us' }), [
    'Announcement from the White Cell: Lunch.',
    `${name(g, 'dprk')} accepted our deal`,
    `Our deal with ${name(g, 'prc')} was turned down`,
  ]);
  assert.equal(observer.news(viewFor(g.state, { kind: 'observer' })), ['Announcement from the White Cell: Lunch.']);
});

test.run();
