// The Socket.IO adapter that lets several server processes share rooms: @socket.io/redis-adapter's sharded adapter
// (Redis 7 sharded pub/sub, SPUBLISH/SSUBSCRIBE). With dynamic subscriptions each room has its own channel, and a
// process subscribes only to the rooms where it has sockets: when a load balancer sends all of a game's sockets to
// one process (docs/operations.md), the other processes never receive, let alone decode, that game's patches.
// fetchSockets, serverSideEmit and disconnectSockets work across processes through the namespace's main channel.
//
// Pub/sub does not keep what was sent while a subscriber was away. node-redis re-subscribes by itself when Redis comes
// back, and redis-subscriptions.ts makes again the subscriptions that were in flight when the connection dropped. A
// patch lost meanwhile shows as a version gap at the client's next patch, which answers it with a resync
// (docs/protocol.md), and `onResubscribed` lets the server push fresh views at once rather than wait for that.
// Nothing here relies on Socket.IO's connection-state recovery (the previous, streams-based adapter offered it, and
// the server never turned it on): a reconnecting socket is always sent its whole view.
//
// On a Redis Cluster (REDIS_CLUSTER) the same adapter runs over node-redis cluster clients: each SPUBLISH goes to the
// master of its channel's slot, and the subscriber holds one connection per master it has channels on. When a master
// fails over, node-redis finds the promoted replica and subscribes there again; what was published meanwhile is lost,
// as above.
import { createShardedAdapter } from '@socket.io/redis-adapter';
import { createClient, createCluster } from 'redis';
import type { Logger } from '../log.ts';
import type { RedisTarget } from '../store/redis-store.ts';
import { keepSubscriptions, type ShardedSubscriber } from './redis-subscriptions.ts';

export interface RedisAdapter {
  adapter: ReturnType<typeof createShardedAdapter>;
  /** Calls `fn` each time the subscriber is back after losing Redis (its subscriptions restored). */
  onResubscribed(fn: () => void): void;
  /** Closes the Redis connections. Close Socket.IO first: the adapter still uses them until then. */
  close(): Promise<void>;
}
/** A process that cannot reach Redis at start says so and exits, rather than waiting for ever. */
const CONNECT_MS = 5000;

const reconnectStrategy = (retries: number) => Math.min(50 * 2 ** retries, 1000);

/** What this file needs of a node-redis client, single or cluster (the adapter itself takes either). */
interface Client {
  on(event: string, listener: (arg: Error) => void): unknown;
  connect(): Promise<unknown>;
  close(): Promise<unknown>;
  destroy(): void;
}

/**
 * Clients of its own, with node-redis's offline queue left on: a patch published while Redis is away waits for the
 * reconnection instead of failing. No per-command timeout either: node-redis arms an AbortSignal timer for each
 * command, a measurable share of the CPU at thousands of publishes a second, and nothing waits on these replies.
 */
function makeClients(target: RedisTarget): [Client, Client & ShardedSubscriber] {
  if (typeof target === 'string') {
    const pub = createClient({ url: target, socket: { reconnectStrategy }, commandOptions: { timeout: 0 } });
    return [pub, pub.duplicate()];
  }
  const pub = createCluster({
    rootNodes: target.cluster.map((node) => ({ url: `redis://${node}` })),
    defaults: { socket: { reconnectStrategy } },
    // Ask the other nodes who serves a master's slots once it has been unreachable for a second (a failover).
    topologyRefreshOnReconnectionAttemptStrategy: 1000,
    commandOptions: { timeout: 0 },
  });
  return [pub, pub.duplicate()];
}

export async function openRedisAdapter(target: RedisTarget, log: Logger, prefix = 'flywheel:'): Promise<RedisAdapter> {
  const [pub, sub] = makeClients(target);
  const resubscribed = new Set<() => void>();
  for (const [client, name] of [
    [pub, 'publisher'],
    [sub, 'subscriber'],
  ] as const) {
    let down = false;
    const lost = (err: Error) => {
      if (!down) log.warn('redis adapter connection lost', { client: name, err });
      down = true;
    };
    const back = () => {
      if (!down) return;
      log.info('redis adapter connection back', { client: name });
      down = false;
      // node-redis sends the subscriptions again as it reconnects, ahead of anything else.
      if (client === sub) for (const fn of resubscribed) fn();
    };
    client.on('error', lost);
    client.on('ready', back);
    // A cluster client reports each node's connection on its own.
    client.on('node-error', lost);
    client.on('node-ready', back);
  }
  try {
    await Promise.all([
      connectWithin(pub, CONNECT_MS, describe(target)),
      connectWithin(sub, CONNECT_MS, describe(target)),
    ]);
  } catch (err) {
    pub.destroy();
    sub.destroy();
    throw err;
  }
  // A room's subscription that fails as the connection drops is neither left to end the process nor forgotten.
  keepSubscriptions(sub, (err) => log.debug('redis adapter subscription deferred', { err }));
  const adapter = createShardedAdapter(pub, sub, { channelPrefix: `${prefix}socket.io`, subscriptionMode: 'dynamic' });
  return {
    adapter,
    onResubscribed: (fn) => resubscribed.add(fn),
    async close() {
      await Promise.all([closeWithin(sub), closeWithin(pub)]);
    },
  };
}

/** close() waits for replies still due; with Redis gone they would not come, so give up after a while. */
async function closeWithin(client: { close(): Promise<unknown>; destroy(): void }): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, 3000, 'timeout');
  });
  const outcome = await Promise.race([client.close().catch(() => undefined), gaveUp]);
  clearTimeout(timer);
  if (outcome === 'timeout') client.destroy();
}

async function connectWithin(client: Client, ms: number, where: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  // What Redis last said, for the message: "DB index is out of range" tells an operator more than a timeout.
  let last: Error | undefined;
  const heard = (err: Error) => {
    last = err;
  };
  client.on('error', heard);
  client.on('node-error', heard);
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, ms, 'timeout');
  });
  const outcome = await Promise.race([
    client.connect().catch((err: unknown) => {
      clearTimeout(timer);
      const said = err instanceof Error ? err.message : String(err);
      throw new Error(`redis at ${where}: ${said}${last && last.message !== said ? ` (${last.message})` : ''}`);
    }),
    timedOut,
  ]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    client.destroy();
    throw new Error(
      `redis at ${where} unreachable for the Socket.IO adapter within ${ms / 1000} s${last ? `: ${last.message}` : ''}`,
    );
  }
}

/** Where the adapter connects, as an operator set it, without a password. */
function describe(target: RedisTarget): string {
  if (typeof target !== 'string') return `REDIS_CLUSTER=${target.cluster.join(',')}`;
  try {
    const u = new URL(target);
    u.username = '';
    u.password = '';
    return `REDIS_URL=${u.toString()}`;
  } catch {
    return 'REDIS_URL';
  }
}
