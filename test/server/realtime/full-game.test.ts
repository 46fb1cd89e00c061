// The tutorial played over sockets against a real server process: five teams (two players on one), a White Cell and
// an observer, lobby to debrief, with a reconnect on the way. Then the spy test: everything each client received is
// searched for other teams' secrets, taken from the scenario file itself and from markers the players plant.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { Scenario } from '../../../shared/scenario.ts';
import type { WireView } from '../../../shared/views.ts';
import { compactChat, compactReveals } from '../../../shared/protocol.ts';
import { TestClient } from '../../helpers/client.ts';
import { createGame, join } from '../../helpers/http.ts';
import { leaks, scenarioSecrets, secretsFor, type Secret } from '../../helpers/scenario-secrets.ts';
import { startServer, type SpawnedServer } from '../../helpers/spawn-server.ts';

const scenario = Scenario.parse(
  JSON.parse(readFileSync(new URL('../../../scenarios/tutorial.json', import.meta.url), 'utf8')),
);
const TEAMS = scenario.teams.map((t) => t.id);

let server: SpawnedServer;
let control: TestClient;
let observer: TestClient;
/** Team id -> its players' clients (the US has two). */
const players = new Map<string, TestClient[]>();
/** Markers the players plant in private places, with who may read them. */
const planted: Secret[] = [];
const dprkCovert = () => scenario.actions.find((a) => a.covert && a.team === 'dprk')!;

const all = () => [control, observer, ...[...players.values()].flat()];
const first = (team: string) => players.get(team)![0];
const inPhase = (phase: string, round?: number) => (v: WireView) =>
  v.game.phase === phase && (round === undefined || v.game.round === round);
async function everyone(pred: (v: WireView) => boolean, what: string) {
  await Promise.all(all().map((c) => c.waitFor(pred, what)));
}
const plant = (owner: string, text: string, what: string, allowed: string[]) => {
  planted.push({ owner, text, until: 'never', what, allowed });
  return text;
};

test.before(async () => {
  server = await startServer();
});

test.after(async () => {
  for (const c of all()) c?.close();
  await server?.destroy();
});

test('five teams, a White Cell and an observer play the tutorial from the lobby to the debrief', async () => {
  // No clocks: the White Cell moves every phase on, so nothing depends on how fast this machine is.
  const game = await createGame(
    server.url,
    'tutorial',
    { seed: 'full-game', phases: { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 } },
    'Facilitator',
  );
  control = await TestClient.connect(server.url, game.controlToken, 'control');
  for (const team of TEAMS) {
    const names = team === 'us' ? ['us-1', 'us-2'] : [`${team}-1`];
    const clients: TestClient[] = [];
    for (const name of names)
      clients.push(
        await TestClient.connect(server.url, (await join(server.url, game.codes.teams[team], name)).token, name),
      );
    players.set(team, clients);
  }
  observer = await TestClient.connect(
    server.url,
    (await join(server.url, game.codes.observer, 'Projector')).token,
    'observer',
  );

  // The White Cell sees who is connected; the engine has every seat.
  await control.until(() => (control.presence?.online.length ?? 0) === 8, 'presence of all eight');
  const usView = await first('us').waitFor(
    (v) => v.teams.find((t) => t.id === 'us')!.players === 2,
    'two US players seated',
  );
  assert.equal(usView.me!.teammates.map((t) => t.name).sort(), ['us-1', 'us-2']);
  assert.is(observer.view!.me, null);
  assert.is(observer.view!.control, null);

  await control.do({ type: 'game.start' });
  await everyone(inPhase('briefing'), 'briefing');

  const actionsOf = (team: string, covert: boolean) =>
    first(team)
      .actions()
      .filter((a) => a.team === team && a.covert === covert && a.open);
  const covert = actionsOf('dprk', true)[0];
  assert.ok(covert, 'DPRK has a covert action');
  assert.is(
    observer.actions().some((a) => a.covert),
    false,
    'observers see no covert actions',
  );

  await control.do({ type: 'phase.advance' });
  let rounds = 0;
  for (let round = 1; ; round++) {
    rounds = round;
    await everyone(inPhase('injects', round), `round ${round} injects`);
    await control.do({ type: 'phase.advance' });
    await everyone(inPhase('negotiation', round), `round ${round} negotiation`);

    // Private talk: each team's own channel and every bilateral channel it shares.
    for (const team of TEAMS) {
      const channels = first(team).view!.channels;
      await first(team).do({
        type: 'chat.post',
        channel: `team:${team}`,
        text: plant(team, `TEAMCHAT-${team}-r${round}`, 'team chat', []),
      });
      for (const ch of channels.filter((c) => c.id.startsWith('bi:') && c.members[0] === team)) {
        await first(team).do({
          type: 'chat.post',
          channel: ch.id,
          text: plant(team, `BICHAT-${ch.id}-r${round}`, `chat in ${ch.id}`, ch.members),
        });
      }
    }
    await first('rok').do({ type: 'chat.post', channel: 'plenary', text: `Seoul speaks openly in round ${round}` });

    // A secret reciprocal deal between the US and the DPRK.
    const usMove = actionsOf('us', false)[0].id;
    const dprkMove = actionsOf('dprk', false)[0].id;
    const note = plant('us', `SECRETDEAL-us-dprk-r${round}`, 'secret deal note', ['dprk']);
    await first('us').do({
      type: 'deal.propose',
      to: ['dprk'],
      obligations: [
        { team: 'us', action: usMove, byRound: round },
        { team: 'dprk', action: dprkMove, byRound: round },
      ],
      secret: true,
      snapback: false,
      note,
    });
    const dealView = await first('dprk').waitFor(
      (v) => v.deals.some((d) => d.note === note),
      'the DPRK sees the proposal',
    );
    const dealId = dealView.deals.find((d) => d.note === note)!.id;
    // A team outside the deal cannot touch it, and learns nothing from trying.
    const probe = await first('prc').command({ type: 'deal.accept', dealId });
    assert.equal(probe, { ok: false, error: { code: 'NO_DEAL', message: 'No such deal' } });
    await first('dprk').do({ type: 'deal.accept', dealId });

    // Submissions: one US player drafts, the other sees it live and locks.
    await control.do({ type: 'phase.advance' });
    await everyone(inPhase('submission', round), `round ${round} submission`);
    const [us1, us2] = players.get('us')!;
    await us1.do({ type: 'draft.set', overt: [usMove], covert: [], freeform: null });
    await us2.waitFor(
      (v) => v.draft!.overt.includes(usMove) && v.draft!.updatedBy === 'us-1',
      'the teammate sees the draft',
    );
    await us2.do({ type: 'draft.lock' });
    await first('dprk').do({
      type: 'draft.set',
      overt: [dprkMove],
      covert: round === 1 ? [covert.id] : [],
      freeform: null,
    });
    const freeform = plant('prc', `FREEFORM-prc-r${round}`, 'private free-form action', []);
    await first('prc').do({
      type: 'draft.set',
      overt: [actionsOf('prc', false)[0].id],
      covert: [],
      freeform: { text: freeform, intent: 'Be seen as the broker', rationale: 'Everyone needs a venue' },
    });
    for (const team of ['rok', 'jpn'])
      await first(team).do({ type: 'draft.set', overt: [actionsOf(team, false)[0].id], covert: [], freeform: null });
    // Before the reveal, other teams see only "submitted", never the draft.
    await first('rok').waitFor(
      (v) => v.teams.find((t) => t.id === 'us')!.submitted === true,
      'ROK sees that the US has submitted',
    );
    for (const team of ['dprk', 'prc', 'rok', 'jpn']) await first(team).do({ type: 'draft.lock' });
    await everyone(inPhase('adjudication', round), `round ${round} adjudication`);

    // A reconnect in the middle of the game: the client gets its whole view again.
    if (round === 2) {
      const prc = first('prc');
      const views = prc.received.filter((r) => r.event === 'view').length;
      prc.socket.disconnect();
      prc.socket.connect();
      await prc.until(
        () => prc.received.filter((r) => r.event === 'view').length > views,
        'a fresh view after reconnecting',
      );
      assert.is(prc.view!.game.phase, 'adjudication');
    }

    // The White Cell keeps the round-1 enrichment secret, exposes it in round 2, and keeps the free-form private.
    const adj = control.view!.control!.adjudication!;
    for (const line of adj.lines.filter((l) => l.kind === 'exposure')) {
      await control.do({
        type: 'adjudication.amend',
        lineId: line.id,
        success: round >= 2,
        rationale: round >= 2 ? 'Imagery confirms it' : 'Nothing seen yet',
      });
    }
    if (round === 2)
      assert.ok(
        adj.lines.some((l) => l.kind === 'exposure' && l.actionId === covert.id),
        'the round-1 covert action can still be exposed',
      );
    const ffLine = adj.lines.find((l) => l.kind === 'freeform' && l.team === 'prc')!;
    await first('prc').waitFor(
      (v) => v.me!.estimating.some((l) => l.id === ffLine.id),
      'China sees its free-form line to estimate',
    );
    await first('prc').do({ type: 'freeform.estimate', lineId: ffLine.id, probability: 0.6 });
    await control.do({
      type: 'freeform.rule',
      lineId: ffLine.id,
      chance: 1,
      effects: [{ meter: 'tension', delta: -1 }],
      public: false,
      rationale: 'Plausible, and it stays between Beijing and us',
    });
    await control.do({ type: 'adjudication.approve' });
    await everyone(inPhase('reveal', round), `round ${round} reveal`);
    // Every seat pages in the older reveals its whole view leaves out, through its own projection: the answers are
    // searched for other teams' secrets with everything else (the round-1 covert move stays hidden until exposed).
    if (round >= 2)
      for (const c of all()) {
        await c.loadAllReveals();
        assert.equal(
          c.view!.reveals.map((r) => r.round),
          Array.from({ length: round }, (_, i) => i + 1),
          `${c.label} holds every reveal`,
        );
      }

    // On to the next round, or (after the last, or an ending) the debrief.
    await control.do({ type: 'phase.advance' });
    const next = await control.waitFor(
      (v) => v.game.phase === 'debrief' || (v.game.phase === 'injects' && v.game.round === round + 1),
      'the next round or the debrief',
    );
    if (next.game.phase === 'debrief') break;
  }

  await everyone(inPhase('debrief'), 'debrief');
  assert.is(rounds, scenario.rounds, 'the tutorial runs all its rounds');
  for (const c of all()) {
    const d = c.view!.debrief!;
    assert.ok(d, `${c.label} has the debrief`);
    assert.is(d.scores.length, TEAMS.length);
    assert.ok(
      d.covertLog.some((x) => x.actionId === covert.id && x.exposedRound === 2),
      `${c.label} sees the exposed covert action in the covert log`,
    );
  }
  // Every client followed the whole game by patches (a gap would have forced a resync).
  for (const c of all()) assert.is(c.gaps, 0, `${c.label} saw no version gap`);
  // The engine and every client agree: each client's patched view equals a fresh full view.
  for (const c of all()) {
    const patched = JSON.parse(JSON.stringify(compactReveals(compactChat(c.view!))));
    const ack = await c.resync();
    assert.ok(ack.ok);
    if (ack.ok) assert.equal(patched, ack.view, `${c.label}'s patched view is the server's view`);
  }
  await control.do({ type: 'game.end' });
  await everyone(inPhase('ended'), 'ended');
});

test("no team or observer received another team's secrets, in any payload, reconnects and errors included", () => {
  const secrets = [...scenarioSecrets(scenario), ...planted];
  assert.ok(secrets.length > 40, `secrets to look for: ${secrets.length}`);
  const found: string[] = [];
  for (const [team, clients] of players)
    for (const c of clients) found.push(...leaks(c.received, secretsFor(scenario, secrets, team), c.label));
  found.push(...leaks(observer.received, secretsFor(scenario, secrets, 'observer'), 'observer'));
  assert.equal(found, []);

  // The search does find what it looks for: each secret reached the White Cell or its own team.
  const needle = (x: Secret) => (x.text.startsWith('"') ? x.text : JSON.stringify(x.text).slice(1, -1));
  const missing = secrets.filter((x) => {
    if (x.until === 'debrief') return false;
    const texts = [control, ...(players.get(x.owner) ?? [])].flatMap((c) => c.texts());
    return !texts.some((t) => t.includes(needle(x)));
  });
  assert.equal(
    missing.map((x) => `${x.owner} ${x.what}`),
    [],
  );
  assert.ok(first('dprk').texts().join('\n').includes(dprkCovert().name));
  // And the search flags what it should: the White Cell's payloads,
  // read as if China had received them, are full of leaks.
  const asIfPrc = leaks(control.received, secretsFor(scenario, secrets, 'prc'), 'control-as-prc');
  assert.ok(
    asIfPrc.some((x) => x.includes("us's red line")) &&
      asIfPrc.some((x) => x.includes('BICHAT-bi:us:dprk')) &&
      asIfPrc.some((x) => x.includes('covert action name')),
  );
});

test.run();
