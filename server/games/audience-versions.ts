// Per-audience versions. A seat must not be able to count, or time, what it cannot see: a global version in its
// acks and patches would move with every private chat, draft and proposal of the other teams. So each audience has
// a version of its own that moves only when its view changes. Which views a command changed is decided once, by
// the process that stores it, and recorded in the log (`seen` on the command's last event): every process then
// folds the same versions, and a patch from any of them follows on from any other's (docs/protocol.md).
import {
  audienceKey,
  audiences,
  changedSections,
  evolve,
  readableChannels,
  type GameEvent,
  type GameState,
  type Seen,
  wireView,
} from '../engine/index.ts';
import type { ViewDiff } from './view-cache.ts';

/**
 * The audiences whose view differs between two states of one game, `events` being what led from one to the other.
 * With the view cache's `diff` of the same two states, its comparison stands for the one outside chat.
 */
export function changedAudiences(
  prev: GameState,
  next: GameState,
  events: readonly GameEvent[],
  diff?: ViewDiff,
): string[] {
  const sections = changedSections(prev, next, true);
  // Chat (its lines, and the counts of older lines) moves only for the audiences that read a channel posted in.
  const others = sections.filter((sec) => sec !== 'messages' && sec !== 'earlierMessages');
  const posted = sections.includes('messages')
    ? events.flatMap((e) => (e.type === 'MessagePosted' ? [e.message.channel] : []))
    : [];
  const out: string[] = [];
  for (const a of audiences(next)) {
    // Chat only grows: a view's messages changed if a new line is on a channel it reads.
    let changed = posted.length > 0 && readableChannels(next, a).some((ch) => posted.includes(ch));
    if (!changed && diff) changed = diff.changed.has(audienceKey(a));
    else if (!changed && others.length) {
      const before = wireView(prev, a, others);
      const after = wireView(next, a, others);
      changed = others.some((sec) => JSON.stringify(before[sec]) !== JSON.stringify(after[sec]));
    }
    if (changed) out.push(audienceKey(a));
  }
  return out;
}

/**
 * The events of one command, the last one marked with the audiences whose view they change. `diff` is the view
 * cache's for `prev` and these events (ViewCache.diff): the views it built are not built again.
 */
export function markSeen(prev: GameState, events: readonly GameEvent[], diff?: ViewDiff): GameEvent[] {
  if (events.length === 0) return [];
  let next = prev;
  if (diff && diff.prev === prev) next = diff.next;
  else {
    diff = undefined;
    for (const e of events) next = evolve(next, e);
  }
  const seen = changedAudiences(prev, next, events, diff);
  if (seen.length === 0) return [...events];
  const last: GameEvent & Seen = { ...events[events.length - 1], seen };
  return [...events.slice(0, -1), last];
}
