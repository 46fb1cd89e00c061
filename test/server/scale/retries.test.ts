// Re-sent commands on Redis, with two processes behind a balancer: kill -9 or SIGTERM the process the clients are
// on, mid-load; they reconnect to the other and send again every command left unanswered, with its id. Each
// command is stored exactly once, whichever process stored it first and whichever answered the repeat.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startBalancer, type Balancer } from '../../helpers/balancer.ts';
import { chatLoad } from '../../helpers/chat-load.ts';
import { startCluster, type Cluster } from '../../helpers/cluster.ts';
import { chatCounts, eventsOf } from '../../helpers/scale.ts';

let cluster: Cluster;
const balancers: Balancer[] = [];

test.before(async () => {
  cluster = await startCluster({
    processes: 2,
    appendOnly: true,
    env: { COMMAND_RATE: '10000', COMMAND_BURST: '10000' },
  });
});

test.after(async () => {
  for (const b of balancers) await b.close();
  await cluster?.destroy();
});

for (const how of ['kill -9', 'SIGTERM'] as const) {
  test(`${how} of the clients' process under load: re-sent commands are stored once`, async () => {
    const [A, B] = cluster.servers;
    const balancer = await startBalancer([A.port, B.port]);
    balancers.push(balancer);
    let signalledAt = 0;
    const run = await chatLoad(B.url, balancer.url, async () => {
      signalledAt = Date.now();
      if (how === 'kill -9') await A.kill();
      else assert.is(await A.stop('SIGTERM'), 0);
    });
    assert.ok(
      run.acks.every((a) => a.ack.ok),
      'every command succeeded in the end',
    );
    const counts = chatCounts(await eventsOf(cluster.store, run.game.gameId));
    for (const { text } of run.acks) assert.is(counts.get(text), 1, `"${text}" stored once`);
    assert.is(
      [...counts.values()].reduce((a, b) => a + b, 0),
      run.acks.length,
      'and nothing else',
    );
    const unanswered = run.clients.flatMap((c) => c.unansweredAtDisconnect);
    if (how === 'SIGTERM')
      assert.equal(
        unanswered.filter((u) => u.sentAt < signalledAt),
        [],
        'a stop answers what was sent before it',
      );
    console.log(`  ${how}: ${run.acks.length} commands, ${unanswered.length} unanswered at the link drop, re-sent`);
    await A.restart();
  });
}

test.run();
