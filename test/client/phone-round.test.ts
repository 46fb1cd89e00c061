// A round on a phone, where the sticky clock and tabs take two rows and a banner: a free-form move half written
// survives a refresh, paused or not (it is not in the shared draft until all three boxes are filled); a team that let submissions
// close with nothing drafted reads a warning, not the green of a lock; "See what happened and why" and "Go to the
// form" land below the sticky head, not under it; the feedback's 1–5 scale stands on one line; and the debrief's
// table of covert moves does not push a 360-pixel page sideways.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import type { CreateGameResult } from '../../shared/protocol.ts';
import { ARTIFACTS, launchBrowser, screenshot, seatedPage } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const SMALL_PHONE = { width: 360, height: 740 };
const PHONE = { width: 390, height: 844 };

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let wc: TestClient;
let dprk: TestClient;
let prcPage: Page;
const problems: string[] = [];

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'flywheel-2022', { seed: 'phone-round', rounds: 3 }, 'Wanda White');
  wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  const d = await join(server.url, game.codes.teams.dprk, 'Kim Dprk');
  dprk = await TestClient.connect(server.url, d.token, 'dprk');
  await wc.do({ type: 'game.start' }); // briefing
  await wc.do({ type: 'phase.advance' }); // injects
  await wc.do({ type: 'phase.advance' }); // negotiation
});

test.after(async () => {
  wc?.close();
  dprk?.close();
  await browser?.close();
  await server?.stop();
});

async function teamPage(team: string, name: string, viewport: { width: number; height: number }): Promise<Page> {
  const j = await join(server.url, game.codes.teams[team], name);
  return seatedPage(browser, { gameId: game.gameId, key: team, seat: { ...j, role: 'team', team, name } }, problems, {
    viewport,
    mobile: true,
  });
}

/** How far below the sticky head's foot an element's top stands (negative: under the head). */
const clearOfHead = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const head = document.querySelector('.sticky-head')!.getBoundingClientRect();
    return document.querySelector(sel)!.getBoundingClientRect().top - head.bottom;
  }, selector);

test('a free-form move half written is still in its boxes after a refresh', async () => {
  const page = await teamPage('rok', 'Min Rok', PHONE);
  await page.goto(`${server.url}/game/${game.gameId}/rok#moves`);
  await page.getByLabel('What you do').fill('Open a liaison office in Kaesong');
  await page.getByText('Fill in all three boxes').waitFor();
  await page.reload();
  await page.getByRole('heading', { name: 'Our moves this round' }).waitFor();
  assert.is(await page.getByLabel('What you do').inputValue(), 'Open a liaison office in Kaesong');
  assert.is(await page.getByLabel('The result you want').inputValue(), '');
  // A refresh while the White Cell has paused the game keeps it too.
  await wc.do({ type: 'game.pause' });
  await page.reload();
  await page.getByRole('heading', { name: 'Our moves this round' }).waitFor();
  assert.is(await page.getByLabel('What you do').inputValue(), 'Open a liaison office in Kaesong');
  await wc.do({ type: 'game.resume' });
  await page.getByLabel('What you do').and(page.locator(':enabled')).waitFor();
  // Completed, it goes to the shared draft, and the tab forgets its own copy.
  await page.getByLabel('The result you want').fill('A channel that stays open');
  await page.getByLabel('Why it should work').fill('Both sides staff it');
  await page.getByLabel('Why it should work').blur();
  await page.locator('.draft', { hasText: 'Open a liaison office in Kaesong' }).waitFor();
  const kept = await page.evaluate(() =>
    Object.keys(sessionStorage)
      .filter((k) => k.startsWith('flywheel:freeform:'))
      .map((k) => sessionStorage.getItem(k)),
  );
  assert.equal(kept, ['null'], 'sent: the tab keeps no copy of its own');
  await page.context().close();
});

test('a team that drafted nothing when submissions closed reads a warning, not a lock', async () => {
  await dprk.do({ type: 'draft.set', overt: [], covert: ['dprk-undeclared-enrichment'], freeform: null });
  await wc.do({ type: 'phase.advance' }); // submission
  prcPage = await teamPage('prc', 'Li Prc', SMALL_PHONE);
  await prcPage.goto(`${server.url}/game/${game.gameId}/prc#moves`);
  await prcPage.getByRole('button', { name: 'Lock our moves' }).first().waitFor();
  await wc.do({ type: 'phase.advance' }); // adjudication: submissions close
  const note = prcPage.locator('.locked-note', { hasText: 'No moves this round' });
  await note.waitFor();
  assert.ok(await note.evaluate((el) => el.classList.contains('missed')), 'the note is marked as a round missed');
  const colours = await prcPage.evaluate(() => {
    const draft = getComputedStyle(document.querySelector('.draft')!).borderTopColor;
    const ok = getComputedStyle(document.documentElement).getPropertyValue('--ok').trim();
    const probe = document.createElement('i');
    probe.style.color = ok;
    document.body.append(probe);
    const okRgb = getComputedStyle(probe).color;
    probe.remove();
    return { draft, okRgb };
  });
  assert.is.not(colours.draft, colours.okRgb, 'the draft card is not edged in the green of a lock');
  await screenshot(prcPage, 'phone-round-missed');
});

test('"See what happened and why" and "Go to the form" land below the sticky head', async () => {
  await wc.do({ type: 'adjudication.approve' }); // reveal: the round's feedback form opens
  await prcPage.getByRole('button', { name: 'See what happened and why' }).click();
  await prcPage.waitForFunction(() => document.activeElement?.hasAttribute('data-reveal'));
  // The scroll padding is the head's own height (and half a line), not a fixed margin that happens to be enough.
  const { head, padding } = await prcPage.evaluate(() => ({
    head: document.querySelector('.sticky-head')!.getBoundingClientRect().height,
    padding: Number.parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop),
  }));
  assert.ok(Math.abs(padding - (head + 8)) <= 1, `the scroll padding (${padding} px) follows the head (${head} px)`);
  assert.ok((await clearOfHead(prcPage, '[data-reveal]')) >= 0, 'the reveal heading is clear of the head');
  await prcPage.getByRole('button', { name: /^Go to the form/ }).click();
  await prcPage.waitForFunction(() => document.activeElement?.id === 'forms-h');
  assert.ok((await clearOfHead(prcPage, '#forms-h')) >= 0, 'the feedback heading is clear of the head');
  // A 1–5 question's five choices on one line, each circle level with its number.
  const scale = await prcPage.evaluate(() => {
    const set = [...document.querySelectorAll('fieldset.question')].find(
      (f) => f.querySelectorAll('input[type="radio"]').length === 5,
    )!;
    return [...set.querySelectorAll('label')].map((l) => {
      const box = l.getBoundingClientRect();
      const dot = l.querySelector('input')!.getBoundingClientRect();
      return { top: Math.round(box.top), offset: Math.abs(dot.top + dot.height / 2 - (box.top + box.height / 2)) };
    });
  });
  assert.is(new Set(scale.map((s) => s.top)).size, 1, 'one line');
  assert.ok(
    scale.every((s) => s.offset <= 2),
    'each circle is level with its label',
  );
  // What the phone shows, not the whole page: the point is where the heading landed.
  await prcPage.screenshot({ path: `${ARTIFACTS}/phone-round-form.png`, animations: 'disabled', caret: 'hide' });
});

test("the debrief's covert moves stay within a 360-pixel page", async () => {
  await wc.do({ type: 'game.end' });
  await prcPage.goto(`${server.url}/game/${game.gameId}/prc#debrief`);
  await prcPage.getByRole('heading', { name: 'Covert moves, now revealed' }).waitFor();
  await prcPage.getByRole('cell', { name: 'Undeclared enrichment' }).waitFor();
  const wide = await prcPage.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= SMALL_PHONE.width, `the page is ${wide} px wide`);
  await screenshot(prcPage, 'phone-round-debrief');
  await prcPage.context().close();
  assert.equal(problems, []);
});

test.run();
