// The socket edge: which seat may send what, and what a bad payload is told.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseCommand } from '../../../server/realtime/parse-command.ts';
import type { Seat } from '../../../server/games/seat.ts';

const seat = (role: Seat['role']): Seat => ({
  gameId: 'g',
  playerId: 'p',
  name: 'n',
  role,
  team: role === 'team' ? 'us' : null,
});
const code = (s: Seat, payload: unknown) => {
  const r = parseCommand(s, payload);
  return r.ok ? 'ok' : r.error.code;
};

test('each role sends only its own commands; observers send none', () => {
  assert.is(code(seat('team'), { type: 'draft.lock' }), 'ok');
  assert.is(code(seat('team'), { type: 'chat.post', channel: 'plenary', text: 'hi' }), 'ok');
  assert.is(code(seat('team'), { type: 'game.start' }), 'NOT_ALLOWED');
  assert.is(code(seat('control'), { type: 'game.start' }), 'ok');
  assert.is(code(seat('control'), { type: 'chat.post', channel: 'announcements', text: 'hi' }), 'ok');
  assert.is(code(seat('control'), { type: 'draft.lock' }), 'NOT_ALLOWED');
  assert.is(code(seat('observer'), { type: 'chat.post', channel: 'plenary', text: 'hi' }), 'NOT_ALLOWED');
});

test('text with nothing to read, or characters that cannot be shown, is refused; ordinary text of any script is not', () => {
  const post = (text: string) => code(seat('team'), { type: 'chat.post', channel: 'plenary', text });
  for (const bad of [
    '\u200b\u200b',
    ' \ufeff ',
    '\u2060',
    '\u2060\u180e',
    '\u00ad\u034f',
    '\u3164',
    '\u115f',
    'a\u0000b',
    'bell\u0007',
    'next line\u0085',
    'reads \u202ebackwards',
    'isolate \u2066x\u2069',
    'half \ud800 a pair',
    '\udc00',
  ])
    assert.is(post(bad), 'BAD_COMMAND', JSON.stringify(bad));
  for (const good of [
    'hi',
    'line one\nline two\ttabbed',
    '북한',
    '中国',
    'ok 👍',
    'zero\u200bwidth inside words',
    'soft\u00adhyphen',
    'שלום\u200f!',
    'family 👨\u200d👩\u200d👧',
  ])
    assert.is(post(good), 'ok', JSON.stringify(good));
});

test("the server's own commands, unknown types and non-objects are not commands", () => {
  for (const p of [
    { type: 'tick' },
    { type: 'seat.take', playerId: 'x', name: 'x', role: 'control' },
    { type: '__proto__' },
    { type: 'constructor' },
    {},
    [],
    null,
    'draft.lock',
    7,
  ]) {
    assert.is(code(seat('control'), p), 'BAD_COMMAND', JSON.stringify(p));
  }
});

test('a bad payload is told what is wrong, and a smuggled actor is refused', () => {
  const r = parseCommand(seat('team'), { type: 'chat.post', channel: 'plenary' });
  assert.equal(r, {
    ok: false,
    error: { code: 'BAD_COMMAND', message: 'text: Invalid input: expected string, received undefined' },
  });
  const s = parseCommand(seat('team'), { type: 'draft.lock', team: 'dprk' });
  assert.is(s.ok, false);
  if (!s.ok) assert.match(s.error.message, 'team');
});

test('a key named __proto__ anywhere in a command is refused, not quietly dropped', () => {
  const r = parseCommand(seat('team'), JSON.parse('{"type": "draft.lock", "__proto__": {"team": "dprk"}}'));
  assert.equal(r, {
    ok: false,
    error: { code: 'BAD_COMMAND', message: '__proto__: a key may not be named "__proto__"' },
  });
  const deep = JSON.parse('{"type": "chat.post", "channel": "plenary", "text": "hi", "x": [{"__proto__": 1}]}');
  assert.is(code(seat('team'), deep), 'BAD_COMMAND');
  assert.is(code(seat('team'), { type: 'chat.post', channel: 'plenary', text: '__proto__' }), 'ok');
});

test.run();
