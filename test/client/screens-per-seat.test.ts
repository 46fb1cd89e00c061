// A seat holds only a few open sockets (SOCKETS_PER_SEAT, here 2). Every board on the observers' code joins as
// "Projector", so a wall of screens filled that seat and the next screen hung on "Connecting…" under a banner about
// storage and a team's draft. Now each further board takes a seat of its own ("Projector 2", …), and a player's
// tab beyond the limit is told what is wrong: too many tabs on the seat, not a server fault.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page } from 'playwright-core';
import type { CreateGameResult } from '../../shared/protocol.ts';
import { launchBrowser, screenshot, seatedPage, watchConsole } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let wc: TestClient;
const problems: string[] = [];

test.before(async () => {
  await ensureClient();
  server = await startServer({ SOCKETS_PER_SEAT: '2', LOG_LEVEL: 'warn' });
  browser = await launchBrowser();
  game = await createGame(server.url, 'tutorial', { seed: 'screens' }, 'Wanda White');
  wc = await TestClient.connect(server.url, game.controlToken, 'wc');
  await wc.do({ type: 'game.start' });
});

test.after(async () => {
  wc?.close();
  await browser?.close();
  await server?.stop();
});

test('a wall of five boards on one code: every screen shows the board, each further pair on a seat of its own', async () => {
  const boards: Page[] = [];
  for (let i = 0; i < 5; i++) {
    // A context each: five machines, none holding another's stored seat.
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const p = await context.newPage();
    watchConsole(p, `board ${i + 1}`, problems);
    await p.goto(`${server.url}/board/${encodeURIComponent(game.codes.observer)}`);
    await p.locator('.board.big .pb-phase').waitFor();
    boards.push(p);
  }
  for (const p of boards) assert.is(await p.getByText('too many tabs').count(), 0);
  await screenshot(boards[4], 'board-fifth-screen');
  // A board that moved to a seat of its own left nothing behind trying the full seat again (its closed
  // connection's retries would be refused anew every few seconds, and take the first place that frees).
  const refusals = () => (server.log().match(/TOO_MANY_SOCKETS/g) ?? []).length;
  const settled = refusals();
  await new Promise((r) => setTimeout(r, 5000));
  assert.is(refusals(), settled, 'no socket left retrying the full seat');
  const names = (wc.view?.control?.players ?? []).filter((x) => x.role === 'observer').map((x) => x.name);
  assert.equal(names.sort(), ['Projector', 'Projector 2', 'Projector 3'], 'two screens a seat');
  for (const p of boards) await p.context().close();
});

test("a player's tab beyond the seat's limit says so, and connects once another tab closes", async () => {
  const j = await join(server.url, game.codes.teams.us, 'Ana Us');
  const at = { gameId: game.gameId, key: 'us', seat: { ...j, role: 'team', team: 'us', name: 'Ana Us' } };
  const tabs: Page[] = [];
  for (let i = 0; i < 3; i++) {
    const p = await seatedPage(browser, at, problems, { viewport: { width: 1366, height: 768 } });
    await p.goto(`${server.url}/game/${game.gameId}/us`);
    tabs.push(p);
    if (i < 2) await p.locator('.pb-phase').waitFor();
  }
  const banner = tabs[2].getByRole('alert').filter({ hasText: 'This seat has too many tabs or screens open' });
  await banner.waitFor();
  await tabs[2].getByRole('heading', { name: 'Waiting for a free place on this seat' }).waitFor();
  await screenshot(tabs[2], 'tab-beyond-seat-limit');
  assert.not.match((await banner.textContent()) ?? '', /draft/, 'nothing about storage or a draft');
  await tabs[0].context().close();
  await tabs[2].locator('.pb-phase').waitFor({ timeout: 60_000 });
  assert.is(await banner.count(), 0);
  for (const p of tabs.slice(1)) await p.context().close();
  assert.equal(
    problems.filter((x) => !/TOO_MANY_SOCKETS|WebSocket/.test(x)),
    [],
  );
});

test.run();
