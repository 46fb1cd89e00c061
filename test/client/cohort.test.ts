// The seminar in the browser: an instructor sets up six cells on the page, students join with the one link, the
// dashboard starts, pauses and resumes the cells and announces to all, a cell's White Cell console hands a seat to
// a bot, and the comparative debrief draws its charts, in presenter mode too. Every screen has 0 axe-core violations.
import { injectAxe } from '../helpers/axe.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CohortSummary } from '../../shared/cohorts.ts';
import { launchBrowser, screenshot, watchConsole, writeArtifact } from '../helpers/browser.ts';
import { call } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const WAIT = 30_000;
const CELLS = 6;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
let cohortId = '';
let token = '';

/** axe-core's violations on the page as it stands (or within one part of it), one line each. */
async function axe(p: Page, within?: string): Promise<string[]> {
  await injectAxe(p);
  return p.evaluate(async (within) => {
    const run = (window as unknown as { axe: { run: (c: unknown, o: unknown) => Promise<{ violations: unknown[] }> } })
      .axe.run;
    const r = await run(within ? { include: [[within]] } : document, { resultTypes: ['violations'] });
    return (r.violations as { id: string; nodes: { target: string[] }[] }[]).map(
      (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  }, within);
}

const summary = async () =>
  (
    await call<CohortSummary>(server.url, 'GET', `/api/cohorts/${cohortId}`, undefined, {
      authorization: `Bearer ${token}`,
    })
  ).body;

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1400, height: 900 }, reducedMotion: 'reduce' });
  context.setDefaultTimeout(WAIT);
  page = await context.newPage();
  watchConsole(page, 'instructor', problems);
});

test.after(async () => {
  if (problems.length) writeArtifact('cohort-console.txt', problems.join('\n'));
  await browser?.close();
  await server?.stop();
});

test('the instructor sets up six cells on the page and lands on the dashboard', async () => {
  await page.goto(`${server.url}/`);
  await page.getByRole('link', { name: 'Set up a seminar' }).click();
  await page.getByRole('heading', { name: 'Set up a seminar' }).waitFor();
  await page.getByLabel('Scenario').selectOption('tutorial');
  await page.getByLabel('Title', { exact: true }).fill('Seminar 4');
  await page.getByLabel('Cells', { exact: true }).fill(String(CELLS));
  await page.getByLabel('Seats no student fills').selectOption('cooperative');
  await page.getByLabel('Your name').fill('Prof. Lee');
  assert.equal(await axe(page), [], 'the seminar setup');
  await page.getByRole('button', { name: 'Create the cells' }).click();
  await page.getByRole('heading', { name: 'Seminar 4' }).waitFor();
  await page
    .locator('.cell-card')
    .nth(CELLS - 1)
    .waitFor();
  cohortId = new URL(page.url()).pathname.split('/')[2];
  token = await page.evaluate(
    (id) => JSON.parse(localStorage.getItem('flywheel.cohorts.v1')!).instructor[id].token,
    cohortId,
  );
  assert.is(await page.locator('.cell-card').count(), CELLS);
});

test('students join with the one link and are placed; the dashboard shows them', async () => {
  const link = await page.locator('.big-code').innerText();
  assert.match(link, /\/seminar\//);
  // To hand out in the room: a copy button, and the link as a QR code.
  await page.getByRole('button', { name: 'Copy the link' }).waitFor();
  await page.locator('.seminar-link .qr svg').waitFor();
  assert.is(await page.locator('.seminar-link .qr').getAttribute('aria-label'), `QR code for ${link}`);
  // One student clicks through the page; the rest join over REST with the same code.
  const student = await context.browser()!.newContext({ viewport: { width: 420, height: 800 } });
  const sp = await student.newPage();
  watchConsole(sp, 'student', problems);
  await sp.goto(link);
  await sp.getByLabel('Your name').fill('Ada');
  await sp.getByRole('button', { name: 'Join' }).click();
  await sp.getByRole('heading', { name: /You are in cell A/ }).waitFor();
  assert.equal(await axe(sp), [], 'the student page');
  await sp.getByRole('button', { name: 'Open your team console' }).click();
  await sp.locator('.pb-phase').first().waitFor();
  // The console says which cell it is: the cells play the same game side by side.
  assert.match((await sp.locator('header.top .who').textContent()) ?? '', /· Ada · .* · A\b/);
  // Moved by the instructor, Ada's console closes with a way back to the seminar page, where her new seat waits.
  const ada = (await summary()).students.find((x) => x.name === 'Ada')!;
  const moved = await call(
    server.url,
    'POST',
    `/api/cohorts/${cohortId}/students/${ada.id}/move`,
    { cell: 1, team: 'dprk' },
    { authorization: `Bearer ${token}` },
  );
  assert.is(moved.status, 200);
  // The old seat's console goes, rather than standing stale under the notice.
  await sp.getByRole('heading', { name: 'Seat closed' }).waitFor();
  assert.is(await sp.locator('.pb-phase').count(), 0, 'no stale console under the notice');
  assert.equal(await axe(sp), [], 'the closed seat');
  await screenshot(sp, 'seminar-seat-closed');
  await sp.getByRole('link', { name: /Back to the seminar page/ }).click();
  // A browser that has joined before is offered its seat first, not the form to join a second time.
  await sp.getByRole('heading', { name: 'You have joined this seminar on this browser' }).waitFor();
  // The form to join under another name is there for someone else on a shared browser, but folded away.
  assert.is(await sp.getByLabel('Your name').isVisible(), false, 'no name field offered to a returning student');
  assert.is(await sp.getByText('Someone else on this browser?').count(), 1);
  await screenshot(sp, 'seminar-returning-student');
  await sp.getByRole('button', { name: 'Find my seat' }).click();
  await sp.getByRole('heading', { name: /You are in cell B, playing North Korea \(DPRK\)/ }).waitFor();
  await student.close();
  // On another device Ada's name opens nothing; the instructor's way back in opens her seat there.
  const phone = await context.browser()!.newContext({ viewport: { width: 375, height: 700 } });
  const pp = await phone.newPage();
  watchConsole(pp, 'student on another device', problems);
  await pp.goto(link);
  await pp.getByLabel('Your name').fill('ada');
  await pp.getByRole('button', { name: 'Join' }).click();
  await pp.getByRole('alert').filter({ hasText: 'already joined under this name' }).waitFor();
  await page.getByRole('button', { name: 'Way back in for Ada' }).click();
  await page.getByRole('button', { name: 'Copy link for Ada' }).waitFor();
  const back = await call<{ studentToken: string }>(
    server.url,
    'POST',
    `/api/cohorts/${cohortId}/students/${ada.id}/rejoin`,
    {},
    {
      authorization: `Bearer ${token}`,
    },
  );
  await pp.goto(`${link}#student=${encodeURIComponent(back.body.studentToken)}`);
  await pp.getByRole('heading', { name: 'You have joined this seminar on this browser' }).waitFor();
  assert.is(new URL(pp.url()).hash, '', 'the token leaves the address bar');
  await pp.getByRole('button', { name: 'Find my seat' }).click();
  await pp.getByRole('heading', { name: /You are in cell B, playing North Korea \(DPRK\)/ }).waitFor();
  await phone.close();
  const code = link.split('/seminar/')[1];
  for (let i = 1; i < 8; i++) {
    const r = await call(server.url, 'POST', '/api/cohorts/join', { code, name: `Student ${i}` });
    assert.is(r.status, 200);
  }
  await page.locator('.cell-card[data-cell="0"]', { hasText: '2 students' }).waitFor();
  const s = await summary();
  assert.equal(
    s.cells.map((c) => c.students),
    [2, 2, 1, 1, 1, 1],
  );
});

test('the dashboard starts, pauses and resumes every cell, and announces to all, with 0 axe violations', async () => {
  await page.getByRole('button', { name: 'Start every cell' }).click();
  await page
    .locator('.cell-card', { hasText: 'Briefing' })
    .nth(CELLS - 1)
    .waitFor();
  // Bots took every seat no student holds.
  await page
    .locator('.cell-card .badge.bot')
    .nth(CELLS * 5 - 8 - 1)
    .waitFor();
  assert.equal(await axe(page), [], 'the dashboard');
  await screenshot(page, 'cohort-dashboard');

  await page.getByRole('button', { name: 'Pause every cell' }).click();
  await page
    .locator('.cell-card.paused')
    .nth(CELLS - 1)
    .waitFor();
  assert.ok((await summary()).cells.every((c) => c.paused));
  // A chosen set: resume cell B only, then everyone.
  await page.locator('.cell-card[data-cell="1"]').getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Resume 1 selected cell' }).click();
  await page.locator('.cell-card[data-cell="1"]:not(.paused)').waitFor();
  assert.equal(
    (await summary()).cells.map((c) => c.paused),
    [true, false, true, true, true, true],
  );
  await page.getByRole('button', { name: 'Clear the selection' }).click();
  await page.getByRole('button', { name: 'Resume every cell' }).click();
  await page.locator('.toasts', { hasText: /Resume: 5 cells done/ }).waitFor();
  assert.ok((await summary()).cells.every((c) => !c.paused));

  await page.getByLabel('Announcement to every cell').fill('Plenary in ten minutes.');
  await page.getByRole('button', { name: 'Announce' }).click();
  await page.locator('.toasts', { hasText: 'Announcement: done in 6 cells.' }).waitFor();
});

test("a cell's White Cell console opens from the dashboard and hands a seat to a bot", async () => {
  const [consolePage] = await Promise.all([
    context.waitForEvent('page'),
    page.getByRole('button', { name: "Open cell C's White Cell console" }).click(),
  ]);
  watchConsole(consolePage, 'cell C console', problems);
  await consolePage.getByRole('tab', { name: /^Seats/ }).click();
  const row = consolePage.locator('.seat-menu tr[data-team="us"]');
  await row.waitFor();
  await row.getByLabel('Bot strategy for United States').selectOption('hawkish');
  await row.getByRole('button', { name: 'Give to a bot' }).click();
  await row.locator('.badge.bot').waitFor();
  await row.locator('td:first-of-type', { hasText: 'Hawkish' }).waitFor();
  // The seat menu is this work's part of the console; the console around it is checked with the game's own pages.
  assert.equal(await axe(consolePage, '.seat-menu'), [], 'the seat menu');
  await consolePage.close();
});

test('the cells play out and the comparative debrief draws every meter across the cells', async () => {
  for (let i = 0; i < 60; i++) {
    const s = await summary();
    if (s.cells.every((c) => c.phase === 'debrief')) break;
    await call(
      server.url,
      'POST',
      `/api/cohorts/${cohortId}/act`,
      { command: 'phase.advance' },
      {
        authorization: `Bearer ${token}`,
      },
    );
  }
  const s = await summary();
  assert.ok(s.cells.every((c) => c.phase === 'debrief' && c.ending));
  await page.getByRole('link', { name: 'Comparative debrief' }).click();
  await page.getByRole('heading', { name: 'Seminar 4: the cells compared' }).waitFor();
  await page.locator('.chart svg').first().waitFor();
  const charts = await page.locator('.chart svg').count();
  assert.ok(charts >= 10, `one chart per meter (${charts})`);
  // Cells that agree (a meter nobody moved) are drawn a hair apart: no line hides another.
  const drawn = await page
    .locator('.chart')
    .evaluateAll((cs) => cs.map((c) => [...c.querySelectorAll('path.series')].map((p) => p.getAttribute('d'))));
  for (const ds of drawn) assert.is(new Set(ds).size, ds.length, 'each cell has a line of its own');
  // The endings table names each cell's ending, as the server has it.
  for (const c of s.cells)
    await page
      .locator('tr', { has: page.locator(`th:text-is("${c.label}")`) })
      .getByText(c.ending!.name)
      .first()
      .waitFor();
  assert.equal(await axe(page), [], 'the comparative debrief');
  await screenshot(page, 'cohort-debrief');
  // On a phone the wide tables scroll sideways: each can be reached and scrolled with the keyboard.
  const wide = page.viewportSize()!;
  await page.setViewportSize({ width: 360, height: 740 });
  assert.equal(await axe(page), [], 'the comparative debrief on a phone');
  await page.setViewportSize(wide);
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  await page.locator('.cohort-debrief.presenter').waitFor();
  assert.equal(await axe(page), [], 'the comparative debrief in presenter mode');
  // Printing hides the buttons.
  await page.emulateMedia({ media: 'print' });
  assert.is(await page.getByRole('button', { name: 'Print' }).isVisible(), false);
  await page.emulateMedia({ media: 'screen' });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export every cell (JSON)' }).click(),
  ]);
  assert.match(download.suggestedFilename(), /^cohort-.*\.json$/);
});

test('the deals table lists proposals turned down, tags secret deals, and leaves those out in presenter mode', async () => {
  // Two deals added to cell A's answer, so the test does not wait on the bots to make them.
  const route = `**/api/cohorts/${cohortId}/debrief`;
  await page.route(route, async (r) => {
    const res = await r.fetch();
    const d = await res.json();
    d.cells[0].deals.push(
      {
        id: 'turned',
        from: 'rok',
        parties: ['rok', 'us'],
        status: 'rejected',
        acceptedRound: null,
        settledRound: 1,
        breakers: [],
        secret: false,
      },
      {
        id: 'hidden',
        from: 'prc',
        parties: ['prc', 'rok'],
        status: 'broken',
        acceptedRound: 1,
        settledRound: 2,
        breakers: ['prc'],
        secret: true,
      },
    );
    d.cells[0].pocketed.push({ team: 'prc', dealId: 'hidden', round: 2 });
    await r.fulfill({ response: res, json: d });
  });
  await page.reload();
  const deals = page.getByRole('region', { name: 'Deals table' });
  const pocketed = page.getByRole('region', { name: 'Pocketing table' });
  await deals.getByText('turned down in round 1').waitFor();
  await deals.locator('.badge.secret', { hasText: 'secret' }).waitFor();
  const broke = () => pocketed.locator('tr', { has: page.locator('th:text-is("A")') }).textContent();
  assert.match((await broke()) ?? '', /PRC \(2\)/);
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  await page.locator('.cohort-debrief.presenter').waitFor();
  await deals.getByText('turned down in round 1').waitFor();
  assert.is(await deals.locator('.badge.secret').count(), 0, 'no secret deal on the projector');
  assert.not.match((await broke()) ?? '', /PRC \(2\)/, 'nor the breaking of one');
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  await page.unroute(route);
});

test('no page logged an error', () => {
  assert.equal(
    // The name refused on another device answers 409, which the browser logs as a failed load.
    problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED|net::ERR|status of 409/.test(p)),
    [],
  );
});

test.run();
