// axe-core in a page served under the app's Content-Security-Policy. A <script> tag added by the test would be an
// inline script, which the CSP rightly blocks; evaluating the library through the DevTools protocol runs it beside
// the page's own scripts without loosening the policy the test is meant to check.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Makes `window.axe` available in the page (once per document). */
export async function injectAxe(page: Page): Promise<void> {
  if (await page.evaluate(() => 'axe' in window)) return;
  const cdp = await page.context().newCDPSession(page);
  try {
    const res = await cdp.send('Runtime.evaluate', { expression: AXE });
    if (res.exceptionDetails) throw new Error(`axe-core did not load: ${res.exceptionDetails.text}`);
  } finally {
    await cdp.detach();
  }
}
