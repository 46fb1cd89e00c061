// The Socket.IO adapter that lets several server processes share rooms: @socket.io/redis-streams-adapter. Broadcasts
// travel through one Redis stream (XADD, and a blocking XREAD per process), so a process that loses Redis for a
// while resumes from where it was instead of silently missing packets, as the classic pub/sub adapter would;
// fetchSockets, serverSideEmit and disconnectSockets work across processes.
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Logger } from '../log.ts';

export interface RedisAdapter {
  adapter: ReturnType<typeof createAdapter>;
  /** Closes the Redis connection. Close Socket.IO first: the adapter still uses it until then. */
  close(): Promise<void>;
}

/** How long a blocking XREAD waits before it is sent again. */
const BLOCK_MS = 2000;
/** A process that cannot reach Redis at start says so and exits, rather than waiting for ever. */
const CONNECT_MS = 5000;

export async function openRedisAdapter(url: string, log: Logger, prefix = 'flywheel:'): Promise<RedisAdapter> {
  // A client of its own, with node-redis's offline queue left on: the adapter's read loop retries at once on any
  // error, so commands that failed instantly while Redis is down would spin it and starve the event loop. Queued,
  // they wait for the reconnection.
  // No per-command timeout either: node-redis arms an AbortSignal timer for each command, a measurable share of the
  // CPU at thousands of XADDs a second, and nothing here waits on these replies (the store's client keeps its own).
  const client = createClient({
    url,
    socket: { reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000) },
    commandOptions: { timeout: 0 },
  });
  let down = false;
  client.on('error', (err: Error) => {
    if (!down) log.warn('redis adapter connection lost', { err });
    down = true;
  });
  client.on('ready', () => {
    if (down) log.info('redis adapter connection back', {});
    down = false;
  });
  // The adapter sends its pub/sub messages (serverSideEmit, fetchSockets) without handling the promise PUBLISH
  // returns (0.3.1, doPublish); a rejection while Redis is down would then be unhandled and end the process.
  const publish = client.publish.bind(client);
  Object.assign(client, {
    publish: (...args: Parameters<typeof publish>) => {
      const sent = publish(...args);
      sent.catch(() => undefined);
      return sent;
    },
  });
  await connectWithin(client, CONNECT_MS);
  const adapter = createAdapter(client, {
    streamName: `${prefix}socket.io`,
    channelPrefix: `${prefix}socket.io`,
    blockTimeInMs: BLOCK_MS,
    // Only JSON goes through it: skip the search for binary attachments in every packet.
    onlyPlaintext: true,
  });
  return {
    adapter,
    async close() {
      // close() waits for replies still due; with Redis gone they would not come, so give up after a while.
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(resolve, 3000, 'timeout');
      });
      const outcome = await Promise.race([client.close().catch(() => undefined), gaveUp]);
      clearTimeout(timer);
      if (outcome === 'timeout') client.destroy();
    },
  };
}

async function connectWithin(client: { connect(): Promise<unknown>; destroy(): void }, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, ms, 'timeout');
  });
  const outcome = await Promise.race([client.connect(), timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    client.destroy();
    throw new Error(`redis unreachable for the Socket.IO adapter within ${ms / 1000} s`);
  }
}
