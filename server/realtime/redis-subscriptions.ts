// The sharded adapter subscribes to a room's channel when the room's first socket on this process joins, and
// unsubscribes when its last one leaves, and it drops the promise of either request. A request in flight when the
// subscriber's connection drops is rejected: left unhandled, that rejection ends the process. And node-redis records a
// channel only once Redis has confirmed it, so a subscription rejected so is not among those it sends again on
// reconnecting: this process would go on without hearing what the other processes send that room. So every request
// is caught here, and for each channel whose latest request failed, that request is made again once the subscriber
// is back.

// The adapter's own listener, passed through untouched.
type Listener = (message: string | Buffer, channel: string | Buffer) => unknown;

/** What this needs of a node-redis subscriber, single or cluster. */
export interface ShardedSubscriber {
  sSubscribe(channels: string | string[], listener: Listener, bufferMode?: boolean): Promise<unknown>;
  sUnsubscribe(channels?: string | string[], listener?: Listener, bufferMode?: boolean): Promise<unknown>;
  on(event: 'ready' | 'node-ready', listener: () => void): unknown;
}

/**
 * Wraps `sub`'s sharded subscribe and unsubscribe (in place, since the adapter calls them on the client it is given)
 * so that no failed request goes unhandled or is forgotten. `failed` hears each failure, for the log.
 */
export function keepSubscriptions(sub: ShardedSubscriber, failed: (err: unknown) => void = () => {}): void {
  const subscribe = sub.sSubscribe.bind(sub);
  const unsubscribe = sub.sUnsubscribe.bind(sub);
  /** Per channel, its latest request while it is in flight or once it has failed; a newer request replaces it. */
  const latest = new Map<string, { request: () => Promise<unknown>; failed: boolean }>();

  const attempt = (channel: string, request: () => Promise<unknown>): Promise<unknown> => {
    const entry = { request, failed: false };
    latest.set(channel, entry);
    return request().then(
      () => {
        if (latest.get(channel) === entry) latest.delete(channel);
      },
      (err: unknown) => {
        // Marked on this request's own entry: one that a newer request has replaced is no longer in the map, and the
        // newer one stands for the channel.
        entry.failed = true;
        failed(err);
      },
    );
  };
  const each = (channels: string | string[], request: (channel: string) => () => Promise<unknown>) =>
    Promise.all((Array.isArray(channels) ? channels : [channels]).map((c) => attempt(c, request(c)))).then(() => {});

  sub.sSubscribe = (channels, listener, bufferMode) =>
    each(channels, (channel) => () => subscribe(channel, listener, bufferMode));
  sub.sUnsubscribe = (channels, listener, bufferMode) => {
    if (channels !== undefined) return each(channels, (channel) => () => unsubscribe(channel, listener, bufferMode));
    // Every channel: nothing owed stands any more.
    latest.clear();
    return unsubscribe(undefined, listener, bufferMode).catch(failed);
  };

  const settle = () => {
    for (const [channel, entry] of [...latest]) if (entry.failed) attempt(channel, entry.request);
  };
  sub.on('ready', settle);
  // A cluster subscriber reports each node's connection on its own.
  sub.on('node-ready', settle);
}
