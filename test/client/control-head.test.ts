// The White Cell's sticky head (round, phase, clock, the clock and phase controls, then the tabs) on a phone and a
// tablet: short enough to leave the screen to the tab, with the controls a facilitator needs at any moment (Pause or
// Resume, and the button that moves the phase on) always on screen and a finger's height tall. At 360×740 it stays
// within 200 px and at 768×1024 within 220 px in negotiation, submission (with its "N of 5 locked" roll call), a
// pause, adjudication and the reveal; the page never scrolls sideways; a laptop's head is not made taller.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { CreateGameResult } from '../../shared/protocol.ts';
import { ARTIFACTS, launchBrowser, seatedPage } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

interface Size {
  name: string;
  viewport: { width: number; height: number };
  touch: boolean;
  /** The tallest the head may be, in every phase. */
  max: number;
}
const SIZES: Size[] = [
  { name: '360x740', viewport: { width: 360, height: 740 }, touch: true, max: 200 },
  { name: '390x844', viewport: { width: 390, height: 844 }, touch: true, max: 200 },
  { name: '768x1024', viewport: { width: 768, height: 1024 }, touch: true, max: 220 },
  { name: '1024x768', viewport: { width: 1024, height: 768 }, touch: true, max: 220 },
  // A laptop's head was 158.5 px in every phase before the phones' were made shorter: it must not grow.
  { name: '1366x768', viewport: { width: 1366, height: 768 }, touch: false, max: 160 },
];
/** Tag for the screenshots (CONTROL_HEAD_TAG=before to keep the old client's apart). */
const TAG = process.env.CONTROL_HEAD_TAG ?? 'after';
const SHOTS = process.env.CONTROL_HEAD_SHOTS ?? `${ARTIFACTS}/control-head`;

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let wc: TestClient;
let dprk: TestClient;
/** A second team seated, which does not lock: submissions stay open with "1 of 5 locked". */
let prc: TestClient;
const problems: string[] = [];
const pages = new Map<string, Page>();
const report: Record<string, Record<string, number>> = {};
/** Checks run once every size is measured and photographed, so a failure at one size still shows the others. */
const checks: (() => void)[] = [];

test.before(async () => {
  await ensureClient();
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'flywheel-2022', { seed: 'control-head', rounds: 3 }, 'Wanda White');
  wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  dprk = await TestClient.connect(server.url, (await join(server.url, game.codes.teams.dprk, 'Kim')).token, 'dprk');
  prc = await TestClient.connect(server.url, (await join(server.url, game.codes.teams.prc, 'Li')).token, 'prc');
  await wc.do({ type: 'game.start' }); // briefing
  await wc.do({ type: 'phase.advance' }); // injects
  await wc.do({ type: 'phase.advance' }); // negotiation
  for (const size of SIZES) {
    const page = await seatedPage(
      browser,
      {
        gameId: game.gameId,
        key: 'control',
        seat: { token: game.controlToken, playerId: null, role: 'control', team: null, name: 'Wanda White' },
      },
      problems,
      { viewport: size.viewport, mobile: size.touch },
    );
    pages.set(size.name, page);
    await page.goto(`${server.url}/game/${game.gameId}/control`);
    await page.locator('.sticky-head [role="tab"]').first().waitFor();
  }
});

test.after(async () => {
  for (const p of pages.values()) await p.context().close();
  wc?.close();
  dprk?.close();
  prc?.close();
  await browser?.close();
  await server?.stop();
});

interface Box {
  name: string;
  top: number;
  bottom: number;
  left: number;
  right: number;
  height: number;
}
interface Head {
  height: number;
  top: number;
  bottom: number;
  /** The page's width beyond the viewport's (0: no sideways scrolling). */
  overflow: number;
  /** Any part of the head wider than the head or spilling past its right edge. */
  spills: string[];
  /** Pause or Resume, and the button that moves the phase on, as the page shows them (null: not on the page). */
  pause: Box | null;
  advance: Box | null;
  /** Every control the head shows (hidden ones, in a folded disclosure, are not counted). */
  controls: Box[];
  /** The head's controls as a keyboard reaches them. */
  order: string[];
  tabs: Box[];
}

/** The sticky head, measured at the top of the page and again scrolled down (it must not move). */
async function measure(page: Page): Promise<Head> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => {
    const head = document.querySelector<HTMLElement>('.sticky-head')!;
    const hb = head.getBoundingClientRect();
    const box = (el: HTMLElement): Box => {
      const b = el.getBoundingClientRect();
      return {
        name: (el.getAttribute('aria-label') ?? el.textContent ?? '').replace(/\s+/g, ' ').trim(),
        top: b.top,
        bottom: b.bottom,
        left: b.left,
        right: b.right,
        height: b.height,
      };
    };
    const visible = (el: HTMLElement) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
    const controls = [...head.querySelectorAll<HTMLElement>('button, summary, a[href]')].filter(visible);
    const named = (re: RegExp) => controls.find((b) => re.test(b.textContent!.replace(/\s+/g, ' ').trim()));
    const pause = named(/^(Pause|Resume)$/);
    const advance = [...head.querySelectorAll<HTMLElement>('.timers button.primary')].find(
      (b) => visible(b) && !/^(Resume|Start the exercise)$/.test(b.textContent!.trim()),
    );
    const spills = [...head.querySelectorAll<HTMLElement>('*')]
      .filter((el) => {
        const b = el.getBoundingClientRect();
        return b.width > 0 && (b.right > hb.right + 0.5 || b.left < hb.left - 0.5);
      })
      .map((el) => String(el.className || el.tagName));
    return {
      height: hb.height,
      top: hb.top,
      bottom: hb.bottom,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      spills,
      pause: pause ? box(pause) : null,
      advance: advance ? box(advance) : null,
      controls: controls.filter((c) => !c.closest('[role="tablist"]')).map(box),
      order: controls.filter((c) => !c.closest('[role="tablist"]')).map((c) => box(c).name),
      tabs: [...head.querySelectorAll<HTMLElement>('[role="tab"]')].map(box),
    };
  });
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${SHOTS}/control-${name}-${TAG}.png`, animations: 'disabled', caret: 'hide' });

function assertHead(h: Head, size: Size, phase: string, opts: { advance: boolean }) {
  const what = `${size.name}, ${phase}`;
  const { width, height } = size.viewport;
  assert.ok(h.height <= size.max, `${what}: the head is ${h.height} px tall (≤ ${size.max})`);
  assert.ok(h.overflow <= 0, `${what}: the page scrolls sideways by ${h.overflow} px`);
  assert.equal(h.spills, [], `${what}: nothing in the head spills past its edges`);
  const essentials: [string, Box | null][] = [['Pause or Resume', h.pause]];
  if (opts.advance) essentials.push(['the phase-advance button', h.advance]);
  for (const [name, b] of essentials) {
    assert.ok(b, `${what}: ${name} is shown`);
    assert.ok(
      b!.top >= 0 && b!.bottom <= height && b!.left >= 0 && b!.right <= width,
      `${what}: ${name} ("${b!.name}") is whole on screen (${b!.left}–${b!.right} × ${b!.top}–${b!.bottom})`,
    );
    assert.ok(b!.top >= h.top - 0.5 && b!.bottom <= h.bottom + 0.5, `${what}: ${name} is in the sticky head`);
  }
  for (const t of h.tabs) {
    assert.ok(t.left >= 0 && t.right <= width, `${what}: tab "${t.name}" is whole across (${t.left}–${t.right})`);
    if (size.touch) assert.ok(t.height >= 44 - 0.5, `${what}: tab "${t.name}" is ${t.height} px tall`);
  }
  if (size.touch)
    for (const c of h.controls)
      assert.ok(c.height >= 44 - 0.5, `${what}: "${c.name}" is ${c.height} px tall on a touch screen (≥ 44)`);
}

/** Measures and photographs every size in the current phase; the checks wait until every size is done. */
async function everySize(phase: string, ready: string, opts = { advance: true }) {
  for (const size of SIZES) {
    const page = pages.get(size.name)!;
    // (Attached, not visible: the roll call may be folded away.)
    await page.locator(ready).first().waitFor({ state: 'attached' });
    const h = await measure(page);
    report[size.name] = { ...report[size.name], [phase]: h.height };
    await shot(page, `${size.name}-${phase}`);
    // The head stays put while the tab scrolls under it (unless the window is too short for it to).
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    const stuck = await page.evaluate(() => document.querySelector('.sticky-head')!.getBoundingClientRect().top);
    checks.push(() => {
      assertHead(h, size, phase, opts);
      assert.ok(Math.abs(stuck) <= 0.5, `${size.name}, ${phase}: the head stays at the top when scrolled (${stuck})`);
    });
  }
  for (const check of checks.splice(0)) check();
}

test('negotiation', async () => {
  await everySize('negotiation', '.sticky-head .clock[role="timer"]');
});

test('submission, with the roll call of teams locked', async () => {
  await wc.do({ type: 'phase.advance' }); // submission
  await dprk.do({ type: 'draft.lock' });
  await everySize('submission', '.sticky-head .roll-call:text("1 of 5 locked")');
});

test('paused (Resume instead of Pause and the phase button)', async () => {
  await wc.do({ type: 'game.pause' });
  try {
    await everySize('paused', '.sticky-head .clock.paused', { advance: false });
  } finally {
    await wc.do({ type: 'game.resume' });
  }
});

test('adjudication', async () => {
  await wc.do({ type: 'phase.advance' }); // adjudication
  await everySize('adjudication', '.sticky-head .clock.none');
});

test('reveal', async () => {
  await wc.do({ type: 'adjudication.approve' }); // reveal
  await everySize('reveal', '.sticky-head .pb-phase.phase-reveal');
});

test('on a phone "More clock controls" opens the folded controls in the head, in order, and folds them again', async () => {
  const page = pages.get('360x740')!;
  const more = page.getByRole('button', { name: 'More clock controls' });
  assert.is(await more.getAttribute('aria-expanded'), 'false');
  assert.is(await page.getByRole('button', { name: '+1 min', includeHidden: true }).count(), 1, 'folded, on the page');
  assert.not.ok(await page.getByRole('button', { name: '+1 min' }).isVisible(), 'folded away');
  await more.click();
  // The page redraws on its next frame: wait for it, rather than read the button before it has.
  await page.locator('.more-toggle[aria-expanded="true"]').waitFor();
  for (const name of ['−5 min', '−1 min', '+1 min', '+5 min', 'End the exercise']) {
    const b = (await page.getByRole('button', { name }).boundingBox())!;
    assert.ok(b && b.height >= 43.5 && b.x >= 0 && b.x + b.width <= 360, `"${name}" is shown, whole, a finger tall`);
  }
  await page.locator('.roll-call').waitFor();
  await shot(page, '360x740-more-open');
  const open = await measure(page);
  assert.ok(open.overflow <= 0, 'open, the page does not scroll sideways');
  const at = (n: string) => open.order.indexOf(n);
  assert.ok(at('More clock controls') < at('−5 min') && at('+5 min') < at('End the exercise'), open.order.join(' | '));
  // The keyboard goes from the toggle straight to what it opened.
  await more.focus();
  await page.keyboard.press('Tab');
  assert.is(await page.evaluate(() => document.activeElement?.textContent?.trim()), '−5 min');
  await more.click();
  await page.locator('.more-toggle[aria-expanded="false"]').waitFor();
  await page.getByRole('button', { name: '+1 min', includeHidden: true }).waitFor({ state: 'hidden' });
  assert.not.ok(await page.getByRole('button', { name: '+1 min' }).isVisible(), 'folded again');
  // A laptop never shows the toggle, and shows everything.
  const laptop = pages.get('1366x768')!;
  assert.not.ok(await laptop.getByRole('button', { name: 'More clock controls' }).isVisible());
  assert.ok(await laptop.getByRole('button', { name: '+1 min' }).isVisible());
});

test('the keyboard meets the essentials first, each control named; nothing went wrong on the pages', async () => {
  for (const size of SIZES) {
    const h = await measure(pages.get(size.name)!);
    const at = (re: RegExp) => h.order.findIndex((n) => re.test(n));
    assert.ok(at(/^Next round/) >= 0, `${size.name}: the phase button is reachable`);
    assert.ok(at(/^Pause$/) >= 0, `${size.name}: Pause is reachable`);
    assert.ok(at(/^Next round/) < at(/^Pause$/), `${size.name}: the phase button comes before Pause, as on a laptop`);
    for (const n of h.order) assert.ok(n.length > 0, `${size.name}: every control has a name`);
  }
  console.log('White Cell sticky head heights (px):', JSON.stringify(report, null, 1));
  assert.equal(problems, []);
});

test.run();
