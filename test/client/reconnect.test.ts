// A browser whose reconnection is refused with UNAVAILABLE (its process died while Redis was down, and the other
// process cannot check its seat) keeps trying with a back-off, shows the countdown, and is back in the game once
// Redis returns, without a reload.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import { startBalancer, type Balancer } from '../helpers/balancer.ts';
import { launchBrowser, screenshot, watchConsole, writeArtifact } from '../helpers/browser.ts';
import { startCluster, type Cluster } from '../helpers/cluster.ts';
import { createGame } from '../helpers/http.ts';
import { ensureClient } from './_server.ts';

const WAIT = 60_000;
let cluster: Cluster;
let balancer: Balancer;
let browser: Browser;
const problems: string[] = [];

test.before(async () => {
  await ensureClient();
  cluster = await startCluster({ processes: 2, appendOnly: true });
  const [A, B] = cluster.servers;
  balancer = await startBalancer([A.port, B.port]);
  browser = await launchBrowser();
});

test.after(async () => {
  if (problems.length) writeArtifact('browser-reconnect-console.txt', problems.join('\n'));
  await browser?.close();
  await balancer?.close();
  await cluster?.destroy();
});

test('a reconnection refused during an outage recovers by itself, with a countdown, without a reload', async () => {
  const [A] = cluster.servers;
  const game = await createGame(A.url, 'tutorial', {});
  const context = await browser.newContext();
  const page = await context.newPage();
  watchConsole(page, 'us', problems);
  await page.goto(`${balancer.url}/join/${encodeURIComponent(game.codes.teams.us)}`);
  await page.getByLabel('Your name').fill('Alice');
  await page.getByRole('button', { name: 'Join' }).click();
  await page.locator('header.top .who strong', { hasText: 'United States' }).waitFor({ timeout: WAIT });
  await page.evaluate(() => {
    (window as unknown as { sameDocument: boolean }).sameDocument = true;
  });

  await cluster.redis.stop();
  await A.kill(); // the page's process dies; the balancer sends it to B, which cannot check the seat
  // The countdown to the next try, in seconds (1, 2, 4… as tries fail).
  const countdown = page.locator('.banner.offline .retry-in', { hasText: /Trying again in \d+ s/ });
  await countdown.waitFor({ timeout: WAIT });
  await screenshot(page, 'reconnect-countdown');

  await cluster.redis.restart();
  await page.locator('.banner.offline').waitFor({ state: 'detached', timeout: WAIT });
  await page.locator('header.top .who strong', { hasText: 'United States' }).waitFor({ timeout: WAIT });
  assert.ok(
    await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true),
    'the page was not reloaded',
  );
  await context.close();
});

test.run();
