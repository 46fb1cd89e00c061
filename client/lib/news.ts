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
  private seenLines = new Set<string>();
  /** Channels with a line seen: a first line in a channel is news, lines before a seen one are an older page. */
  private channelsKnown = new Set<string>();
  /** Per deal, its status and who had accepted it. */
  private deals = new Map<string, { status: string; acceptedBy: string[] }>();

  /**
   * What is new since the last view, in words. `team`: the seat's team (none for an observer, who hears only the
   * announcements); `name`: the seat's player, whose own lines are not news (a teammate's are); `channel`: the
   * channel on screen, if the channels are.
   */
  news(v: GameView, opts: { team?: string; name?: string; channel?: string | null } = {}): string[] {
    const heard: string[] = [];
    // A line not seen before is news if it comes after a seen line of its channel: new lines are added at the end,
    // and an earlier page, loaded on request, goes before the lines the view held (the lines' times come from the
    // clocks of several processes, so they do not order them).
    const fresh: GameView['messages'] = [];
    const channelsSeen = new Set<string>();
    for (const m of v.messages) {
      if (this.seenLines.has(m.id)) {
        channelsSeen.add(m.channel);
        continue;
      }
      this.seenLines.add(m.id);
      if (channelsSeen.has(m.channel) || !this.channelsKnown.has(m.channel)) fresh.push(m);
      channelsSeen.add(m.channel);
    }
    for (const c of channelsSeen) this.channelsKnown.add(c);
    const others = fresh.filter((m) => m.from !== opts.team || m.name !== opts.name);
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
