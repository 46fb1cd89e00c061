// The built client is served with an SPA fallback; without a build, / says how to make one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from '../../helpers/http.ts';
import { startServer } from '../../helpers/spawn-server.ts';

test('dist/client is served, and deep links fall back to index.html; /api stays JSON', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-client-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>APP-SHELL</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log("APP-JS")');
  const server = await startServer({ env: { CLIENT_DIR: dir } });
  try {
    for (const path of ['/', '/play/abc', '/white-cell/x/y']) {
      const res = await call(server.url, 'GET', path);
      assert.is(res.status, 200, path);
      assert.match(String(res.body), 'APP-SHELL');
    }
    assert.match(String((await call(server.url, 'GET', '/assets/app.js')).body), 'APP-JS');
    const api = await call(server.url, 'GET', '/api/nope');
    assert.is(api.status, 404);
    assert.equal(api.body, { error: { code: 'NOT_FOUND', message: 'No such route' } });
  } finally {
    await server.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without a built client, / explains how to build it', async () => {
  const server = await startServer({ env: { CLIENT_DIR: join(tmpdir(), 'flywheel-no-such-client-dir') } });
  try {
    const res = await call(server.url, 'GET', '/');
    assert.is(res.status, 200);
    assert.match(String(res.body), 'npm run build:client');
    assert.is((await call(server.url, 'GET', '/play/abc')).status, 404);
  } finally {
    await server.destroy();
  }
});

test.run();
