// The projector's board on the walls a facilitator meets (1280×720, 1280×800, 1366×768, 1920×1080), mid-game with
// the full scenario, without and then with an announcement up: every public meter is on screen at once, whole, in a
// part that needs no pages, each name uncut and its value and chart large enough to read from the back of the room,
// and the latest round and the deals in force keep a usable share of the width beside them; under a long
// announcement the cards give up their charts, not their place on screen.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import { readFileSync } from 'node:fs';
import type { CreateGameResult } from '../../shared/protocol.ts';
import { launchBrowser, screenshot, watchConsole, writeArtifact } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const scenario = JSON.parse(readFileSync('scenarios/flywheel-2022.json', 'utf8')) as {
  meters: { id: string; visibleTo: unknown }[];
};
/** The meters everyone may see, the board's. */
const PUBLIC = scenario.meters.filter((m) => m.visibleTo === 'all').length;

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let wc: TestClient;
let board: Page;
const problems: string[] = [];

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'flywheel-2022', { seed: 'board-fit' }, 'Wanda White');
  wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  // Round 1 played to its reveal, then round 2's negotiation: the meters have moved, with a change and a history.
  await wc.do({ type: 'game.start' }); // briefing
  for (let i = 0; i < 4; i++) await wc.do({ type: 'phase.advance' }); // injects … adjudication
  await wc.do({ type: 'adjudication.approve' }); // reveal
  await wc.do({ type: 'phase.advance' }); // round 2's injects
  await wc.do({ type: 'phase.advance' }); // negotiation
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, reducedMotion: 'reduce' });
  await context.addInitScript('globalThis.__name = (f) => f;');
  board = await context.newPage();
  watchConsole(board, 'board', problems);
  await board.goto(`${server.url}/board/${encodeURIComponent(game.codes.observer)}`);
  await board.locator('.board.big .meter').first().waitFor();
  await board.locator('.phasebar .phase-negotiation').waitFor();
});

test.after(async () => {
  if (problems.length) writeArtifact('board-fit-console.txt', problems.join('\n'));
  wc?.close();
  await browser?.close();
  await server?.stop();
});

/** Two frames drawn: the board lays its meters out as it draws and on a resize, so they are in place by then. */
const settled = () => board.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));

/** The meters' part and each meter card in it, as the board has laid them out. */
const measure = () =>
  board.evaluate(() => {
    const part = document.querySelector<HTMLElement>('[data-pages]:has(.meters)')!;
    const box = part.getBoundingClientRect();
    const side = document.querySelector('.board-side')!.getBoundingClientRect();
    const meters = [...part.querySelectorAll<HTMLElement>('.meter')].map((el) => {
      const r = el.getBoundingClientRect();
      const name = el.querySelector<HTMLElement>('.m-name')!;
      const value = el.querySelector<HTMLElement>('.m-value')!;
      const plot = el.querySelector('.mchart-plot')?.getBoundingClientRect();
      return {
        name: name.textContent,
        inside:
          r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.left >= box.left - 1 && r.right <= box.right + 1,
        nameCut: name.scrollWidth > name.clientWidth || name.scrollHeight > name.clientHeight + 1,
        cardCut: el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1,
        namePx: Number.parseFloat(getComputedStyle(name).fontSize),
        valuePx: Number.parseFloat(getComputedStyle(value).fontSize),
        plot: plot?.height ?? 0,
        bar: (el.querySelector<HTMLElement>('.bar')?.getBoundingClientRect().height ?? 0) > 0,
      };
    });
    return {
      meters,
      scrolls: part.scrollHeight > part.clientHeight + 1,
      page: document.documentElement.scrollHeight,
      side: side.width,
    };
  });

for (const announcement of [false, true]) {
  for (const [width, height] of [
    [1366, 768],
    [1280, 720],
    [1280, 800],
    [1920, 1080],
  ]) {
    const what = `${width}×${height}${announcement ? ' with an announcement' : ''}`;
    test(`${what}: every public meter on the board at once, whole and readable, no page to turn`, async () => {
      if (announcement && !(await board.locator('.announce').count())) {
        await wc.do({
          type: 'chat.post',
          channel: 'announcements',
          text: 'Coffee break: ten minutes, the clock runs on. Back at a quarter past for round 2’s moves.',
        });
        await board.locator('.announce', { hasText: 'Coffee break' }).waitFor();
      }
      await board.setViewportSize({ width, height });
      await board.mouse.move(0, 0);
      // The board settles its layout on the next frames after a resize.
      await board.waitForFunction((h) => document.documentElement.scrollHeight <= h, height);
      await settled();
      const m = await measure();
      const name = `board-fit-${width}x${height}${announcement ? '-announce' : ''}`;
      await screenshot(board, name);
      writeArtifact(`${name}.json`, JSON.stringify({ whole: m.meters.filter((c) => c.inside).length, ...m }, null, 2));
      assert.is(m.page, height, `${what}: the page is the screen`);
      assert.is(m.meters.length, PUBLIC, `${what}: the board shows every public meter`);
      assert.not.ok(m.scrolls, `${what}: the meters' part holds no more than it shows (no pages)`);
      for (const c of m.meters) {
        const info = `${what}: ${c.name} ${JSON.stringify(c)}`;
        assert.ok(c.inside, `${info}: wholly in the part's visible box`);
        assert.not.ok(c.nameCut, `${info}: its name is not cut`);
        assert.not.ok(c.cardCut, `${info}: nothing in the card cut off`);
        assert.ok(c.namePx >= 16 && c.valuePx >= 28, `${info}: the name and value large enough to read`);
        assert.ok(c.plot >= 28, `${info}: its chart drawn, not squashed`);
      }
      // The latest round and the deals in force keep about a third of the width.
      assert.ok(m.side >= 0.3 * width, `${what}: the latest round and the deals in ${Math.round(m.side)} px`);
    });
  }
}

// A long announcement (two or three lines on a low wall) leaves the meters a lower part. The cards give up their
// charts before their values: every meter stays on screen, its value and bar whole, rather than pages returning.
for (const [width, height] of [
  [1280, 720],
  [1366, 768],
]) {
  test(`${width}×${height} under a long announcement: every meter's value still on screen at once`, async () => {
    await wc.do({
      type: 'chat.post',
      channel: 'announcements',
      text:
        'Coffee break: ten minutes, the clock runs on. Back at a quarter past for round 2’s moves; ROK and Japan ' +
        'to the window, the US delegation to the small room, and everyone back in their seats by the bell.',
    });
    await board.locator('.announce', { hasText: 'by the bell' }).waitFor();
    await board.setViewportSize({ width, height });
    await settled();
    const m = await measure();
    await screenshot(board, `board-fit-${width}x${height}-long-announce`);
    assert.is(m.meters.length, PUBLIC);
    assert.not.ok(m.scrolls, `${width}×${height}: no pages`);
    for (const c of m.meters) {
      const info = `${width}×${height}: ${c.name} ${JSON.stringify(c)}`;
      assert.ok(c.inside && !c.nameCut && !c.cardCut, `${info}: whole`);
      assert.ok(c.valuePx >= 28, `${info}: its value large`);
      assert.ok(c.plot >= 28 || c.bar, `${info}: a chart worth its name, or the bar`);
    }
  });
}

test.run();
