// Channels: team-internal, one per pair of teams, plenary, and White Cell announcements. Membership is fixed by the
// scenario's teams; the White Cell reads every channel.
import type { Audience, GameState, Scenario, TeamId } from './types.ts';

export interface Channel {
  id: string;
  name: string;
  members: TeamId[];
  canPost: boolean;
}

export function allChannels(s: GameState): Omit<Channel, 'canPost'>[] {
  const teams = s.scenario.teams;
  const out: Omit<Channel, 'canPost'>[] = [
    { id: 'announcements', name: 'White Cell announcements', members: teams.map((t) => t.id) },
    { id: 'plenary', name: 'Plenary', members: teams.map((t) => t.id) },
  ];
  for (const t of teams) out.push({ id: `team:${t.id}`, name: `${t.name} (team)`, members: [t.id] });
  for (let i = 0; i < teams.length; i++)
    for (let j = i + 1; j < teams.length; j++)
      out.push({
        id: `bi:${teams[i].id}:${teams[j].id}`,
        name: `${teams[i].short}–${teams[j].short}`,
        members: [teams[i].id, teams[j].id],
      });
  return out;
}

/**
 * The channels of each audience depend on the scenario's teams alone, and every command asks for them (to check a
 * post, and to tell which audiences a line reaches): they are built once per scenario and audience, and frozen.
 */
const memo = new WeakMap<Scenario, Map<string, readonly Channel[]>>();

/** The channels an audience may read, and whether it may post in each. */
export function channelsFor(s: GameState, a: Audience): readonly Channel[] {
  let byAudience = memo.get(s.scenario);
  if (!byAudience) {
    byAudience = new Map();
    memo.set(s.scenario, byAudience);
  }
  const key = a.kind === 'team' ? `team:${a.team}` : a.kind;
  const channels = byAudience.get(key);
  if (!channels) {
    const built: readonly Channel[] = Object.freeze(buildChannels(s, a).map((ch) => Object.freeze(ch)));
    byAudience.set(key, built);
    return built;
  }
  return channels;
}

function buildChannels(s: GameState, a: Audience): Channel[] {
  return allChannels(s).flatMap((ch): Channel[] => {
    if (a.kind === 'control') return [{ ...ch, canPost: true }];
    if (a.kind === 'observer')
      return ch.id === 'plenary' || ch.id === 'announcements' ? [{ ...ch, canPost: false }] : [];
    if (ch.id === 'announcements') return [{ ...ch, canPost: false }];
    return ch.members.includes(a.team) ? [{ ...ch, canPost: true }] : [];
  });
}
