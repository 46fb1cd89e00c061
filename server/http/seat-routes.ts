// The White Cell's seat menu over REST: the bot strategies on offer, and who plays a team's seat.
import { Router } from 'express';
import { SeatAssignBody } from '../../shared/seat-assignment.ts';
import type { SeatHands } from '../bots/seat-hands.ts';
import { parseBody } from './errors.ts';
import { AppError } from '../games/app-error.ts';
import { bearer } from './bearer.ts';
import { readQuery } from './query.ts';

export function seatRoutes(hands: SeatHands): Router {
  const r = Router();
  // `?scenario=<id>`: only the strategies that mean something in that exercise (without it, all of them).
  r.get('/bots/strategies', (req, res) => {
    const id = readQuery(req, ['scenario'] as const).scenario;
    if (id === undefined) return void res.json(hands.strategiesIn());
    const scenario = hands.deps.lobby.scenario(id);
    if (!scenario) throw new AppError(404, 'NO_SCENARIO', 'No such scenario');
    res.json(hands.strategiesIn(scenario));
  });
  // The same for one game, from the scenario it was made with: the White Cell's seat menu.
  r.get('/games/:id/bots/strategies', async (req, res) => {
    res.json(await hands.strategiesFor(req.params.id, bearer(req)));
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
