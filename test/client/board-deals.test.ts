// A deal taller than the board's "Deals in force" part (a long note) is read a page at a time; its head, who it is
// between, stays in sight under the part's heading while its pages turn, so the back of the room never reads an
// obligation or a note without knowing whose deal it is. The page clock is paused: each turn is taken by the test.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import type { CreateGameResult } from '../../shared/protocol.ts';
import { launchBrowser, screenshot } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const PAGE_TURN = 12_000;
let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
const clients: TestClient[] = [];

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'flywheel-2022', { seed: 'board-deals' }, 'Wanda White');
  const wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  const us = await TestClient.connect(server.url, (await join(server.url, game.codes.teams.us, 'Ana')).token, 'us');
  const dprk = await TestClient.connect(server.url, (await join(server.url, game.codes.teams.dprk, 'Kim')).token, 'dp');
  clients.push(wc, us, dprk);
  await wc.do({ type: 'game.start' });
  await wc.do({ type: 'phase.advance' }); // injects
  await wc.do({ type: 'phase.advance' }); // negotiation
  const note =
    'Talks first, then the channel: each side has said what it would do, and both want the other to move first. ';
  await us.do({
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-talks', byRound: 2 },
      { team: 'dprk', action: 'dprk-ny-channel', byRound: 2 },
      { team: 'us', action: 'us-aid-travel', byRound: 3 },
      { team: 'dprk', action: 'dprk-remains', byRound: 3 },
    ],
    secret: false,
    snapback: false,
    note: note.repeat(8).trim(),
  });
  await dprk.do({ type: 'deal.accept', dealId: us.view!.deals.at(-1)!.id });
  // And a short one after it, which a page shows whole.
  await us.do({
    type: 'deal.propose',
    to: ['dprk'],
    obligations: [
      { team: 'us', action: 'us-humanitarian-exemptions', byRound: 2 },
      { team: 'dprk', action: 'dprk-aid-monitors', byRound: 2 },
    ],
    secret: false,
    snapback: false,
    note: 'Short note.',
  });
  await dprk.do({ type: 'deal.accept', dealId: us.view!.deals.at(-1)!.id });
});

test.after(async () => {
  for (const c of clients) c.close();
  await browser?.close();
  await server?.stop();
});

test('a deal taller than its part keeps its head in sight as the board turns its pages', async () => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, reducedMotion: 'reduce' });
  await context.addInitScript('globalThis.__name = (f) => f;');
  const board = await context.newPage();
  await board.clock.install();
  await board.goto(`${server.url}/board/${encodeURIComponent(game.codes.observer)}`);
  await board.locator('.deals-card .deal').first().waitFor();
  await board.clock.pauseAt((await board.evaluate(() => Date.now())) + 1000);
  await board.clock.runFor(50);
  const part = board.locator('.deals-card');
  /** The part's window under its heading, the deal's box and its head's, in the window's terms. */
  const read = () =>
    part.evaluate((el) => {
      const top = el.querySelector(':scope > h2')!.getBoundingClientRect().bottom;
      const bottom = el.getBoundingClientRect().top + el.clientTop + el.clientHeight;
      const deal = el.querySelector('.deal')!.getBoundingClientRect();
      const head = el.querySelector('.deal > header')!.getBoundingClientRect();
      const h2 = el.querySelector(':scope > h2')!.getBoundingClientRect();
      const atTitle = document.elementFromPoint(h2.left + 20, (h2.top + h2.bottom) / 2);
      const short = el.querySelectorAll('.deal')[1] as HTMLElement;
      return {
        scroll: el.scrollTop,
        height: bottom - top,
        end: el.scrollTop + el.clientHeight >= el.scrollHeight - 2,
        deal: { top: deal.top - top, bottom: deal.bottom - top },
        head: { top: head.top - top, bottom: head.bottom - top },
        titleOnTop: !!atTitle && el.querySelector(':scope > h2')!.contains(atTitle),
        // A deal that fits the part is read whole, so its head never stays over its terms.
        fitsButStays:
          !short.classList.contains('tall') && getComputedStyle(short.querySelector('header')!).position === 'sticky',
        tallFits:
          el.querySelector<HTMLElement>('.deal')!.offsetHeight <=
          el.clientHeight - el.querySelector<HTMLElement>(':scope > h2')!.offsetHeight,
      };
    });
  const first = await read();
  assert.ok(
    first.deal.bottom - first.deal.top > first.height,
    `the deal is taller than its part: ${JSON.stringify(first)}`,
  );
  let before = first;
  let turns = 0;
  for (let turn = 1; !before.end && turn <= 3; turn++) {
    await board.clock.runFor(PAGE_TURN);
    const after = await read();
    await screenshot(board, `board-deal-page-${turn}`);
    assert.ok(after.scroll > before.scroll, `turn ${turn}: the page moved on`);
    assert.ok(after.titleOnTop, `turn ${turn}: a deal's head is drawn over the part's title`);
    assert.not.ok(after.fitsButStays, 'a deal that fits is read whole: its head never covers its terms');
    // Enough of the deal is on screen to hold its head below it: its head is there too, whole, within the window.
    if (after.deal.bottom > after.head.bottom - after.head.top + 2)
      assert.ok(
        after.head.top >= -3 && after.head.bottom <= after.height,
        `turn ${turn}: the deal's head is out of sight: ${JSON.stringify(after)}`,
      );
    before = after;
    turns++;
  }
  assert.ok(turns >= 1 && before.scroll > 0, 'the part turned at least one page into the deal');
  await context.close();
});

test.run();
