// Headless Chromium for browser tests: Debian's build (apt-get install -y chromium), driven by playwright-core.
// Never `npx playwright install`: it downloads a browser, which these machines cannot do.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/**
 * A fresh browser: launch() gives every run a new temporary profile (a fresh user-data dir), deleted on close;
 * each newContext() within it is as separate as another browser (its own storage and cookies).
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get update && apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

/** Saves a full-page screenshot to test-artifacts/<name>.png (gitignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  return path;
}

/** Keeps a page's console errors and crashes, to print when a test fails. */
export function watchConsole(page: Page, label: string, sink: string[]) {
  page.on('console', (m) => {
    if (m.type() === 'error') sink.push(`[${label}] console: ${m.text()}`);
  });
  page.on('pageerror', (e) => sink.push(`[${label}] page error: ${e.message}`));
}

export function writeArtifact(name: string, text: string) {
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, name), text);
}

/**
 * A page in a context of its own that holds one seat, as the join page would have left it in localStorage: the
 * console opens on it without joining. `problems` collects what the page logs as errors.
 */
export async function seatedPage(
  browser: Browser,
  at: { gameId: string; key: string; seat: Record<string, unknown> },
  problems: string[],
  opts: { viewport?: { width: number; height: number }; mobile?: boolean; timeout?: number } = {},
): Promise<Page> {
  const { viewport = { width: 1280, height: 900 }, mobile = false, timeout = 30_000 } = opts;
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce', isMobile: mobile, hasTouch: mobile });
  context.setDefaultTimeout(timeout);
  // tsx's keepNames wraps functions the page evaluates in __name, which the page does not have.
  await context.addInitScript('globalThis.__name = (f) => f;');
  await context.addInitScript(([k, s]) => localStorage.setItem('flywheel.seats.v1', JSON.stringify({ [k]: s })), [
    `${at.gameId}/${at.key}`,
    { ...at.seat, gameId: at.gameId },
  ] as const);
  const page = await context.newPage();
  watchConsole(page, at.key, problems);
  return page;
}

/** The White Cell console's page for a game, on the creator's seat, as the start page would have left it. */
export const whiteCellPage = (
  browser: Browser,
  game: { gameId: string; controlToken: string },
  name: string,
  problems: string[],
  viewport: { width: number; height: number },
) =>
  seatedPage(
    browser,
    {
      gameId: game.gameId,
      key: 'control',
      seat: { token: game.controlToken, playerId: null, role: 'control', team: null, name },
    },
    problems,
    { viewport },
  );
