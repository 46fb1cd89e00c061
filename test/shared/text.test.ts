// Names people go by: one line, with something visible, no control or bidirectional override; any script will do.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { personName, visibleText } from '../../shared/text.ts';

test('a name is one visible line of at most 40 characters', () => {
  for (const bad of [
    '',
    '   ',
    '\u0000',
    '\u200b',
    '\u3164',
    '\ud800',
    'a\nb',
    'tab\there',
    'para\u2029graph',
    '\u202eevil',
    'x'.repeat(41),
  ])
    assert.not.ok(personName.safeParse(bad).success, JSON.stringify(bad));
  for (const good of ['Alice', '  Bob  ', '김민준', 'محمد\u200f', 'Zoë', 'Team 🦅'])
    assert.ok(personName.safeParse(good).success, JSON.stringify(good));
  assert.is(personName.parse('  Bob  '), 'Bob', 'trimmed');
});

test('free text keeps its tabs and line breaks, and still needs something to read', () => {
  const text = visibleText(100);
  assert.ok(text.safeParse('one\n\ttwo').success);
  assert.not.ok(text.safeParse('\n\u00ad\t').success);
  assert.not.ok(text.safeParse('x'.repeat(101)).success);
});

test('text that shows as nothing is refused: a blank braille cell, marks alone, noncharacters', () => {
  const text = visibleText(100);
  for (const bad of ['\u2800', '\u2800\u2800 ', '\u0301\u0308', '\ufffe', 'ok \uffff', '\ufdd0', 'x\udbff\udfff'])
    assert.not.ok(text.safeParse(bad).success, JSON.stringify(bad));
  // A mark on a letter is writing (Zoë with a combining diaeresis, Devanagari, Thai); braille with dots is text.
  for (const good of ['Zoe\u0308', 'नमस्ते', 'สวัสดี', '\u2801\u2803', 'Team 🦅', 'e\u0301 \u2800 x'])
    assert.ok(text.safeParse(good).success, JSON.stringify(good));
});

test.run();
