// PUBLIC_URL is checked when the server starts: a usable http(s) address is kept (without a trailing slash), anything
// else stops the start with a message naming the variable. FILE_STORE_OPEN_LOGS likewise.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readConfig } from '../../server/config.ts';

test('PUBLIC_URL: unset, a clean address, a trailing slash, and a bad value', () => {
  assert.is(readConfig({}).publicUrl, null);
  assert.is(readConfig({ PUBLIC_URL: 'http://192.168.1.20:3000' }).publicUrl, 'http://192.168.1.20:3000');
  assert.is(readConfig({ PUBLIC_URL: 'https://tabletop.example.org/' }).publicUrl, 'https://tabletop.example.org');
  assert.throws(() => readConfig({ PUBLIC_URL: 'tabletop.example.org' }), /PUBLIC_URL/);
  assert.throws(() => readConfig({ PUBLIC_URL: 'ftp://example.org' }), /PUBLIC_URL/);
});

test('FILE_STORE_OPEN_LOGS: 256 by default, a whole number of at least one, anything else stops the start', () => {
  assert.is(readConfig({}).fileStoreOpenLogs, 256);
  assert.is(readConfig({ FILE_STORE_OPEN_LOGS: '16' }).fileStoreOpenLogs, 16);
  for (const bad of ['0', '-1', '2.5', 'many'])
    assert.throws(() => readConfig({ FILE_STORE_OPEN_LOGS: bad }), /FILE_STORE_OPEN_LOGS/);
});

test.run();
