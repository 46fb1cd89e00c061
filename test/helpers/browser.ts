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
