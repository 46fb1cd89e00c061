// Which White Cell announcements still speak to the room, for the banner on every screen and the projector.
import type { GameView } from '../../shared/views.ts';
import { isOverPhase } from '../../shared/phases.ts';

export const isAnnouncement = (m: GameView['messages'][number]) => m.channel === 'announcements';

/** How many announcements the game has made: the view may leave the older ones out (`earlierMessages`). */
export const announcementCount = (v: GameView) =>
  (v.earlierMessages.announcements ?? 0) + v.messages.filter(isAnnouncement).length;

/**
 * The announcements that still speak to the room: those of the current round made since the last reveal (so at a
 * reveal, only those made after it: "Two minutes to submission" is over once the round is revealed) and, once the
 * game is over, only those made since the last reveal. "Ten minutes' break" from round 1 is in the channel, not on
 * the debrief's board.
 */
export function currentAnnouncements(v: GameView) {
  const over = isOverPhase(v.game.phase);
  const lastReveal = Math.max(0, ...v.reveals.map((r) => r.at), ...v.earlierReveals.map((r) => r.at));
  return v.messages.filter(isAnnouncement).filter((m) => (over || m.round === v.game.round) && m.at >= lastReveal);
}
