// Finer points of the consoles, each found by a usability review: the Channels badge and the page's title never
// count the messages on screen (opened, arriving while read, or sent by this seat), for a team on a phone and for the
// White Cell, and the channel's title is the heading under the page's; each move card's button is named with its
// move; another tab opens at its top; the team debrief fits a 320 px phone.
import { AXE_TAGS, expectNoViolations as axe } from '../helpers/axe.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import type { CreateGameResult, JoinResult } from '../../shared/protocol.ts';
import { launchBrowser, screenshot, seatedPage, writeArtifact } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const WAIT = 30_000;

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let wc: TestClient;
let us: TestClient;
let rokSeat: JoinResult;
const problems: string[] = [];

/** A page holding one seat, as the join page would have left it in localStorage. */
const seatPage = (
  key: string,
  seat: Record<string, unknown>,
  viewport?: { width: number; height: number },
  mobile?: boolean,
) => seatedPage(browser, { gameId: game.gameId, key, seat }, problems, { viewport, mobile, timeout: WAIT });

const teamPage = (viewport: { width: number; height: number }) =>
  seatPage(
    'rok',
    { token: rokSeat.token, playerId: rokSeat.playerId, role: 'team', team: 'rok', name: 'Min-jun Seo' },
    viewport,
    true,
  );

/** The Channels tab's badge ('' when it has none) and the count in the page's title (0 when it has none). */
async function unreadShown(page: Page) {
  const badge = page.locator('[data-tab="talk"] .count');
  return {
    badge: (await badge.count()) ? await badge.innerText() : '',
    title: Number(/^\((\d+)\)/.exec(await page.title())?.[1] ?? 0),
  };
}

/**
 * The Channels tab shows `unread` on its badge and in the page's title; opening it shows plenary, whose latest line is
 * `latest`, and both go to nothing in the same drawing.
 */
async function openChannels(page: Page, unread: number, latest: string) {
  await page.locator('[data-tab="talk"] .count', { hasText: String(unread) }).waitFor();
  assert.equal(await unreadShown(page), { badge: String(unread), title: unread });
  await page.locator('[data-tab="talk"]').click();
  await page.locator('.msg', { hasText: latest }).waitFor();
  assert.equal(await unreadShown(page), { badge: '', title: 0 }, 'after opening the channel');
}

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'tutorial', { seed: 'browser-console-details' }, 'Wanda Facilitator');
  wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  us = await TestClient.connect(server.url, (await join(server.url, game.codes.teams.us, 'Ines Ward')).token, 'us');
  rokSeat = await join(server.url, game.codes.teams.rok, 'Min-jun Seo');
  await wc.do({ type: 'game.start' });
});

test.after(async () => {
  if (problems.length) writeArtifact('console-details-console.txt', problems.join('\n'));
  us?.close();
  wc?.close();
  await browser?.close();
  await server?.stop();
});

test('a team on a phone: the channel on screen is not counted as unread, nor what the team sends itself', async () => {
  await us.do({ type: 'chat.post', channel: 'plenary', text: 'Good morning from Washington.' });
  const page = await teamPage({ width: 320, height: 568 });
  await page.goto(`${server.url}/game/${game.gameId}/rok`);
  // Opening Channels shows plenary: its message is read in the same drawing that shows it, and nothing else comes.
  await openChannels(page, 1, 'Good morning from Washington.');
  await screenshot(page, 'console-details-rok-320-channels');

  // A message arriving in the channel being read is read.
  await us.do({ type: 'chat.post', channel: 'plenary', text: 'Shall we talk about the railway?' });
  await page.locator('.msg', { hasText: 'the railway' }).waitFor();
  assert.equal(await unreadShown(page), { badge: '', title: 0 }, 'after a message arrives while reading');

  // Its own message is not news to the team.
  await page.getByLabel('Message to Plenary').fill('Yes: after lunch.');
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('.msg.mine', { hasText: 'Yes: after lunch.' }).waitFor();
  assert.equal(await unreadShown(page), { badge: '', title: 0 }, 'after sending');
  // With axe's best practices too: the channel's title is the heading under the page's.
  await axe(page, 'console-details-rok-320-channels', [...AXE_TAGS, 'best-practice']);
  await page.context().close();
});

test('the White Cell: its own announcement is not unread, and the channel it opens is read at once', async () => {
  await wc.do({ type: 'chat.post', channel: 'announcements', text: 'Lunch is at one.' });
  await us.do({ type: 'chat.post', channel: 'plenary', text: 'Noted, thank you.' });
  const page = await seatPage('control', {
    token: game.controlToken,
    playerId: null,
    role: 'control',
    team: null,
    name: 'Wanda Facilitator',
  });
  await page.goto(`${server.url}/game/${game.gameId}/control`);
  // Plenary's four messages, none of the White Cell's own announcement.
  await openChannels(page, 4, 'Noted, thank you.');
  await page.context().close();
});

test('each move card’s button is named with its move, for a screen reader’s list of buttons', async () => {
  const page = await teamPage({ width: 1280, height: 900 });
  await page.goto(`${server.url}/game/${game.gameId}/rok#moves`);
  await page.locator('[data-action] button[aria-pressed]').first().waitFor();
  const cards = await page.locator('[data-action]').evaluateAll((els) =>
    els.map((el) => ({
      move: el.querySelector('h3, h4, strong')?.textContent?.trim() ?? '',
      button: el.querySelector('button[aria-pressed]')?.getAttribute('aria-label') ?? '',
      shown: el.querySelector('button[aria-pressed]')?.textContent?.trim() ?? '',
    })),
  );
  assert.ok(cards.length >= 2, `${cards.length} move cards`);
  assert.is(new Set(cards.map((c) => c.button)).size, cards.length, 'every button has its own name');
  // The name begins with what the button shows, so a voice command naming the visible words finds it.
  for (const c of cards) assert.ok(c.button.startsWith(`${c.shown}: `), JSON.stringify(c));
  const named = await page.getByRole('button', { name: /^Add to our moves: / }).count();
  assert.ok(named > 0, 'found by role and name');
  await page.context().close();
});

test('another tab opens at its top, whatever the last one was scrolled to', async () => {
  const page = await seatPage(
    'control',
    {
      token: game.controlToken,
      playerId: null,
      role: 'control',
      team: null,
      name: 'Wanda Facilitator',
    },
    { width: 1280, height: 600 },
  );
  await page.goto(`${server.url}/game/${game.gameId}/control#injects`);
  await page.locator('[data-tab="injects"][aria-selected="true"]').waitFor();
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForFunction(() => window.scrollY > 300);
  await page.locator('[data-tab="seats"]').click();
  await page.locator('[data-tab="seats"][aria-selected="true"]').waitFor();
  await page.waitForFunction(() => window.scrollY === 0);
  await page.context().close();
});

test('on a phone the deal form asks for the team before the action, whose list depends on it', async () => {
  await wc.do({ type: 'phase.advance' });
  await wc.do({ type: 'phase.advance' });
  const page = await teamPage({ width: 375, height: 700 });
  await page.goto(`${server.url}/game/${game.gameId}/rok#deals`);
  const top = async (sel: string) => (await page.locator(sel).boundingBox())!.y;
  await page.locator('#ob-action-0').waitFor();
  assert.ok((await top('#ob-team-0')) < (await top('#ob-action-0')), 'the team comes first');
  await page.context().close();
});

test('the team debrief on 375 and 320 px phones: no sideways scrolling, the dice wrap', async () => {
  await wc.do({ type: 'game.end' });
  for (const width of [375, 320]) {
    const page = await teamPage({ width, height: 640 });
    await page.goto(`${server.url}/game/${game.gameId}/rok`);
    await page.locator('.debrief .dice code').first().waitFor();
    const seen = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      dice: Math.max(...[...document.querySelectorAll('.dice code')].map((c) => c.getBoundingClientRect().right)),
    }));
    assert.ok(seen.page <= width, `the page is ${seen.page} px wide on a ${width} px screen`);
    assert.ok(seen.dice <= width, `the dice end at ${seen.dice} px on a ${width} px screen`);
    await page.locator('.dice').screenshot({ path: `test-artifacts/console-details-dice-${width}.png` });
    await screenshot(page, `console-details-debrief-${width}`);
    await page.context().close();
  }
});

test.run();
