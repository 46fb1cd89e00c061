// The White Cell fixes a wrong name and a wrong seat from its Seats tab, in the browser: the player's own page,
// with the same link, follows to the new name and then to the new team's console, and closes when removed. Every screen passes axe-core.
import { expectNoViolations as axe } from '../helpers/axe.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser } from 'playwright-core';
import type { CreateGameResult, JoinResult } from '../../shared/protocol.ts';
import { launchBrowser, screenshot, seatedPage, writeArtifact } from '../helpers/browser.ts';
import { createGame, join } from '../helpers/http.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const WAIT = 30_000;

let server: RunningServer;
let browser: Browser;
let game: CreateGameResult;
let ann: JoinResult;
const problems: string[] = [];

/** A page holding one seat, as the join page would have left it in localStorage. */
const seatPage = (key: string, seat: Record<string, unknown>) =>
  seatedPage(browser, { gameId: game.gameId, key, seat }, problems, { timeout: WAIT });

// The WCAG 2.2 A and AA rules, as the main browser test checks every screen.

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  game = await createGame(server.url, 'tutorial', { seed: 'browser-seats' }, 'Wanda Facilitator');
  ann = await join(server.url, game.codes.teams.us, 'Ann Typo');
  await join(server.url, game.codes.teams.us, 'Bob Steady');
});

test.after(async () => {
  if (problems.length) writeArtifact('browser-seat-changes-console.txt', problems.join('\n'));
  await browser?.close();
  await server?.stop();
});

test('the White Cell renames a player, moves them to another team, then removes them; their page follows', async () => {
  const control = await seatPage('control', {
    token: game.controlToken,
    playerId: null,
    role: 'control',
    team: null,
    name: 'Wanda Facilitator',
  });
  const player = await seatPage('us', {
    token: ann.token,
    playerId: ann.playerId,
    role: 'team',
    team: 'us',
    name: 'Ann Typo',
  });
  await player.goto(`${server.url}/game/${game.gameId}/us`);
  const who = player.locator('header .who');
  await who.getByText('United States').waitFor();
  await who.getByText('Ann Typo').waitFor();

  await control.goto(`${server.url}/game/${game.gameId}/control#seats`);
  await control.getByRole('heading', { name: 'Who is here' }).waitFor();
  // Rename: typed in place, saved, and shown everywhere.
  await control.getByRole('button', { name: 'Rename Ann Typo' }).click();
  const name = control.getByLabel('New name for Ann Typo');
  await name.fill('Ann Tipo');
  await axe(control, 'seats-rename-open');
  await control.getByRole('button', { name: 'Save name' }).click();
  await control.locator('tr', { hasText: 'Ann Tipo' }).waitFor();
  await control.getByText('Ann Typo is now Ann Tipo.').first().waitFor();
  await who.getByText('Ann Tipo').waitFor();

  // A name another player of the seat has is refused, and the form stays open to fix it.
  await control.getByRole('button', { name: 'Rename Ann Tipo' }).click();
  await control.getByLabel('New name for Ann Tipo').fill('bob steady');
  await control.getByRole('button', { name: 'Save name' }).click();
  await control.getByText('Another player of this seat already has that name').first().waitFor();
  await control.getByRole('button', { name: 'Cancel' }).click();

  // Move: a seat is picked, then confirmed.
  await control.getByRole('button', { name: 'Move to… (Ann Tipo)' }).click();
  const confirm = control.getByRole('button', { name: 'Yes, move' });
  assert.ok(await confirm.isDisabled(), 'nothing moves before a seat is picked');
  await control.getByLabel('Move Ann Tipo to').selectOption('prc');
  await axe(control, 'seats-move-open');
  await confirm.click();
  await control.locator('tr', { hasText: 'Ann Tipo' }).getByText('China (PRC)').waitFor();
  await control.getByText('Ann Tipo has been moved.').first().waitFor();
  await screenshot(control, 'seat-changes-control');

  // The player's page, with the same link and token, is now China's console.
  await who.getByText('China (PRC)').waitFor();
  await who.getByText('Ann Tipo').waitFor();
  assert.not.ok((await player.content()).includes('United States (team)'), "no trace of the old team's channel");
  await axe(player, 'seats-moved-player');
  await screenshot(player, 'seat-changes-player');

  // Removed, the player's page drops the console for a "Seat closed" page: nothing stale stays on screen.
  await control.getByRole('button', { name: 'Remove Ann Tipo' }).click();
  await control.getByRole('button', { name: 'Yes, remove' }).click();
  await player.getByRole('heading', { name: 'Seat closed' }).waitFor({ timeout: WAIT });
  assert.is(await player.locator('.pb-phase').count(), 0, 'no stale console under the notice');
  await player.getByRole('link', { name: 'Join again with your code' }).waitFor();
  await axe(player, 'seats-removed-player');
  await control.context().close();
  await player.context().close();
  // The browser logs the refused rename's 409 itself; nothing else may show up.
  assert.equal(
    problems.filter((p) => !p.includes('status of 409')),
    [],
    'no console errors',
  );
});

test.run();
