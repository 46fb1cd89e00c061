// The seminar screens' finer points, each found by a tester: Move sends a student exactly where the selects say,
// mouse or keyboard, whatever the dashboard's polling does meanwhile; the announcement says it goes to every cell
// and sits apart from the commands for ticked cells; a paused cell's card says so once; the comparative debrief's
// charts fit their cards on a 1920-pixel screen and on a phone, presenter mode enlarges its headings, row headers
// and axis labels, and each deal shows its round and outcome; joining can be closed and opened again, and a student
// removed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CohortDebrief, CohortSummary, CreateCohortResult } from '../../shared/cohorts.ts';
import { launchBrowser, screenshot, watchConsole, writeArtifact } from '../helpers/browser.ts';
import { expectNoViolations } from '../helpers/axe.ts';
import { call } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const WAIT = 30_000;
const CELLS = 3;
let server: RunningServer;
let browser: Browser;
let made: CreateCohortResult;
const contexts: BrowserContext[] = [];
const problems: string[] = [];

const auth = () => ({ authorization: `Bearer ${made.instructorToken}` });
const summary = async () =>
  (await call<CohortSummary>(server.url, 'GET', `/api/cohorts/${made.cohortId}`, undefined, auth())).body;
const act = (command: string, cells?: number[]) =>
  call(server.url, 'POST', `/api/cohorts/${made.cohortId}/act`, { command, ...(cells ? { cells } : {}) }, auth());

/**
 * A page of a browser that holds the instructor's token. `document.visibilityState` answers what the test sets in
 * `__visibility` (the dashboard polls only while visible), so a test can hold the poll still or let it run.
 */
async function instructorPage(label: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  contexts.push(context);
  context.setDefaultTimeout(WAIT);
  const kept = JSON.stringify({
    instructor: { [made.cohortId]: { token: made.instructorToken, joinCode: made.joinCode } },
  });
  await context.addInitScript(`
    localStorage.setItem('flywheel.cohorts.v1', ${JSON.stringify(kept)});
    Object.defineProperty(document, 'visibilityState', {
      configurable: true,
      get: () => globalThis.__visibility ?? 'visible',
    });`);
  const page = await context.newPage();
  watchConsole(page, label, problems);
  return page;
}

const setVisibility = (page: Page, v: 'visible' | 'hidden') =>
  page.evaluate(`globalThis.__visibility = ${JSON.stringify(v)}`);

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  made = (
    await call<CreateCohortResult>(server.url, 'POST', '/api/cohorts', {
      scenario: 'tutorial',
      title: 'Seminar UI',
      cells: CELLS,
      bots: 'cooperative',
      name: 'Prof. Kim',
    })
  ).body;
  // One long name, as a student may type it in full: the students' table must still fit a phone.
  for (const name of ['Ada', 'Ben', 'Cy', 'Di', 'Maximiliane Oyelaran-Whitcombe'])
    assert.is((await call(server.url, 'POST', '/api/cohorts/join', { code: made.joinCode, name })).status, 200);
});

test.after(async () => {
  if (problems.length) writeArtifact('cohort-ui-console.txt', problems.join('\n'));
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

/** A student's name cell in the dashboard's table: the name, and under it whether they are connected. */
const studentName = (name: string) => new RegExp(`^${name}(\\s+(online|offline))?$`);

test('Move sends the student where the selects say, before any poll redraws the dashboard', async () => {
  const page = await instructorPage('dashboard', { width: 1400, height: 900 });
  await page.goto(`${server.url}/cohort/${made.cohortId}`);
  await page.getByRole('heading', { name: 'Seminar UI' }).waitFor();
  await page.locator('#mv-team').waitFor();
  // No poll between choosing and pressing Move: what is pressed is what the selects show.
  await setVisibility(page, 'hidden');
  const s = await summary();
  const ben = s.students.find((x) => x.name === 'Ben')!;
  const japan = s.teams.find((t) => t.name === 'Japan')!;
  assert.ok(japan.id !== s.teams[0].id, 'Japan is not the first team');
  await page.getByLabel('Move', { exact: true }).selectOption({ label: 'Ben' });
  await page.getByLabel('to cell').selectOption({ label: 'C' });
  await page.getByLabel('as', { exact: true }).selectOption({ label: 'Japan' });
  await page.getByRole('button', { name: 'Move', exact: true }).click();
  await page.locator('.toasts', { hasText: /Move/ }).waitFor();
  const after = (await summary()).students.find((x) => x.id === ben.id)!;
  assert.equal({ cell: after.cell, team: after.team }, { cell: 2, team: japan.id });
  await page.locator('.toasts', { hasText: 'Moved Ben to cell C as Japan.' }).waitFor();
});

test('Move by keyboard takes what the selects show, after a poll has redrawn the dashboard', async () => {
  const page = await instructorPage('dashboard (keyboard)', { width: 1400, height: 900 });
  await page.goto(`${server.url}/cohort/${made.cohortId}`);
  await page.locator('#mv-team').waitFor();
  const s = await summary();
  const cy = s.students.find((x) => x.name === 'Cy')!;
  await setVisibility(page, 'hidden');
  await page.locator('#mv-student').focus();
  for (let i = 0; i < s.students.length && (await page.locator('#mv-student').inputValue()) !== cy.id; i++)
    await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown'); // cell B
  await page.keyboard.press('Tab');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown'); // the third team
  const shown = {
    student: await page.locator('#mv-student').inputValue(),
    cell: Number(await page.locator('#mv-cell').inputValue()),
    team: await page.locator('#mv-team').inputValue(),
  };
  assert.equal(shown, { student: cy.id, cell: 1, team: s.teams[2].id });
  // A student joins and the next poll draws them: the selects keep what was chosen.
  await setVisibility(page, 'visible');
  assert.is((await call(server.url, 'POST', '/api/cohorts/join', { code: made.joinCode, name: 'Eve' })).status, 200);
  await page.getByRole('cell', { name: studentName('Eve') }).waitFor();
  await setVisibility(page, 'hidden');
  assert.is(await page.locator('#mv-team').inputValue(), shown.team);
  assert.is(await page.locator('#mv-student').inputValue(), shown.student);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.locator('.toasts', { hasText: /Move/ }).waitFor();
  const after = (await summary()).students.find((x) => x.id === cy.id)!;
  assert.equal({ student: after.id, cell: after.cell, team: after.team }, shown);
  await page.locator('.toasts', { hasText: `Moved Cy to cell B as ${s.teams[2].name}.` }).waitFor();
});

test('the announcement says it goes to every cell, apart from the commands for the ticked cells', async () => {
  const page = await instructorPage('dashboard (announce)', { width: 1400, height: 900 });
  await page.goto(`${server.url}/cohort/${made.cohortId}`);
  await page
    .locator('.cell-card')
    .nth(CELLS - 1)
    .waitFor();
  await page.locator('.cell-card[data-cell="1"]').getByRole('checkbox').check();
  await page.locator('.cell-card[data-cell="2"]').getByRole('checkbox').check();
  const commands = page.locator('section', {
    has: page.getByRole('heading', { name: 'Commands for 2 selected cells' }),
  });
  await commands.waitFor();
  assert.is(await commands.getByRole('textbox').count(), 0, 'no announcement among the commands for ticked cells');
  await page.getByLabel('Announcement to every cell').fill('Plenary now.');
  await page.getByRole('button', { name: 'Announce to every cell' }).click();
  await page.locator('.toasts', { hasText: `Announcement: done in ${CELLS} cells.` }).waitFor();
});

test("a paused cell's card says it is paused once, with the round, the phase and the time left", async () => {
  assert.is((await act('game.start')).status, 200);
  assert.is((await act('phase.advance')).status, 200); // into round 1
  assert.ok((await summary()).cells.every((c) => c.round === 1));
  assert.is((await act('game.pause', [0])).status, 200);
  const page = await instructorPage('dashboard (paused)', { width: 1400, height: 900 });
  await page.goto(`${server.url}/cohort/${made.cohortId}`);
  const card = page.locator('.cell-card.paused[data-cell="0"]');
  await card.waitFor();
  const text = await card.innerText();
  // As a cell's own consoles say it: the phase it was paused in, and the time its clock had left.
  assert.match(text, /Paused \(from Injects\) · round \d+\/\d+/, text);
  assert.match(text, /Clock \d+:\d\d left, stopped/, text);
  assert.is(text.match(/paused/gi)?.length, 1, text);
  await screenshot(page, 'cohort-ui-dashboard-paused');
  assert.is((await act('game.resume', [0])).status, 200);
  await page.locator('.cell-card[data-cell="0"]:not(.paused)').waitFor();
});

test('the dashboard and debrief at 1920 and on a phone: charts fit their cards, no sideways scroll', async () => {
  for (let i = 0; i < 80; i++) {
    if ((await summary()).cells.every((c) => c.phase === 'debrief')) break;
    await act('phase.advance');
  }
  assert.ok((await summary()).cells.every((c) => c.phase === 'debrief'));
  for (const [name, viewport] of [
    ['1920', { width: 1920, height: 1080 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    const page = await instructorPage(`debrief ${name}`, viewport);
    await page.goto(`${server.url}/cohort/${made.cohortId}`);
    await page
      .locator('.cell-card')
      .nth(CELLS - 1)
      .waitFor();
    await page.locator('.seminar-link .qr svg').waitFor();
    await screenshot(page, `cohort-ui-dashboard-${name}`);
    // The students' table fits its card: each row's buttons say what they do, the row says whom to.
    const over = await page.evaluate(() => {
      const t = document.querySelector('.students-table');
      return t ? t.getBoundingClientRect().right - t.closest('.card')!.getBoundingClientRect().right : null;
    });
    assert.ok(over !== null && over <= 0, `${name}: the students' table pokes ${over} px past its card`);
    await page.goto(`${server.url}/cohort/${made.cohortId}/debrief`);
    // "Where it stands" in words a person would say, not "debrief, round 3" or "briefing, round 0".
    const endings = page.getByRole('region', { name: 'Endings table' });
    await endings
      .locator('tbody tr')
      .nth(CELLS - 1)
      .waitFor();
    const stands = await endings.locator('tbody td:last-child').allTextContents();
    assert.equal(stands, Array(CELLS).fill('Debrief, after 3 rounds'));
    for (const presenter of [false, true]) {
      if (presenter) {
        await page.getByRole('button', { name: 'Presenter mode' }).click();
        await page.locator('.cohort-debrief.presenter').waitFor();
      }
      await page.locator('.chart-card .chart :is(svg, canvas)').first().waitFor();
      const overflow = await page.evaluate(`(() => {
        const out = [];
        for (const card of document.querySelectorAll('.chart-card')) {
          const c = card.getBoundingClientRect();
          for (const el of card.querySelectorAll('.chart svg, .chart canvas, .chart .axis-label')) {
            const r = el.getBoundingClientRect();
            if (r.left < c.left - 0.5 || r.right > c.right + 0.5)
              out.push(card.querySelector('figcaption').textContent.trim() + ': ' + el.tagName + ' ' +
                Math.round(r.left) + '..' + Math.round(r.right) + ' outside ' + Math.round(c.left) + '..' +
                Math.round(c.right));
          }
        }
        const doc = document.scrollingElement;
        if (doc.scrollWidth > doc.clientWidth) {
          const wide = [...document.querySelectorAll('main *')]
            .filter((el) => el.getBoundingClientRect().right > doc.clientWidth + 0.5)
            .slice(0, 3)
            .map((el) => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right));
          out.push('the page scrolls sideways: ' + doc.scrollWidth + ' (' + wide.join(', ') + ')');
        }
        return out;
      })()`);
      assert.equal(overflow, [], `${name}${presenter ? ', presenter' : ''}`);
      await screenshot(page, `cohort-ui-debrief-${name}${presenter ? '-presenter' : ''}`);
    }
  }
});

test('presenter mode enlarges the headings, the row headers and the charts’ axis labels', async () => {
  const page = await instructorPage('debrief presenter', { width: 1920, height: 1080 });
  await page.goto(`${server.url}/cohort/${made.cohortId}/debrief`);
  await page.locator('.chart-card').first().waitFor();
  const measure = () =>
    page.evaluate(`(() => {
      const px = (sel) => {
        const el = document.querySelector(sel);
        return el ? parseFloat(getComputedStyle(el).fontSize) : 0;
      };
      const row = document.querySelector('.cohort-debrief th[scope="row"]');
      return {
        heading: px('.cohort-debrief h2'),
        rowHeader: px('.cohort-debrief th[scope="row"]'),
        cell: px('.cohort-debrief td'),
        axis: px('.cohort-debrief .chart .axis-label'),
        rowAlign: row ? getComputedStyle(row).verticalAlign : '',
      };
    })()`) as Promise<{ heading: number; rowHeader: number; cell: number; axis: number; rowAlign: string }>;
  const before = await measure();
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  await page.locator('.cohort-debrief.presenter').waitFor();
  const after = await measure();
  for (const k of ['heading', 'rowHeader', 'cell', 'axis'] as const)
    assert.ok(before[k] > 0 && after[k] >= before[k] * 1.25, `${k}: ${before[k]}px → ${after[k]}px`);
  assert.ok(
    after.rowHeader >= after.cell,
    `row headers (${after.rowHeader}px) as large as the cells (${after.cell}px)`,
  );
  assert.is(after.rowAlign, 'middle');
});

test("each deal in 'Deals: which held' shows its round and outcome", async () => {
  const d = (await call<CohortDebrief>(server.url, 'GET', `/api/cohorts/${made.cohortId}/debrief`, undefined, auth()))
    .body;
  const deals = d.cells.flatMap((c) => c.deals.map((x) => ({ ...x, label: c.label })));
  assert.ok(deals.length > 0, 'the bots made deals');
  const page = await instructorPage('debrief deals', { width: 1400, height: 900 });
  await page.goto(`${server.url}/cohort/${made.cohortId}/debrief`);
  const section = page.locator('section', { has: page.getByRole('heading', { name: 'Deals: which held' }) });
  await section.locator('tbody tr').first().waitFor();
  const short = (id: string) => d.teams.find((t) => t.id === id)?.short ?? id;
  for (const c of d.cells) {
    const items = await section
      .locator('tr', { has: page.locator(`th:text-is("${c.label}")`) })
      .locator('li')
      .allInnerTexts();
    assert.is(items.length, c.deals.length, `cell ${c.label}: one line per deal`);
    const expected = c.deals.map((x) => {
      const outcome = {
        fulfilled: 'fulfilled',
        broken: 'broken',
        accepted: 'still open',
        expired: 'lapsed',
        rejected: 'turned down',
        withdrawn: 'withdrawn',
      }[x.status];
      return { parties: x.parties.map(short).join('–'), outcome, round: x.acceptedRound ?? x.settledRound };
    });
    for (const e of expected) {
      const line = items.find(
        (t) => t.startsWith(e.parties) && t.includes(e.outcome ?? '?') && t.includes(`round ${e.round}`),
      );
      assert.ok(line, `cell ${c.label}: ${JSON.stringify(e)} among ${JSON.stringify(items)}`);
    }
  }
});

test('the instructor closes joining on the dashboard, opens it for a latecomer, then removes them', async () => {
  const page = await instructorPage('dashboard (joining)', { width: 1400, height: 900 });
  await page.goto(`${server.url}/cohort/${made.cohortId}`);
  await page.getByText('Joining is open.').waitFor();
  await page.getByRole('button', { name: 'Close joining' }).click();
  await page.getByText('Joining is closed.').waitFor();
  assert.is((await summary()).joiningOpen, false);
  // A student's browser (its console is not watched: the refused join is a 403 the browser logs itself).
  const student = await browser.newContext({ viewport: { width: 375, height: 700 } });
  contexts.push(student);
  const sp = await student.newPage();
  await sp.goto(`${server.url}/seminar/${encodeURIComponent(made.joinCode)}`);
  await sp.getByLabel('Your name').fill('Eve Late');
  await sp.getByRole('button', { name: 'Join' }).click();
  await sp.getByRole('alert').filter({ hasText: 'takes no new students now' }).waitFor();
  await page.getByRole('button', { name: 'Open joining' }).click();
  await page.getByText('Joining is open.').waitFor();
  await sp.getByRole('button', { name: 'Join' }).click();
  await sp.getByRole('heading', { name: /You are in cell/ }).waitFor();
  // Removed from the dashboard, the name leaves the list, and the student's console finds its seat closed.
  await page.getByRole('cell', { name: studentName('Eve Late') }).waitFor();
  await page.getByRole('button', { name: 'Remove Eve Late' }).click();
  await page.getByRole('button', { name: 'Yes, remove' }).click();
  await page.locator('.toasts', { hasText: 'Eve Late has been removed.' }).waitFor();
  await page.getByRole('cell', { name: studentName('Eve Late') }).waitFor({ state: 'detached' });
  // ... but stays under "Removed", so the instructor knows why the name is taken.
  await page.getByRole('list', { name: 'Removed' }).getByText('Eve Late').waitFor();
  assert.equal(
    (await summary()).removed.map((r) => r.name),
    ['Eve Late'],
  );
  await sp.getByRole('button', { name: 'Open your team console' }).click();
  await sp.getByRole('heading', { name: 'Seat closed' }).waitFor();
  // The closed seat says plainly that the instructor removed them, and sends them to no new seat.
  await sp.getByRole('alert').filter({ hasText: 'taken you out of this seminar' }).waitFor();
  assert.is(await sp.getByText('Find my seat').count(), 0);
  assert.is(await sp.getByRole('link', { name: 'Back to the seminar page' }).count(), 0);
  await expectNoViolations(sp, 'seat-closed-removed');
  // On the seminar page, "Find my seat" says the same, and no form invites them back under another name.
  await sp.goto(`${server.url}/seminar/${encodeURIComponent(made.joinCode)}`);
  await sp.getByRole('button', { name: 'Find my seat' }).click();
  await sp.getByRole('heading', { name: 'You are no longer in this seminar' }).waitFor();
  assert.is(await sp.getByLabel('Your name').count(), 0);
  assert.is(await sp.getByRole('button', { name: 'Join' }).count(), 0);
  assert.is(await sp.getByText('Join under another name').count(), 0);
  await screenshot(sp, 'cohort-removed-student-phone');
  await expectNoViolations(sp, 'seminar-removed');
});

test('the dashboard shows a short seminar code; typed at /join, it opens the seminar page', async () => {
  const page = await instructorPage('dashboard (code)', { width: 1366, height: 768 });
  await page.goto(`${server.url}/cohort/${made.cohortId}`);
  const code = (await page.locator('.seminar-code .short-code').textContent())?.trim() ?? '';
  assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  assert.is((await summary()).shortCode, code);
  await page.locator('.seminar-link .qr svg').waitFor();
  await screenshot(page, 'cohort-dashboard-code');
  // A student types it at /join (lower case, no hyphens: as forgiving as a game's short code).
  const student = await browser.newContext({ viewport: { width: 390, height: 844 } });
  contexts.push(student);
  const sp = await student.newPage();
  await sp.goto(`${server.url}/join`);
  await sp.getByLabel('Join code').fill(code.replaceAll('-', '').toLowerCase());
  await sp.waitForURL(`**/seminar/${encodeURIComponent(made.joinCode)}`);
  await sp.getByRole('heading', { name: 'Join the seminar' }).waitFor();
  await sp.getByLabel('Your name').fill('Flo Typed');
  await sp.getByRole('button', { name: 'Join' }).click();
  await sp.getByRole('heading', { name: /You are in cell/ }).waitFor();
  // A wrong code is still refused with the usual error body, and a game's join answers no seminar code.
  const wrong = await call<{ error: { code: string } }>(server.url, 'POST', '/api/join/preview', {
    code: '0000-0000-0000',
  });
  assert.is(wrong.status, 403);
  assert.is(wrong.body.error.code, 'BAD_CODE');
  const asGame = await call<{ error: { code: string } }>(server.url, 'POST', '/api/join', {
    code,
    name: 'Gus',
  });
  assert.is(asGame.body.error.code, 'BAD_CODE');
});

test('on a phone, the students table fits its card', async () => {
  const page = await instructorPage('dashboard (phone)', { width: 390, height: 844 });
  await page.goto(`${server.url}/cohort/${made.cohortId}`);
  await page.locator('.students-table').waitFor();
  const over = await page.evaluate(() => {
    const card = document.querySelector('.students-table')!.closest('.card')!.getBoundingClientRect();
    const worst = [...document.querySelectorAll('.students-table button, .students-table td')].map(
      (el) => el.getBoundingClientRect().right - card.right,
    );
    return { worst: Math.max(...worst), page: document.documentElement.scrollWidth - window.innerWidth };
  });
  assert.ok(over.worst <= 0, `the table pokes ${over.worst}px past its card`);
  assert.ok(over.page <= 0, `the page scrolls sideways by ${over.page}px`);
  // The QR code is drawn once its encoder has loaded (a screenshot taken earlier shows the empty box it goes in):
  // wait for it, and check that it is whole on a phone's screen, square and not squashed.
  const qr = page.getByRole('img', { name: /^QR code for / });
  await qr.locator('svg').waitFor();
  const box = (await qr.locator('svg').boundingBox())!;
  assert.ok(box.width >= 120 && Math.abs(box.width - box.height) < 2, `the QR code is ${box.width}×${box.height}`);
  assert.ok(box.x >= 0 && box.x + box.width <= 390, 'the QR code is within the screen');
  await screenshot(page, 'cohort-dashboard-phone');
  await expectNoViolations(page, 'cohort-dashboard-phone');
});

test('no page logged an error', () => {
  assert.equal(
    problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED|net::ERR/.test(p)),
    [],
  );
});

test.run();
