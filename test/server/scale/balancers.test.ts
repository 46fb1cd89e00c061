// The nginx and HAProxy configurations of docs/operations.md, run as written (ports and backend addresses aside) in
// front of two processes: a game's sockets all land on one process, and after kill -9 of that process its clients
// resume on the other. The time failover took is printed for the docs, never asserted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestClient } from '../../helpers/client.ts';
import { startCluster, type Cluster } from '../../helpers/cluster.ts';
import { createGame, join as joinGame } from '../../helpers/http.ts';
import { freePort, type SpawnedServer } from '../../helpers/spawn-server.ts';

let cluster: Cluster;
const clients: TestClient[] = [];
const dir = mkdtempSync(join(tmpdir(), 'flywheel-balancers-'));

test.before(async () => {
  cluster = await startCluster({ processes: 2 });
});

test.after(async () => {
  for (const c of clients) c.close();
  await cluster?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** The fenced block of docs/operations.md in `lang`, with the example addresses replaced by the test's. */
function documented(lang: string, port: number): string {
  const doc = readFileSync(new URL('../../../docs/operations.md', import.meta.url), 'utf8');
  const block = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(doc);
  assert.ok(block, `docs/operations.md has a ${lang} block`);
  const [a, b] = cluster.servers;
  return block![1]
    .replace('10.0.0.11:3000', `127.0.0.1:${a.port}`)
    .replace('10.0.0.12:3000', `127.0.0.1:${b.port}`)
    .replace('listen 80;', `listen 127.0.0.1:${port};`)
    .replace('bind :80', `bind 127.0.0.1:${port}`);
}

async function startNginx(port: number): Promise<ChildProcess> {
  const home = mkdtempSync(join(dir, 'nginx-'));
  // The documented file goes in the http context, as in /etc/nginx/conf.d/; the rest only keeps nginx in `home`.
  const conf = [
    `daemon off; worker_processes 1; pid ${home}/nginx.pid; error_log ${home}/error.log;`,
    'events {}',
    'http {',
    `  access_log off; client_body_temp_path ${home}/body; proxy_temp_path ${home}/proxy;`,
    `  fastcgi_temp_path ${home}/fastcgi; uwsgi_temp_path ${home}/uwsgi; scgi_temp_path ${home}/scgi;`,
    documented('nginx', port),
    '}',
  ].join('\n');
  writeFileSync(join(home, 'nginx.conf'), conf);
  return spawn('/usr/sbin/nginx', ['-p', home, '-e', `${home}/error.log`, '-c', join(home, 'nginx.conf')], {
    stdio: 'ignore',
  });
}

async function startHaproxy(port: number): Promise<ChildProcess> {
  const file = join(dir, `haproxy-${port}.cfg`);
  writeFileSync(file, documented('haproxy', port));
  return spawn('/usr/sbin/haproxy', ['-f', file, '-db'], { stdio: 'ignore' });
}

/**
 * Stops a balancer as its service manager would: on SIGTERM nginx's master takes its worker with it, where a
 * SIGKILL left the worker running, orphaned, on its port after the test.
 */
async function stopBalancer(proc: ChildProcess) {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  const stubborn = setTimeout(() => proc.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(stubborn);
}

/** Sockets connected to one process, from its own /metrics. */
async function socketsOn(server: SpawnedServer): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('flywheel_sockets_connected'));
  return Number(line?.split(' ').pop() ?? 0);
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what}: not within 30 s`);
}

for (const [name, start] of [
  ['nginx', startNginx],
  ['HAProxy', startHaproxy],
] as const) {
  test(`${name}: a game's sockets share a process, and survive kill -9 of it`, async () => {
    const port = await freePort();
    const proc = await start(port);
    const url = `http://127.0.0.1:${port}`;
    try {
      await until(async () => (await fetch(`${url}/healthz`)).ok, `${name} answers`);
      const game = await createGame(url, 'tutorial', { seed: name });
      const control = await TestClient.connect(url, game.controlToken, `${name} control`);
      const us = await TestClient.connect(url, (await joinGame(url, game.codes.teams.us, 'Alice')).token, 'us');
      clients.push(control, us);
      const counts = await Promise.all(cluster.servers.map(socketsOn));
      assert.equal([...counts].sort(), [0, 2], `both sockets of the game on one process (${counts})`);
      const victim = cluster.servers[counts.indexOf(2)];
      // Versions are each audience's own: the US knows the game started when its own view says so.
      await control.do({ type: 'game.start' });
      await us.until(() => us.view?.game.phase === 'briefing', 'the patch');

      // Back means a new whole view, which only a new connection brings: the old socket may look connected for a
      // moment after the kill.
      const views = (c: TestClient) => c.received.filter((r) => r.event === 'view').length;
      const before = [control, us].map(views);
      await victim.kill();
      const killed = performance.now();
      await Promise.all(
        [control, us].map((c, i) =>
          c.until(() => c.connected && views(c) > before[i] && c.view?.game.phase === 'briefing', `${c.label} back`),
        ),
      );
      const back = performance.now() - killed;
      const text = `after the kill (${name})`;
      await control.do({ type: 'chat.post', channel: 'plenary', text });
      await us.until(() => !!us.view?.messages.some((m) => m.text === text), 'a patch through the other process');
      const survivor = cluster.servers.find((s) => s !== victim)!;
      assert.is(await socketsOn(survivor), 2, 'both moved to the survivor');
      console.log(`${name}: clients resumed ${(back / 1000).toFixed(2)} s after kill -9`);
    } finally {
      // Whatever happened, this balancer's sockets go: the next one counts sockets from zero.
      for (const c of clients.splice(0)) c.close();
      await stopBalancer(proc);
      // The next balancer starts from two live processes again.
      for (const server of cluster.servers) if (!server.alive()) await server.restart();
    }
  });
}

test.run();
