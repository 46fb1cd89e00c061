// Commands for one game reaching different processes at the same moment are serialized by the store: each one that
// is acknowledged is in the log exactly once, at the version its ack names; none is lost or applied twice; and every
// client ends at the same version with the same view as the others of its audience.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CommandAck, TestClient } from '../../helpers/client.ts';
import { startCluster, type Cluster } from '../../helpers/cluster.ts';
import { createGame } from '../../helpers/http.ts';
import { allSee, chatCounts, counter, eventsOf, sameBoards, seat, type Seated } from '../../helpers/scale.ts';

let cluster: Cluster;
const seated: Seated[] = [];
const clients = () => seated.map((s) => s.client);
/** Rounds each of the three writers plays, each a chat message and a draft change. */
const ROUNDS = 40;

test.before(async () => {
  // A generous rate limit: the writers go as fast as their acks come back.
  cluster = await startCluster({ processes: 3, env: { COMMAND_RATE: '1000', COMMAND_BURST: '1000' } });
});

test.after(async () => {
  for (const c of clients()) c.close();
  await cluster?.destroy();
});

test('three teams chat and draft at once through three processes: no lost update, no double effect', async () => {
  const [a, b, c] = cluster.servers.map((s) => s.url);
  const game = await createGame(a, 'tutorial', {
    seed: 'race',
    phases: { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 },
  });
  const { client: control } = await seat(a, a, game.codes.control, 'control@A', 'control');
  seated.push({ client: control, audience: 'control' });
  const writers: [string, string][] = [
    ['us', a],
    ['dprk', b],
    ['prc', c],
  ];
  for (const [team, url] of writers)
    seated.push(await seat(url, url, game.codes.teams[team], `${team}-writer`, `team:${team}`));
  // Readers of the same audiences on other processes, to compare boards.
  for (const [team] of writers)
    seated.push(await seat(a, team === 'us' ? b : a, game.codes.teams[team], `${team}-reader`, `team:${team}`));
  seated.push(await seat(b, c, game.codes.observer, 'observer', 'observer'));
  await control.do({ type: 'game.start' });
  await control.do({ type: 'phase.advance' });
  await control.do({ type: 'phase.advance' });

  const acks: { text: string; ack: CommandAck }[] = [];
  const play = async (team: string, writer: TestClient) => {
    const moves = writer
      .actions()
      .filter((x) => x.team === team && !x.covert && x.open)
      .map((x) => x.id);
    for (let i = 0; i < ROUNDS; i++) {
      const text = `${team} message ${i}`;
      acks.push({ text, ack: await writer.command({ type: 'chat.post', channel: 'plenary', text }) });
      const draft = await writer.command({
        type: 'draft.set',
        overt: [moves[i % moves.length]],
        covert: [],
        freeform: null,
      });
      acks.push({ text: `${team} draft ${i}`, ack: draft });
    }
  };
  await Promise.all(writers.map(([team], i) => play(team, clients()[1 + i])));

  const ok = acks.filter((x) => x.ack.ok);
  const refused = acks.filter((x) => !x.ack.ok);
  // Under contention a command may be refused as BUSY after several conflicts in a row; nothing else may go wrong.
  assert.equal(
    refused.filter((x) => !x.ack.ok && x.ack.error.code !== 'BUSY').map((x) => x.ack),
    [],
  );
  assert.ok(ok.length >= acks.length * 0.9, `${ok.length} of ${acks.length} acknowledged`);

  const events = await eventsOf(cluster.store, game.gameId);
  const counts = chatCounts(events);
  for (const { text, ack } of acks.filter((x) => x.text.includes('message'))) {
    // Acknowledged: stored exactly once. Refused: not stored.
    assert.is(counts.get(text) ?? 0, ack.ok ? 1 : 0, `"${text}"`);
  }
  // The processes did meet: some appends lost the race and were decided again on the newer state.
  const conflicts = (
    await Promise.all(cluster.servers.map((s) => counter(s.url, 'flywheel_version_conflicts_total')))
  ).reduce((x, y) => x + y, 0);
  assert.ok(conflicts > 0, 'conflicts happened and were resolved');

  // Every client converges: one last message everyone sees, then the same version and the same board.
  await control.do({ type: 'chat.post', channel: 'plenary', text: 'the end' });
  await allSee(clients(), '"the end"', (v) => v.messages.some((m) => m.text === 'the end'));
  await sameBoards(seated);
  const texts = new Set((await control.loadAllChat()).messages.map((m) => m.text));
  for (const { text } of ok.filter((x) => x.text.includes('message')))
    assert.ok(texts.has(text), `"${text}" on the board`);
});

test.run();
