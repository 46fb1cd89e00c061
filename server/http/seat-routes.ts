// The White Cell's seat menu over REST: the bot strategies on offer, and who plays a team's seat.
import { Router } from 'express';
import { SeatAssignBody } from '../../shared/seat-assignment.ts';
import { strategyList } from '../bots/library.ts';
import type { SeatHands } from '../bots/seat-hands.ts';
import { parseBody } from './errors.ts';
import { bearer } from './bearer.ts';

export function seatRoutes(hands: SeatHands): Router {
  const r = Router();
  r.get('/bots/strategies', (_req, res) => {
    res.json(strategyList());
  });
  r.post('/games/:id/seats/:team', async (req, res) => {
    const body = parseBody(SeatAssignBody, req.body ?? {});
    res.json(await hands.assign(req.params.id, req.params.team, bearer(req), body));
  });
  r.post('/games/:id/seats/:team/reclaim', async (req, res) => {
    res.json(await hands.reclaim(req.params.id, req.params.team, bearer(req)));
  });
  return r;
}
