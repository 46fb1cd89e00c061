// Pseudonyms: a label per seat and order of first joining, kept when a player comes back, moves or is renamed, and
// never shared by two people who happen to have one name (two bots called "Bot", a White Cell member and a player).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildExport } from '../../../server/record/export.ts';
import { Game, control, system, teamActor } from '../../helpers/engine.ts';
import { mini } from '../../fixtures/mini-scenario.ts';
import { fold, isDomainError } from '../../../server/engine/index.ts';
import { forkEvents } from '../../../server/record/fork.ts';
import { scriptedGame } from '../../helpers/scripted-record.ts';

/** A game carried on from a log (a parent's, or a fork's first events), its clock at `now`. */
function resumed(log: Game['log'], now: number): Game {
  const g = new Game(mini);
  g.log = log;
  g.state = fold(log);
  g.now = now;
  return g;
}

const seat = (g: Game, playerId: string, name: string, role: string) =>
  g.advance(1000).do(system, { type: 'seat.take', playerId, name, role });

test('one name on two seats is two people; coming back keeps the label', () => {
  const g = new Game(mini);
  seat(g, 'p-us', 'Alice Smith', 'us');
  seat(g, 'bot-dprk', 'Bot', 'dprk');
  seat(g, 'bot-prc', 'Bot', 'prc');
  seat(g, 'wc1', 'Control', 'control');
  seat(g, 'wc2', 'Alice Smith', 'control');
  g.do(control, { type: 'game.start' });
  const said = (team: string, playerId: string, name: string, text: string) =>
    g.advance(1000).do({ kind: 'team', team, playerId, name }, { type: 'chat.post', channel: 'plenary', text });
  said('us', 'p-us', 'Alice Smith', 'from the US');
  said('dprk', 'bot-dprk', 'Bot', 'from the DPRK bot');
  said('prc', 'bot-prc', 'Bot', 'from the China bot');
  g.advance(1000).do(
    { kind: 'control', playerId: 'wc2', name: 'Alice Smith' },
    { type: 'chat.post', channel: 'announcements', text: 'from the second White Cell member' },
  );
  // The US player leaves and comes back on a new device (the same player, seated again later).
  g.advance(1000).do(system, { type: 'seat.leave', playerId: 'p-us' });
  seat(g, 'p-us', 'Alice Smith', 'us');
  said('us', 'p-us', 'Alice Smith', 'the US again');
  const x = buildExport(g.log, { kind: 'control' }, { pseudonymise: true });
  const by = Object.fromEntries(x.json.view.messages.map((m) => [m.text, m.name]));
  assert.equal(by, {
    'from the US': 'us-1',
    'from the DPRK bot': 'dprk-1',
    'from the China bot': 'prc-1',
    'from the second White Cell member': 'control-2',
    'the US again': 'us-1',
  });
  const roster = Object.fromEntries((x.json.view.control?.players ?? []).map((p) => [p.id, p.name]));
  assert.equal(roster, {
    'p-us': 'us-1',
    'bot-dprk': 'dprk-1',
    'bot-prc': 'prc-1',
    wc1: 'control-1',
    wc2: 'control-2',
  });
  assert.not.ok(JSON.stringify(x.json).includes('Alice Smith'));
  // Exported again after more joins, the labels stand.
  seat(g, 'p-us2', 'Aaron', 'us');
  const again = buildExport(g.log, { kind: 'control' }, { pseudonymise: true });
  assert.is(again.json.view.messages.find((m) => m.text === 'from the US')?.name, 'us-1');
  assert.is(again.json.view.control?.players.find((p) => p.id === 'p-us2')?.name, 'us-2');
  // A team's draft is signed under its team's label.
  g.do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  g.do(teamActor('us', 'Alice Smith'), { type: 'draft.set', overt: [], covert: [], freeform: null });
  const draft = buildExport(g.log, { kind: 'team', team: 'us' }, { pseudonymise: true }).json.view.drafts;
  assert.ok(!JSON.stringify(draft).includes('Alice Smith'));
});

test("a fork's own players are labelled apart from the parent's, whose labels its copied history carries", () => {
  const parent = scriptedGame({ end: false, rounds: 2 });
  const events = forkEvents(parent.log, 1, 'forkgame0001', 'new-seed', parent.now + 1000);
  assert.ok(!isDomainError(events));
  const g = resumed(events, parent.now + 2000);
  // The fork's first US player, and the first of its White Cell.
  seat(g, 'f-us', 'Fiona Fork', 'us');
  seat(g, 'f-wc', 'Felix Fork', 'control');
  g.advance(1000).do(
    { kind: 'team', team: 'us', playerId: 'f-us', name: 'Fiona Fork' },
    { type: 'chat.post', channel: 'plenary', text: 'the fork speaks' },
  );
  const x = buildExport(g.log, { kind: 'control' }, { pseudonymise: true });
  const copied = x.json.view.messages.filter((m) => m.from === 'us' && m.text !== 'the fork speaks');
  assert.ok(copied.length > 0, "the parent's US lines came along");
  const parentLabels = new Set(copied.map((m) => m.name));
  const own = x.json.view.messages.find((m) => m.text === 'the fork speaks')!.name;
  assert.match(own, /^us-\d+$/);
  assert.not.ok(parentLabels.has(own), `${own}: not a label of the parent's players`);
  const roster = Object.fromEntries((x.json.view.control?.players ?? []).map((p) => [p.id, p.name]));
  assert.is(roster['f-us'], own);
  // The parent's White Cell members' labels, on the lines they amended in the copied history.
  const history = JSON.stringify(
    events.slice(
      0,
      events.findIndex((e) => e.type === 'GameForked'),
    ),
  );
  const parentControl = new Set(history.match(/control-\d+/g));
  assert.ok(parentControl.size > 0);
  assert.not.ok(parentControl.has(roster['f-wc']), "the fork's White Cell member is not the parent's");
  assert.not.ok(JSON.stringify(x.json).includes('Fiona Fork'));
});

test('a fork numbers its players after every parent player, one who never wrote anything included', () => {
  const parent = scriptedGame({ end: false, rounds: 2 });
  // A second US player and an observer join the parent and never write: no copied line carries their labels.
  const p = resumed(parent.log, parent.now);
  seat(p, 'silent-us', 'Quiet Quinn', 'us');
  seat(p, 'silent-obs', 'Olive Onlooker', 'observer');
  const parentRoster = buildExport(p.log, { kind: 'control' }, { pseudonymise: true }).json.view.control!.players;
  const taken = new Set(parentRoster.map((x) => x.name));
  assert.ok(taken.has('us-2') && taken.has('observer-1'), [...taken].join(', '));

  const events = forkEvents(p.log, 1, 'forkgame0002', 'new-seed', p.now + 1000);
  assert.ok(!isDomainError(events));
  const g = resumed(events, p.now + 2000);
  seat(g, 'f-us', 'Fiona Fork', 'us');
  seat(g, 'f-obs', 'Otto Fork', 'observer');
  const roster = buildExport(g.log, { kind: 'control' }, { pseudonymise: true }).json.view.control!.players;
  for (const x of roster) assert.not.ok(taken.has(x.name), `${x.id} is ${x.name}, a label the parent already gave`);
});

test.run();
