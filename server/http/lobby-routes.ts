// The lobby's REST routes: scenarios, create a game, join one, the White Cell's join codes and the export.
// Creating and joining are limited per client address (docs/operations.md, "Limits"); each refusal is logged
// with the address, as express sees it behind the trusted proxies.
import { Router, type Request } from 'express';
import {
  CreateGameBody,
  JoinBody,
  JoinPreviewBody,
  MovePlayerBody,
  RenamePlayerBody,
  RotateCodesBody,
} from '../../shared/protocol.ts';
import type { Lobby } from '../lobby/lobby.ts';
import { AppError } from '../games/app-error.ts';
import { parseBody } from './errors.ts';
import { bearer } from './bearer.ts';
import type { Gates } from './gates.ts';

/** A seminar's short code typed where a game's is expected: the seminar it leads to, if any. */
export type SeminarByCode = (code: string) => Promise<{ title: string; joinCode: string } | null>;

export function lobbyRoutes(lobby: Lobby, gates: Gates, seminar?: SeminarByCode): Router {
  const r = Router();

  r.get('/scenarios', (_req, res) => {
    res.json(lobby.scenarios());
  });
  r.post('/games', async (req, res) => {
    gates.create(req, res);
    res.status(201).json(await lobby.createGame(parseBody(CreateGameBody, req.body)));
  });
  // Guessing codes is slowed down per address: once its wrong guesses are spent, even a right one waits. The
  // preview answers whether a code exists, so it spends from the same budget: it is no cheaper oracle than joining.
  const guarded =
    <T>(run: (req: Request) => Promise<T>) =>
    async (req: Request, res: { set(k: string, v: string): unknown; json(body: T): unknown }) => {
      res.json(await gates.guess(req, res, () => run(req)));
    };
  // A short code may be a seminar's: one guess answers for both, so /join leads a student to the seminar page.
  r.post(
    '/join/preview',
    guarded(async (req) => {
      const body = parseBody(JoinPreviewBody, req.body);
      try {
        return await lobby.preview(body);
      } catch (err) {
        const found = err instanceof AppError && err.code === 'BAD_CODE' && seminar ? await seminar(body.code) : null;
        if (!found) throw err;
        return {
          title: found.title,
          role: 'team',
          team: null,
          seatName: 'a student',
          seminar: found.joinCode,
        } as const;
      }
    }),
  );
  r.post(
    '/join',
    guarded((req) => lobby.join(parseBody(JoinBody, req.body))),
  );
  r.get('/games/:id/codes', async (req, res) => {
    res.json(await lobby.codes(req.params.id, bearer(req)));
  });
  r.post('/games/:id/players/:playerId/remove', async (req, res) => {
    res.json(await lobby.removePlayer(req.params.id, bearer(req), req.params.playerId));
  });
  r.post('/games/:id/players/:playerId/rename', async (req, res) => {
    const { name } = parseBody(RenamePlayerBody, req.body);
    res.json(await lobby.renamePlayer(req.params.id, bearer(req), req.params.playerId, name));
  });
  r.post('/games/:id/players/:playerId/move', async (req, res) => {
    const { to } = parseBody(MovePlayerBody, req.body);
    res.json(await lobby.movePlayer(req.params.id, bearer(req), req.params.playerId, to));
  });
  r.post('/games/:id/codes/rotate', async (req, res) => {
    // An empty body means "rotate, revoke nothing".
    const body = parseBody(RotateCodesBody, req.body ?? {});
    res.json(await lobby.rotateCodes(req.params.id, bearer(req), body.revokeSeats));
  });
  return r;
}
