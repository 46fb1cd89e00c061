// Two bot seats and three human seats play the tutorial over sockets against a real server process, lobby to
// debrief. The bots answer deals by their strategies (pocketing DPRK accepts and breaks, hawkish ROK refuses), every
// audience sees which seats bots play, and the spy test searches every payload of the people for other teams'
// secrets; the bots' own inputs are searched in test/server/bots/bots.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { audienceKey, fold, seqOf, wireView, type GameEvent } from '../../../server/engine/index.ts';
import { FileStore } from '../../../server/store/file-store.ts';
import type { SeatAssignResult } from '../../../shared/seat-assignment.ts';
import type { WireView } from '../../../shared/views.ts';
import { tutorial } from '../../helpers/bot-world.ts';
import { TestClient } from '../../helpers/client.ts';
import { call, createGame, join } from '../../helpers/http.ts';
import { leaks, scenarioSecrets, secretsFor } from '../../helpers/scenario-secrets.ts';
import { startServer, type SpawnedServer } from '../../helpers/spawn-server.ts';

const HUMANS = ['us', 'prc', 'jpn'];
const BOTS: Record<string, string> = { dprk: 'pocketing', rok: 'hawkish' };

let server: SpawnedServer;
const clients = new Map<string, TestClient>();
const all = () => [...clients.values()];

test.before(async () => {
  server = await startServer({ env: { LOG_LEVEL: 'warn' } });
});
test.after(async () => {
  for (const c of all()) c.close();
  await server?.destroy();
});

const inPhase = (phase: string, round: number) => (v: WireView) => v.game.phase === phase && v.game.round === round;
const everyone = (pred: (v: WireView) => boolean, what: string) => Promise.all(all().map((c) => c.waitFor(pred, what)));
const open = (c: TestClient, team: string) =>
  c
    .actions()
    .filter((a) => a.team === team && !a.covert && a.open)
    .map((a) => a.id);

test('two bots and three people play the tutorial to the end over sockets', async () => {
  const game = await createGame(server.url, 'tutorial', {
    seed: 'bots-sockets',
    phases: { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 },
  });
  const control = await TestClient.connect(server.url, game.controlToken, 'control');
  clients.set('control', control);
  for (const team of HUMANS)
    clients.set(
      team,
      await TestClient.connect(server.url, (await join(server.url, game.codes.teams[team], team)).token, team),
    );
  clients.set(
    'observer',
    await TestClient.connect(server.url, (await join(server.url, game.codes.observer, 'Board')).token, 'observer'),
  );
  const auth = { authorization: `Bearer ${game.controlToken}` };
  const strategies = await call<{ id: string }[]>(server.url, 'GET', '/api/bots/strategies');
  assert.ok(strategies.body.some((s) => s.id === 'pocketing'));
  for (const [team, strategy] of Object.entries(BOTS)) {
    const r = await call<SeatAssignResult>(
      server.url,
      'POST',
      `/api/games/${game.gameId}/seats/${team}`,
      { by: 'bot', strategy },
      auth,
    );
    assert.is(r.status, 200, JSON.stringify(r.body));
  }
  // A player's token cannot reach the seat menu.
  const denied = await call(
    server.url,
    'POST',
    `/api/games/${game.gameId}/seats/us`,
    { by: 'bot', strategy: 'hawkish' },
    {
      authorization: `Bearer ${(await join(server.url, game.codes.teams.us, 'us-2')).token}`,
    },
  );
  assert.is(denied.status, 403);

  // Every audience is told which seats bots play; only the White Cell learns their strategies.
  await everyone((v) => v.teams.filter((t) => t.bot).length === 2, 'two bot seats labelled');
  for (const c of all())
    assert.equal(
      c.view!.teams.filter((t) => t.bot).map((t) => t.id),
      ['dprk', 'rok'],
    );
  assert.equal(
    control
      .view!.control!.players.filter((p) => p.bot)
      .map((p) => p.bot)
      .sort(),
    ['hawkish', 'pocketing'],
  );

  await control.do({ type: 'game.start' });
  await control.do({ type: 'phase.advance' });
  for (let round = 1; ; round++) {
    await everyone(inPhase('injects', round), `round ${round}`);
    await control.do({ type: 'phase.advance' });
    await everyone(inPhase('negotiation', round), `round ${round} negotiation`);
    const us = clients.get('us')!;
    const prc = clients.get('prc')!;
    // The US offers the DPRK a pair; China offers Seoul one.
    await us.do({
      type: 'deal.propose',
      to: ['dprk'],
      obligations: [
        { team: 'us', action: open(us, 'us')[0], byRound: round },
        { team: 'dprk', action: open(us, 'dprk')[0], byRound: round },
      ],
      secret: false,
      snapback: false,
      note: `us-dprk r${round}`,
    });
    await prc.do({
      type: 'deal.propose',
      to: ['rok'],
      obligations: [
        { team: 'prc', action: open(prc, 'prc')[0], byRound: round },
        { team: 'rok', action: open(prc, 'rok')[0], byRound: round },
      ],
      secret: false,
      snapback: false,
      note: `prc-rok r${round}`,
    });
    const answered = (team: TestClient, note: string) =>
      team.waitFor((v) => v.deals.some((d) => d.note === note && d.status !== 'proposed'), `answer to ${note}`);
    const usDeal = (await answered(us, `us-dprk r${round}`)).deals.find((d) => d.note === `us-dprk r${round}`)!;
    const prcDeal = (await answered(prc, `prc-rok r${round}`)).deals.find((d) => d.note === `prc-rok r${round}`)!;
    // Pocketing accepts everything; hawkish refuses everything.
    assert.is(usDeal.status, 'accepted');
    assert.is(prcDeal.status, 'rejected');

    await control.do({ type: 'phase.advance' });
    await everyone(inPhase('submission', round), `round ${round} submission`);
    // The bots lock on their own; the people keep the US-DPRK deal on the US side.
    await control.waitFor(
      (v) => ['dprk', 'rok'].every((t) => v.teams.find((x) => x.id === t)!.submitted),
      'the bots lock in time',
    );
    await us.do({ type: 'draft.set', overt: [usDeal.obligations[0].action], covert: [], freeform: null });
    for (const team of HUMANS) {
      const c = clients.get(team)!;
      if (team !== 'us')
        await c.do({ type: 'draft.set', overt: open(c, team).slice(0, 1), covert: [], freeform: null });
      await c.do({ type: 'draft.lock' });
    }
    await everyone(inPhase('adjudication', round), `round ${round} adjudication`);
    await control.do({ type: 'adjudication.approve' });
    await everyone(inPhase('reveal', round), `round ${round} reveal`);
    await control.do({ type: 'phase.advance' });
    const next = await control.waitFor(
      (v) => v.game.phase === 'debrief' || inPhase('injects', round + 1)(v),
      'the next round or the debrief',
    );
    if (next.game.phase === 'debrief') break;
  }
  await everyone((v) => v.game.phase === 'debrief', 'debrief');
  const v = control.view!;
  // The pocketing DPRK broke what it accepted (deals of earlier rounds come through `archive`); the bots spoke in
  // public, in character.
  const deals = (await control.loadArchive()).deals;
  assert.ok(deals.some((d) => d.note.startsWith('us-dprk') && d.breakers.includes('dprk')));
  const said = v.messages.filter((m) => m.channel === 'plenary' && (m.from === 'dprk' || m.from === 'rok'));
  assert.is(said.length, 2 * v.game.round, 'one statement per bot per round played');
  assert.ok(said.every((m) => Object.values(tutorial.botLines![m.from]).flat().includes(m.text)));
  // Every bot move was legal: the server refused none (its log lines reach stdout up to 200 ms late: server/log.ts).
  await new Promise((r) => setTimeout(r, 500));
  assert.not.ok(server.output().includes('bot move refused'), server.output().slice(0, 2000));
  for (const c of all()) assert.is(c.gaps, 0, `${c.label} followed by patches`);

  // The stored log alone, folded again without any bot, gives the very view the White Cell holds, byte for byte.
  const store = new FileStore(server.dataDir);
  const events = (await store.load(game.gameId, 1)) as GameEvent[];
  await store.close();
  const folded = fold(events);
  const replayed = wireView(folded, { kind: 'control' });
  const resynced = await control.resync();
  // Versions on the wire are the White Cell's own (docs/protocol.md, "Versions"), folded from the log as well.
  assert.ok(resynced.ok && resynced.version === seqOf(folded, audienceKey({ kind: 'control' })));
  if (resynced.ok) assert.is(JSON.stringify(replayed), JSON.stringify(resynced.view));
});

test("no person or observer received another team's secrets, with bots at the table", () => {
  const secrets = scenarioSecrets(tutorial);
  const found: string[] = [];
  for (const [who, c] of clients) {
    if (who === 'control') continue;
    found.push(...leaks(c.received, secretsFor(tutorial, secrets, who), who));
    // Nor which strategy a bot plays.
    for (const strategy of Object.values(BOTS))
      if (c.texts().some((t) => t.includes(`"${strategy}"`))) found.push(`${who} saw the strategy ${strategy}`);
  }
  assert.equal(found, []);
});

test.run();
