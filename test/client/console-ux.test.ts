// The consoles' finer points, each found by an outside reviewer playing whole games: an announcement reaches a
// player scrolled down (phone and laptop) and goes when dismissed; a team that has not locked while submission is
// open is told so on every tab; the White Cell is offered no Remove on its own row; the team's debrief opens with
// the ending and the scores, the forms still reachable; the two Markdown reports have their own names; nothing timed
// or locked shows at the debrief; and the replay's scrubber is wide, labelled, steps by buttons and keys, and opens
// at the start of round 1. Every screen passes axe.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CreateGameResult } from '../../shared/protocol.ts';
import { expectNoViolations } from '../helpers/axe.ts';
import {
  ARTIFACTS,
  launchBrowser,
  screenshot,
  watchConsole,
  whiteCellPage,
  writeArtifact,
} from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { call, createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const WAIT = 30_000;
const LAPTOP = { width: 1366, height: 768 };
const PHONE = { width: 390, height: 844 };

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let wc: TestClient;
let us: TestClient;
const seats: Record<
  string,
  { token: string; playerId: string | null; role: string; team: string | null; name: string }
> = {};
const contexts: BrowserContext[] = [];
const problems: string[] = [];

async function seatPage(key: string, viewport: { width: number; height: number }, seat = seats[key]): Promise<Page> {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce', acceptDownloads: true });
  contexts.push(context);
  context.setDefaultTimeout(WAIT);
  await context.addInitScript(([k, s]) => localStorage.setItem('flywheel.seats.v1', JSON.stringify({ [k]: s })), [
    `${game.gameId}/${key}`,
    { ...seat, gameId: game.gameId },
  ] as const);
  const page = await context.newPage();
  watchConsole(page, key, problems);
  return page;
}

/** What the screen shows now, not the whole page: the point is what a scrolled-down player sees. */
const viewShot = (page: Page, name: string) =>
  page.screenshot({ path: `${ARTIFACTS}/${name}.png`, animations: 'disabled', caret: 'hide' });

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'flywheel-2022', { seed: 'console-ux' }, 'Wanda White');
  seats.control = {
    token: game.controlToken,
    playerId: game.playerId,
    role: 'control',
    team: null,
    name: 'Wanda White',
  };
  for (const [team, name] of [
    ['us', 'Ana Us'],
    ['dprk', 'Dae Dprk'],
  ] as const) {
    const j = await join(server.url, game.codes.teams[team], name);
    seats[team] = { token: j.token, playerId: j.playerId, role: 'team', team, name };
  }
  wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  us = await TestClient.connect(server.url, seats.us.token, 'us');
  await wc.do({ type: 'game.start' }); // briefing
  await wc.do({ type: 'phase.advance' }); // injects
  await wc.do({ type: 'phase.advance' }); // negotiation
});

test.after(async () => {
  if (problems.length) writeArtifact('console-ux-console.txt', problems.join('\n'));
  wc?.close();
  us?.close();
  for (const c of contexts) await c.close();
  await browser?.close();
  await server?.stop();
});

test('an announcement reaches a player scrolled down, on a phone and a laptop, and goes once dismissed', async () => {
  const pages: [string, Page][] = [];
  for (const [name, viewport] of [
    ['phone', PHONE],
    ['laptop', LAPTOP],
  ] as const) {
    const page = await seatPage('us', viewport);
    await page.goto(`${server.url}/game/${game.gameId}/us#brief`);
    await page.getByRole('heading', { name: 'The other teams' }).waitFor();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction(() => window.scrollY > 150);
    pages.push([name, page]);
  }
  // The tab's title counts what is unread; the Channels tab's badge counts unread lines.
  const titled = async (page: Page) => Number(/^\((\d+)\) /.exec(await page.title())?.[1] ?? 0);
  const badge = async (page: Page) => {
    const count = page.locator('[data-tab="talk"] .count');
    return (await count.count()) ? Number(await count.textContent()) : 0;
  };
  const before = await Promise.all(pages.map(async ([, page]) => [await titled(page), await badge(page)]));
  await wc.do({ type: 'chat.post', channel: 'announcements', text: 'Plenary in five minutes: all teams to room 2.' });
  for (const [name, page] of pages) {
    const banner = page.getByRole('region', { name: 'Announcement from the White Cell' });
    await banner.waitFor();
    assert.ok((await page.evaluate(() => window.scrollY)) > 150, `${name}: still scrolled down`);
    const box = (await banner.boundingBox())!;
    const height = page.viewportSize()!.height;
    assert.ok(box.y >= 0 && box.y + box.height <= height, `${name}: the banner is on screen (${JSON.stringify(box)})`);
    assert.ok(box.height < height / 3, `${name}: the banner takes less than a third of the screen`);
    await viewShot(page, `console-ux-announcement-${name}`);
    await expectNoViolations(page, `announcement-${name}`);
  }
  // Shown in the banner, the announcement is news once: one more in the title, none more on the Channels tab.
  const [, phone] = pages[0];
  await phone.waitForFunction((n) => document.title.startsWith(`(${n}) `), before[0][0] + 1);
  assert.is(await badge(phone), before[0][1], 'the announcement in the banner is not also an unread line');
  // Dismissed, it goes, the head shrinks back, and it does not come back as an unread line in its channel.
  await phone.getByRole('button', { name: 'Dismiss' }).click();
  await phone.getByRole('region', { name: 'Announcement from the White Cell' }).waitFor({ state: 'detached' });
  assert.is(await titled(phone), before[0][0], 'the title counts it no more');
  assert.is(await badge(phone), before[0][1], 'nor the Channels tab');
});

test('an observer scrolled down sees an announcement in the head that stays on screen', async () => {
  const obs = await join(server.url, game.codes.observer, 'Oona Observer');
  seats.observer = { token: obs.token, playerId: obs.playerId, role: 'observer', team: null, name: 'Oona Observer' };
  const pages: [string, Page][] = [];
  for (const [name, viewport] of [
    ['phone', PHONE],
    ['laptop', LAPTOP],
  ] as const) {
    const page = await seatPage('observer', viewport);
    await page.goto(`${server.url}/game/${game.gameId}/observer`);
    await page.getByRole('heading', { name: 'Rapporteur notes' }).waitFor();
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await page.waitForFunction(() => window.scrollY > 150);
    pages.push([name, page]);
  }
  await wc.do({ type: 'chat.post', channel: 'announcements', text: 'Observers: the hot wash starts at four.' });
  for (const [name, page] of pages) {
    const banner = page.getByRole('region', { name: 'Announcement from the White Cell' });
    await banner.filter({ hasText: 'the hot wash starts at four' }).waitFor();
    assert.ok((await page.evaluate(() => window.scrollY)) > 150, `${name}: still scrolled down`);
    const box = (await banner.boundingBox())!;
    const height = page.viewportSize()!.height;
    assert.ok(box.y >= 0 && box.y + box.height <= height, `${name}: the banner is on screen (${JSON.stringify(box)})`);
    // The round and the clock stay with it.
    const clock = (await page.locator('.sticky-head .phasebar').boundingBox())!;
    assert.ok(clock.y >= 0 && clock.y + clock.height <= height, `${name}: the round and clock are on screen`);
    await viewShot(page, `console-ux-observer-announcement-${name}`);
    await expectNoViolations(page, `observer-announcement-${name}`);
  }
  const [, phone] = pages[0];
  await phone.getByRole('button', { name: 'Dismiss' }).click();
  await phone.getByRole('region', { name: 'Announcement from the White Cell' }).waitFor({ state: 'detached' });
});

test('the first Tab on a console reaches "Skip to content", once the game has loaded too', async () => {
  const page = await seatPage('us', LAPTOP);
  await page.goto(`${server.url}/game/${game.gameId}/us`);
  await page.getByRole('tab', { name: 'Board' }).waitFor();
  await page.keyboard.press('Tab');
  assert.is(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Skip to content');
});

test('a screen reader is told when the game moves on: a pause, and the round going on', async () => {
  const page = await seatPage('us', LAPTOP);
  await page.goto(`${server.url}/game/${game.gameId}/us`);
  await page.getByRole('tab', { name: 'Board' }).waitFor();
  const said = page.locator('[data-said]');
  assert.is((await said.textContent())?.trim(), '', 'the first view is no news');
  await wc.do({ type: 'game.pause' });
  await said.filter({ hasText: 'Paused, in negotiation' }).waitFor({ state: 'attached' });
  await wc.do({ type: 'game.resume' });
  await said.filter({ hasText: 'Round 1: Negotiation' }).waitFor({ state: 'attached' });
  assert.is(await said.getAttribute('aria-live'), 'polite');
});

test('while submission is open, a team that has not locked is told so on every tab, until it locks', async () => {
  await wc.do({ type: 'phase.advance' }); // submission
  const page = await seatPage('us', LAPTOP);
  await page.goto(`${server.url}/game/${game.gameId}/us#board`);
  const callout = page.getByRole('complementary', { name: 'Your moves are not locked' });
  await callout.waitFor();
  // The badge says "!" to the eye, and to a screen reader what it stands for, as part of the tab's name.
  await page.getByRole('tab', { name: /^Moves \(submission is open and your moves are not locked\)$/ }).waitFor();
  const badge = page.locator('[data-tab="moves"] .count');
  assert.is(await badge.textContent(), '!');
  await viewShot(page, 'console-ux-not-locked');
  await expectNoViolations(page, 'not-locked');
  // The sound toggle shows whether it is on, not only to a screen reader; its name stays the same.
  const sound = page.getByRole('button', { name: 'Sound at 2 min and 30 s', exact: true });
  assert.equal(
    [await sound.getAttribute('aria-pressed'), await sound.textContent()],
    ['false', 'Sound at 2 min and 30 s: off'],
  );
  await sound.click();
  await page.locator('button.sound[aria-pressed="true"]').waitFor();
  assert.is(await sound.textContent(), 'Sound at 2 min and 30 s: on ✓');
  await sound.click();
  await page.locator('button.sound[aria-pressed="false"]').waitFor();
  await callout.getByRole('button', { name: 'Go to your moves' }).click();
  await page.getByRole('tab', { name: /Moves/, selected: true }).waitFor();
  await us.do({ type: 'draft.lock' });
  await badge.waitFor({ state: 'detached' });
  await page.getByRole('tab', { name: 'Board' }).click();
  await page.getByRole('heading', { name: 'Tiers of the ladder' }).waitFor();
  assert.is(await callout.count(), 0, 'no callout once locked');
});

test('the White Cell is offered Rename and Move on its own row, but no Remove (the server refuses it)', async () => {
  // A seat kept with the creator's player id (a new game), and one kept without it (an older browser's).
  for (const playerId of [game.playerId, null]) {
    const page = await seatPage('control', LAPTOP, { ...seats.control, playerId });
    await page.goto(`${server.url}/game/${game.gameId}/control#seats`);
    const row = (name: string) => page.getByRole('row').filter({ has: page.getByRole('cell', { name, exact: true }) });
    await row('Ana Us').getByRole('button', { name: 'Remove Ana Us' }).waitFor();
    await row('Wanda White').getByRole('button', { name: 'Rename' }).waitFor();
    assert.is(
      await row('Wanda White')
        .getByRole('button', { name: /Remove/ })
        .count(),
      0,
      `playerId ${playerId}`,
    );
  }
  // On a phone the Seats tab's two tables fit their cards: they pushed the page 114 px sideways.
  const phone = await seatPage('control', PHONE);
  await phone.goto(`${server.url}/game/${game.gameId}/control#seats`);
  await phone.getByRole('button', { name: 'Remove Ana Us' }).waitFor();
  const over = await phone.evaluate(() => ({
    page: document.documentElement.scrollWidth - window.innerWidth,
    tables: [...document.querySelectorAll('.seat-menu, .players-table')].map(
      (t) => t.getBoundingClientRect().right - t.closest('.card')!.getBoundingClientRect().right,
    ),
  }));
  assert.ok(over.page <= 0, `the page scrolls sideways by ${over.page}px`);
  assert.is(over.tables.length, 2);
  for (const t of over.tables) assert.ok(t <= 0, `a table pokes ${t}px past its card`);
  await screenshot(phone, 'console-ux-control-seats-phone');
  await expectNoViolations(phone, 'control-seats-phone');
});

test('a bot reads as a bot among the seats; the tab the White Cell played a team in says, once handed back, so', async () => {
  const assign = (team: string, body: object) =>
    call<{ seat?: { token: string; playerId: string; role: string; team: string; name: string } }>(
      server.url,
      'POST',
      `/api/games/${game.gameId}/seats/${team}`,
      body,
      { authorization: `Bearer ${game.controlToken}` },
    );
  assert.is((await assign('jpn', { by: 'bot', strategy: 'cooperative' })).status, 200);
  const taken = await assign('prc', { by: 'whiteCell' });
  const hand = taken.body.seat!;
  // The tab "Play it yourself" opens, on the seat the White Cell was given (its own sink: a closed seat's refused
  // connection is expected there).
  const context = await browser.newContext({ viewport: LAPTOP, reducedMotion: 'reduce' });
  contexts.push(context);
  context.setDefaultTimeout(WAIT);
  await context.addInitScript(([k, s]) => localStorage.setItem('flywheel.seats.v1', JSON.stringify({ [k]: s })), [
    `${game.gameId}/prc`,
    { ...hand, gameId: game.gameId },
  ] as const);
  const tab = await context.newPage();
  await tab.goto(`${server.url}/game/${game.gameId}/prc`);
  await tab.locator('.phasebar').waitFor();
  const page = await seatPage('control', LAPTOP);
  await page.goto(`${server.url}/game/${game.gameId}/control#seats`);
  const botRow = page.locator('.players-table tr', { has: page.locator('.badge.bot') });
  await botRow.getByText('bot, on the server').waitFor();
  assert.is(await botRow.getByText('offline').count(), 0, 'a bot is never "offline"');
  // Every screen's team strip: a bot's team and one the White Cell plays count no person, their badge says who.
  const usPage = await seatPage('us', LAPTOP);
  await usPage.goto(`${server.url}/game/${game.gameId}/us#board`);
  const strip = (short: string) => usPage.locator('.teams-strip li', { has: usPage.getByText(short, { exact: true }) });
  await strip('JPN').locator('.badge.bot').waitFor();
  await strip('PRC').locator('.badge.wc').waitFor();
  for (const short of ['JPN', 'PRC']) assert.not.match(await strip(short).innerText(), /player/, short);
  assert.match(await strip('US').innerText(), /1 player/, 'a team of people counts them');
  assert.is((await assign('prc', { by: 'players' })).status, 200);
  await tab.getByRole('heading', { name: 'Team handed back' }).waitFor();
  await tab.getByText(/The White Cell has handed China \(PRC\) back/).waitFor();
  assert.is(await tab.getByText('The server refused this seat').count(), 0, 'no alarm');
  await screenshot(tab, 'console-ux-handed-back');
  await assign('jpn', { by: 'players' });
  // The player who comes for Japan sees their team, not the bot that held the seat listed as having left.
  const jun = await join(server.url, game.codes.teams.jpn, 'Jun Jpn');
  const junPage = await seatPage('jpn', LAPTOP, { ...jun, role: 'team', team: 'jpn', name: 'Jun Jpn' });
  await junPage.goto(`${server.url}/game/${game.gameId}/jpn#brief`);
  const ours = junPage.locator('h2:text-is("Your team") + ul');
  await ours.getByText('Jun Jpn').waitFor();
  assert.is((await ours.innerText()).trim(), 'Jun Jpn', 'no bot gone, no "(left)"');
});

test("a game set shorter than its scenario lists the later rounds' injects apart, as never coming up", async () => {
  const short = await createGame(server.url, 'flywheel-2022', { seed: 'console-ux-short', rounds: 3 }, 'Sam Short');
  const page = await whiteCellPage(browser, short, 'Sam Short', problems, LAPTOP);
  contexts.push(page.context());
  await page.goto(`${server.url}/game/${short.gameId}/control#injects`);
  const beyond = page.locator('section', {
    has: page.getByRole('heading', { name: /^Written for rounds after this game's last \(round 3\)/ }),
  });
  await beyond.waitFor();
  const rounds = async (section: typeof beyond) =>
    (await section.locator('.inject .l-head .badge').allTextContents())
      .filter((t) => /^round \d+$/.test(t))
      .map((t) => Number(t.replace('round ', '')));
  const later = await rounds(beyond);
  assert.ok(later.length > 0 && later.every((r) => r > 3), `rounds ${later}`);
  const scheduled = page.locator('section', {
    has: page.getByRole('heading', { name: 'Scheduled for later rounds', exact: true }),
  });
  const due = await rounds(scheduled);
  assert.ok(due.length > 0 && due.every((r) => r <= 3), `rounds ${due}`);
  await expectNoViolations(page, 'console-ux-injects-short-game');
  await viewShot(page, 'console-ux-injects-short-game');
});

test('the debrief opens with the ending and scores, a line pointing to the forms; nothing timed or locked', async () => {
  // The White Cell's console is open, scrolled down the Injects tab, when the game ends.
  const watching = await seatPage('control', LAPTOP);
  await watching.goto(`${server.url}/game/${game.gameId}/control#injects`);
  await watching.getByRole('tab', { name: 'Injects', selected: true }).waitFor();
  // What the room reads now comes before later rounds and contingencies.
  const at = async (name: string) =>
    (await watching.getByRole('heading', { name, exact: true }).boundingBox())?.y ?? Number.NaN;
  assert.ok(
    (await at('Published this round')) < (await at('Scheduled for later rounds')),
    "this round's injects first",
  );
  await watching.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await watching.waitForFunction(() => window.scrollY > 200);
  // Round 1 revealed (its feedback form opens), then the end.
  await wc.do({ type: 'phase.advance' });
  await wc.do({ type: 'adjudication.approve' });
  await wc.do({ type: 'game.end' });
  await watching.getByRole('heading', { name: /^Debrief: / }).waitFor();
  await watching.waitForFunction(() => window.scrollY === 0 && document.activeElement?.id === 'debrief-h');
  await viewShot(watching, 'console-ux-control-debrief-opens');
  for (const [name, viewport] of [
    ['laptop', LAPTOP],
    ['phone', PHONE],
  ] as const) {
    const page = await seatPage('us', viewport);
    await page.goto(`${server.url}/game/${game.gameId}/us`);
    await page.getByRole('heading', { name: /^Debrief: / }).waitFor();
    const top = async (sel: string) => (await page.locator(sel).boundingBox())!.y;
    assert.ok((await top('#debrief-h')) < (await top('#forms-h')), `${name}: the ending comes before the forms`);
    assert.ok((await top('#debrief-h')) < (await top('#rec-exp-h')), `${name}: and before the record's buttons`);
    assert.ok((await top('#debrief-h')) < viewport.height, `${name}: the ending is on the first screen`);
    await page.getByRole('button', { name: /^Go to the form/ }).click();
    assert.is(await page.evaluate(() => document.activeElement?.id), 'forms-h', `${name}: the line leads to the forms`);
    // Nothing timed or locked at the debrief: no tone to switch on.
    assert.is(await page.getByRole('button', { name: /Sound at/ }).isVisible(), false);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForFunction(() => window.scrollY === 0);
    await viewShot(page, `console-ux-debrief-${name}-top`);
    await screenshot(page, `console-ux-debrief-${name}`);
    await expectNoViolations(page, `debrief-${name}`);
  }
  const control = await seatPage('control', LAPTOP);
  await control.goto(`${server.url}/game/${game.gameId}/control`);
  await control.getByRole('button', { name: 'Close the exercise' }).waitFor();
  assert.is(await control.locator('.roll-call').isVisible(), false, 'no "0 of 2 locked" at the debrief');
  assert.is(await control.getByRole('button', { name: /Sound at/ }).isVisible(), false);
  await viewShot(control, 'console-ux-control-debrief');
});

test('the two Markdown reports download under names of their own', async () => {
  const page = await seatPage('us', LAPTOP);
  await page.goto(`${server.url}/game/${game.gameId}/us#debrief`);
  const name = async (button: string) => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: button }).click(),
    ]);
    return download.suggestedFilename();
  };
  const full = await name('Report as Markdown');
  const aar = await name('Download the after-action report');
  assert.is(full, `flywheel-${game.gameId}-report-with-timings.md`);
  assert.is.not(full, aar);
});

test('the replay: a wide, labelled scrubber with step buttons and keys, opening at the start of round 1', async () => {
  for (const [name, viewport] of [
    ['laptop', LAPTOP],
    ['phone', PHONE],
  ] as const) {
    const page = await seatPage('us', viewport);
    await page.goto(`${server.url}/replay/${game.gameId}/us`);
    // The way back is in the head, not only at the foot of a long page.
    assert.match(
      (await page.locator('header.top').getByRole('link', { name: 'Back to the game' }).getAttribute('href'))!,
      new RegExp(`^/game/${game.gameId}/us$`),
    );
    const slider = page.getByRole('slider', { name: /Moment/ });
    await slider.waitFor();
    await page
      .getByText(/round 1, Injects/)
      .first()
      .waitFor();
    // A replay has no live clock: no timer ticks; the bar says what the phase had left at that moment.
    await page.locator('.replay .phasebar .pb-phase strong', { hasText: 'Injects' }).waitFor();
    assert.is(await page.locator('.replay [role="timer"], .replay [data-deadline]').count(), 0, 'no running clock');
    assert.match(
      (await page.locator('.replay .phasebar .pb-clock').textContent())!.trim(),
      // The 2-minute injects phase had just begun at the step the replay opens at.
      /^(1:\d\d|2:00) left at this moment$/,
    );
    const first = Number(await slider.inputValue());
    assert.ok(first > 0, 'the steps before round 1 are passed over');
    const card = (await page.locator('.scrubber').boundingBox())!;
    const box = (await slider.boundingBox())!;
    assert.ok(
      box.width >= card.width * (name === 'phone' ? 0.8 : 0.6),
      `${name}: slider ${box.width} of ${card.width}`,
    );
    await page.getByRole('button', { name: 'Next step' }).click();
    await page.waitForFunction(
      (v) => (document.getElementById('scrub') as HTMLInputElement).value === v,
      `${first + 1}`,
    );
    await page.waitForURL(`**#step=${first + 2}`);
    // By keyboard: the slider's arrows, and the buttons.
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(
      (v) => (document.getElementById('scrub') as HTMLInputElement).value === v,
      `${first + 2}`,
    );
    // The step is in the address too before the next key: the page redraws for it, and a key pressed meanwhile
    // could land on a button about to be redrawn.
    await page.waitForURL(`**#step=${first + 3}`);
    await page.getByRole('button', { name: 'Previous step' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      (v) => (document.getElementById('scrub') as HTMLInputElement).value === v,
      `${first + 1}`,
    );
    assert.is(await page.getByRole('button', { name: /Sound at/ }).count(), 0, 'no tone in a replay');
    await screenshot(page, `console-ux-replay-${name}`);
    await expectNoViolations(page, `replay-${name}`);
    // A refresh returns to the same moment.
    await page.reload();
    await page.waitForFunction(
      (v) => (document.getElementById('scrub') as HTMLInputElement)?.value === v,
      `${first + 1}`,
    );
  }
});

test('no page logged an error', () => {
  assert.equal(
    problems.filter((p) => !/WebSocket|ERR_CONNECTION_REFUSED|net::ERR/.test(p)),
    [],
  );
});

test.run();
