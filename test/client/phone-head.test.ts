// The sticky head (round, phase and clock, then the tabs) on a phone: short enough to leave the screen to the tab.
// On a 360×740 phone it stays within 120 px during a round and 175 px with the "Round N has been revealed" callout;
// every tab, badge and all, stands whole on screen and a finger's height tall, and the page never scrolls sideways.
// The White Cell's console, which shares the head, and a desktop window are measured too.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import type { CreateGameResult } from '../../shared/protocol.ts';
import { ARTIFACTS, launchBrowser, seatedPage } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const SMALL_PHONE = { width: 360, height: 740 };
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };
/** Tag for the screenshots (PHONE_HEAD_TAG=before to keep the old client's apart). */
const TAG = process.env.PHONE_HEAD_TAG ?? 'after';

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let wc: TestClient;
let dprk: TestClient;
const problems: string[] = [];
const pages: Page[] = [];

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'flywheel-2022', { seed: 'phone-head', rounds: 3 }, 'Wanda White');
  wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  dprk = await TestClient.connect(server.url, (await join(server.url, game.codes.teams.dprk, 'Kim')).token, 'dprk');
  await wc.do({ type: 'game.start' }); // briefing
  await wc.do({ type: 'phase.advance' }); // injects
  await wc.do({ type: 'phase.advance' }); // negotiation
  // Something for the badges to count: a deal waiting for the PRC's answer and a message it has not read.
  await dprk.do({
    type: 'deal.propose',
    to: ['prc'],
    obligations: [
      { team: 'dprk', action: 'dprk-reaffirm-moratorium', byRound: 2 },
      { team: 'prc', action: 'prc-food-fertilizer', byRound: 2 },
    ],
    secret: false,
    snapback: false,
    note: 'Food for quiet.',
  });
  await dprk.do({ type: 'chat.post', channel: 'plenary', text: 'We are ready to talk.' });
});

test.after(async () => {
  for (const p of pages) await p.context().close();
  wc?.close();
  dprk?.close();
  await browser?.close();
  await server?.stop();
});

async function teamPage(team: string, name: string, viewport: { width: number; height: number }, mobile = true) {
  const j = await join(server.url, game.codes.teams[team], name);
  const page = await seatedPage(
    browser,
    { gameId: game.gameId, key: team, seat: { ...j, role: 'team', team, name } },
    problems,
    { viewport, mobile },
  );
  pages.push(page);
  await page.goto(`${server.url}/game/${game.gameId}/${team}#brief`);
  await page.locator('.sticky-head [role="tab"]').first().waitFor();
  return page;
}

async function controlPage(viewport: { width: number; height: number }, mobile = true) {
  const page = await seatedPage(
    browser,
    {
      gameId: game.gameId,
      key: 'control',
      seat: { token: game.controlToken, playerId: null, role: 'control', team: null, name: 'Wanda White' },
    },
    problems,
    { viewport, mobile },
  );
  pages.push(page);
  await page.goto(`${server.url}/game/${game.gameId}/control`);
  await page.locator('.sticky-head [role="tab"]').first().waitFor();
  return page;
}

interface Head {
  height: number;
  /** The page's width beyond the viewport's (0: no sideways scrolling). */
  overflow: number;
  tabs: { name: string; left: number; right: number; top: number; bottom: number; height: number }[];
  /** Each badge: whether it stands whole inside its tab, and its text's size. */
  badges: { text: string; inside: boolean; fontSize: number }[];
  /** Any part of the head wider than the head or spilling past its right edge. */
  spills: string[];
  callout: { height: number; button: number; top: number; bottom: number } | null;
}

/** The sticky head, measured at the top of the page. */
async function measure(page: Page): Promise<Head> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return page.evaluate(() => {
    const head = document.querySelector<HTMLElement>('.sticky-head')!;
    const hb = head.getBoundingClientRect();
    const tabs = [...head.querySelectorAll<HTMLElement>('[role="tab"]')].map((t) => {
      const b = t.getBoundingClientRect();
      return {
        name: t.textContent!.trim(),
        left: b.left,
        right: b.right,
        top: b.top,
        bottom: b.bottom,
        height: b.height,
      };
    });
    const badges = [...head.querySelectorAll<HTMLElement>('[role="tab"] .count')].map((c) => {
      const b = c.getBoundingClientRect();
      const t = c.closest('[role="tab"]')!.getBoundingClientRect();
      return {
        text: c.textContent!.trim(),
        inside:
          b.left >= t.left - 0.5 && b.right <= t.right + 0.5 && b.top >= t.top - 0.5 && b.bottom <= t.bottom + 0.5,
        fontSize: Number.parseFloat(getComputedStyle(c).fontSize),
      };
    });
    const spills = [...head.querySelectorAll<HTMLElement>('*')]
      .filter((el) => {
        const b = el.getBoundingClientRect();
        return b.width > 0 && (b.right > hb.right + 0.5 || b.left < hb.left - 0.5);
      })
      .map((el) => el.className || el.tagName);
    const callout = document.querySelector<HTMLElement>('.reveal-callout');
    const cb = callout?.getBoundingClientRect();
    return {
      height: hb.height,
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      tabs,
      badges,
      spills,
      callout:
        callout && cb
          ? {
              height: cb.height,
              button: callout.querySelector('button')!.getBoundingClientRect().height,
              top: cb.top,
              bottom: cb.bottom,
            }
          : null,
    };
  });
}

/** What the phone shows, not the whole page: the head is what is measured. */
const shot = (page: Page, name: string) =>
  page.screenshot({ path: `${ARTIFACTS}/phone-head-${name}-${TAG}.png`, animations: 'disabled', caret: 'hide' });

function assertFits(h: Head, viewport: { width: number; height: number }, what: string) {
  assert.ok(h.overflow <= 0, `${what}: the page scrolls sideways by ${h.overflow} px`);
  assert.equal(h.spills, [], `${what}: nothing in the head spills past its edges`);
  assert.ok(h.tabs.length >= 6, `${what}: ${h.tabs.length} tabs`);
  for (const t of h.tabs) {
    assert.ok(
      t.left >= 0 && t.right <= viewport.width,
      `${what}: tab "${t.name}" is whole across (${t.left}–${t.right})`,
    );
    assert.ok(t.top >= 0 && t.bottom <= viewport.height, `${what}: tab "${t.name}" is whole down`);
    assert.ok(t.height >= 44, `${what}: tab "${t.name}" is ${t.height} px tall`);
  }
  for (const b of h.badges) {
    assert.ok(b.inside, `${what}: the badge "${b.text}" stands inside its tab`);
    assert.ok(b.fontSize >= 12, `${what}: the badge "${b.text}" is ${b.fontSize} px`);
  }
}

const report: Record<string, number> = {};
/** The phones' pages, open from the round on: the reveal is news to them. */
const phones = new Map<string, Page>();
/** Checks run once every size is measured and photographed, so a failure at one size still shows the others. */
const measured: (() => void)[] = [];

test('during negotiation the head is short on a phone, every tab whole and a finger tall', async () => {
  for (const [size, viewport] of [
    ['360', SMALL_PHONE],
    ['390', PHONE],
  ] as const) {
    const page = await teamPage('prc', `Li ${size}`, viewport);
    phones.set(size, page);
    await page.locator('.sticky-head .count').nth(1).waitFor();
    await page.locator('.sticky-head .clock[role="timer"]').waitFor();
    const h = await measure(page);
    report[`team ${size} negotiation`] = h.height;
    await shot(page, `team-${size}-negotiation`);
    measured.push(() => {
      assertFits(h, viewport, `${size} px, negotiation`);
      assert.equal(
        h.badges.map((b) => b.text),
        ['1', '1'],
        'the deal waiting and the message unread are counted',
      );
      if (viewport === SMALL_PHONE) assert.ok(h.height <= 120, `the head is ${h.height} px tall at 360×740 (≤ 120)`);
    });
  }
  for (const check of measured.splice(0)) check();
});

test('with a badge on every tab that can have one, and paused, the head still fits', async () => {
  await wc.do({ type: 'phase.advance' }); // submission: the moves are not locked
  const page = phones.get('360')!;
  await page.locator('#tab-moves .count').waitFor();
  const h = await measure(page);
  report['team 360 submission'] = h.height;
  await shot(page, 'team-360-submission');
  assertFits(h, SMALL_PHONE, '360 px, submission');
  assert.is(h.badges.length, 3, 'moves, deals and channels are marked');
  assert.ok(h.height <= 120, `the head is ${h.height} px tall at 360×740 in submission (≤ 120)`);
  // Paused, the phase says where from and the clock what is left: the line wraps beside the clock if it must.
  await wc.do({ type: 'game.pause' });
  await page.locator('.sticky-head .clock.paused').waitFor();
  const p = await measure(page);
  report['team 360 paused'] = p.height;
  await shot(page, 'team-360-paused');
  assertFits(p, SMALL_PHONE, '360 px, paused');
  await wc.do({ type: 'game.resume' });
  await page.locator('.sticky-head .clock[role="timer"]').waitFor();
});

test('at the reveal the callout is compact, still in sight, its button a finger tall', async () => {
  await wc.do({ type: 'phase.advance' }); // adjudication: no clock, "No clock: the White Cell moves on" instead
  const untimed = phones.get('360')!;
  await untimed.locator('.sticky-head .clock.none').waitFor();
  const u = await measure(untimed);
  report['team 360 adjudication'] = u.height;
  await shot(untimed, 'team-360-adjudication');
  assertFits(u, SMALL_PHONE, '360 px, adjudication');
  await wc.do({ type: 'adjudication.approve' }); // reveal
  for (const [size, viewport] of [
    ['360', SMALL_PHONE],
    ['390', PHONE],
  ] as const) {
    const page = phones.get(size)!;
    await page.locator('.sticky-head .reveal-callout').waitFor();
    const h = await measure(page);
    report[`team ${size} reveal`] = h.height;
    await shot(page, `team-${size}-reveal`);
    measured.push(() => {
      assertFits(h, viewport, `${size} px, reveal`);
      assert.ok(h.callout, 'the callout is on the page');
      assert.ok(h.callout!.top >= 0 && h.callout!.bottom <= viewport.height, 'the callout is on screen');
      assert.ok(h.callout!.button >= 44, `its button is ${h.callout!.button} px tall`);
      if (viewport === SMALL_PHONE) assert.ok(h.height <= 175, `the head is ${h.height} px tall at 360×740 (≤ 175)`);
    });
  }
  for (const check of measured.splice(0)) check();
});

test('the White Cell console and a desktop window are measured', async () => {
  const control = await controlPage(SMALL_PHONE);
  const c = await measure(control);
  report['control 360 reveal'] = c.height;
  await shot(control, 'control-360-reveal');
  assert.ok(c.overflow <= 0, `the White Cell's page scrolls sideways by ${c.overflow} px`);
  const desk = await teamPage('prc', 'Li Desk', DESKTOP, false);
  const d = await measure(desk);
  report['team 1366 reveal'] = d.height;
  await shot(desk, 'team-1366-reveal');
  assertFits(d, DESKTOP, 'desktop');
  const deskControl = await controlPage(DESKTOP, false);
  report['control 1366 reveal'] = (await measure(deskControl)).height;
  await shot(deskControl, 'control-1366-reveal');
  console.log('sticky head heights (px):', JSON.stringify(report));
  assert.equal(problems, []);
});

test.run();
