// One task at a time per key, in order; runFirst jumps the tasks waiting but never the one under way; a failing task
// fails alone; drain waits for everything. Ordering is driven by promises the test resolves, never by time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { KeyedQueue } from '../../../server/games/keyed-queue.ts';

/** A promise the test settles by hand. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((r) => {
    open = r;
  });
  return { promise, open };
}

/** Lets every microtask queued so far (and those they queue) run. */
const settle = () => new Promise((r) => setImmediate(r));

test('tasks of one key run one at a time, in the order queued; other keys do not wait', async () => {
  const q = new KeyedQueue();
  const order: string[] = [];
  const g = gate();
  const a = q.run('k', async () => {
    order.push('a start');
    await g.promise;
    order.push('a end');
    return 1;
  });
  const b = q.run('k', async () => {
    order.push('b');
    return 2;
  });
  const other = q.run('other', async () => {
    order.push('other');
    return 3;
  });
  await settle();
  assert.equal(order, ['a start', 'other'], 'b waits for a; the other key does not');
  g.open();
  assert.equal(await Promise.all([a, b, other]), [1, 2, 3]);
  assert.equal(order, ['a start', 'other', 'a end', 'b']);
});

test('runFirst goes ahead of the waiting tasks, after the one under way', async () => {
  const q = new KeyedQueue();
  const order: string[] = [];
  const g = gate();
  const running = q.run('k', async () => {
    await g.promise;
    order.push('running');
  });
  const waiting = [1, 2, 3].map((i) => q.run('k', async () => void order.push(`command ${i}`)));
  const tick = q.runFirst('k', async () => void order.push('tick'));
  await settle();
  assert.equal(order, [], 'nothing overtakes the task under way');
  g.open();
  await Promise.all([running, ...waiting, tick]);
  assert.equal(order, ['running', 'tick', 'command 1', 'command 2', 'command 3']);
});

test('runFirst on an idle key starts at once; two runFirst calls keep their own order among the waiting', async () => {
  const q = new KeyedQueue();
  const order: string[] = [];
  const g = gate();
  const running = q.runFirst('k', async () => {
    order.push('first');
    await g.promise;
  });
  const later = q.run('k', async () => void order.push('command'));
  const one = q.runFirst('k', async () => void order.push('tick 1'));
  const two = q.runFirst('k', async () => void order.push('tick 2'));
  await settle();
  assert.equal(order, ['first']);
  g.open();
  await Promise.all([running, later, one, two]);
  // Each runFirst goes to the front of those waiting at the time it is called.
  assert.equal(order, ['first', 'tick 2', 'tick 1', 'command']);
});

test('a task that fails, or throws at once, fails its own promise only; the key goes on', async () => {
  const q = new KeyedQueue();
  const rejected = q.run('k', async () => {
    throw new Error('no');
  });
  const thrown = q.run('k', (() => {
    throw new Error('at once');
  }) as () => Promise<void>);
  const next = q.run('k', async () => 'still runs');
  let messages: string[] = [];
  await Promise.allSettled([rejected, thrown]).then((r) => {
    messages = r.map((x) => (x.status === 'rejected' ? (x.reason as Error).message : 'fulfilled'));
  });
  assert.equal(messages, ['no', 'at once']);
  assert.is(await next, 'still runs');
});

test('drain waits for every task, including those queued while draining', async () => {
  const q = new KeyedQueue();
  const g = gate();
  let done = 0;
  void q.run('a', async () => {
    await g.promise;
    done++;
    void q.run('b', async () => {
      done++;
    });
  });
  let drained = false;
  const draining = q.drain().then(() => {
    drained = true;
  });
  await settle();
  assert.is(drained, false);
  g.open();
  await draining;
  assert.is(done, 2);
});

test.run();
