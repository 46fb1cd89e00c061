// What others did that a player should hear as it happens, for a screen reader: a sighted player sees a badge or a
// banner appear, a blind one hears nothing unless it is said. Kept short and to what concerns the seat: deals
// addressed to its team and answers to the team's own proposals, the White Cell's announcements, and new lines in
// the channel on screen (the others are counted on the Channels tab).
import type { GameView } from '../../shared/views.ts';
import { isAnnouncement } from './announcements.ts';
import { teamName } from './format.ts';

/** How much of a chat line is read out: enough to tell what it is about; the channel shows the rest. */
const SAY_CHARS = 160;
const clip = (text: string) => (text.length > SAY_CHARS ? `${text.slice(0, SAY_CHARS - 1)}…` : text);

export class NewsWatcher {
  /** Nothing is news until a first view has been seen: a page opened mid-game hears none of what it finds. */
  private started = false;
  /** The newest line seen: lines older than it (an earlier page loaded on request) are not news. */
  private newestAt = 0;
  private seenLines = new Set<string>();
  /** Per deal, its status and who had accepted it. */
  private deals = new Map<string, { status: string; acceptedBy: string[] }>();

  /**
   * What is new since the last view, in words. `team`: the seat's team (none for an observer, who hears only the
   * announcements); `channel`: the channel on screen, if the channels are.
   */
  news(v: GameView, opts: { team?: string; channel?: string | null } = {}): string[] {
    const heard: string[] = [];
    const fresh: GameView['messages'] = [];
    let newest = this.newestAt;
    for (const m of v.messages) {
      if (this.seenLines.has(m.id)) continue;
      this.seenLines.add(m.id);
      if (m.at >= this.newestAt) fresh.push(m);
      newest = Math.max(newest, m.at);
    }
    this.newestAt = newest;
    const others = fresh.filter((m) => m.from !== opts.team);
    for (const m of others.filter(isAnnouncement)) heard.push(`Announcement from the White Cell: ${clip(m.text)}`);
    const onScreen = others.filter((m) => !isAnnouncement(m) && opts.channel && m.channel === opts.channel);
    if (onScreen.length > 3) heard.push(`${onScreen.length} new messages in this channel`);
    else for (const m of onScreen) heard.push(`${m.name}: ${clip(m.text)}`);

    const team = opts.team;
    for (const d of v.deals) {
      const before = this.deals.get(d.id);
      this.deals.set(d.id, { status: d.status, acceptedBy: [...d.acceptedBy] });
      if (!team) continue;
      if (!before && d.status === 'proposed' && d.from !== team && d.to.includes(team))
        heard.push(`${teamName(v, d.from)} proposes a deal`);
      if (!before || d.from !== team) continue;
      for (const t of d.acceptedBy)
        if (t !== team && !before.acceptedBy.includes(t)) heard.push(`${teamName(v, t)} accepted our deal`);
      if (before.status === 'proposed' && d.status === 'rejected')
        heard.push(`Our deal with ${d.to.map((t) => teamName(v, t)).join(' and ')} was turned down`);
    }
    if (!this.started) {
      this.started = true;
      return [];
    }
    return heard;
  }
}
