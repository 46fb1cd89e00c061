// axe-core in a page served under the app's Content-Security-Policy. A <script> tag added by the test would be an
// inline script, which the CSP rightly blocks; evaluating the library through the DevTools protocol runs it beside
// the page's own scripts without loosening the policy the test is meant to check.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import * as assert from 'uvu/assert';
import { writeArtifact } from './browser.ts';

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

/** The WCAG 2.2 A and AA rules, the bar the consoles are held to. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/**
 * Fails the test with each violation's rule and elements (and writes them out as an artifact) if axe finds any.
 * `tags` null runs every rule axe has; `include` limits the check to parts of the page (CSS selectors).
 */
export async function expectNoViolations(
  page: Page,
  what: string,
  tags: string[] | null = AXE_TAGS,
  include?: string[],
): Promise<void> {
  await injectAxe(page);
  const violations = await page.evaluate(
    async ({ tags, include }) => {
      type Axe = { run: (ctx: unknown, opts: object) => Promise<{ violations: unknown[] }> };
      const r = await (window as unknown as { axe: Axe }).axe.run(
        include ? { include: include.map((x) => [x]) } : document,
        { ...(tags ? { runOnly: { type: 'tag', values: tags } } : {}), resultTypes: ['violations'] },
      );
      return r.violations as { id: string; nodes: { target: unknown }[] }[];
    },
    { tags, include },
  );
  if (violations.length) writeArtifact(`axe-${what}.json`, JSON.stringify(violations, null, 2));
  assert.equal(
    violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.map((n) => n.target))}`),
    [],
    `${what}: accessibility violations`,
  );
}
