// Every illegal command is refused with a stable code and leaves the state exactly as it was.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game, control, system, teamActor } from '../../helpers/engine.ts';
import type { Actor, Command } from '../../../server/engine/index.ts';
import { MAX_OPEN_PROPOSALS } from '../../../server/engine/decide.ts';

const us = teamActor('us'),
  dprk = teamActor('dprk');
const observer: Actor = { kind: 'observer', playerId: 'o', name: 'Obs' };

function inNegotiation() {
  const g = new Game(mini);
  g.seatAll(['us', 'dprk', 'prc']);
  g.do(control, { type: 'game.start' }).do(control, { type: 'phase.advance' }).do(control, { type: 'phase.advance' });
  assert.is(g.state.phase, 'negotiation');
  return g;
}

function refuses(g: Game, actor: Actor, command: Command, code: string) {
  const before = JSON.stringify(g.state);
  const err = g.try(actor, command);
  assert.ok(err, `${command.type} was accepted`);
  assert.is(err!.code, code, `${command.type}: ${err!.message}`);
  assert.ok(err!.message.length > 0);
  assert.is(JSON.stringify(g.state), before, `${command.type} changed the state`);
}

const cases: [string, (g: Game) => [Actor, Command, string]][] = [
  ['lock outside the submission phase', () => [us, { type: 'draft.lock' }, 'WRONG_PHASE']],
  ['approve with no adjudication', () => [control, { type: 'adjudication.approve' }, 'NO_ADJUDICATION']],
  ['start a started game', () => [control, { type: 'game.start' }, 'WRONG_PHASE']],
  ['a control command from a player', () => [us, { type: 'phase.advance' }, 'NOT_ALLOWED']],
  ['a control command from an observer', () => [observer, { type: 'game.pause' }, 'NOT_ALLOWED']],
  ['a move from an observer', () => [observer, { type: 'draft.lock' }, 'NOT_ALLOWED']],
  ['a post from an observer', () => [observer, { type: 'chat.post', channel: 'plenary', text: 'hi' }, 'NOT_ALLOWED']],
  ['a tick from a player', () => [us, { type: 'tick' }, 'NOT_ALLOWED']],
  [
    'a seat given by a player',
    () => [us, { type: 'seat.take', playerId: 'x', name: 'x', role: 'dprk' }, 'NOT_ALLOWED'],
  ],
  ['the White Cell playing a team', () => [control, { type: 'draft.lock' }, 'NOT_ALLOWED']],
  [
    'a locked tier',
    () => [us, { type: 'draft.set', overt: ['us-suspend'], covert: [], freeform: null }, 'TIER_LOCKED'],
  ],
  [
    'an unknown action',
    () => [us, { type: 'draft.set', overt: ['us-nonsense'], covert: [], freeform: null }, 'UNKNOWN_ACTION'],
  ],
  [
    "another team's action",
    () => [us, { type: 'draft.set', overt: ['dprk-channel'], covert: [], freeform: null }, 'UNKNOWN_ACTION'],
  ],
  [
    "another team's covert action answers like an unknown one",
    () => [us, { type: 'draft.set', overt: [], covert: ['dprk-enrich'], freeform: null }, 'UNKNOWN_ACTION'],
  ],
  [
    'a covert action in an overt slot',
    () => [us, { type: 'draft.set', overt: ['us-cyber'], covert: [], freeform: null }, 'WRONG_SLOT'],
  ],
  [
    'too many actions for the slots',
    () => [
      us,
      { type: 'draft.set', overt: ['us-talks', 'us-food', 'us-intel'], covert: [], freeform: null },
      'TOO_MANY_ACTIONS',
    ],
  ],
  [
    'the same action twice',
    () => [us, { type: 'draft.set', overt: ['us-talks', 'us-talks'], covert: [], freeform: null }, 'DUPLICATE_ACTION'],
  ],
  [
    'a deal with oneself',
    () => [
      us,
      {
        type: 'deal.propose',
        to: ['us'],
        obligations: [{ team: 'us', action: 'us-talks', byRound: 1 }],
        secret: false,
        snapback: false,
        note: '',
      },
      'BAD_DEAL',
    ],
  ],
  [
    'a deal naming the same team twice',
    () => [
      us,
      {
        type: 'deal.propose',
        to: ['dprk', 'dprk'],
        obligations: [{ team: 'dprk', action: 'dprk-channel', byRound: 1 }],
        secret: false,
        snapback: false,
        note: '',
      },
      'BAD_DEAL',
    ],
  ],
  [
    'a deal with an unknown team',
    () => [
      us,
      {
        type: 'deal.propose',
        to: ['mars'],
        obligations: [{ team: 'us', action: 'us-talks', byRound: 1 }],
        secret: false,
        snapback: false,
        note: '',
      },
      'UNKNOWN_TEAM',
    ],
  ],
  [
    'a deal obliging a non-party',
    () => [
      us,
      {
        type: 'deal.propose',
        to: ['dprk'],
        obligations: [{ team: 'prc', action: 'prc-trade', byRound: 1 }],
        secret: false,
        snapback: false,
        note: '',
      },
      'BAD_DEAL',
    ],
  ],
  [
    "a deal naming the wrong team's action",
    () => [
      us,
      {
        type: 'deal.propose',
        to: ['dprk'],
        obligations: [{ team: 'dprk', action: 'us-talks', byRound: 1 }],
        secret: false,
        snapback: false,
        note: '',
      },
      'UNKNOWN_ACTION',
    ],
  ],
  [
    'a deal due in the past',
    () => [
      us,
      {
        type: 'deal.propose',
        to: ['dprk'],
        obligations: [{ team: 'us', action: 'us-talks', byRound: 0 }],
        secret: false,
        snapback: false,
        note: '',
      },
      'BAD_DEAL',
    ],
  ],
  [
    'a deal due after the last round',
    () => [
      us,
      {
        type: 'deal.propose',
        to: ['dprk'],
        obligations: [{ team: 'us', action: 'us-talks', byRound: 9 }],
        secret: false,
        snapback: false,
        note: '',
      },
      'BAD_DEAL',
    ],
  ],
  [
    'snapback without relief',
    () => [
      us,
      {
        type: 'deal.propose',
        to: ['dprk'],
        obligations: [{ team: 'us', action: 'us-talks', byRound: 1 }],
        secret: false,
        snapback: true,
        note: '',
      },
      'SNAPBACK_NOT_RELIEF',
    ],
  ],
  ['accepting an unknown deal', () => [dprk, { type: 'deal.accept', dealId: 'nope' }, 'NO_DEAL']],
  [
    "posting to another pair's channel",
    () => [us, { type: 'chat.post', channel: 'bi:dprk:prc', text: 'hello' }, 'UNKNOWN_CHANNEL'],
  ],
  [
    'posting to announcements as a team',
    () => [us, { type: 'chat.post', channel: 'announcements', text: 'hello' }, 'UNKNOWN_CHANNEL'],
  ],
  ['resuming a running game', () => [control, { type: 'game.resume' }, 'NOT_PAUSED']],
  ['publishing an unknown inject', () => [control, { type: 'inject.publish', injectId: 'ghost' }, 'UNKNOWN_INJECT']],
  ['publishing an inject twice', () => [control, { type: 'inject.publish', injectId: 'election' }, 'INJECT_CLOSED']],
  [
    'an inject for an unknown team',
    () => [
      control,
      { type: 'inject.add', title: 't', text: 'x', audience: ['mars'], effects: [], publish: true },
      'UNKNOWN_TEAM',
    ],
  ],
  [
    'an inject moving an unknown meter',
    () => [
      control,
      {
        type: 'inject.add',
        title: 't',
        text: 'x',
        audience: 'all',
        effects: [{ meter: 'mood', delta: 5 }],
        publish: true,
      },
      'UNKNOWN_METER',
    ],
  ],
  [
    'amending with no adjudication',
    () => [control, { type: 'adjudication.amend', lineId: 'r1-1', rationale: 'x' }, 'NO_ADJUDICATION'],
  ],
];

for (const [name, make] of cases) {
  test(`refused: ${name}`, () => {
    const g = inNegotiation();
    const [actor, command, code] = make(g);
    refuses(g, actor, command, code);
  });
}

test('refused: a double lock, a deal accepted by its proposer, and one accepted twice', () => {
  const g = inNegotiation();
  g.do(us, {
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-talks', byRound: 1 },
      { team: 'dprk', action: 'dprk-channel', byRound: 1 },
    ],
    secret: false,
    snapback: false,
    note: '',
  });
  const id = g.lastDealId();
  refuses(g, us, { type: 'deal.accept', dealId: id }, 'NOT_YOUR_DEAL');
  refuses(g, dprk, { type: 'deal.withdraw', dealId: id }, 'NOT_YOUR_DEAL');
  refuses(g, teamActor('prc'), { type: 'deal.accept', dealId: id }, 'NO_DEAL');
  g.do(dprk, { type: 'deal.accept', dealId: id });
  refuses(g, dprk, { type: 'deal.accept', dealId: id }, 'DEAL_CLOSED');
  g.do(control, { type: 'phase.advance' });
  g.do(us, { type: 'draft.lock' });
  refuses(g, us, { type: 'draft.lock' }, 'ALREADY_LOCKED');
  refuses(g, us, { type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null }, 'DRAFT_LOCKED');
  refuses(g, dprk, { type: 'draft.unlock' }, 'NOT_LOCKED');
});

test('refused: an eleventh proposal waiting for answers; one answered, withdrawn or lapsed frees a place', () => {
  const g = inNegotiation();
  const propose = (secret: boolean): Command => ({
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-talks', byRound: 1 },
      { team: 'dprk', action: 'dprk-channel', byRound: 1 },
    ],
    secret,
    snapback: false,
    note: '',
  });
  const ids: string[] = [];
  for (let n = 0; n < MAX_OPEN_PROPOSALS; n++) {
    g.do(us, propose(n % 2 === 0));
    ids.push(g.lastDealId());
  }
  refuses(g, us, propose(true), 'TOO_MANY_PROPOSALS');
  // The cap is the proposer's own: its partner may still propose.
  g.do(dprk, { ...propose(false), to: ['us'] } as Command);
  g.do(dprk, { type: 'deal.reject', dealId: ids[0] });
  g.do(us, propose(true));
  refuses(g, us, propose(false), 'TOO_MANY_PROPOSALS');
  g.do(us, { type: 'deal.withdraw', dealId: ids[1] });
  g.do(dprk, { type: 'deal.accept', dealId: ids[2] });
  g.do(us, propose(true)).do(us, propose(true));
  refuses(g, us, propose(true), 'TOO_MANY_PROPOSALS');
  // Proposals lapse with their round: the next round starts with none waiting.
  while (g.state.round === 1)
    g.do(control, { type: g.state.phase === 'adjudication' ? 'adjudication.approve' : 'phase.advance' });
  while (g.state.phase !== 'negotiation') g.do(control, { type: 'phase.advance' });
  for (let n = 0; n < MAX_OPEN_PROPOSALS; n++)
    g.do(us, {
      ...propose(true),
      obligations: [
        { team: 'us', action: 'us-talks', byRound: 2 },
        { team: 'dprk', action: 'dprk-channel', byRound: 2 },
      ],
    } as Command);
});

test("a draft edit made from an older draft (queued offline) is refused, not laid over a teammate's change", () => {
  const g = inNegotiation();
  const empty = { overt: [], covert: [], freeform: null };
  g.do(us, { type: 'draft.set', overt: ['us-talks'], covert: [], freeform: null });
  // Made from the empty draft, before the change above: refused, and the teammate's change stands.
  refuses(g, us, { type: 'draft.set', overt: [], covert: [], freeform: null, base: empty } as Command, 'DRAFT_CHANGED');
  // Made from the draft as it is: applied.
  g.do(us, {
    type: 'draft.set',
    overt: [],
    covert: [],
    freeform: null,
    base: { overt: ['us-talks'], covert: [], freeform: null },
  } as Command);
  assert.equal(g.state.drafts.us.overt, []);
});

test('refused: anything once the game has ended, and pausing twice', () => {
  const g = inNegotiation();
  g.do(control, { type: 'game.pause' });
  refuses(g, control, { type: 'game.pause' }, 'PAUSED');
  refuses(g, control, { type: 'phase.advance' }, 'PAUSED');
  refuses(g, us, { type: 'draft.set', overt: [], covert: [], freeform: null }, 'PAUSED');
  g.do(control, { type: 'game.end' }).do(control, { type: 'game.end' });
  assert.is(g.state.phase, 'ended');
  refuses(g, control, { type: 'phase.advance' }, 'GAME_OVER');
  refuses(g, us, { type: 'chat.post', channel: 'plenary', text: 'hi' }, 'GAME_OVER');
});

test('a tick before the deadline does nothing', () => {
  const g = inNegotiation();
  const before = JSON.stringify(g.state);
  assert.is(g.try(system, { type: 'tick' }), null);
  assert.is(JSON.stringify(g.state), before);
});

test.run();
