// Every field of a command or a request that a person types is checked as chat is: no text that reads in another
// order than it was written (a bidirectional override), no control characters, and something visible. A note on a
// deal or an answer to a form reaches another seat and the exports, where such text would mislead or break a CSV.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { AnnounceBody, CreateCohortBody } from '../../shared/cohorts.ts';
import { ControlCommand, GameOptions, PlayerCommand } from '../../shared/commands.ts';

const BAD = ['Accept \u202etxt.exe\u202c now', 'ring \u0007', '\u001b[31mred', '\u200b\u2060', 'half \ud800'];
const deal = (note: string) => ({
  type: 'deal.propose',
  to: ['dprk'],
  obligations: [{ team: 'us', action: 'us-talks', byRound: 1 }],
  note,
});

const fields: [string, (text: string) => { success: boolean }][] = [
  ['a deal note', (t) => PlayerCommand.safeParse(deal(t))],
  [
    'a form answer',
    (t) => PlayerCommand.safeParse({ type: 'form.answer', formId: 'pulse', round: 1, answers: { q: t } }),
  ],
  ['a chat line', (t) => PlayerCommand.safeParse({ type: 'chat.post', channel: 'plenary', text: t })],
  [
    'a hotwash owner',
    (t) => ControlCommand.safeParse({ type: 'hotwash.record', kind: 'action', text: 'Follow up', owner: t }),
  ],
  ['a game title', (t) => GameOptions.safeParse({ title: t })],
  ['a seminar title', (t) => CreateCohortBody.safeParse({ scenario: 'flywheel-2022', cells: 2, title: t })],
  ['a seminar announcement', (t) => AnnounceBody.safeParse({ text: t })],
];

for (const [name, parse] of fields)
  test(`${name} refuses text that cannot be shown as written`, () => {
    for (const bad of BAD) assert.not.ok(parse(bad).success, JSON.stringify(bad));
    assert.ok(parse('Meet at the DMZ, round 2').success, 'plain text is taken');
  });

test('a deal may still carry no note at all', () => {
  assert.ok(PlayerCommand.safeParse(deal('')).success);
  const { note, ...noNote } = deal('');
  assert.is(note, '');
  assert.ok(PlayerCommand.safeParse(noNote).success);
});

test('titles and owners are one line; notes and answers may break lines', () => {
  assert.not.ok(GameOptions.safeParse({ title: 'two\nlines' }).success);
  assert.ok(PlayerCommand.safeParse(deal('first\nsecond')).success);
});

test.run();
