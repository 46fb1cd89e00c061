// The record's screens in the browser: an observer keeps a rapporteur note, the White Cell records the hot wash,
// a team downloads its export after the game and replays it with the scrubber, and the White Cell forks the game.
// Every screen passes the axe-core accessibility check with no violations.
import { expectNoViolations } from '../helpers/axe.ts';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright-core';
import type { CreateGameResult } from '../../shared/protocol.ts';
import { launchBrowser, screenshot, watchConsole, writeArtifact } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const WAIT = 30_000;

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let wc: TestClient;
const seats: Record<
  string,
  { token: string; playerId: string | null; role: string; team: string | null; name: string }
> = {};
const problems: string[] = [];

/** A page holding one seat, as the join page would have left it in localStorage. */
async function seatPage(key: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    reducedMotion: 'reduce',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(WAIT);
  const seat = { ...seats[key], gameId: game.gameId };
  await context.addInitScript(([k, s]) => localStorage.setItem('flywheel.seats.v1', JSON.stringify({ [k]: s })), [
    `${game.gameId}/${key}`,
    seat,
  ] as const);
  const page = await context.newPage();
  watchConsole(page, key, problems);
  return page;
}

/**
 * axe-core over the page, or over the record's own panels within a console (`include`): the consoles around them
 * are checked by the console's own test.
 */
/** Every rule axe has, on the page or the parts of it named. */
const axe = (page: Page, what: string, include?: string[]) => expectNoViolations(page, what, null, include);

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'flywheel-2022', { seed: 'browser-record' }, 'Walter Vexley');
  seats.control = { token: game.controlToken, playerId: null, role: 'control', team: null, name: 'Walter Vexley' };
  const us = await join(server.url, game.codes.teams.us, 'Zelda Quixote');
  seats.us = { token: us.token, playerId: us.playerId, role: 'team', team: 'us', name: 'Zelda Quixote' };
  const obs = await join(server.url, game.codes.observer, 'Ulrich Tamberlane');
  seats.observer = {
    token: obs.token,
    playerId: obs.playerId,
    role: 'observer',
    team: null,
    name: 'Ulrich Tamberlane',
  };
  wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  await wc.do({ type: 'game.start' });
  for (let i = 0; i < 4; i++) await wc.do({ type: 'phase.advance' });
  await wc.do({ type: 'adjudication.approve' });
});

test.after(async () => {
  if (problems.length) writeArtifact('browser-record-console.txt', problems.join('\n'));
  wc?.close();
  await browser?.close();
  await server?.stop();
});

test('an observer keeps a rapporteur note', async () => {
  const page = await seatPage('observer');
  await page.goto(`${server.url}/game/${game.gameId}/observer`);
  await page.getByRole('heading', { name: 'Rapporteur notes' }).waitFor();
  await page.getByLabel('Note', { exact: true }).fill('The US hesitated before the first offer');
  await page.getByLabel('About').selectOption('round:1');
  await page.getByRole('checkbox', { name: 'friction' }).check();
  await page.getByRole('button', { name: 'Keep the note' }).click();
  await page.locator('.notes-list li', { hasText: 'The US hesitated' }).waitFor();
  await axe(page, 'observer-notes');
  await screenshot(page, 'record-observer-notes');
  await page.context().close();
});

test("a team's Record tab shows the round first, and a line at the top leads to the form waiting below", async () => {
  const page = await seatPage('us');
  await page.setViewportSize({ width: 375, height: 700 });
  await page.goto(`${server.url}/game/${game.gameId}/us#record`);
  await page.getByRole('heading', { name: 'What happened, round by round' }).waitFor();
  const top = async (id: string) => (await page.locator(`#${id}`).boundingBox())!.y;
  assert.ok((await top('record-h')) < (await top('forms-h')), "the round's record comes before the feedback form");
  await page.getByRole('button', { name: /^Go to the form/ }).click();
  assert.is(await page.evaluate(() => document.activeElement?.id), 'forms-h', 'the button takes the player there');
  await page.context().close();
});

test('the White Cell records the hot wash and sees every note', async () => {
  const page = await seatPage('control');
  await page.goto(`${server.url}/game/${game.gameId}/control#record`);
  await page.getByRole('heading', { name: 'Hot wash and improvement plan' }).waitFor();
  await page.locator('.notes-list li', { hasText: 'The US hesitated' }).waitFor();
  await page.getByLabel('What was said').fill('Teams read the injects closely');
  await page.getByRole('button', { name: 'Record', exact: true }).click();
  await page.locator('.hotwash-list li', { hasText: 'Teams read the injects closely' }).waitFor();
  await page.getByLabel('Kind').selectOption('action');
  await page.getByLabel('What was said').fill('Shorter negotiation rounds');
  await page.getByLabel('Owner').fill('Lead facilitator');
  await page.getByLabel('Due').fill('2027-02-01');
  await page.getByRole('button', { name: 'Record', exact: true }).click();
  await page.locator('.hotwash-list li', { hasText: 'Shorter negotiation rounds' }).waitFor();
  // The game is under way: forking it now would show the fork's players its hidden moves at the fork's debrief.
  await page.locator('.fork .callout.warn', { hasText: 'This game is still running' }).waitFor();
  await axe(page, 'control-record', ['.record-exports', '.notes', '.hotwash', '.fork']);
  await screenshot(page, 'record-control');
  await page.context().close();
});

test('after the game a team downloads its export, opens its report and replays the game', async () => {
  await wc.do({ type: 'game.end' });
  const page = await seatPage('us');
  await page.goto(`${server.url}/game/${game.gameId}/us`);
  await page.getByRole('heading', { name: 'The record' }).waitFor();
  await page.getByLabel('Pseudonymise player names (for research)').check();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Research export (CSV, zip)' }).click(),
  ]);
  const files = unzipSync(new Uint8Array(readFileSync((await download.path())!)));
  const record = JSON.parse(strFromU8(files['record.json']));
  assert.is(record.audience, 'team:us');
  assert.ok(record.pseudonymised);
  assert.not.ok(
    Object.values(files)
      .map((f) => strFromU8(f))
      .join('')
      .includes('Zelda Quixote'),
  );
  assert.ok(strFromU8(files['report.md']).includes('Teams read the injects closely'), 'the hot wash reached the team');
  // The after-game form is open now; the player answers it from the debrief.
  const form = page.locator('section.forms form').filter({ hasText: 'Did the flywheel ever start to turn?' });
  await form.getByRole('radio', { name: 'Yes, then it stalled' }).check();
  await form
    .getByRole('group', { name: /How realistic/ })
    .getByRole('radio', { name: '4' })
    .check();
  await form.getByLabel('One lesson you would take back to real policy').fill('Small steps need a referee');
  await axe(page, 'team-debrief', ['.record-exports', '.forms']);
  await form.getByRole('button', { name: 'Send answers' }).click();
  // An answered form folds to one line under the open ones, and opens to say the answers are in.
  const answered = page.locator('section.forms details.answered-form').filter({ hasText: 'Answered: ' });
  await answered.first().waitFor();
  assert.is(await form.count(), 0, 'the answered form no longer takes the tab');
  const thanks = answered.first().getByText('Thank you: your answers are in.');
  assert.is(await thanks.isVisible(), false, 'folded');
  const open = page.locator('section.forms form');
  if (await open.count())
    assert.ok(
      (await open.first().boundingBox())!.y < (await answered.first().boundingBox())!.y,
      'a form still open comes before the answered ones',
    );
  await answered.first().locator('summary').click();
  await thanks.waitFor();
  await axe(page, 'team-debrief-answered', ['.forms']);
  await screenshot(page, 'record-forms-answered');

  const [report] = await Promise.all([
    page.context().waitForEvent('page'),
    page.getByRole('button', { name: 'Open the printable report' }).click(),
  ]);
  await report.getByRole('heading', { name: /Hot wash/ }).waitFor();
  // Its style sheet applies: the blob URL inherits the app's Content-Security-Policy, which once refused it.
  assert.is(
    await report
      .locator('h2')
      .first()
      .evaluate((h) => getComputedStyle(h).borderBottomWidth),
    '2px',
  );
  await axe(report, 'printable-report');
  await report.close();

  await page.getByRole('link', { name: 'Replay the game' }).click();
  await page.getByRole('heading', { name: /^Replay/ }).waitFor();
  const scrub = page.getByRole('slider', { name: 'Moment' });
  await scrub.waitFor();
  // It opens at the start of round 1 (a replay is watched forwards; the end is what the debrief shows).
  await page.locator('.pb-phase strong', { hasText: 'Injects' }).waitFor();
  assert.match((await scrub.getAttribute('aria-valuetext')) ?? '', /round 1, Injects/);
  await page.getByRole('button', { name: '« Previous round' }).click();
  // The screen renders after the click has returned: wait for the slider to move rather than read it at once.
  await page.locator('#scrub[aria-valuetext*="round 0,"]').waitFor();
  assert.match((await scrub.getAttribute('aria-valuetext')) ?? '', /round 0/, 'back to before round 1');
  await scrub.fill('0');
  await page.locator('.pb-phase strong', { hasText: 'Waiting to start' }).waitFor();
  await page.getByRole('button', { name: 'Next step ›' }).click();
  await page.locator('.scrubber p', { hasText: 'Step 2 of' }).waitFor();
  await axe(page, 'replay');
  await screenshot(page, 'record-replay');
  await page.context().close();
});

test('the White Cell forks the game from round 1 and lands on the new codes', async () => {
  const page = await seatPage('control');
  await page.goto(`${server.url}/game/${game.gameId}/control#record`);
  // The debrief has opened, and the console shows it first.
  await page.getByRole('tab', { name: 'Record' }).click();
  await page.getByRole('heading', { name: 'Fork: play on from a past round' }).waitFor();
  assert.is(await page.locator('.fork .callout.warn').count(), 0, 'no caution once the game is over');
  await page.getByLabel('From the end of').selectOption('1');
  await page.getByRole('button', { name: 'Start the fork' }).click();
  await page.waitForURL(/\/codes\//);
  const forkId = new URL(page.url()).pathname.split('/')[2];
  assert.is.not(forkId, game.gameId);
  await page.context().close();
  assert.equal(
    problems.filter((p) => !p.includes('favicon')),
    [],
  );
});

test.run();
