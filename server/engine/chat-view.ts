// Chat as an audience sees it, without ever walking the whole history: the state keeps each channel's lines apart
// (in chunks), a whole view carries only the latest lines of each readable channel, a patch only the lines added
// since the audience's last one, and older lines come a page at a time on request. Every function here answers
// for one audience, through the same channel membership as the view's `channels` section.
import { MESSAGE_PAGE, RECENT_MESSAGES, type GameView } from '../../shared/views.ts';
import { channelsFor } from './channels.ts';
import { MESSAGE_CHUNK, type Audience, type GameState, type Message } from './types.ts';

const RECENT_LINES = RECENT_MESSAGES;
const PAGE_LINES = MESSAGE_PAGE;

type Line = GameView['messages'][number];

/** The readable channel ids of each audience: they depend on the scenario's teams alone, so they are kept. */
const readableMemo = new WeakMap<readonly { id: string }[], readonly string[]>();

export function readableChannels(s: GameState, a: Audience): readonly string[] {
  const channels = channelsFor(s, a);
  let ids = readableMemo.get(channels);
  if (!ids) {
    ids = Object.freeze(channels.map((c) => c.id));
    readableMemo.set(channels, ids);
  }
  return ids;
}

/** How many lines a channel holds (constant time: only the last chunk is short). */
export function channelLength(s: GameState, channel: string): number {
  // Own keys only: a channel named "constructor" or "__proto__" is no channel, not Object's.
  const chunks = Object.hasOwn(s.messages, channel) ? s.messages[channel] : undefined;
  if (!chunks?.length) return 0;
  return (chunks.length - 1) * MESSAGE_CHUNK + chunks[chunks.length - 1].length;
}

/** Every line of every channel, in the order posted (by time; a channel's own order where times tie). */
export function allMessages(s: GameState): Message[] {
  return Object.values(s.messages)
    .flatMap((chunks) => chunks.flat())
    .sort((a, b) => a.at - b.at);
}

/** Lines `from` (inclusive) to `to` (exclusive) of a channel, in order. */
function linesOf(s: GameState, channel: string, from: number, to: number): Message[] {
  const chunks = s.messages[channel] ?? [];
  const out: Message[] = [];
  for (let i = from; i < to; i++) out.push(chunks[Math.floor(i / MESSAGE_CHUNK)][i % MESSAGE_CHUNK]);
  return out;
}

/** The whole view's `messages`: the latest RECENT_LINES of each readable channel, channel after channel. */
export function recentMessages(s: GameState, a: Audience): Line[] {
  const out: Line[] = [];
  for (const ch of readableChannels(s, a)) {
    const n = channelLength(s, ch);
    if (n) out.push(...linesOf(s, ch, Math.max(0, n - RECENT_LINES), n));
  }
  return out;
}

/**
 * Every line of the audience's readable channels, channel after channel as in the whole view: for the record (export,
 * report, replay), which must hold the whole conversation, not the latest lines a live screen starts from.
 */
export function readableMessages(s: GameState, a: Audience): Line[] {
  const out: Line[] = [];
  for (const ch of readableChannels(s, a)) out.push(...linesOf(s, ch, 0, channelLength(s, ch)));
  return out;
}

/** The whole view's `earlierMessages`: per readable channel, how many older lines `messages` leaves out. */
export function earlierCounts(s: GameState, a: Audience): Record<string, number> {
  const out: Record<string, number> = {};
  for (const ch of readableChannels(s, a)) out[ch] = Math.max(0, channelLength(s, ch) - RECENT_LINES);
  return out;
}

/** How many lines of each readable channel an audience holds once it has the current state's view. */
export function heldCounts(s: GameState, a: Audience): Map<string, number> {
  return new Map(readableChannels(s, a).map((ch) => [ch, channelLength(s, ch)] as const));
}

/**
 * The lines added to the audience's channels since `held` was counted, in channel order; `held` moves on to now.
 * Costs a few operations per readable channel plus the new lines, however long the game has run.
 */
export function messagesSince(s: GameState, a: Audience, held: Map<string, number>): Line[] {
  const out: Line[] = [];
  for (const ch of readableChannels(s, a)) {
    const n = channelLength(s, ch);
    const had = held.get(ch) ?? 0;
    if (n > had) out.push(...linesOf(s, ch, had, n));
    held.set(ch, n);
  }
  return out;
}

/**
 * Up to `limit` lines of a channel just before line `before`, or null when the audience cannot read the channel.
 * An unreadable channel and an unknown one answer alike, so asking reveals nothing.
 */
export function olderMessages(
  s: GameState,
  a: Audience,
  channel: string,
  before: number,
  limit: number = PAGE_LINES,
): { channel: string; start: number; messages: Line[] } | null {
  if (!readableChannels(s, a).includes(channel)) return null;
  const end = Math.min(Math.max(0, Math.floor(before)), channelLength(s, channel));
  const start = Math.max(0, end - Math.min(Math.max(1, Math.floor(limit)), PAGE_LINES));
  return { channel, start, messages: linesOf(s, channel, start, end) };
}
