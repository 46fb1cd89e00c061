import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ApiError, joinRefusal } from '../../../client/lib/api.ts';

test('a code the server does not know reads as one plain sentence', () => {
  const unknown = 'That code is not known. Check it with the White Cell.';
  assert.is(joinRefusal(new ApiError('BAD_CODE', 'That join code is not valid', 403)), unknown);
  assert.is(joinRefusal(new ApiError('NOT_FOUND', 'Not found', 404)), unknown);
});

test('every other refusal keeps the server words, which say what to do', () => {
  const full = new ApiError('CODE_FULL', 'This join code has given out all its seats', 409);
  assert.is(joinRefusal(full), full.message);
  const used = new ApiError('CODE_USED', 'This White Cell recovery code has been used already; ask for a new one', 410);
  assert.is(joinRefusal(used), used.message);
  const busy = new ApiError('TOO_MANY_REQUESTS', 'Too many tries from your address; wait 30 seconds', 429);
  assert.is(joinRefusal(busy), busy.message);
});

test('a failure that is not the server answering (the network) says so, not a TypeError', () => {
  assert.match(joinRefusal(new TypeError('Failed to fetch')), /Could not reach the server/);
});

test.run();
