// The browser re-sends a command left unanswered by a dropped link, with the same id, once it is back:
// - the answer was lost (the command was stored): the re-send is answered with the first answer, not applied again;
// - the command itself was lost (it never reached the server): the re-send applies it, once;
// - the link went silent (frames vanish, the socket still looks open): the page says the action is not confirmed yet
//   until the link is found dead and the re-send is answered.
// Playwright's WebSocket routing stands between the page and the server, so which frame is lost is chosen exactly,
// not left to the timing of a crash (test/server/main-stop.test.ts crashes the real server under load).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { launchBrowser, screenshot, watchConsole, writeArtifact } from '../helpers/browser.ts';
import { TestClient } from '../helpers/client.ts';
import { createGame, join } from '../helpers/http.ts';
import { storedChat } from '../helpers/scale.ts';
import { ensureClient, startServer, type RunningServer } from './_server.ts';

const WAIT = 30_000;
let server: RunningServer;
let browser: Browser;
let control: TestClient;
let gameId: string;
let usCode: string;
const problems: string[] = [];

test.before(async () => {
  await ensureClient();
  server = await startServer();
  browser = await launchBrowser();
  const game = await createGame(server.url, 'tutorial', {
    phases: { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 },
  });
  gameId = game.gameId;
  usCode = game.codes.teams.us;
  control = await TestClient.connect(server.url, game.controlToken, 'control');
  await control.do({ type: 'game.start' });
  while (control.view!.game.phase !== 'negotiation') await control.do({ type: 'phase.advance' });
});

test.after(async () => {
  if (problems.length) writeArtifact('browser-resend-console.txt', problems.join('\n'));
  control?.close();
  await browser?.close();
  await server?.stop();
});

/** Socket.IO's frames: `42<ack id>[event, payload]` from the page, `43<ack id>[answer]` back. */
const EMIT = /^42(\d+)\["command",(.*)\]$/s;
const ANSWER = /^43(\d+)\[(.*)\]$/s;

interface Sent {
  payload: Record<string, unknown>;
  /** The server's answer to this frame, once it has come (a lost answer never does). */
  answer?: { ok: boolean };
}

type Loss = 'answer' | 'command' | 'silence';

interface Link {
  /** Every command frame the page sent, in order, with its answer. */
  sent: Sent[];
  /**
   * The next command whose text contains this is lost as chosen, and the page's socket is closed; after a `silence`
   * the link swallows every frame both ways, and stays open until `drop` (as a heartbeat finds a dead link).
   */
  lose(text: string, what: Loss): Promise<void>;
  drop(): void;
}

/** Routes the page's Socket.IO WebSockets through the test, which can lose one frame and drop the link. */
async function routeLink(page: Page): Promise<Link> {
  const sent: Sent[] = [];
  let plan: { text: string; what: Loss; done: () => void } | null = null;
  let dropSilent = () => {};
  await page.routeWebSocket(/\/socket\.io\//, (ws: WebSocketRoute) => {
    const toServer = ws.connectToServer();
    const awaiting = new Map<string, Sent>();
    let lostAck: string | null = null;
    let silent = false;
    const drop = () => {
      plan?.done();
      plan = null;
      void ws.close(); // the page sees its link drop, as when a network goes away
    };
    ws.onMessage((frame) => {
      if (silent) return;
      const m = typeof frame === 'string' ? EMIT.exec(frame) : null;
      if (m) {
        const entry: Sent = { payload: JSON.parse(m[2]) as Record<string, unknown> };
        sent.push(entry);
        awaiting.set(m[1], entry);
        if (plan && JSON.stringify(entry.payload).includes(plan.text)) {
          if (plan.what === 'command') return drop();
          if (plan.what === 'silence') {
            silent = true;
            dropSilent = () => void ws.close();
            plan.done();
            plan = null;
            return;
          }
          lostAck = m[1];
        }
      }
      toServer.send(frame);
    });
    toServer.onMessage((frame) => {
      if (silent) return;
      const m = typeof frame === 'string' ? ANSWER.exec(frame) : null;
      if (m && m[1] === lostAck) {
        lostAck = null;
        return drop();
      }
      if (m) {
        const entry = awaiting.get(m[1]);
        if (entry) entry.answer = JSON.parse(m[2]) as { ok: boolean };
      }
      ws.send(frame);
    });
  });
  return {
    sent,
    lose: (text, what) =>
      new Promise<void>((done) => {
        plan = { text, what, done };
      }),
    drop: () => dropSilent(),
  };
}

/** Polls until `ready` holds (bounded: a hang fails the test rather than the run). */
async function until(ready: () => boolean, what: string): Promise<void> {
  for (const stop = Date.now() + WAIT; !ready(); await new Promise((r) => setTimeout(r, 20)))
    if (Date.now() > stop) throw new Error(`timed out waiting for ${what}`);
}

async function openUsPage(name: string): Promise<{ page: Page; link: Link }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  watchConsole(page, name, problems);
  const link = await routeLink(page);
  await page.goto(`${server.url}/join/${encodeURIComponent(usCode)}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.locator('header.top .who strong', { hasText: 'United States' }).waitFor({ timeout: WAIT });
  await page.getByRole('tab', { name: /^Channels/ }).click();
  await page.getByRole('button', { name: /^Plenary/ }).click();
  return { page, link };
}

async function send(page: Page, text: string) {
  await page.getByLabel(/Message to Plenary/).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
}

/**
 * Opens a seat's page, loses `what` of the chat command carrying `text` with the link, and waits for the re-send's
 * answer: returns the page and the two frames that carried the command.
 */
async function sendAcrossLoss(name: string, text: string, what: 'answer' | 'command') {
  const { page, link } = await openUsPage(name);
  const lost = link.lose(text, what);
  await send(page, text);
  await lost;
  const mine = () => link.sent.filter((s) => JSON.stringify(s.payload).includes(text));
  await until(() => mine().some((s) => s.answer), 'the answer to the re-send');
  return { page, sent: mine() };
}

/** The line reached the White Cell, and was stored and shown once. */
async function appliedOnce(page: Page, text: string) {
  await control.waitFor((v) => v.messages.some((m) => m.text === text), 'the White Cell sees the line');
  assert.is((await storedChat(server.dataDir, gameId)).get(text), 1, 'stored once');
  await page.locator('.msg-text', { hasText: text }).first().waitFor({ timeout: WAIT });
  assert.is(await page.locator('.msg-text', { hasText: text }).count(), 1, 'shown once');
}

test('an answer lost with the link: the command is sent again with its id and is not applied twice', async () => {
  const text = 'Lost answer: small wins for small wins';
  const { page, sent } = await sendAcrossLoss('Alice', text, 'answer');
  const [first, again] = sent;
  assert.is(sent.length, 2, 'sent once, then once again after the reconnection');
  assert.ok(typeof first.payload.id === 'string' && first.payload.id.length >= 8, 'the command carries an id');
  assert.is(again.payload.id, first.payload.id, 'the re-send carries the same id');
  assert.is(first.answer, undefined, 'the first answer was lost');
  assert.is(again.answer?.ok, true, JSON.stringify(again.answer));
  // The server answered the re-send from its receipt.
  await appliedOnce(page, text);
  await screenshot(page, 'resend-lost-answer');
  await page.context().close();
});

test('a command lost with the link: the re-send applies it, once', async () => {
  const text = 'Lost command: relief for a verified freeze';
  const { page, sent } = await sendAcrossLoss('Bob', text, 'command');
  const [first, again] = sent;
  assert.is(sent.length, 2, 'the lost frame, then the re-send');
  assert.is(again.payload.id, first.payload.id, 'the re-send carries the same id');
  assert.is(again.answer?.ok, true, JSON.stringify(again.answer));
  await appliedOnce(page, text);
  await page.context().close();
});

test('a silent link: the page says the message is not confirmed, then sends it again once, when the link is back', async () => {
  const text = 'Silent link: a freeze for a waiver';
  const { page, link } = await openUsPage('Carol');
  const silenced = link.lose(text, 'silence');
  await send(page, text);
  await silenced;
  // The socket still looks connected: the button and the banner say the action is on its way, not nothing.
  await page.getByRole('button', { name: 'Sending…' }).waitFor({ timeout: WAIT });
  const banner = page.locator('.banner.waiting');
  await banner.waitFor({ timeout: WAIT });
  assert.match(await banner.innerText(), /Sending… The server has not confirmed your last action yet/);
  await screenshot(page, 'resend-silent-link');
  // The heartbeat would find the link dead; here the test closes it.
  link.drop();
  await appliedOnce(page, text);
  await banner.waitFor({ state: 'detached', timeout: WAIT });
  await page.getByRole('button', { name: 'Send', exact: true }).waitFor({ timeout: WAIT });
  const mine = link.sent.filter((s) => JSON.stringify(s.payload).includes(text));
  assert.is(mine.length, 2, 'the silenced frame, then the re-send');
  assert.is(mine[1].payload.id, mine[0].payload.id, 'the re-send carries the same id');
  await page.context().close();
});

/**
 * A US seat's Moves tab, in a browser context of its own (unrouted, so it can go offline). Offline, the browser logs
 * its failed connection attempts: only the page's own errors count here.
 */
async function openMoves(name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`[${name}] page error: ${e.message}`));
  await page.goto(`${server.url}/join/${encodeURIComponent(usCode)}`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.locator('header.top .who strong', { hasText: 'United States' }).waitFor({ timeout: WAIT });
  await page.getByRole('tab', { name: /^Moves/ }).click();
  return { context, page };
}

test('offline, a draft edit waits ("Saving…") and goes once the link is back; a chat line is refused at once', async () => {
  const { context, page } = await openMoves('Dora');
  const add = page.getByRole('button', { name: /^Add to our moves: / }).first();
  const action = (await add.getAttribute('aria-label'))!.replace('Add to our moves: ', '');
  const drafted = () => control.view!.drafts?.us?.overt ?? [];
  const before = drafted().length;

  await context.setOffline(true);
  await page.locator('.banner.offline').waitFor({ timeout: WAIT });
  await add.click();
  // The draft shows the edit, marked as not yet saved, and nothing has reached the server.
  await page.locator('aside.draft', { hasText: action }).waitFor({ timeout: WAIT });
  await page.locator('aside.draft', { hasText: 'Saving…' }).waitFor({ timeout: WAIT });
  assert.is(drafted().length, before, 'not sent while offline');
  await screenshot(page, 'resend-offline-draft');
  // A chat line is an act to see land: offline it is refused at once, and stays in the box.
  await page.getByRole('tab', { name: /^Channels/ }).click();
  await page.getByRole('button', { name: /^Plenary/ }).click();
  await send(page, 'Offline: not sent');
  await page.locator('.toasts', { hasText: 'Not connected' }).waitFor({ timeout: WAIT });
  assert.is(await page.getByLabel(/Message to Plenary/).inputValue(), 'Offline: not sent');

  await context.setOffline(false);
  await control.waitFor((v) => (v.drafts?.us?.overt.length ?? 0) === before + 1, 'the draft edit reaches the server');
  await page.getByRole('tab', { name: /^Moves/ }).click();
  await page.locator('aside.draft', { hasText: 'Last change by Dora' }).waitFor({ timeout: WAIT });
  await context.close();
});

test("an edit queued offline does not undo a teammate's change made meanwhile: it is refused, and the page says so", async () => {
  const { context, page } = await openMoves('Eve');
  const teammate = await TestClient.connect(server.url, (await join(server.url, usCode, 'Finn')).token, 'Finn');
  await context.setOffline(true);
  await page.locator('.banner.offline').waitFor({ timeout: WAIT });
  await page
    .getByRole('button', { name: /^Add to our moves: / })
    .first()
    .click();
  await page.locator('aside.draft', { hasText: 'Saving…' }).waitFor({ timeout: WAIT });
  // Meanwhile Finn empties the team's draft.
  await teammate.do({ type: 'draft.set', overt: [], covert: [], freeform: null });
  await context.setOffline(false);
  await page.locator('.toasts', { hasText: 'A teammate changed the draft meanwhile' }).waitFor({ timeout: WAIT });
  await page.locator('aside.draft', { hasText: 'Last change by Finn' }).waitFor({ timeout: WAIT });
  assert.equal(control.view!.drafts?.us?.overt, [], "Finn's change stands");
  teammate.close();
  await context.close();
});

test('no page logged an error', () => {
  assert.equal(problems, []);
});

test.run();
