// The protocol spy: a scripted game over sockets against a real server, on secret dice, replaying what the leaks
// and side channels looked like. Then every payload each client received (whole views, patches, acks, errors,
// resyncs after a reconnect), the after-action report built from its view and the White Cell's export are searched:
// no other team's secret, no count of hidden activity in versions, no position of hidden lines in ids, no seed
// before the debrief, and the dice verify.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { GameEvent } from '../../../server/engine/index.ts';
import { diceCommitment } from '../../../server/engine/index.ts';
import { verifyDice } from '../../../server/engine/index.ts';
import { afterActionReport } from '../../../shared/report.ts';
import type { WireView } from '../../../shared/views.ts';
import { TestClient } from '../../helpers/client.ts';
import { call, createGame, join } from '../../helpers/http.ts';
import { startServer, type SpawnedServer } from '../../helpers/spawn-server.ts';

const TEAMS = ['us', 'dprk', 'prc', 'rok', 'jpn'];
let server: SpawnedServer;
const clients = new Map<string, TestClient>();
const c = (who: string) => clients.get(who)!;

test.before(async () => {
  server = await startServer();
});
test.after(async () => {
  for (const x of clients.values()) x.close();
  await server?.destroy();
});

/** Who may ever read each marker ('control' reads everything). */
const MARKERS: Record<string, string[]> = {
  CHAT_US_MARK: ['us'],
  CHAT_USDPRK_MARK: ['us', 'dprk'],
  QUIET_OFFER_MARK: ['us', 'prc'],
  RULING_MARK: ['dprk'],
  // An open free-form's argument goes to every team at adjudication; ruled private, never to the observers.
  OPEN_ARGUMENT_MARK: ['us', 'dprk', 'prc', 'rok', 'jpn'],
};

test('a spy on every seat learns nothing it must not, through any payload', async () => {
  const game = await createGame(server.url, 'tutorial', {
    phases: { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 },
  });
  const tokens = new Map<string, string>([['control', game.controlToken]]);
  for (const t of TEAMS) tokens.set(t, (await join(server.url, game.codes.teams[t], `${t}-1`)).token);
  tokens.set('observer', (await join(server.url, game.codes.observer, 'Projector')).token);
  for (const [who, token] of tokens) clients.set(who, await TestClient.connect(server.url, token, who));
  const all = () => [...clients].filter(([who]) => who !== 'jpn-before-reconnect').map(([, x]) => x);
  const everyone = (pred: (v: WireView) => boolean, what: string) =>
    Promise.all(all().map((x) => x.waitFor(pred, what)));
  const commitment = c('jpn').view!.game.dice.commitment;
  assert.is(c('jpn').view!.game.dice.chosen, false, 'the server drew the seed');

  await c('control').do({ type: 'game.start' });
  await c('control').do({ type: 'phase.advance' });
  await c('control').do({ type: 'phase.advance' });
  await everyone((v) => v.game.phase === 'negotiation', 'negotiation');

  // Side channel 5: a burst of private activity elsewhere moves nothing for Japan.
  const jpn = c('jpn');
  const [jpnVersion, jpnSeen] = [jpn.version, jpn.received.length];
  await c('us').do({ type: 'chat.post', channel: 'team:us', text: 'CHAT_US_MARK' });
  await c('us').do({ type: 'chat.post', channel: 'bi:us:dprk', text: 'CHAT_USDPRK_MARK' });
  await c('dprk').do({ type: 'draft.set', overt: [], covert: ['dprk-undeclared-enrichment'], freeform: null });
  await c('us').do({
    type: 'deal.propose',
    to: ['prc'],
    obligations: [{ team: 'us', action: 'us-talks', byRound: 1 }],
    secret: false,
    snapback: false,
    note: 'QUIET_OFFER_MARK',
  });
  await c('prc').do({ type: 'chat.post', channel: 'plenary', text: 'PING' });
  await jpn.waitFor((v) => v.messages.some((m) => m.text === 'PING'), 'the ping');
  const since = jpn.received.slice(jpnSeen);
  assert.is(since.length, 1, 'one payload: the ping, nothing for the private activity before it');
  assert.equal(since[0].payload, { ...(since[0].payload as object), from: jpnVersion, version: jpnVersion + 1 });

  // Leak 2: an open free-form ruled in private; the ruling must reach no team before approval, and then only its own.
  await c('control').do({ type: 'phase.advance' });
  await c('dprk').waitFor((v) => v.game.phase === 'submission', 'submission');
  await c('dprk').do({
    type: 'draft.set',
    overt: [],
    covert: ['dprk-undeclared-enrichment'],
    freeform: { text: 'OPEN_ARGUMENT_MARK', intent: 'i', rationale: 'r', open: true },
  });
  await c('control').do({ type: 'phase.advance' });
  const adj = await c('control').waitFor((v) => !!v.control?.adjudication, 'the proposed adjudication');
  const ff = adj.control!.adjudication!.lines.find((l) => l.freeform)!;
  await c('control').do({
    type: 'freeform.rule',
    lineId: ff.id,
    chance: 0.9,
    effects: [{ meter: 'tension', delta: 5 }],
    public: false,
    rationale: 'RULING_MARK',
  });
  const beforeApproval = new Map(all().map((x) => [x, x.received.length]));
  await c('control').do({ type: 'adjudication.approve' });
  await everyone((v) => v.game.phase === 'reveal', 'the reveal');

  // A reconnect and a resync: whole views, again from the one projection.
  jpn.close();
  clients.set('jpn-before-reconnect', jpn);
  clients.set('jpn', await TestClient.connect(server.url, tokens.get('jpn')!, 'jpn-again'));
  assert.ok((await c('observer').resync()).ok);

  // To the debrief, the White Cell moving every phase on.
  while (c('control').view!.game.phase !== 'debrief') {
    const phase = c('control').view!.game.phase;
    await c('control').do({ type: 'phase.advance' });
    await c('control').until(() => c('control').view!.game.phase !== phase, 'the next phase');
  }
  await everyone((v) => !!v.debrief, 'the debrief');

  // The export: a team's holds its own view and no log; the White Cell's holds the log, and once the game is over
  // its dice verify against the commitment published at start.
  const own = await call<{ events?: GameEvent[] }>(
    server.url,
    'GET',
    `/api/games/${game.gameId}/export?format=json`,
    undefined,
    { authorization: `Bearer ${tokens.get('us')}` },
  );
  assert.is(own.status, 200);
  assert.is(own.body.events, undefined, "a team's export carries no event log");
  const exported = await call<{ events: GameEvent[] }>(
    server.url,
    'GET',
    `/api/games/${game.gameId}/export?format=json`,
    undefined,
    {
      authorization: `Bearer ${game.controlToken}`,
    },
  );
  assert.is(exported.status, 200);
  const dice = verifyDice(exported.body.events);
  assert.ok(dice.ok, dice.problems.join('\n'));
  const first = exported.body.events[0];
  const seed = first.type === 'GameCreated' ? first.options.seed : '';
  assert.is(diceCommitment(seed), commitment);
  assert.is(c('jpn').view!.debrief!.dice.seed, seed, 'the seed is revealed to all at the debrief');

  // Every seat still connected pages in its older reveals and fetches its catalogue (as a browser does for the
  // debrief's report): those answers are payloads too, searched below with the rest.
  const reports = new Map<TestClient, string>();
  for (const client of all()) reports.set(client, afterActionReport(await client.whole()));

  for (const [who, client] of clients) {
    const payloads = client.received.map((r) => JSON.stringify(r.payload));
    const text = payloads.join('\n');
    const report = reports.get(client) ?? '';
    const seat = who.split('-')[0];
    for (const [marker, allowed] of Object.entries(MARKERS)) {
      if (seat === 'control' || allowed.includes(seat)) continue;
      assert.not.ok(text.includes(marker), `${who} received ${marker}`);
      assert.not.ok(report.includes(marker), `${who}'s report holds ${marker}`);
    }
    const early = payloads.slice(0, beforeApproval.get(client) ?? 0).join('\n');
    if (seat !== 'control') assert.not.ok(early.includes('RULING_MARK'), `${who} read the ruling before approval`);
    const debriefAt = payloads.findIndex((p) => p.includes('"phase":"debrief"'));
    assert.ok(debriefAt > 0 || who === 'jpn-before-reconnect', `${who} reached the debrief`);
    const predebrief = payloads.slice(0, debriefAt < 0 ? payloads.length : debriefAt).join('\n');
    assert.not.ok(predebrief.includes(seed), `${who} saw the seed before the debrief`);
    assert.not.match(text, /"id":"r\d+-\d+"/, `${who}: a line id that counts lines`);
    assert.not.match(text, /INTERNAL/, `${who}: an internal error`);
    assert.is(client.gaps, 0, `${who}: every patch followed on from its version`);
  }
});

test.run();
