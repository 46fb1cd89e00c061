// The White Cell's roll call: how many teams have someone at the table right now.
import type { GameView } from '../../shared/views.ts';

/**
 * Teams with a seated player who is online (when the server has said who is: `online` holds their ids), or with a
 * bot, which has no socket and so is never in the presence list but always plays.
 */
export function teamsAtTable(v: GameView, online: ReadonlySet<string> | null): number {
  const players = v.control?.players ?? [];
  const here = (team: string) =>
    players.some((p) => p.role === team && p.seated && (p.bot || !online || online.has(p.id)));
  return v.teams.filter((t) => here(t.id)).length;
}
