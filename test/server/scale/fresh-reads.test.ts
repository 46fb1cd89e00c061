// A player whose process has run nothing for the game reads its older rounds as its own view, fed by another
// process's patches, describes them: the process catches its copy up with the store before answering. Before, a copy
// that lagged behind the debrief answered with reveals that were not final, and the client, which keeps only rounds
// its view names with the same `final`, asked again and again until its budget ran out.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { TestClient } from '../../helpers/client.ts';
import { startCluster, type Cluster } from '../../helpers/cluster.ts';
import { createGame, join } from '../../helpers/http.ts';

let cluster: Cluster;
const clients: TestClient[] = [];
const NO_CLOCKS = { briefing: 0, injects: 0, negotiation: 0, submission: 0, reveal: 0 };

test.before(async () => {
  cluster = await startCluster({ processes: 2 });
});

test.after(async () => {
  for (const c of clients) c.close();
  await cluster?.destroy();
});

test("older reveals read on a process that lagged behind the debrief are the final ones the seat's view names", async () => {
  const [A, B] = cluster.servers;
  const game = await createGame(B.url, 'tutorial', { seed: 'fresh-reads', phases: NO_CLOCKS });
  const control = await TestClient.connect(B.url, game.controlToken, 'control@B');
  const us = await TestClient.connect(A.url, (await join(B.url, game.codes.teams.us, 'Uma')).token, 'us@A');
  const observer = await TestClient.connect(A.url, (await join(B.url, game.codes.observer, 'Otto')).token, 'obs@A');
  clients.push(control, us, observer);

  // The White Cell plays the game to its debrief on B; A runs nothing for it, only relays B's patches.
  await control.do({ type: 'game.start' });
  while (control.view?.game.phase !== 'debrief') {
    const version = await control.do({
      type: control.view?.game.phase === 'adjudication' ? 'adjudication.approve' : 'phase.advance',
    });
    // An ack may come a moment before the sender's own patch (docs/protocol.md).
    await control.until(() => control.version >= version, 'its own patch');
  }

  for (const seat of [us, observer]) {
    await seat.until(() => seat.view?.game.phase === 'debrief', `${seat.label} at the debrief`);
    const earlier = seat.view!.earlierReveals;
    assert.ok(earlier.length >= 2, `${seat.label}: older rounds to read (${earlier.length})`);
    assert.ok(
      earlier.every((r) => r.final),
      `${seat.label}: the view names them final`,
    );
    const page = await seat.reveals({ before: earlier[earlier.length - 1].round + 1 });
    assert.ok(page.ok, JSON.stringify(page));
    assert.is(page.final, true, `${seat.label}: A answers with the final reveals, as its view names them`);
    assert.equal(
      page.reveals.map((r) => r.round),
      earlier.map((r) => r.round),
    );
  }
});

test.run();
