// The lobby's REST routes: scenarios, create a game, join one, and the White Cell's join codes.
import { Router, type Request } from 'express';
import { CreateGameBody, JoinBody, JoinPreviewBody, RotateCodesBody } from '../../shared/protocol.ts';
import type { Lobby } from '../lobby/lobby.ts';
import { parseBody } from './errors.ts';

/** `Authorization: Bearer <token>`, or undefined. */
function bearer(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return m?.[1];
}

export function lobbyRoutes(lobby: Lobby): Router {
  const r = Router();
  r.get('/scenarios', (_req, res) => {
    res.json(lobby.scenarios());
  });
  r.post('/games', async (req, res) => {
    res.status(201).json(await lobby.createGame(parseBody(CreateGameBody, req.body)));
  });
  r.post('/join/preview', async (req, res) => {
    res.json(await lobby.preview(parseBody(JoinPreviewBody, req.body)));
  });
  r.post('/join', async (req, res) => {
    res.json(await lobby.join(parseBody(JoinBody, req.body)));
  });
  r.get('/games/:id/codes', async (req, res) => {
    res.json(await lobby.codes(req.params.id, bearer(req)));
  });
  r.post('/games/:id/players/:playerId/remove', async (req, res) => {
    res.json(await lobby.removePlayer(req.params.id, bearer(req), req.params.playerId));
  });
  r.post('/games/:id/codes/rotate', async (req, res) => {
    // An empty body means "rotate, revoke nothing".
    const body = parseBody(RotateCodesBody, req.body ?? {});
    res.json(await lobby.rotateCodes(req.params.id, bearer(req), body.revokeSeats));
  });
  return r;
}
