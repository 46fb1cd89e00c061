// The browser's link to the server (client/lib/connection.ts), run in Node against a real server: what it does with
// answers that come late or are refused. The socket's acks are intercepted where a test needs an answer that a
// single process cannot be made to give on cue (a resync answer overtaken by patches, a refused read).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Connection } from '../../../client/lib/connection.ts';
import type { WireView } from '../../../shared/views.ts';
import { createGame } from '../../helpers/http.ts';
import { socketSuite } from '../../helpers/socket-suite.ts';

const suite = socketSuite(test, { STORE: 'memory' });
const opened: Connection[] = [];
test.after(() => {
  for (const c of opened) c.close();
});

async function until(ok: () => boolean, what: string) {
  for (let i = 0; i < 600 && !ok(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
}

type Answer = (event: string, args: unknown[]) => Promise<unknown> | undefined;

/** A browser link to a new game's White Cell, whose acks `answer` may replace (undefined: the server answers). */
async function whiteCell(answer: Answer) {
  const game = await createGame(suite.server.url, 'tutorial', { seed: 'link' });
  // In a browser, io() connects to the page's own origin.
  (globalThis as { location?: unknown }).location = new URL(suite.server.url);
  const link = new Connection(game.controlToken, game.gameId);
  opened.push(link);
  await until(() => link.state.view !== null, 'the first view');
  const socket = (link as unknown as { socket: { timeout(ms: number): { emitWithAck(...a: unknown[]): unknown } } })
    .socket;
  const timeout = socket.timeout.bind(socket);
  socket.timeout = (ms) => {
    const real = timeout(ms);
    return {
      emitWithAck: (event: string, ...args: unknown[]) => answer(event, args) ?? real.emitWithAck(event, ...args),
    };
  };
  const wire = () => (link as unknown as { wire: WireView }).wire;
  return { link, game, wire };
}

test('a resync answer older than the view shown is dropped: patches overtook it', async () => {
  let stale: { ok: true; gameId: string; version: number; view: WireView } | null = null;
  const { link, game, wire } = await whiteCell((event) =>
    event === 'resync' && stale ? Promise.resolve(stale) : undefined,
  );
  stale = { ok: true, gameId: game.gameId, version: link.state.version, view: structuredClone(wire()) };
  for (const text of ['one', 'two'])
    assert.ok((await link.send({ type: 'chat.post', channel: 'announcements', text })).ok, text);
  await until(() => link.state.version >= stale!.version + 2, 'the patches of both lines');
  const shown = link.state.version;
  await link.resync();
  assert.is(link.state.version, shown, 'the version does not go back');
  assert.ok(
    link.state.view!.messages.some((m) => m.text === 'two'),
    'the line a patch brought is still on the screen',
  );
  // An answer as new as the view is taken (it is the same view).
  stale = { ok: true, gameId: stale.gameId, version: shown, view: structuredClone(wire()) };
  await link.resync();
  assert.is(link.state.version, shown);
});

test('earlier deals and injects the server refused to send just now are asked for again, without a reconnect', async () => {
  const asked: string[][] = [];
  const { link, game, wire } = await whiteCell((event, args) => {
    if (event !== 'archive') return undefined;
    const request = args[0] as { kind: string; ids: string[] };
    asked.push(request.ids);
    if (asked.length === 1)
      return Promise.resolve({ ok: false, error: { code: 'RATE_LIMITED', message: 'read a lot just now' } });
    return Promise.resolve({ ok: true, gameId: game.gameId, kind: request.kind, items: [] });
  });
  // A view that names an earlier inject this page has not got.
  const named: WireView = { ...wire(), earlierInjects: [{ id: 'inj-earlier', index: 0, hash: 'h1' }] };
  (link as unknown as { setWire(w: WireView): void }).setWire(named);
  await until(() => asked.length >= 2, 'a second request');
  assert.equal(asked.slice(0, 2), [['inj-earlier'], ['inj-earlier']]);
  assert.ok(link.state.link === 'online', 'on the same connection');
});

test('a command met by "storage down" is sent again by itself with its id, and stored once', async () => {
  const { link } = await whiteCell(() => undefined);
  const socket = (link as unknown as { socket: { emit(event: string, ...args: unknown[]): unknown } }).socket;
  const emit = socket.emit.bind(socket);
  const sent: { id: string; text: string }[] = [];
  socket.emit = (event, ...args) => {
    if (event !== 'command') return emit(event, ...args);
    const [payload, reply] = args as [{ id: string; text: string }, (ack: unknown) => void];
    sent.push(payload);
    // The first try is stored, but its answer says storage did not answer (the append's reply was lost).
    if (sent.length === 1) {
      emit(event, payload, () =>
        reply({ ok: false, error: { code: 'STORE_UNAVAILABLE', message: 'Storage did not answer' } }),
      );
      return socket;
    }
    return emit(event, ...args);
  };
  const ack = await link.send({ type: 'chat.post', channel: 'announcements', text: 'only once' });
  assert.ok(ack.ok, JSON.stringify(ack));
  assert.is(sent.length, 2, 'sent twice');
  assert.is(sent[1].id, sent[0].id, 'with the same id');
  await until(() => link.state.view!.messages.some((m) => m.text === 'only once'), 'the line');
  await link.resync();
  assert.is(link.state.view!.messages.filter((m) => m.text === 'only once').length, 1, 'stored once');
});

test.run();
