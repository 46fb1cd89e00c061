// Per-audience versions. A seat must not be able to count, or time, what it cannot see: a global version in its
// acks and patches would move with every private chat, draft and proposal of the other teams. So each audience has
// a version of its own that moves only when its view changes. Which views a command changed is decided once, by
// the process that stores it, and recorded in the log (`seen` on the command's last event): every process then
// folds the same versions, and a patch from any of them follows on from any other's (docs/protocol.md).
import {
  audienceKey,
  audiences,
  evolve,
  readableChannels,
  type GameEvent,
  type GameState,
  type Seen,
} from '../engine/index.ts';
import { ViewCache, type ViewDiff } from './view-cache.ts';

/**
 * The audiences whose view differs between two states of one game, `events` being what led from one to the other:
 * chat by the channels posted in, every other section by the view cache's `diff` of the same two states.
 */
function changedAudiences(next: GameState, events: readonly GameEvent[], diff: ViewDiff): string[] {
  // Chat (its lines, and the counts of older lines) moves only for the audiences that read a channel posted in.
  const posted = events.flatMap((e) => (e.type === 'MessagePosted' ? [e.message.channel] : []));
  const out: string[] = [];
  for (const a of audiences(next)) {
    const key = audienceKey(a);
    // Chat only grows: a view's messages changed if a new line is on a channel it reads.
    if (diff.changed.has(key) || (posted.length > 0 && readableChannels(next, a).some((ch) => posted.includes(ch))))
      out.push(key);
  }
  return out;
}

/** A command's events, the last one marked with the audiences whose view they change, and the diff that found them. */
export interface MarkedCommand {
  events: GameEvent[];
  /** The view cache's diff of the command: its sections are those of the command's patches (ViewCache.update). */
  diff: ViewDiff;
}

/**
 * Marks a command's events, `views` being the game's view cache at version `from` (the state `prev`): each
 * audience's view is built once, for the marking and for the patches sent once the command is stored.
 */
export function markCommand(
  views: ViewCache,
  prev: GameState,
  events: readonly GameEvent[],
  from: number,
): MarkedCommand {
  let next = prev;
  for (const e of events) next = evolve(next, e);
  const diff = views.diff(prev, next, from);
  const seen = events.length ? changedAudiences(next, events, diff) : [];
  if (seen.length === 0) return { events: [...events], diff };
  const last: GameEvent & Seen = { ...events[events.length - 1], seen };
  return { events: [...events.slice(0, -1), last], diff };
}

/** The events of one command, the last one marked with the audiences whose view they change (every view built). */
export function markSeen(prev: GameState, events: readonly GameEvent[]): GameEvent[] {
  return markCommand(new ViewCache(prev.id), prev, events, 0).events;
}
