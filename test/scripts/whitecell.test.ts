// npm run game:whitecell: run beside a live server on its data directory, it prints a short recovery code that
// seats one new White Cell member, once, for 24 hours, and changes no existing code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CreateGameResult, JoinCodes, JoinResult, RotateCodesResult } from '../../shared/protocol.ts';
import { FileStore } from '../../server/store/file-store.ts';
import { call } from '../helpers/http.ts';
import { startLobbyApp, type LobbyApp } from '../helpers/lobby-app.ts';

const root = new URL('../..', import.meta.url).pathname;
const PUBLIC_URL = 'https://tabletop.example.org';
const HOUR = 60 * 60 * 1000;

async function whitecell(dataDir: string, gameId: string) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/whitecell.ts', gameId],
      { cwd: root, env: { ...process.env, STORE: 'file', DATA_DIR: dataDir, PUBLIC_URL } },
    );
    return { status: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The code and link the script printed. */
function printed(stdout: string) {
  const code = /recovery code for game \w+: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})$/m.exec(stdout)?.[1];
  const link = /^Join link: (\S+)$/m.exec(stdout)?.[1];
  if (!code || !link) throw new Error(`no code or link in:\n${stdout}`);
  return { code, link };
}

const joinAs = (app: LobbyApp, code: string, name: string) =>
  call<JoinResult & { error: { code: string; message: string } }>(app.url, 'POST', '/api/join', { code, name });
const codesOf = (app: LobbyApp, gameId: string, token: string) =>
  call<JoinCodes & { error: { code: string } }>(app.url, 'GET', `/api/games/${gameId}/codes`, undefined, {
    authorization: `Bearer ${token}`,
  });

let dir: string;
let app: LobbyApp;
let game: CreateGameResult;

test.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'flywheel-whitecell-'));
  app = await startLobbyApp(new FileStore(dir));
  const r = await call<CreateGameResult>(app.url, 'POST', '/api/games', { scenario: 'tutorial' });
  if (r.status !== 201) throw new Error(`create: ${r.status}`);
  game = r.body;
});

test.after(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the printed code seats a new White Cell member once; existing codes are unchanged', async () => {
  const run = await whitecell(dir, game.gameId);
  assert.is(run.status, 0, run.stderr);
  const { code, link } = printed(run.stdout);
  assert.is(link, `${PUBLIC_URL}/join/${code}`);
  assert.match(run.stdout, /once, until \d{4}-\d\d-\d\dT/);

  // Typed as a person would, over the running server that never heard of it.
  const joined = await joinAs(app, code.toLowerCase().replaceAll('-', ' '), 'Recovered');
  assert.is(joined.status, 200, JSON.stringify(joined.body));
  assert.is(joined.body.role, 'control');
  assert.is(joined.body.gameId, game.gameId);

  // Spent: said so, not "not valid", so the operator does not hunt for a typo.
  const again = await joinAs(app, code, 'Someone else');
  assert.is(again.status, 410);
  assert.is(again.body.error.code, 'CODE_USED');
  assert.match(again.body.error.message, /used already/);
  const preview = await call<{ error: { code: string } }>(app.url, 'POST', '/api/join/preview', { code });
  assert.is(preview.body.error.code, 'CODE_USED', 'the join page says so before the name is typed');

  // It neither revealed nor retired anything: the codes read the same, and the old ones still seat.
  assert.equal((await codesOf(app, game.gameId, game.controlToken)).body, game.codes);
  assert.is((await joinAs(app, game.codes.short!.observer, 'Olga')).status, 200);
  assert.is((await joinAs(app, game.codes.control, 'Deputy')).body.role, 'control');
  // The recovered seat holds no codes key: it runs the game but cannot read the codes, and is told why.
  const keyless = await codesOf(app, game.gameId, joined.body.token);
  assert.is(keyless.status, 403);
  assert.match(JSON.stringify(keyless.body), /holds no codes key/);
});

test('a recovery code is refused once its 24 hours are over', async () => {
  const run = await whitecell(dir, game.gameId);
  assert.is(run.status, 0, run.stderr);
  const { code } = printed(run.stdout);
  app.advance(24 * HOUR + 1000);
  try {
    const late = await joinAs(app, code, 'Too late');
    assert.is(late.status, 410);
    assert.is(late.body.error.code, 'CODE_EXPIRED');
  } finally {
    app.advance(-(24 * HOUR + 1000));
  }
});

test('an unknown game or a malformed id is refused', async () => {
  const unknown = await whitecell(dir, 'zzzzzzzzzzzz');
  assert.is(unknown.status, 1);
  assert.match(unknown.stderr, /No game zzzzzzzzzzzz/);
  const bad = await whitecell(dir, 'not-a-game');
  assert.is(bad.status, 2);
  assert.match(bad.stderr, /usage/);
});

test('a recovered seat issues fresh codes under a new key, which only it can read; seated players stay', async () => {
  const run = await whitecell(dir, game.gameId);
  assert.is(run.status, 0, run.stderr);
  const recovered = await joinAs(app, printed(run.stdout).code, 'Rescuer');
  assert.is(recovered.status, 200, JSON.stringify(recovered.body));
  const token = recovered.body.token;
  const usPlayer = await joinAs(app, game.codes.teams.us, 'Ursula');
  assert.is(usPlayer.status, 200);
  assert.is((await codesOf(app, game.gameId, token)).status, 403);

  const auth = (t: string) => ({ authorization: `Bearer ${t}` });
  const rotated = await call<RotateCodesResult>(
    app.url,
    'POST',
    `/api/games/${game.gameId}/codes/rotate`,
    { revokeSeats: false },
    auth(token),
  );
  assert.is(rotated.status, 200, JSON.stringify(rotated.body));
  assert.is(rotated.body.rekeyed, true);
  assert.is(rotated.body.revoked, 0);
  const fresh = rotated.body.codes;
  assert.equal((await codesOf(app, game.gameId, token)).body, fresh, 'the rescuer reads the new codes');

  // The old codes seat nobody; the new ones, long or short, do.
  assert.is((await joinAs(app, game.codes.teams.us, 'Late')).body.error.code, 'BAD_CODE');
  assert.is((await joinAs(app, game.codes.short!.control, 'Late')).body.error.code, 'BAD_CODE');
  assert.is((await joinAs(app, fresh.teams.us, 'Uma')).body.team, 'us');
  assert.is((await joinAs(app, fresh.short!.control, 'Deputy two')).body.role, 'control');

  // The creator keeps the White Cell seat but no longer holds the codes key (403, not 401).
  assert.is((await codesOf(app, game.gameId, game.controlToken)).status, 403);
  // With the key, the rescuer manages seats: renaming the player seated before the rotation goes through.
  const renamed = await call(
    app.url,
    'POST',
    `/api/games/${game.gameId}/players/${usPlayer.body.playerId}/rename`,
    { name: 'Ursula K' },
    auth(token),
  );
  assert.is(renamed.status, 200, JSON.stringify(renamed.body));
  // A second rotation by the rescuer, who now holds the key, is an ordinary one.
  const again = await call<RotateCodesResult>(
    app.url,
    'POST',
    `/api/games/${game.gameId}/codes/rotate`,
    { revokeSeats: false },
    auth(token),
  );
  assert.is(again.body.rekeyed, false);
});

test.run();
