// The projector and presenter mode with the full scenario (twelve meters, not the tutorial's few), and a team's
// phone at the reveal: the board fitted to a 1920×1080 screen, its latest round and deals beside the meters; every meter and team name readable on one 1920×1080 screen with an announcement up, and on a
// 1280×720 one (scaled, every chart drawn and no name cut, a reveal's slide under the announcement), the debrief's
// sixteen meters in presenter mode in dark colours (a 0 meter's bar empty), the
// paused clock readable on the dark projector, no two-minute warning as a two-minute phase begins, and "See what
// happened and why" landing on the reveal itself; the board bringing a new reveal to view at once; chart axis labels
// that never stretch, readable from the back of the room; a failed line's "did not apply" as large as its slide; the
// debrief's ending and scores large on the board (no download button on a wall) and in presenter mode; and the start
// page's session-length presets, marked while in force. Colours are checked by computed contrast, and by axe-core.
import { injectAxe } from '../helpers/axe.ts';
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import type { CreateGameResult } from '../../shared/protocol.ts';
import { ARTIFACTS, launchBrowser, screenshot, watchConsole, writeArtifact } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const WAIT = 30_000;
const scenario = JSON.parse(readFileSync('scenarios/flywheel-2022.json', 'utf8')) as {
  meters: { id: string; public?: boolean; hidden?: boolean }[];
};

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let wc: TestClient;
let board: Page;
let presenter: Page;
const problems: string[] = [];

async function page(label: string, viewport: { width: number; height: number }, mobile = false): Promise<Page> {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce', isMobile: mobile, hasTouch: mobile });
  context.setDefaultTimeout(WAIT);
  // The test runner's transpiler names the functions declared inside page functions with a helper of its own.
  await context.addInitScript('globalThis.__name = (f) => f;');
  const p = await context.newPage();
  watchConsole(p, label, problems);
  return p;
}

async function axe(p: Page, what: string) {
  await injectAxe(p);
  const violations = await p.evaluate(async () => {
    type Axe = { run: () => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> };
    return (await (window as unknown as { axe: Axe }).axe.run()).violations;
  });
  if (violations.length) writeArtifact(`axe-${what}.json`, JSON.stringify(violations, null, 2));
  assert.equal(
    violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`),
    [],
    `${what}: accessibility violations`,
  );
}

/**
 * The WCAG contrast ratio of each element's text against the first opaque background behind it (walking up the
 * tree), as the browser computed both colours.
 */
async function contrasts(p: Page, selector: string): Promise<{ text: string; ratio: number }[]> {
  return p.locator(selector).evaluateAll((els) => {
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = (c: number[]) => {
      const [r, g, b] = c.slice(0, 3).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    return els.map((el) => {
      let bg: number[] = [255, 255, 255];
      for (let at: Element | null = el; at; at = at.parentElement) {
        const c = rgb(getComputedStyle(at).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) {
          bg = c;
          break;
        }
      }
      const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg)].sort((x, y) => y - x);
      return { text: (el.textContent ?? '').trim(), ratio: (a + 0.05) / (b + 0.05) };
    });
  });
}

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'flywheel-2022', { seed: 'browser-projector' }, 'Walter Vexley');
  wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  await wc.do({ type: 'game.start' });
  board = await page('board', { width: 1920, height: 1080 });
  await board.goto(`${server.url}/board/${encodeURIComponent(game.codes.observer)}`);
  await board.locator('.board.big').waitFor();
});

test.after(async () => {
  if (problems.length) writeArtifact('browser-projector-console.txt', problems.join('\n'));
  wc?.close();
  await browser?.close();
  await server?.stop();
});

test('a player who lands on the start page is shown the way to the code field on the first screen', async () => {
  const start = await page('start-join', { width: 1366, height: 768 });
  await start.goto(`${server.url}/`);
  const link = start.getByRole('link', { name: 'Enter your code' });
  const box = (await link.boundingBox())!;
  assert.ok(box.y + box.height <= 768, `the way to the code on the first screen (${box.y} px down)`);
  await link.click();
  await start.waitForFunction(() => document.activeElement?.id === 'have-code');
  const field = (await start.locator('#have-code').boundingBox())!;
  assert.ok(field.y >= 0 && field.y + field.height <= 768, 'the code field in view');
});

test('a team or White Cell code on the projector link is refused, and no "Projector" player is seated', async () => {
  for (const code of [game.codes.teams.us, game.codes.control]) {
    const wrong = await page('board-wrong-code', { width: 1366, height: 768 });
    await wrong.goto(`${server.url}/board/${encodeURIComponent(code)}`);
    await wrong.getByText('This link needs the observers’ code').waitFor();
    await wrong.context().close();
  }
  const players = (await wc.whole()).control!.players;
  assert.equal(
    players.filter((p) => p.name === 'Projector').map((p) => p.role),
    ['observer'],
    'only the board’s own observer seat',
  );
});

test('the start page marks the session length in force, until the clocks are changed', async () => {
  const start = await page('start', { width: 1280, height: 900 });
  await start.goto(`${server.url}/`);
  await start.getByLabel('Scenario').selectOption('flywheel-2022');
  const group = start.getByRole('group', { name: 'Session length' });
  const pressed = () => group.locator('button[aria-pressed="true"]').allTextContents();
  // The page draws on the next frame: each check waits for the state it expects, then reads it.
  const settle = (names: string[]) =>
    start.waitForFunction(
      (want) =>
        JSON.stringify(
          [...document.querySelectorAll('button.preset[aria-pressed="true"]')].map(
            (b) => b.textContent?.trim().split(' · ')[0],
          ),
        ) === JSON.stringify(want),
      names,
    );
  // The scenario's defaults are its three-hour preset; one reading of each button, its length once.
  await settle(['Three-hour seminar (default)']);
  assert.equal(await pressed(), ['Three-hour seminar (default) · 180 min']);
  assert.is(await group.locator('button[aria-pressed="false"]').count(), 2);
  await group.getByRole('button', { name: /Two-hour session/ }).click();
  await settle(['Two-hour session']);
  assert.is(await start.getByLabel('Rounds').inputValue(), '6');
  assert.is(await start.getByLabel('Negotiation', { exact: true }).inputValue(), '6');
  // An edited clock is no preset's.
  await start.getByLabel('Negotiation', { exact: true }).fill('7');
  await start.getByLabel('Negotiation', { exact: true }).blur();
  await settle([]);
  assert.equal(await pressed(), []);
  await axe(start, 'start-page');
  await start.context().close();
});

test('a two-minute phase does not open with the two-minute warning', async () => {
  await wc.do({ type: 'phase.advance' }); // the injects, two minutes by default
  const clock = board.locator('.phasebar .clock[data-deadline]');
  await clock.waitFor();
  // The ticker sets the clock's text and its marks in one pass: once the text is there, the marks are too.
  await board.waitForFunction(() => /\d:\d\d/.test(document.querySelector('.clock[data-deadline]')?.textContent ?? ''));
  assert.is(await clock.getAttribute('data-length'), '120000');
  assert.is(await clock.evaluate((el) => el.classList.contains('warn-2m')), false, 'no 2-minute mark');
  assert.is(await board.getByText('2 minutes left in this phase.').count(), 0, 'no 2-minute note');
});

test('presenter mode shows every meter and every team, readable, under an announcement', async () => {
  await wc.do({ type: 'phase.advance' }); // negotiation
  await wc.do({ type: 'chat.post', channel: 'announcements', text: 'Coffee break: ten minutes, the clock runs on.' });
  presenter = await page('presenter', { width: 1920, height: 1080 });
  await presenter.goto(`${server.url}/board/${encodeURIComponent(game.codes.observer)}?present=60`);
  await presenter.locator('.presenter .pr-board').waitFor();
  await presenter.locator('.announce', { hasText: 'Coffee break' }).waitFor();
  await screenshot(presenter, 'projector-presenter-12-meters');

  const publicMeters = await board.locator('.board.big .meter').count();
  assert.ok(publicMeters >= 10, `the board shows the scenario's public meters (${publicMeters})`);
  assert.ok(publicMeters <= scenario.meters.length);
  const boxes = await presenter.locator('.pr-board .meter').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      const chart = el.querySelector('.mchart')!.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, right: r.right, chart: chart.height, chartBottom: chart.bottom };
    }),
  );
  assert.is(boxes.length, publicMeters, 'presenter mode shows the same meters as the board');
  for (const [i, b] of boxes.entries()) {
    assert.ok(b.top >= 0 && b.bottom <= 1080 && b.right <= 1920, `meter ${i + 1} on screen: ${JSON.stringify(b)}`);
    assert.ok(b.chart >= 40 && b.chartBottom <= b.bottom, `meter ${i + 1}'s chart drawn in its card`);
  }
  // The axis labels are text of their own, never stretched with the chart, readable, inside their cards, and the
  // y axis's "0" clear of "start" and of the first point.
  const axes = await chartAxes(presenter, '.pr-board');
  assert.ok(axes.length >= publicMeters, 'a chart per meter');
  for (const a of axes) {
    assert.is(a.svgText, 0, `${a.name}: no text drawn inside a stretched SVG`);
    assert.ok(a.fontSize >= 18, `${a.name}: axis labels in ${a.fontSize} px`);
    assert.ok(a.inside, `${a.name}: axis labels inside the card`);
    assert.not.ok(a.zeroMeetsStart, `${a.name}: "0" and "start" apart`);
    assert.not.ok(a.zeroMeetsPoint, `${a.name}: "0" and the first point apart`);
  }

  const teams = await contrasts(presenter, '.pr-board .teams-strip li strong');
  assert.is(teams.length, 5);
  for (const t of teams) assert.ok(t.ratio >= 4.5, `team ${t.text}: contrast ${t.ratio.toFixed(2)}`);
  await axe(presenter, 'presenter-12-meters');
});

/**
 * Each meter chart's axis labels: whether any is SVG text (stretched with the chart when its aspect ratio is not
 * kept), their smallest font size, whether they stay inside the card, and whether the y axis's "0" overlaps the
 * x axis's "start" or the first point.
 */
const chartAxes = (p: Page, scope: string) =>
  p.locator(`${scope} .meter`).evaluateAll((els) =>
    els.map((el) => {
      const card = el.getBoundingClientRect();
      const labels = [...el.querySelectorAll<HTMLElement>('.mchart .axis')];
      const box = (e: Element | undefined) => e?.getBoundingClientRect();
      const meet = (a?: DOMRect, b?: DOMRect) =>
        !!a && !!b && a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
      const zero = box(labels.find((l) => l.textContent?.trim() === '0'));
      return {
        name: el.querySelector('.m-name')?.textContent,
        svgText: el.querySelectorAll('svg text').length,
        fontSize: Math.min(...labels.map((l) => Number.parseFloat(getComputedStyle(l).fontSize))),
        inside: labels.every((l) => {
          const r = l.getBoundingClientRect();
          return r.left >= card.left && r.right <= card.right && r.top >= card.top && r.bottom <= card.bottom;
        }),
        zeroMeetsStart: meet(zero, box(labels.find((l) => l.textContent?.trim() === 'start'))),
        zeroMeetsPoint: meet(zero, box(el.querySelector('.mchart .pt') ?? undefined)),
      };
    }),
  );

/** Only axe's `rule` (a best-practice rule, beyond the WCAG set the other checks run) on the page. */
async function axeRule(p: Page, rule: string): Promise<string[]> {
  await injectAxe(p);
  return p.evaluate(async (rule) => {
    type Axe = { run: (o: unknown) => Promise<{ violations: { nodes: { target: unknown }[] }[] }> };
    const r = await (window as unknown as { axe: Axe }).axe.run({ runOnly: [rule] });
    return r.violations.flatMap((x) => x.nodes.map((n) => JSON.stringify(n.target)));
  }, rule);
}

/** Each presenter meter card's box, its chart's height, and whether its name or the card itself is cut off. */
const presenterMeters = (p: Page) =>
  p.locator('.pr-board .meter').evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      const chart = el.querySelector('.mchart')!.getBoundingClientRect();
      const plot = el.querySelector('.mchart-plot')!.getBoundingClientRect();
      const name = el.querySelector<HTMLElement>('.m-name')!;
      const value = el.querySelector<HTMLElement>('.m-value')!.getBoundingClientRect();
      return {
        name: name.textContent,
        top: r.top,
        bottom: r.bottom,
        left: r.left,
        right: r.right,
        chart: chart.height,
        plot: plot.height,
        chartBottom: chart.bottom,
        valueRight: value.right,
        cut: el.scrollHeight > el.clientHeight + 1 || name.scrollHeight > name.clientHeight + 1,
      };
    }),
  );

test('presenter mode at 1280×720 keeps the 1920×1080 slide’s proportions: every chart drawn, no name cut', async () => {
  const small = await page('presenter-720', { width: 1280, height: 720 });
  await small.goto(`${server.url}/board/${encodeURIComponent(game.codes.observer)}?present=60`);
  await small.locator('.announce', { hasText: 'Coffee break' }).waitFor();
  await screenshot(small, 'projector-presenter-720');
  const boxes = await presenterMeters(small);
  assert.is(boxes.length, await board.locator('.board.big .meter').count());
  const announce = await small.locator('.announce').evaluate((el) => el.getBoundingClientRect().bottom);
  for (const b of boxes) {
    assert.ok(
      b.top >= announce && b.bottom <= 720 && b.left >= 0 && b.right <= 1280,
      `${b.name} on screen: ${JSON.stringify(b)}`,
    );
    // 48 px at 1920×1080, two thirds of it here; under the announcement the plot itself is still a plot, not a
    // sliver under its scale's labels.
    assert.ok(b.chart >= 30 && b.chartBottom <= b.bottom, `${b.name}'s chart drawn in its card: ${JSON.stringify(b)}`);
    assert.ok(b.plot >= 30, `${b.name}'s plot readable under the announcement: ${JSON.stringify(b)}`);
    assert.ok(b.valueRight <= b.right, `${b.name}'s value and its change inside the card: ${JSON.stringify(b)}`);
    assert.not.ok(b.cut, `${b.name} is not cut off`);
  }
  await axe(small, 'presenter-720');
  await small.context().close();
});

test('the projector says "paused" in colours that read on its dark ground', async () => {
  await wc.do({ type: 'game.pause' });
  try {
    await board.bringToFront();
    await board.locator('.phase-paused').waitFor();
    await screenshot(board, 'projector-paused');
    const paused = await contrasts(board, '.phase-paused strong, .clock.paused, .pb-from');
    assert.ok(paused.length >= 3, 'the paused phase, where from, and the clock are shown');
    for (const t of paused) assert.ok(t.ratio >= 4.5, `"${t.text}": contrast ${t.ratio.toFixed(2)}`);
    // The twelve meters leave the latest round's heading and its first event on a 1080-pixel screen.
    const round = await board.locator('#tl-h').evaluate((el) => el.getBoundingClientRect().bottom);
    const firstEvent = await board
      .locator('.tl-card .inject')
      .first()
      .evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(round <= 1080 && firstEvent < 1080, `the latest round starts on screen (${round}, ${firstEvent})`);
    await axe(board, 'projector-paused');
  } finally {
    await wc.do({ type: 'game.resume' });
  }
  await board.locator('.phase-paused').waitFor({ state: 'detached' });
});

test('the projector board fits a 1920×1080 screen: nothing below it, the latest round and the deals beside the meters', async () => {
  await board.bringToFront();
  await screenshot(board, 'projector-board-fit');
  const page = await board.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    width: document.documentElement.scrollWidth,
  }));
  assert.equal(page, { height: 1080, width: 1920 }, 'the page is the screen: nobody scrolls a projector');
  for (const h of ['#tl-h', '#force-h']) {
    const r = await board.locator(h).evaluate((el) => el.getBoundingClientRect().toJSON());
    assert.ok(r.top >= 0 && r.bottom <= 1080 && r.right <= 1920, `${h} on screen: ${JSON.stringify(r)}`);
  }
  // What a part holds beyond its height it shows a screenful at a time (board.ts turns its pages): it scrolls
  // inside itself, and a keyboard can reach it.
  const parts = await board.locator('[data-pages]').evaluateAll((els) =>
    els.map((el) => ({
      bottom: el.getBoundingClientRect().bottom,
      overflow: getComputedStyle(el).overflowY,
      tabindex: el.getAttribute('tabindex'),
    })),
  );
  assert.is(parts.length, 3, 'the meters, the latest round and the deals in force');
  for (const p of parts) assert.equal([p.bottom <= 1080, p.overflow, p.tabindex], [true, 'auto', '0']);
  // The meters an inject moved, large enough to read from the back of the room.
  const effects = await board
    .locator('.tl-card .inject .effects li')
    .first()
    .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
  assert.ok(effects >= 18, `an inject's effect line in ${effects} px`);
  // The charts' axis labels too, and never stretched.
  for (const a of await chartAxes(board, '.board.big')) {
    assert.is(a.svgText, 0, `${a.name}: no text drawn inside a stretched SVG`);
    assert.ok(a.fontSize >= 16, `${a.name}: axis labels in ${a.fontSize} px`);
    assert.not.ok(a.zeroMeetsStart, `${a.name}: "0" and "start" apart`);
  }
  // An empty "Deals in force" is as wide as the latest round above it, not shrunk to its "None" line.
  const [tl, force] = await Promise.all(
    ['.tl-card', '.deals-card'].map((sel) => board.locator(sel).evaluate((el) => el.getBoundingClientRect().width)),
  );
  assert.ok(Math.abs(tl - force) < 2, `the deals card as wide as the latest round (${force} vs ${tl})`);
  assert.equal(await axeRule(board, 'heading-order'), [], 'headings in order during the injects');
  // The ladder, on the hint's line: which tiers are open, so the room sees the wheel turn.
  const ladder = await board.locator('.ladder').innerText();
  assert.match(ladder, /✔ Tier 0 Channel\s*, open\s+Tier 1 Small wins \(closed\)/, JSON.stringify(ladder));
  await axe(board, 'projector-board-fit');
  // A 1366×768 projector: still nothing below the screen, and the round's parts keep most of it.
  await board.setViewportSize({ width: 1366, height: 768 });
  await board.waitForFunction(() => document.documentElement.scrollHeight <= 768);
  const grid = await board.locator('.board-grid').evaluate((el) => el.getBoundingClientRect().toJSON());
  await board.screenshot({ path: `${ARTIFACTS}/projector-board-fit-1366.png`, animations: 'disabled' });
  assert.ok(grid.height >= 0.6 * 768, `the meters and the round in ${Math.round(grid.height)} px of 768`);
  await board.setViewportSize({ width: 1920, height: 1080 });
});

test('"See what happened and why" opens a phone at the round’s reveal', async () => {
  const seat = await join(server.url, game.codes.teams.dprk, 'Hana Okonkwo-Reyes');
  const phone = await page('dprk-phone', { width: 390, height: 844 }, true);
  await phone
    .context()
    .addInitScript(([k, s]) => localStorage.setItem('flywheel.seats.v1', JSON.stringify({ [k]: s })), [
      `${game.gameId}/dprk`,
      {
        token: seat.token,
        playerId: seat.playerId,
        role: 'team',
        team: 'dprk',
        name: 'Hana Okonkwo-Reyes',
        gameId: game.gameId,
      },
    ] as const);
  await phone.goto(`${server.url}/game/${game.gameId}/dprk#board`);
  await phone.locator('.phasebar').waitFor();
  // The US tries a free-form move, which the White Cell rules at no chance: it cannot come off.
  const us = await TestClient.connect(server.url, (await join(server.url, game.codes.teams.us, 'Ines Ward')).token);
  await us.do({
    type: 'draft.set',
    overt: [],
    covert: [],
    freeform: {
      text: 'A back-channel letter to Pyongyang',
      intent: 'Talks',
      rationale: 'It worked before',
      open: false,
    },
  });
  await wc.do({ type: 'phase.advance' }); // submission
  await wc.do({ type: 'phase.advance' }); // adjudication
  const line = wc.view!.control!.adjudication!.lines.find((l) => l.kind === 'freeform')!;
  await wc.do({
    type: 'freeform.rule',
    lineId: line.id,
    chance: 0,
    effects: [{ meter: 'trust', delta: 3 }],
    public: true,
    rationale: 'Nobody is reading the letters this quarter.',
  });
  // A second word on the same line, which the record shows under it as an amendment.
  await wc.do({
    type: 'adjudication.amend',
    lineId: line.id,
    rationale: 'The envoy confirmed the letters went unread.',
  });
  // Adjudication has no clock: the wall says so in a word, at the phase's size, not in a countdown's.
  const untimed = board.locator('.phasebar .clock.none');
  await untimed.filter({ hasText: 'Untimed' }).waitFor();
  const viewport = board.viewportSize()!;
  for (const [width, height] of [
    [viewport.width, viewport.height],
    [1366, 768],
  ]) {
    await board.setViewportSize({ width, height });
    const sizes = await board.evaluate(() => {
      const px = (sel: string) => parseFloat(getComputedStyle(document.querySelector(sel)!).fontSize);
      return { untimed: px('.phasebar .clock.none'), phase: px('.phasebar .pb-phase strong') };
    });
    assert.ok(
      sizes.untimed <= sizes.phase,
      `${width}×${height}: "Untimed" no larger than the phase's name: ${JSON.stringify(sizes)}`,
    );
  }
  await board.setViewportSize(viewport);
  await wc.do({ type: 'adjudication.approve' }); // the reveal
  us.close();
  // The projector brings the reveal to view at once, below the card's heading, not at the next turn of its pages.
  await board.locator('.tl-card[data-showing="reveal"]').waitFor();
  const onBoard = await board.locator('.tl-card').evaluate((card) => {
    const box = card.getBoundingClientRect();
    const head = card.querySelector('#tl-h')!.getBoundingClientRect();
    const reveal = card.querySelector('[data-reveal]')!.getBoundingClientRect();
    const line = card.querySelector('[data-reveal] + .lines .line')!.getBoundingClientRect();
    return { top: head.bottom, bottom: box.bottom, reveal: reveal.top, line: line.top, lineBottom: line.bottom };
  });
  assert.ok(
    onBoard.reveal >= onBoard.top - 1 && onBoard.lineBottom <= onBoard.bottom,
    `the reveal's heading and first outcome in the card's visible part: ${JSON.stringify(onBoard)}`,
  );
  await screenshot(board, 'projector-board-reveal');
  // The White Cell's ruling, read from the back of the room as the outcome is.
  const ruling = await board
    .locator('.tl-card .amend')
    .first()
    .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  assert.ok(ruling >= 16, `the ruling's reason at ${ruling} px`);
  assert.equal(await axeRule(board, 'heading-order'), [], 'headings in order during the reveal');
  const link = phone.getByRole('button', { name: 'See what happened and why' });
  // A player scrolled down the page still sees the new reveal, in the part that stays on screen, with a button a
  // finger can hit.
  await link.waitFor();
  await phone.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await phone.waitForFunction(() => window.scrollY > 100);
  const box = (await link.boundingBox())!;
  assert.ok(box.y >= 0 && box.y + box.height <= 844, `the button on screen: ${JSON.stringify(box)}`);
  assert.ok(box.height >= 44, `the button is ${box.height} px tall`);
  await phone.screenshot({ path: `${ARTIFACTS}/projector-phone-reveal-callout.png`, animations: 'disabled' });
  await link.click();
  const heading = phone.locator('[data-reveal="1"]');
  await heading.waitFor();
  await phone.waitForFunction(() => document.activeElement?.getAttribute('data-reveal') === '1');
  // On screen, and not under the sticky clock and tabs: the point at its middle is the heading itself.
  const seen = await heading.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + Math.min(r.width / 2, 30), r.top + r.height / 2);
    return { top: r.top, bottom: r.bottom, visible: r.top >= 0 && r.bottom <= innerHeight && el.contains(hit) };
  });
  assert.ok(seen.visible, `the reveal's heading is on screen (${JSON.stringify(seen)})`);
  await screenshot(phone, 'projector-phone-reveal');
  // The move that failed its roll says so, and its changes are shown as what it would have done, not as done.
  const failed = phone.locator('.line.kind-freeform', { hasText: 'back-channel letter' });
  await failed.getByText('did not apply').waitFor();
  await failed.getByText('Would have been (not applied):').waitFor();
  const struck = await failed
    .locator('.effects li:not(.would)')
    .first()
    .evaluate((el) => getComputedStyle(el).textDecorationLine);
  assert.is(struck, 'line-through');
  // Everything on the console is inside a landmark (axe's best-practice "region" rule, beyond the WCAG set), the
  // clock and tabs and the notices above them included.
  await injectAxe(phone);
  const outside = await phone.evaluate(async () => {
    type Axe = { run: (o: unknown) => Promise<{ violations: { nodes: { target: unknown }[] }[] }> };
    const r = await (window as unknown as { axe: Axe }).axe.run({ runOnly: ['region'] });
    return r.violations.flatMap((x) => x.nodes.map((n) => JSON.stringify(n.target)));
  });
  assert.equal(outside, [], 'content outside any landmark');
  // A pause during the reveal is no new phase: the wall stays on the reveal, and the phone keeps its way to it.
  await wc.do({ type: 'game.pause' });
  await board.locator('.phasebar .phase-paused').waitFor();
  await phone.locator('.phasebar .phase-paused').waitFor();
  assert.is(await board.locator('.tl-card').getAttribute('data-showing'), 'reveal', 'the board stays on the reveal');
  await phone.getByRole('tab', { name: /^Board/ }).click();
  await phone.getByRole('button', { name: 'See what happened and why' }).waitFor();
  await wc.do({ type: 'game.resume' });
  await board.locator('.phasebar .phase-reveal').waitFor();
});

test('presenter mode at 1280×720 during a reveal: the slide starts under the announcement, never over it', async () => {
  await wc.do({
    type: 'chat.post',
    channel: 'announcements',
    text: 'Watch the screen: the round is revealed line by line, with every effect it had on the board.',
  });
  const small = await page('presenter-720-reveal', { width: 1280, height: 720 });
  await small.goto(`${server.url}/board/${encodeURIComponent(game.codes.observer)}?present=600`);
  await small.locator('.announce', { hasText: 'Watch the screen' }).waitFor();
  await small.locator('.pr-slide').waitFor();
  await screenshot(small, 'projector-presenter-720-reveal');
  const [announce, kicker, slide] = await Promise.all(
    ['.announce', '.pr-slide .pr-kicker', '.pr-slide'].map((sel) =>
      small.locator(sel).evaluate((el) => {
        const r = el.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom };
      }),
    ),
  );
  assert.ok(
    kicker.top >= announce.bottom,
    `the slide's first line under the announcement (${kicker.top} ≥ ${announce.bottom})`,
  );
  assert.ok(slide.bottom <= 720, `the slide ends on screen (${slide.bottom})`);
  await small.context().close();
});

test('presenter mode steps to a failed line: its "did not apply" as large as the slide, the ruling said once', async () => {
  await presenter.bringToFront();
  await presenter.locator('.pr-slide').waitFor();
  const ruling = 'Nobody is reading the letters this quarter.';
  const slide = presenter.locator('.pr-slide');
  for (
    let i = 0;
    i < 20 && !(await presenter.locator('.pr-line h2', { hasText: 'back-channel letter' }).count());
    i++
  ) {
    const step = await slide.getAttribute('data-step');
    await presenter.keyboard.press('ArrowRight');
    await presenter.waitForFunction(
      (was) => document.querySelector('.pr-slide')?.getAttribute('data-step') !== was,
      step,
    );
  }
  const h2 = presenter.locator('.pr-line h2', { hasText: 'back-channel letter' });
  await h2.waitFor();
  await screenshot(presenter, 'projector-presenter-failed-line');
  const [heading, badge] = await Promise.all(
    [h2, h2.locator('.badge')].map((l) => l.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize))),
  );
  assert.ok(badge >= 24 && badge >= heading * 0.5, `"did not apply" in ${badge} px beside a ${heading} px heading`);
  const said = await presenter.locator('.pr-line').evaluate((el, r) => el.textContent!.split(r).length - 1, ruling);
  assert.is(said, 1, 'the White Cell’s reason is shown once');
  await axe(presenter, 'presenter-failed-line');
});

test('the board in the debrief: the ending large, the scores, no download on the wall', async () => {
  await wc.do({ type: 'game.end' });
  await board.bringToFront();
  const heading = board.locator('#debrief-h');
  await heading.waitFor();
  await screenshot(board, 'projector-board-debrief');
  const size = await heading.evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize));
  assert.ok(size >= 40, `the ending's heading in ${size} px`);
  assert.is(await board.locator('.debrief .score').count(), 5, 'every team’s score');
  assert.is(await board.getByRole('button', { name: /Download/ }).count(), 0, 'no download button on the projector');
  // Nobody scrolls a projector, in the debrief either: the page is the screen, the ending and the scores on top,
  // and the covert moves, meters and dice in a part below them that turns its own pages (as the board's do).
  await board.waitForFunction(() => document.documentElement.scrollHeight <= window.innerHeight);
  const fit = await board.evaluate(() => ({
    height: document.documentElement.scrollHeight,
    width: document.documentElement.scrollWidth,
  }));
  assert.equal(fit, { height: 1080, width: 1920 }, 'the debrief fits the screen');
  const top = async (sel: string) => (await board.locator(sel).boundingBox())!.y;
  assert.ok((await top('#debrief-h')) < (await top('#deb-scores-h')), 'the ending, then the scores');
  assert.ok((await top('#deb-scores-h')) < (await top('#deb-covert-h')), 'then the rest');
  const parts = await board.locator('[data-pages]').evaluateAll((els) =>
    els.map((el) => ({
      bottom: el.getBoundingClientRect().bottom,
      overflow: getComputedStyle(el).overflowY,
      tabindex: el.getAttribute('tabindex'),
      more: el.scrollHeight > el.clientHeight + 2,
    })),
  );
  assert.is(parts.length, 6, "each team's score card, and the covert moves, meters and dice");
  for (const p of parts) assert.equal([p.bottom <= 1080, p.overflow, p.tabindex], [true, 'auto', '0']);
  // Whatever does not fit is reached by the pages turning: the dice, the last part, comes into view.
  const rest = board.locator('.deb-more');
  if (parts[5].more) {
    await rest.locator('.dice').waitFor();
    await board.mouse.move(0, 0);
    await board.waitForFunction(
      () => {
        const el = document.querySelector('.deb-more')!;
        const dice = el.querySelector('.dice')!.getBoundingClientRect();
        return dice.bottom <= el.getBoundingClientRect().bottom + 1;
      },
      undefined,
      { timeout: 120_000, polling: 500 },
    );
  }
  await screenshot(board, 'projector-board-debrief-fit');
  await axe(board, 'projector-board-debrief');
  // On a 1920×1080 wall and a 1366×768 one: a meter card fits a page of its part whole (its value and its chart seen
  // together), and each team's name and score stay in sight whichever page of its objectives is on.
  for (const [width, height] of [
    [1920, 1080],
    [1366, 768],
  ]) {
    await board.setViewportSize({ width, height });
    await board.mouse.move(0, 0);
    const fits = await board.evaluate(() => {
      const more = document.querySelector<HTMLElement>('.deb-more')!;
      const cards = [...more.querySelectorAll<HTMLElement>('.meter')].map((m) => m.offsetHeight);
      const heads = [...document.querySelectorAll<HTMLElement>('.deb-scores .score')].map((card) => {
        card.scrollTo({ top: card.scrollHeight, behavior: 'instant' });
        const box = card.getBoundingClientRect();
        const r = card.querySelector('h4')!.getBoundingClientRect();
        card.scrollTo({ top: 0, behavior: 'instant' });
        return r.top >= box.top - 1 && r.bottom <= box.bottom + 1;
      });
      return { part: more.clientHeight, tallest: Math.max(...cards), heads };
    });
    await screenshot(board, `projector-board-debrief-${width}`);
    assert.ok(
      fits.tallest <= fits.part,
      `${width}×${height}: a meter card of ${fits.tallest} px in a part of ${fits.part}`,
    );
    assert.equal(fits.heads, [true, true, true, true, true], `${width}×${height}: every team's head in sight`);
  }
  await board.setViewportSize({ width: 1920, height: 1080 });
});

test('presenter mode in the debrief: the ending and the scores, then every meter in dark colours on one 1920×1080 screen, a 0 meter’s bar empty', async () => {
  const big = await page('presenter-debrief', { width: 1920, height: 1080 });
  await big.goto(`${server.url}/board/${encodeURIComponent(game.codes.observer)}?present=600`);
  // First the ending and how each team did, large.
  const ending = big.locator('.pr-ending');
  await ending.waitFor();
  await screenshot(big, 'projector-presenter-ending');
  const name = (await board.locator('#debrief-h').textContent())!.replace('Debrief:', '').trim();
  assert.is((await ending.locator('h2').textContent())?.trim(), name);
  assert.is(await ending.locator('.pr-scores li').count(), 5);
  const [title, total] = await Promise.all(
    ['h2', '.pr-score-total'].map((sel) =>
      ending
        .locator(sel)
        .first()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize)),
    ),
  );
  assert.ok(title >= 60 && total >= 60, `the ending in ${title} px, a score in ${total} px`);
  const box = await ending.evaluate((el) => el.getBoundingClientRect().bottom);
  assert.ok(box <= 1080, `the ending's slide on screen (${box})`);
  await axe(big, 'presenter-ending');
  // Then the board.
  await big.keyboard.press('ArrowRight');
  await big.locator('.pr-board .pr-kicker', { hasText: 'end' }).waitFor();
  await screenshot(big, 'projector-presenter-debrief');
  const boxes = await presenterMeters(big);
  // The debrief shows the meters that were not public too: all sixteen, in four rows of five.
  assert.is(boxes.length, scenario.meters.length);
  for (const b of boxes) {
    assert.ok(b.top >= 0 && b.bottom <= 1080 && b.right <= 1920, `${b.name} on screen: ${JSON.stringify(b)}`);
    assert.ok(b.chart >= 40 && b.chartBottom <= b.bottom, `${b.name}'s chart drawn in its card: ${JSON.stringify(b)}`);
    assert.not.ok(b.cut, `${b.name} is not cut off`);
  }
  // The bar's empty part is the dark card's, not the light theme's near-white: an empty bar reads as 0, not 100.
  const tracks = await big
    .locator('.pr-board .bar')
    .evaluateAll((els) =>
      els.map((el) => (getComputedStyle(el).backgroundColor.match(/\d+/g) ?? []).slice(0, 3).map(Number)),
    );
  for (const rgb of tracks) assert.ok(Math.max(...rgb) < 100, `a dark bar track: rgb(${rgb})`);
  await axe(big, 'presenter-debrief');
  await big.context().close();
});

test.run();
