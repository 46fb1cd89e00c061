// What a phone and a low projector made hard to read or to tap: the deal form's action names, cut by the width of a
// phone's list, are named whole under the row; a toast over a button at the foot of a phone's screen lets the tap
// through to the button; and an inject taller than the 1366×768 board's "Latest round" turns its pages a line at a
// time, never leaving a line cut in half under the card's heading. The page clock is paused where a toast's life or
// the board's page turns matter, so each step is taken when the test says, not when a timer happens to fire.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import type { CreateGameResult } from '../../shared/protocol.ts';
import { ARTIFACTS, launchBrowser, seatedPage, writeArtifact } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };
const PAGE_TURN = 12_000;

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let wc: TestClient;
let us: { token: string; playerId: string | null; role: string; team: string; name: string };
const problems: string[] = [];

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${ARTIFACTS}/fit-ux-${name}.png`, animations: 'disabled', caret: 'hide' });

const usPage = (viewport: { width: number; height: number }, mobile = false) =>
  seatedPage(browser, { gameId: game.gameId, key: 'us', seat: us }, problems, { viewport, mobile });

/** Stops the page's timers where they are: from here on they run only by `runFor`. */
async function pauseClock(page: Page) {
  // A moment ahead of the page's time, which runs on while this call travels.
  await page.clock.pauseAt((await page.evaluate(() => Date.now())) + 1000);
  await page.clock.runFor(50); // a frame, so what waited for one is drawn
}

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'flywheel-2022', { seed: 'fit-ux' }, 'Wanda White');
  const j = await join(server.url, game.codes.teams.us, 'Ana Us');
  us = { token: j.token, playerId: j.playerId, role: 'team', team: 'us', name: 'Ana Us' };
  wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  await wc.do({ type: 'game.start' }); // briefing
  await wc.do({ type: 'phase.advance' }); // injects
  await wc.do({ type: 'phase.advance' }); // negotiation
});

test.after(async () => {
  if (problems.length) writeArtifact('fit-ux-console.txt', problems.join('\n'));
  wc?.close();
  await browser?.close();
  await server?.stop();
});

test('on a phone the deal form names the chosen action whole, and the desktop row stays one line', async () => {
  const longest = 'Lift the coal, mineral and labour bans and the oil cap';
  const chosen = async (page: Page) =>
    page
      .locator('#ob-action-0')
      .selectOption(
        await page.locator('#ob-action-0 option', { hasText: longest }).evaluate((o) => (o as HTMLOptionElement).value),
      );
  const phone = await usPage(PHONE, true);
  await phone.goto(`${server.url}/game/${game.gameId}/us#deals`);
  const select = phone.locator('#ob-action-0');
  await select.waitFor();
  await chosen(phone);
  const row = phone.locator('.obligation[data-row="0"]');
  // The name, read outside the list (whose closed box cuts it), whole and within the screen.
  const named = await row.evaluate((el, name) => {
    const all = [...el.querySelectorAll<HTMLElement>('*')].filter(
      (e) => !e.closest('select') && !e.querySelector('select') && e.textContent?.includes(name) && e.offsetParent,
    );
    const e = all.at(-1);
    if (!e) return null;
    const r = e.getBoundingClientRect();
    return { right: r.right, left: r.left, fits: e.scrollWidth <= e.clientWidth + 1, text: e.textContent };
  }, longest);
  await row.scrollIntoViewIfNeeded();
  await shot(phone, 'deal-phone');
  assert.ok(named, 'the chosen action is named whole beside its list');
  assert.ok(named.left >= 0 && named.right <= PHONE.width && named.fits, `on screen, uncut: ${JSON.stringify(named)}`);
  assert.match(named.text ?? '', /Tier 3/, 'with its tier');
  assert.match(named.text ?? '', /tier closed/, 'and whether its tier is open');
  assert.ok((await phone.evaluate(() => document.documentElement.scrollWidth)) <= PHONE.width, 'no sideways scroll');
  await phone.context().close();

  const desk = await usPage(DESKTOP);
  await desk.goto(`${server.url}/game/${game.gameId}/us#deals`);
  await chosen(desk);
  const tops = await Promise.all(
    ['#ob-team-0', '#ob-action-0', '#ob-round-0'].map(async (s) => (await desk.locator(s).boundingBox())!.y),
  );
  await desk.locator('.obligation[data-row="0"]').scrollIntoViewIfNeeded();
  await shot(desk, 'deal-desktop');
  assert.ok(Math.max(...tops) - Math.min(...tops) < 2, `team, action and round side by side: ${tops}`);
  await desk.context().close();
});

test('on a phone a tap on a button under a toast reaches the button', async () => {
  const phone = await usPage(PHONE, true);
  await phone.clock.install();
  await phone.goto(`${server.url}/game/${game.gameId}/us#deals`);
  const propose = phone.getByRole('button', { name: 'Propose', exact: true });
  await propose.waitFor();
  await pauseClock(phone);
  const toasts = phone.locator('.toast');
  // Proposing to nobody is refused with a toast, which stays while the clock stands still.
  await propose.click();
  await phone.clock.runFor(50);
  await toasts.first().waitFor();
  const toast = (await toasts.first().boundingBox())!;
  // Brings the button under the toast, as a player scrolled to the foot of the form has it.
  const button = (await propose.boundingBox())!;
  await phone.evaluate((dy) => window.scrollBy(0, dy), button.y + button.height / 2 - (toast.y + toast.height / 2));
  await phone.clock.runFor(50);
  const under = (await propose.boundingBox())!;
  const at = { x: under.x + Math.min(under.width / 2, 40), y: under.y + under.height / 2 };
  assert.ok(
    at.y > toast.y && at.y < toast.y + toast.height && at.x > toast.x && at.x < toast.x + toast.width,
    `the toast covers the button (${JSON.stringify({ toast, under })})`,
  );
  await shot(phone, 'toast-phone');
  await phone.touchscreen.tap(at.x, at.y);
  await phone.clock.runFor(50);
  await shot(phone, 'toast-phone-tapped');
  // The tap reached the button: the form answers again, with a second toast.
  assert.is(await toasts.count(), 2, 'the tap proposed again');
  assert.is(await phone.getByRole('status').filter({ has: toasts.first() }).count(), 1, 'still said aloud');
  await phone.context().close();
});

test('on a 1366×768 board a long inject turns its pages a line at a time, none cut and none skipped', async () => {
  const sentence =
    'The envoy’s report runs long, as the White Cell wrote it, and every line of it matters to the room. ';
  await wc.do({
    type: 'inject.add',
    title: 'A long report from the envoy',
    text: sentence.repeat(7).trim(),
    audience: 'all',
  });
  const context = await browser.newContext({ viewport: DESKTOP, reducedMotion: 'reduce' });
  await context.addInitScript('globalThis.__name = (f) => f;');
  const board = await context.newPage();
  await board.clock.install();
  await board.goto(`${server.url}/board/${encodeURIComponent(game.codes.observer)}`);
  await board.locator('.tl-card .inject', { hasText: 'A long report from the envoy' }).waitFor();
  await pauseClock(board);
  const card = board.locator('.tl-card');
  // Starts at the long inject, under the heading, as an earlier page turn would have left it.
  await card.evaluate((el) => {
    const inject = [...el.querySelectorAll('.inject')].at(-1)!;
    const head = el.querySelector(':scope > h2')!;
    el.scrollTo({ top: el.scrollTop + inject.getBoundingClientRect().top - head.getBoundingClientRect().bottom - 6 });
  });
  await board.clock.runFor(50);
  await shot(board, 'board-top');
  /** The card's visible window, under its sticky heading, and every line of text in it, in the card's own terms. */
  const read = () =>
    card.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const head = el.querySelector(':scope > h2')!.getBoundingClientRect();
      const top = head.bottom;
      const bottom = box.top + el.clientTop + el.clientHeight;
      const lines: { top: number; bottom: number }[] = [];
      const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        if (!n.textContent?.trim() || n.parentElement?.closest('h2')) continue;
        const range = document.createRange();
        range.selectNodeContents(n);
        for (const r of range.getClientRects()) if (r.height) lines.push({ top: r.top - top, bottom: r.bottom - top });
      }
      return {
        scroll: el.scrollTop,
        height: bottom - top,
        end: el.scrollTop + el.clientHeight >= el.scrollHeight - 2,
        lines,
      };
    });
  const first = await read();
  const inject = (await board.locator('.tl-card .inject').last().boundingBox())!;
  assert.ok(inject.height > first.height * 2, `the inject (${inject.height} px) is taller than the card's window`);
  let before = first;
  // Three turns at most: a page clock run much further would outlast the socket's ping timeout and drop the link.
  for (let turn = 1; !before.end && turn <= 3; turn++) {
    await board.clock.runFor(PAGE_TURN);
    const after = await read();
    const moved = after.scroll - before.scroll;
    await shot(board, `board-paged-${turn}`);
    assert.ok(moved > 0, `turn ${turn}: the page moved on`);
    // No line straddles the top of the window: a page starts at a line, whole.
    const cut = after.lines.filter((l) => l.top < -1 && l.bottom > 1);
    assert.equal(cut, [], `turn ${turn}: a line cut under the heading`);
    // Nothing is skipped: the first line now at the top was on the window, whole or in part, before the turn.
    const topLine = after.lines.filter((l) => l.top >= -1).sort((a, b) => a.top - b.top)[0];
    assert.ok(topLine.top + moved <= before.height + 1, `turn ${turn}: a line skipped`);
    before = after;
  }
  assert.ok(before.end, 'the pages reached the end of the inject');
  await context.close();
});

test("a team's meter cards on a 1366-pixel laptop hold their change ('▲+2 this round') within the card", async () => {
  const laptop = await usPage(DESKTOP);
  await laptop.goto(`${server.url}/game/${game.gameId}/us#board`);
  await laptop.locator('.meter .m-delta').first().waitFor();
  const spills = await laptop.locator('.meters .meter').evaluateAll((cards) =>
    cards
      .filter((card) => {
        const box = card.getBoundingClientRect();
        return [...card.querySelectorAll('.m-value, .m-delta, .m-name')].some(
          (x) => x.getBoundingClientRect().right > box.right + 1,
        );
      })
      .map((card) => card.querySelector('.m-name')?.textContent),
  );
  assert.equal(spills, [], 'no card spills its value or change past its edge');
  await shot(laptop, 'meters-laptop');
  await laptop.context().close();
});

test('on a phone the lock is at the foot of the long menu too, with what the team has chosen; a laptop has it beside', async () => {
  await wc.do({ type: 'phase.advance' }); // submission
  const laptop = await usPage(DESKTOP);
  await laptop.goto(`${server.url}/game/${game.gameId}/us#moves`);
  await laptop.locator('aside.draft').getByRole('button', { name: 'Lock our moves' }).waitFor();
  assert.is(await laptop.locator('.lock-foot').isVisible(), false, 'beside the menu the draft stays in sight');
  await laptop.context().close();
  const phone = await usPage(PHONE, true);
  await phone.goto(`${server.url}/game/${game.gameId}/us#moves`);
  await phone.locator('.menu [data-action="us-talks"] button').click();
  await phone.locator('[data-action="us-talks"].picked').waitFor();
  const foot = phone.locator('.lock-foot');
  await foot.scrollIntoViewIfNeeded();
  await foot.getByText('Our moves: 1 of 3 overt, 0 of 1 covert.').waitFor();
  // It stands after the last of the menu, the free-form move, far below the draft at the top.
  const below = await phone.evaluate(
    () =>
      document.querySelector('.lock-foot')!.getBoundingClientRect().top -
      document.querySelector('.card.freeform')!.getBoundingClientRect().bottom,
  );
  assert.ok(below >= 0, 'after the free-form move');
  await shot(phone, 'lock-foot-phone');
  await foot.getByRole('button', { name: 'Lock our moves' }).click();
  await phone.locator('aside.draft .locked-note').waitFor();
  await foot.waitFor({ state: 'detached' });
  await phone.context().close();
});

test('the 1920×1080 board in the debrief turns whole screenfuls, each team’s card its own: every page opens on an item whole', async () => {
  await wc.do({ type: 'game.end' });
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
  await context.addInitScript('globalThis.__name = (f) => f;');
  const board = await context.newPage();
  await board.clock.install();
  await board.goto(`${server.url}/board/${encodeURIComponent(game.codes.observer)}`);
  await board.locator('#debrief-h').waitFor();
  await pauseClock(board);
  const parts = board.locator('[data-pages]');
  // Each part's window starts under what stays put at its top (a score card's team and total); an item straddling
  // that edge is one the room reads the foot of without its head.
  const read = () =>
    parts.evaluateAll((els) =>
      els.map((el) => {
        const head = el.querySelector(':scope > h4');
        const top = head ? head.getBoundingClientRect().bottom : el.getBoundingClientRect().top + el.clientTop;
        const items = [...el.querySelectorAll('.score li, .meter, .debrief tr, .debrief h3, .dice')];
        return {
          name: el.querySelector('h4, h3')?.textContent?.trim().slice(0, 30),
          padded: (el as HTMLElement).style.paddingBottom,
          past: el.scrollTop - (el.scrollHeight - el.clientHeight),
          more: el.scrollHeight > el.clientHeight + 2,
          scroll: el.scrollTop,
          height: el.clientHeight,
          cut: items
            .map((i) => i.getBoundingClientRect())
            .filter((r) => r.top < top - 2 && r.bottom > top + 2)
            .map((r) => Math.round(r.top - top)),
        };
      }),
    );
  const start = await read();
  assert.is(start.length, 6, "each team's score card, and the covert moves, meters and dice, turn their own pages");
  assert.ok(
    start.filter((p) => p.name !== undefined && p.more).length >= 2,
    `parts hold more than they show: ${JSON.stringify(start)}`,
  );
  const moved = new Set<number>();
  // Three turns at most, as above: the page clock run further would outlast the socket's ping timeout.
  for (let turn = 1; turn <= 3; turn++) {
    await board.clock.runFor(PAGE_TURN);
    await shot(board, `debrief-paged-${turn}`);
    for (const [i, p] of (await read()).entries()) {
      assert.ok(p.past <= 1, `turn ${turn}, part ${i}: scrolled ${p.past} px past its end`);
      // Room below the end only for a last item that no earlier page start reaches: never a page of nothing.
      if (p.padded) assert.ok(Number.parseFloat(p.padded) < p.height * 0.75, `turn ${turn}, part ${i}: ${p.padded}`);
      assert.equal(p.cut, [], `turn ${turn}, ${p.name}: a page opens on an item cut at its top`);
      if (p.scroll > 0) moved.add(i);
    }
  }
  assert.ok(moved.size >= 2, 'pages turned in more than one part');
  await context.close();
});

test.run();
