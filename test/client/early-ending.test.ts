// An ending reached before the last round: the reveal it was reached at has no clock, every screen says an ending
// was reached and that the White Cell decides, and the White Cell's "Go to the debrief" asks before it ends the
// exercise early (it cannot be undone).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import type { CreateGameResult } from '../../shared/protocol.ts';
import { launchBrowser, screenshot, seatedPage, whiteCellPage, writeArtifact } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let wc: TestClient;
const problems: string[] = [];

/** One round from its injects to its reveal, with nothing played. */
async function playRound() {
  await wc.do({ type: 'phase.advance' }); // negotiation
  await wc.do({ type: 'phase.advance' }); // submission
  await wc.do({ type: 'phase.advance' }); // adjudication
  await wc.do({ type: 'adjudication.approve' }); // reveal
}

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'flywheel-2022', { seed: 'early-ending' }, 'Wanda White');
  wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  await wc.do({ type: 'game.start' }); // briefing
  await wc.do({ type: 'phase.advance' }); // round 1, injects
  await playRound();
  await wc.do({ type: 'phase.advance' }); // round 2
  await playRound();
  await wc.do({ type: 'phase.advance' }); // round 3
  // A war scare: the board collapses at the round's reveal, three rounds before the last.
  await wc.do({
    type: 'inject.add',
    title: 'War scare',
    text: 'Artillery on the border.',
    audience: 'all',
    effects: [{ meter: 'tension', delta: 60 }],
    publish: true,
  });
  await playRound();
  assert.ok(wc.view!.game.ending, 'an ending was reached');
  assert.is(wc.view!.game.round, 3);
  assert.is(wc.view!.game.deadline, null, 'no clock runs on this reveal');
});

test.after(async () => {
  if (problems.length) writeArtifact('early-ending-console.txt', problems.join('\n'));
  wc?.close();
  await browser?.close();
  await server?.stop();
});

test('the board and a team console say an ending was reached and that the White Cell decides', async () => {
  const ending = wc.view!.game.ending!.name;
  const board = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await board.goto(`${server.url}/board/${encodeURIComponent(game.codes.observer)}`);
  const said = board.locator('.pb-ending');
  await said.filter({ hasText: ending }).waitFor();
  assert.match(await said.innerText(), /The White Cell\s+decides whether the exercise ends here or plays on/);
  await screenshot(board, 'early-ending-board');
  await board.close();
  const seat = await join(server.url, game.codes.teams.rok, 'Min-ji');
  const phone = await seatedPage(
    browser,
    { gameId: game.gameId, key: 'rok', seat: { ...seat, role: 'team', team: 'rok' } },
    problems,
    { viewport: { width: 390, height: 844 }, mobile: true },
  );
  await phone.goto(`${server.url}/game/${game.gameId}/rok`);
  await phone.locator('.pb-ending', { hasText: ending }).waitFor();
  await screenshot(phone, 'early-ending-phone');
  await phone.context().close();
});

test('"Go to the debrief" asks before ending the exercise early; "no" leaves the reveal as it was', async () => {
  const page = await whiteCellPage(browser, game, 'Wanda White', problems, { width: 1440, height: 900 });
  await page.goto(`${server.url}/game/${game.gameId}/control`);
  await page.locator('.timers').getByRole('button', { name: 'Go to the debrief' }).click();
  const question = page.getByText(/This ends the exercise at round 3 of 6/);
  await question.waitFor();
  await screenshot(page, 'early-ending-wc-ask');
  await page.getByRole('button', { name: 'No', exact: true }).click();
  await question.waitFor({ state: 'hidden' });
  assert.is(wc.view!.game.phase, 'reveal', 'still the reveal');
  await page.locator('.timers').getByRole('button', { name: 'Go to the debrief' }).click();
  await page.getByRole('button', { name: 'Yes, end the exercise' }).click();
  await wc.waitFor((v) => v.game.phase === 'debrief', 'the debrief');
  await page.context().close();
});

test.run();
