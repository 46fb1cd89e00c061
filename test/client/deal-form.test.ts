// The deal form across a round's turn: a proposal prepared in one round and left unsent names a round that has
// passed once the next one opens. Its rows move up to the first round they may name, so Propose goes through, and
// a round typed out of range is refused in words the page shows, not by a browser bubble that vanishes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import type { CreateGameResult } from '../../shared/protocol.ts';
import { launchBrowser, screenshot, seatedPage } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let wc: TestClient;
const problems: string[] = [];

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'tutorial', { seed: 'deal-form' }, 'Wanda White');
  wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  await wc.do({ type: 'game.start' }); // briefing
  await wc.do({ type: 'phase.advance' }); // injects
  await wc.do({ type: 'phase.advance' }); // negotiation
});

test.after(async () => {
  wc?.close();
  await browser?.close();
  await server?.stop();
});

/** Picks the first action on offer in an obligation row. */
async function pickAction(page: Page, row: number) {
  const first = await page
    .locator(`#ob-action-${row} option:not([value=""])`)
    .first()
    .evaluate((o) => (o as HTMLOptionElement).value);
  await page.locator(`#ob-action-${row}`).selectOption(first);
}

test('a proposal prepared in round 1 and sent in round 2 is due by round 2, and goes through', async () => {
  const j = await join(server.url, game.codes.teams.us, 'Ana Us');
  const page = await seatedPage(
    browser,
    { gameId: game.gameId, key: 'us', seat: { ...j, role: 'team', team: 'us', name: 'Ana Us' } },
    problems,
    { viewport: { width: 1366, height: 768 } },
  );
  await page.goto(`${server.url}/game/${game.gameId}/us#deals`);
  await page.getByRole('checkbox', { name: /North Korea/ }).check();
  await pickAction(page, 0);
  await pickAction(page, 1);
  assert.is(await page.locator('#ob-round-1').inputValue(), '1');

  // The round turns with the form unsent.
  for (const type of ['phase.advance', 'phase.advance', 'adjudication.approve', 'phase.advance', 'phase.advance'])
    await wc.do({ type });
  await page.locator('.pb-round', { hasText: 'Round 2 of' }).first().waitFor();
  await page.waitForFunction(() => (document.getElementById('ob-round-0') as HTMLInputElement)?.value === '2');
  assert.is(await page.locator('#ob-round-1').inputValue(), '2', 'both rows moved up');

  // A round typed out of range is refused in words on the page.
  await page.locator('#ob-round-1').fill('1');
  await page.getByRole('button', { name: 'Propose', exact: true }).click();
  await page.locator('.toast', { hasText: 'due by a round from 2' }).waitFor();
  await page.locator('#ob-round-1').fill('2');
  await page.getByRole('button', { name: 'Propose', exact: true }).click();
  await page.locator('.toast', { hasText: 'Deal proposed' }).waitFor();
  await screenshot(page, 'deal-form-round-2');
  await page.context().close();
  assert.equal(problems, []);
});

test.run();
