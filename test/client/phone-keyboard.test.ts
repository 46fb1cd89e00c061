// A student on a small phone and a player on the keyboard: a question asked before an action that cannot be taken
// back stands clear of the clock and tabs that stay at a phone's top, keeps Tab between its two buttons, and gives
// focus back where it was; an announcement leaves a 360×640 screen most of its height; text typed in any script
// reads in its own direction; small buttons and folding summaries are a finger's height on a touch screen.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import type { CreateGameResult } from '../../shared/protocol.ts';
import { launchBrowser, screenshot, seatedPage, whiteCellPage, writeArtifact } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const SMALL_PHONE = { width: 360, height: 640 };
const LAPTOP = { width: 1366, height: 768 };
const ARABIC = 'نقترح تبادل الأسرى في الجولة الأولى (round 1).';

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let wc: TestClient;
let us: TestClient;
let rok: { token: string; playerId: string; role: string; team: string; name: string };
const problems: string[] = [];

const rokPage = (viewport: { width: number; height: number }, mobile = false) =>
  seatedPage(browser, { gameId: game.gameId, key: 'rok', seat: rok }, problems, { viewport, mobile });

/** A fresh proposal from the US to South Korea, waiting for its answer. */
async function propose() {
  await us.do({
    type: 'deal.propose',
    to: ['rok'],
    obligations: [{ team: 'us', action: 'us-talks', byRound: 1 }],
    secret: false,
    snapback: false,
    note: ARABIC,
  });
}

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'flywheel-2022', { seed: 'phone-keyboard' }, 'Wanda White');
  const j = await join(server.url, game.codes.teams.rok, 'Min-ji Rok');
  rok = { token: j.token, playerId: j.playerId, role: 'team', team: 'rok', name: 'Min-ji Rok' };
  wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  us = await TestClient.connect(server.url, (await join(server.url, game.codes.teams.us, 'Ana Us')).token, 'us');
  await wc.do({ type: 'game.start' }); // briefing
  await wc.do({ type: 'phase.advance' }); // injects
  await wc.do({ type: 'phase.advance' }); // negotiation
  await wc.do({
    type: 'chat.post',
    channel: 'announcements',
    text: 'Plenary at half past: each team says in two minutes what it wants from this round, what it offers in return, and which red line it will not cross, whatever the others offer. Keep the notes for the debrief.',
  });
  await us.do({ type: 'chat.post', channel: 'plenary', text: ARABIC });
});

test.after(async () => {
  if (problems.length) writeArtifact('phone-keyboard-console.txt', problems.join('\n'));
  wc?.close();
  us?.close();
  await browser?.close();
  await server?.stop();
});

test('on a 360×640 phone an announcement leaves most of the screen, and "Yes, accept" stands clear of it', async () => {
  await propose();
  const phone = await rokPage(SMALL_PHONE, true);
  await phone.goto(`${server.url}/game/${game.gameId}/rok#deals`);
  await phone.locator('.announce').waitFor();
  const head = async () => (await phone.locator('.sticky-head').boundingBox())!;
  const stuck = await head();
  assert.ok(stuck.height <= SMALL_PHONE.height / 2, `the stuck head takes ${stuck.height} px of 640`);
  const accept = phone.getByRole('button', { name: 'Accept', exact: true }).first();
  await accept.scrollIntoViewIfNeeded();
  await accept.tap();
  const yes = phone.getByRole('button', { name: 'Yes, accept' });
  await yes.waitFor();
  await phone.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Yes, accept');
  const seen = await yes.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { top: r.top, bottom: r.bottom, hit: el.contains(hit) };
  });
  await screenshot(phone, 'phone-keyboard-confirm-360');
  assert.ok(
    seen.hit && seen.bottom <= SMALL_PHONE.height,
    `the focused "Yes, accept" is the one seen: ${JSON.stringify(seen)}`,
  );
  // A finger's height for the small buttons and the folding summaries of a touch screen.
  const short = await phone.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button.small, summary')]
      .filter((el) => el.offsetParent)
      .map((el) => ({ text: el.textContent?.trim().slice(0, 30), h: el.getBoundingClientRect().height }))
      .filter((x) => x.h < 44),
  );
  assert.equal(short, [], 'controls under 44 px');
  await phone.context().close();
});

/** Whether the button is the element a finger at its centre would touch (nothing of the stuck head over it). */
const reachable = (button: import('playwright-core').Locator) =>
  button.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return r.height > 0 && r.bottom <= innerHeight && el.contains(hit);
  });

test('offline on a 360×640 phone, an announcement and the connection banner leave half the screen, and Dismiss stays in reach; on its side nothing is pinned', async () => {
  const phone = await rokPage(SMALL_PHONE, true);
  await phone.goto(`${server.url}/game/${game.gameId}/rok#moves`);
  await phone.locator('.announce').waitFor();
  await phone.context().setOffline(true);
  await phone.locator('.banner.offline', { hasText: 'Connection lost' }).waitFor({ timeout: 30_000 });
  // The student has scrolled down the long moves menu.
  await phone.mouse.wheel(0, 2000);
  await phone.waitForFunction(() => scrollY > 500);
  const head = (await phone.locator('.sticky-head').boundingBox())!;
  await screenshot(phone, 'phone-offline-announcement-360');
  assert.ok(head.y <= 0 && head.height <= SMALL_PHONE.height / 2, `the stuck head: ${JSON.stringify(head)}`);
  const dismiss = phone.locator('.announce').getByRole('button', { name: 'Dismiss' });
  assert.ok(await reachable(dismiss), 'Dismiss is under nothing');
  // Turned on its side, the phone keeps its 360 px for the tab: the head scrolls away with the page.
  await phone.setViewportSize({ width: SMALL_PHONE.height, height: SMALL_PHONE.width });
  await phone.mouse.wheel(0, 2000);
  await phone.waitForFunction(() => (document.querySelector('.sticky-head')?.getBoundingClientRect().bottom ?? 1) <= 0);
  await screenshot(phone, 'phone-offline-landscape-640');
  await phone.context().setOffline(false);
  await phone.locator('.banner.offline').waitFor({ state: 'detached', timeout: 60_000 });
  await phone.context().close();
});

test('a screen reader hears a proposal arrive and a line posted in the channel on screen, and the tab says what its count counts', async () => {
  const page = await rokPage(LAPTOP);
  await page.goto(`${server.url}/game/${game.gameId}/rok#talk`);
  await page.getByRole('button', { name: /^Plenary/ }).click();
  await page.locator('.msg-text').first().waitFor();
  const said = page.locator('[data-said]');
  await propose();
  await said.filter({ hasText: 'United States proposes a deal' }).waitFor();
  await page.getByRole('tab', { name: /^Deals \(\d+ waiting for your answer\)$/ }).waitFor();
  await us.do({ type: 'chat.post', channel: 'plenary', text: 'Washington is ready to talk.' });
  await said.filter({ hasText: 'Washington is ready to talk.' }).waitFor();
  await page.context().close();
});

test('a question keeps Tab between its two buttons, and gives focus back to what asked it', async () => {
  await propose();
  const page = await rokPage(LAPTOP);
  await page.goto(`${server.url}/game/${game.gameId}/rok#deals`);
  const accept = page.getByRole('button', { name: 'Accept', exact: true }).first();
  await accept.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Yes, accept' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Yes, accept');
  const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
  const visited: string[] = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    visited.push(await focused());
  }
  assert.equal(visited, ['No', 'Yes, accept', 'No', 'Yes, accept'], 'Tab stays within the question');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Yes, accept' }).waitFor({ state: 'detached' });
  await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Accept');
  assert.is(await focused(), 'Accept', 'focus back on the button that asked');
  // Yes: the command goes, the buttons wait for its answer, and focus lands in the page, never back at its top.
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Yes, accept' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.textContent?.trim() === 'Yes, accept');
  await page.keyboard.press('Enter');
  await us.waitFor((v) => v.deals.some((d) => d.status === 'accepted'), 'the deal accepted');
  await page.waitForFunction(() => {
    const at = document.activeElement;
    return !!at && at !== document.body && !!at.closest('#main');
  });
  await page.context().close();
});

test('the White Cell by keyboard: a command keeps focus on its button, or in the page when the button goes', async () => {
  const page = await whiteCellPage(browser, game, 'Wanda White', problems, LAPTOP);
  await page.goto(`${server.url}/game/${game.gameId}/control`);
  const timers = page.locator('.timers');
  const focused = () =>
    page.evaluate(() => {
      const at = document.activeElement;
      return { text: at?.textContent?.trim() ?? '', inPage: !!at && at !== document.body };
    });
  // "+1 min" is disabled while its command is under way, then itself again: focus goes back to it.
  await timers.getByRole('button', { name: '+1 min' }).focus();
  const deadline = wc.view!.game.deadline!;
  await page.keyboard.press('Enter');
  await wc.waitFor((v) => v.game.deadline === deadline + 60_000, 'the clock extended');
  await page.waitForFunction(() => document.activeElement?.textContent?.trim() === '+1 min');
  // "Pause" gives way to "Resume": focus stays in the page, not back at its top.
  await timers.getByRole('button', { name: 'Pause' }).focus();
  await page.keyboard.press('Enter');
  await wc.waitFor((v) => v.game.paused !== null, 'paused');
  await timers.getByRole('button', { name: 'Resume' }).waitFor();
  await page.waitForFunction(() => !!document.activeElement && document.activeElement !== document.body);
  assert.ok((await focused()).inPage);
  await timers.getByRole('button', { name: 'Resume' }).focus();
  await page.keyboard.press('Enter');
  await wc.waitFor((v) => v.game.paused === null, 'resumed');
  await page.context().close();
});

test('text in a right-to-left script reads in its own direction, in chat and in a deal note', async () => {
  const page = await rokPage(LAPTOP);
  await page.goto(`${server.url}/game/${game.gameId}/rok#deals`);
  const note = page.locator('.deal .note', { hasText: 'نقترح' }).first();
  await note.waitFor();
  assert.is(await note.evaluate((el) => getComputedStyle(el).direction), 'rtl');
  await page.getByRole('tab', { name: /^Channels/ }).click();
  const line = page.locator('.msg-text', { hasText: 'نقترح' }).first();
  await line.waitFor();
  assert.is(await line.evaluate((el) => getComputedStyle(el).direction), 'rtl');
  const box = page.locator('textarea[id^="post-"]').first();
  assert.is(await box.getAttribute('dir'), 'auto', 'the box a reply is typed in follows its text too');
  await page.context().close();
});

test.run();
