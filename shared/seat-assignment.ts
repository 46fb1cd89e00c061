// Who plays a team's seat besides the people who joined with its code: REST bodies for the White Cell's seat menu.
// POST /api/games/:id/seats/:team with a White Cell token; docs/protocol.md shows an example of each.
import { z } from 'zod';
import type { JoinResult } from './protocol.ts';

export const SeatAssignBody = z.discriminatedUnion('by', [
  /** A bot plays the team with a strategy from GET /api/bots/strategies (replacing any bot or White Cell there). */
  z.strictObject({ by: z.literal('bot'), strategy: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/) }),
  /** The calling White Cell member plays the team: the answer carries a team seat token. */
  z.strictObject({ by: z.literal('whiteCell') }),
  /** The team's own people again: any bot leaves and White Cell seats on the team are signed out. */
  z.strictObject({ by: z.literal('players') }),
]);
export type SeatAssignBody = z.infer<typeof SeatAssignBody>;

export interface SeatAssignResult {
  team: string;
  by: SeatAssignBody['by'];
  /** The seat to open, for by: 'whiteCell'. */
  seat?: JoinResult;
}

export interface BotStrategyInfo {
  id: string;
  name: string;
  summary: string;
}
