// The printable after-action report: rendered by Chromium and printed to an A4 PDF, which holds every section of
// the report, begins each round and the hot wash on a page of its own, and holds nothing the audience may not see.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import { buildExport, reportHtml, reportMarkdown } from '../../server/record/export.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { leakedMarkers } from '../helpers/leaks.ts';
import { scriptedGame } from '../helpers/scripted-record.ts';

let browser: Browser;
test.before(async () => {
  browser = await launchBrowser();
});
test.after(async () => {
  await browser?.close();
});

async function printed(html: string, format: 'A4' | 'Letter'): Promise<string[]> {
  const page = await browser.newPage();
  await page.setContent(html, { waitUntil: 'load' });
  const pdf = await page.pdf({ format, printBackground: true });
  await page.close();
  const dir = mkdtempSync(join(tmpdir(), 'flywheel-report-'));
  writeFileSync(join(dir, 'report.pdf'), pdf);
  assert.ok(pdf.subarray(0, 5).toString() === '%PDF-', 'a PDF');
  const text = execFileSync('pdftotext', ['-layout', join(dir, 'report.pdf'), '-'], { encoding: 'utf8' });
  return text.split('\f').filter((p) => p.trim());
}

test('the White Cell’s report prints to A4 and Letter with its sections, a page for each round', async () => {
  const g = scriptedGame();
  const x = buildExport(g.log, { kind: 'control' });
  for (const format of ['A4', 'Letter'] as const) {
    const pages = await printed(reportHtml(x), format);
    const all = pages.join('\n');
    for (const section of [
      'After-action report',
      'Roster',
      'Objectives and scores',
      'Meters',
      'Round 1',
      'Round 2',
      'Deals',
      'Covert moves',
      'Timings',
      'Time to lock',
      'Hot wash: after-action review and improvement plan',
      'Strengths',
      'Areas for improvement',
      'Improvement plan: corrective actions',
      'Rapporteur notes',
    ])
      assert.ok(all.includes(section), `${format}: the PDF holds "${section}"`);
    const pageOf = (s: string) => pages.findIndex((p) => p.includes(s));
    assert.ok(pages.length >= 4, `${format}: ${pages.length} pages`);
    assert.ok(pageOf('Round 1') < pageOf('Round 2'), 'round 2 begins a later page than round 1');
    assert.ok(pages[pageOf('Round 2')].trimStart().startsWith('Round 2'), `${format}: round 2 begins its page`);
    assert.ok(pages[pageOf('Hot wash')].trimStart().startsWith('Hot wash'), `${format}: so does the hot wash`);
    assert.ok(all.includes('Lead facilitator') && all.includes('2027-01-15'), 'a corrective action has owner and date');
    assert.ok(all.includes('Estimates of success'), 'free-form estimates are told');
  }
});

test('each team’s printed report holds its own record and no one else’s secrets', async () => {
  const g = scriptedGame();
  for (const team of ['us', 'dprk']) {
    const x = buildExport(g.log, { kind: 'team', team });
    const text = (await printed(reportHtml(x), 'A4')).join('\n');
    assert.equal(leakedMarkers(g.state, team, text), [], team);
    assert.ok(text.includes('Hot wash'), 'the hot wash is shared once the exercise is over');
    assert.not.ok(text.includes("Observer's own note"), 'private notes stay private');
  }
});

test('no doubled full stops and no doubled rationales in the Markdown', () => {
  const g = scriptedGame();
  const md = reportMarkdown(buildExport(g.log, { kind: 'control' }));
  assert.not.ok(/[^.]\.\.(?!\.)/.test(md), 'a doubled full stop');
  assert.not.ok(md.includes('Plausible and cheap. Amended by'), 'the ruling is not repeated as an amendment');
  assert.ok(md.includes('Plausible and cheap. '), 'the ruling is told once');
  assert.ok(md.includes('Ruled by Walter Vexley.'));
  assert.ok(md.includes('## Hot wash: after-action review and improvement plan'));
});

test.run();
