// /healthz and /metrics, as a load balancer and Prometheus read them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TestClient } from '../../helpers/client.ts';
import { call, createGame, join } from '../../helpers/http.ts';
import { freePort, startServer } from '../../helpers/spawn-server.ts';

test('health reports the store; metrics count games, sockets, commands by outcome and their latency', async () => {
  const server = await startServer();
  const clients: TestClient[] = [];
  try {
    const health = await call<{ ok: boolean; store: string }>(server.url, 'GET', '/healthz');
    assert.is(health.status, 200);
    assert.is(health.body.ok, true);
    assert.is(health.body.store, 'ok');

    const game = await createGame(server.url, 'tutorial', {});
    clients.push(await TestClient.connect(server.url, game.controlToken, 'control'));
    clients.push(await TestClient.connect(server.url, (await join(server.url, game.codes.teams.us, 'A')).token, 'us'));
    await clients[0].do({ type: 'game.start' });
    await clients[1].command({ type: 'game.start' });
    await clients[1].command({ type: 'nonsense' });

    const res = await fetch(`${server.url}/metrics`);
    assert.match(res.headers.get('content-type') ?? '', 'text/plain');
    const text = await res.text();
    const value = (line: string) =>
      Number(
        text
          .split('\n')
          .find((l) => l.startsWith(`${line} `))
          ?.split(' ')[1],
      );
    assert.is(value('flywheel_games_loaded'), 1);
    assert.is(value('flywheel_sockets_connected'), 2);
    assert.ok(value('flywheel_commands_total{outcome="ok"}') >= 3, 'the seats and the start');
    assert.is(value('flywheel_commands_total{outcome="NOT_ALLOWED"}'), 1);
    assert.is(value('flywheel_commands_total{outcome="BAD_COMMAND"}'), 1);
    assert.ok(value('flywheel_command_duration_seconds_count') >= 5);
    assert.match(text, /flywheel_command_duration_seconds_bucket\{le="\+Inf"\} \d+/);
  } finally {
    for (const c of clients) c.close();
    await server.destroy();
  }
});

test('with a metrics port of its own, the main port answers /metrics with 404, not the start page', async () => {
  const metricsPort = await freePort();
  const server = await startServer({ env: { METRICS_PORT: String(metricsPort) } });
  try {
    const main = await call<{ error: { code: string } }>(server.url, 'GET', '/metrics');
    assert.is(main.status, 404);
    assert.is(main.body.error.code, 'NOT_FOUND');
    const own = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    assert.is(own.status, 200);
    assert.match(await own.text(), /^flywheel_games_loaded \d+$/m);
  } finally {
    await server.destroy();
  }
});

test.run();
