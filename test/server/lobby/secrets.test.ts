// Sealing the codes key, and deriving codes from it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { codeSecret, newCodesKey, seal, sha256, unseal } from '../../../server/lobby/secrets.ts';

test('a sealed key opens only with the secret and game it was sealed with', () => {
  const key = newCodesKey();
  const sealed = seal('the-secret', 'game1', key);
  assert.ok(unseal('the-secret', 'game1', sealed)!.equals(key));
  assert.is(unseal('another-secret', 'game1', sealed), null);
  assert.is(unseal('the-secret', 'game2', sealed), null);
  // Flip one bit of the ciphertext itself: swapping the last base64 character could touch only its unused low bits.
  const [iv, tag, body] = sealed.split('.');
  const bytes = Buffer.from(body, 'base64url');
  bytes[0] ^= 1;
  assert.is(
    unseal('the-secret', 'game1', [iv, tag, bytes.toString('base64url')].join('.')),
    null,
    'tampering is detected',
  );
  assert.is(unseal('the-secret', 'game1', 'garbage'), null);
});

test('codes are 26 base32 characters, stable for a generation and role, different otherwise', () => {
  const key = newCodesKey();
  const a = codeSecret(key, 'g', 1, 'team:us');
  assert.match(a, /^[a-z2-7]{26}$/);
  assert.is(codeSecret(key, 'g', 1, 'team:us'), a);
  assert.is.not(codeSecret(key, 'g', 2, 'team:us'), a);
  assert.is.not(codeSecret(key, 'g', 1, 'team:dprk'), a);
  assert.is.not(codeSecret(newCodesKey(), 'g', 1, 'team:us'), a);
  assert.is(sha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test.run();
