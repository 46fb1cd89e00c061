// PUBLIC_URL is checked when the server starts: a usable http(s) address is kept (without a trailing slash), anything
// else stops the start with a message naming the variable. FILE_STORE_OPEN_LOGS and the Redis settings likewise.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readConfig } from '../../server/config.ts';

test('PUBLIC_URL: unset, a clean address, a trailing slash, and a bad value', () => {
  assert.is(readConfig({}).publicUrl, null);
  assert.is(readConfig({ PUBLIC_URL: 'http://192.168.1.20:3000' }).publicUrl, 'http://192.168.1.20:3000');
  assert.is(readConfig({ PUBLIC_URL: 'https://tabletop.example.org/' }).publicUrl, 'https://tabletop.example.org');
  assert.throws(() => readConfig({ PUBLIC_URL: 'tabletop.example.org' }), /PUBLIC_URL/);
  assert.throws(() => readConfig({ PUBLIC_URL: 'ftp://example.org' }), /PUBLIC_URL/);
  // The server answers at the root of its address: links under a path would lead nowhere.
  for (const bad of ['https://x.example/path/', 'https://x.example/?a=1', 'https://user:pw@x.example'])
    assert.throws(() => readConfig({ PUBLIC_URL: bad }), /no path/, bad);
});

test('whole numbers are written as digits: hexadecimal, exponents and blanks stop the start', () => {
  assert.is(readConfig({ PORT: '8080' }).port, 8080);
  for (const [name, bad] of [
    ['PORT', '0x10'],
    ['FILE_STORE_OPEN_LOGS', '1e3'],
    ['SNAPSHOT_EVERY', ' 5'],
    ['PORT', '3000 '],
  ])
    assert.throws(() => readConfig({ [name]: bad }), new RegExp(name), `${name}=${JSON.stringify(bad)}`);
});

test('FILE_STORE_OPEN_LOGS: 256 by default, a whole number of at least one, anything else stops the start', () => {
  assert.is(readConfig({}).fileStoreOpenLogs, 256);
  assert.is(readConfig({ FILE_STORE_OPEN_LOGS: '16' }).fileStoreOpenLogs, 16);
  for (const bad of ['0', '-1', '2.5', 'many'])
    assert.throws(() => readConfig({ FILE_STORE_OPEN_LOGS: bad }), /FILE_STORE_OPEN_LOGS/);
});

test('PING_INTERVAL_MS, PING_TIMEOUT_MS: 10 s and 5 s by default, whole milliseconds from 500, else the start stops', () => {
  const c = readConfig({});
  assert.equal([c.pingIntervalMs, c.pingTimeoutMs], [10_000, 5_000]);
  const set = readConfig({ PING_INTERVAL_MS: '2000', PING_TIMEOUT_MS: '2500' });
  assert.equal([set.pingIntervalMs, set.pingTimeoutMs], [2000, 2500]);
  for (const bad of ['0', '100', 'soon', '1.5', '-2000'])
    assert.throws(() => readConfig({ PING_INTERVAL_MS: bad }), /PING_INTERVAL_MS/, `PING_INTERVAL_MS=${bad}`);
  assert.throws(() => readConfig({ PING_TIMEOUT_MS: '10' }), /PING_TIMEOUT_MS/);
});

test('REDIS_CLUSTER: a list of host:port with STORE=redis; refused without it or when malformed', () => {
  assert.is(readConfig({ STORE: 'redis' }).redisCluster, null);
  assert.equal(readConfig({ STORE: 'redis', REDIS_CLUSTER: '10.0.0.5:7000, redis-b:7001,[::1]:7002' }).redisCluster, [
    '10.0.0.5:7000',
    'redis-b:7001',
    '[::1]:7002',
  ]);
  assert.throws(() => readConfig({ REDIS_CLUSTER: '10.0.0.5:7000' }), /REDIS_CLUSTER needs STORE=redis/);
  assert.throws(() => readConfig({ STORE: 'file', REDIS_CLUSTER: '10.0.0.5:7000' }), /STORE is "file"/);
  for (const bad of ['10.0.0.5', 'redis://10.0.0.5:7000', '10.0.0.5:0', '10.0.0.5:70000'])
    assert.throws(() => readConfig({ STORE: 'redis', REDIS_CLUSTER: bad }), /host:port/, bad);
  // empty entries (a trailing comma) are dropped, not refused
  assert.equal(readConfig({ STORE: 'redis', REDIS_CLUSTER: 'a:1,,b:2,' }).redisCluster, ['a:1', 'b:2']);
});

test('REDIS_WAIT_REPLICAS: 0 by default, 1 on a cluster, a small integer, and only with STORE=redis', () => {
  assert.is(readConfig({ STORE: 'redis' }).redisWaitReplicas, 0);
  assert.is(readConfig({ STORE: 'redis', REDIS_CLUSTER: 'a:1,b:2,c:3' }).redisWaitReplicas, 1);
  assert.is(
    readConfig({ STORE: 'redis', REDIS_CLUSTER: 'a:1,b:2,c:3', REDIS_WAIT_REPLICAS: '0' }).redisWaitReplicas,
    0,
  );
  assert.is(readConfig({ STORE: 'redis', REDIS_WAIT_REPLICAS: '1' }).redisWaitReplicas, 1);
  assert.throws(() => readConfig({ STORE: 'redis', REDIS_WAIT_REPLICAS: '-1' }), /REDIS_WAIT_REPLICAS/);
  assert.throws(() => readConfig({ REDIS_WAIT_REPLICAS: '1' }), /REDIS_WAIT_REPLICAS needs STORE=redis/);
});

test('REDIS_URL is checked where it is used, and the message names it', () => {
  assert.is(readConfig({ STORE: 'redis', REDIS_URL: 'redis://10.0.0.5:6379/2' }).redisUrl, 'redis://10.0.0.5:6379/2');
  assert.is(
    readConfig({ STORE: 'redis', REDIS_URL: 'rediss://:pw@cache.example:6380' }).redisUrl,
    'rediss://:pw@cache.example:6380',
  );
  for (const bad of ['notaurl', 'http://10.0.0.5:6379', 'redis://'])
    assert.throws(() => readConfig({ STORE: 'redis', REDIS_URL: bad }), /REDIS_URL must be a redis:\/\//, bad);
  // Unused with the file store, or with a cluster (REDIS_CLUSTER names the nodes): not a reason to refuse the start.
  assert.not.throws(() => readConfig({ REDIS_URL: 'notaurl' }));
  assert.not.throws(() => readConfig({ STORE: 'redis', REDIS_CLUSTER: '10.0.0.5:7000', REDIS_URL: 'notaurl' }));
});

test('METRICS_PORT must differ from PORT; settings that run but open more than meant are warned of', () => {
  assert.throws(() => readConfig({ PORT: '4000', METRICS_PORT: '4000' }), /METRICS_PORT must differ from PORT/);
  assert.equal(readConfig({ PORT: '4000', METRICS_PORT: '9100' }).warnings, []);
  const open = readConfig({ METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0' }).warnings;
  assert.is(open.length, 1);
  assert.match(open[0], /METRICS_HOST=0.0.0.0 without METRICS_TOKEN/);
  assert.equal(readConfig({ METRICS_PORT: '9100', METRICS_HOST: '0.0.0.0', METRICS_TOKEN: 't' }).warnings, []);
  const empty = readConfig({ CREATE_KEY: '' });
  assert.is(empty.limits.createKey, undefined);
  assert.match(empty.warnings.join('\n'), /CREATE_KEY is set but empty: anyone/);
  assert.equal(readConfig({}).warnings, []);
});

test.run();
