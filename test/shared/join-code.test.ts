// Short join codes: 60 bits as 12 Crockford base32 characters, shown in groups of four, and typed forgivingly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import {
  formatShortCode,
  isShortCode,
  normaliseShortCode,
  SHORT_CODE_ALPHABET,
  shortCodeFromBytes,
} from '../../shared/join-code.ts';

test('the alphabet is Crockford base32: 32 characters, no I, L, O or U', () => {
  assert.is(SHORT_CODE_ALPHABET.length, 32);
  assert.is(new Set(SHORT_CODE_ALPHABET).size, 32);
  for (const ch of 'ILOU') assert.not.ok(SHORT_CODE_ALPHABET.includes(ch), ch);
});

test('a code is 12 characters from 60 bits, the same bits giving the same code', () => {
  assert.is(shortCodeFromBytes(new Uint8Array(8)), '000000000000');
  assert.is(shortCodeFromBytes(new Uint8Array(8).fill(255)), 'ZZZZZZZZZZZZ');
  // 0x0123456789abcdef >> 4 = 0x0123456789abcde: the 60 bits read 5 at a time.
  const bytes = Uint8Array.from([0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef]);
  const value = 0x0123456789abcden;
  let expected = '';
  for (let i = 11; i >= 0; i--) expected += SHORT_CODE_ALPHABET[Number((value >> BigInt(i * 5)) & 31n)];
  assert.is(shortCodeFromBytes(bytes), expected);
  // The last 4 bits of the eighth byte are not used.
  assert.is(shortCodeFromBytes(Uint8Array.from([1, 35, 69, 103, 137, 171, 205, 0xe0])), expected);
  assert.throws(() => shortCodeFromBytes(new Uint8Array(7)), /8 bytes/);
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) {
    const code = shortCodeFromBytes(randomBytes(8));
    assert.match(code, /^[0-9A-HJKMNP-TV-Z]{12}$/);
    seen.add(code);
  }
  assert.is(seen.size, 200);
});

test('shown as three groups of four', () => {
  assert.is(formatShortCode('K7QM3XHD9TPA'), 'K7QM-3XHD-9TPA');
  assert.is(formatShortCode('k7qm 3xhd 9tpa'), 'K7QM-3XHD-9TPA');
});

test('typing forgives case, hyphens and blanks, and reads I and L as 1, O as 0', () => {
  const canonical = 'K7QM3XHD9TPA';
  for (const typed of ['K7QM-3XHD-9TPA', 'k7qm-3xhd-9tpa', ' k7qm 3xhd 9tpa ', 'K7QM--3XHD - 9TPA', 'k7qM3xHd9TpA'])
    assert.is(normaliseShortCode(typed), canonical, typed);
  assert.is(normaliseShortCode('I1L1-OO00-il1o'), '111100001110');
  assert.is(normaliseShortCode('1111-0000-1110'), '111100001110');
});

test('anything else is not a short code', () => {
  for (const typed of [
    '',
    'K7QM-3XHD-9TP', // 11
    'K7QM-3XHD-9TPAA', // 13
    'K7QM-3XHD-9TPU', // U is not in the alphabet
    'K7QM_3XHD_9TPA',
    'K7QM.3XHD.9TPA',
    'abcdefghijkl.abcdefghijklmnopqrstuvwxyz',
    'g0000000000a.aaaaaaaaaaaaaaaaaaaaaaaaaa',
    'K7QM-3XHD-9TPA'.padEnd(60, ' '),
    42,
    null,
  ])
    assert.not.ok(isShortCode(typed), String(typed));
});

test.run();
