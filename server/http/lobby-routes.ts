// The lobby's REST routes: scenarios, create a game, join one, the White Cell's join codes and the export.
// Creating and joining are limited per client address (docs/operations.md, "Limits"); each refusal is logged
// with the address, as express sees it behind the trusted proxies.
import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import {
  CreateGameBody,
  JoinBody,
  JoinPreviewBody,
  MovePlayerBody,
  RenamePlayerBody,
  RotateCodesBody,
} from '../../shared/protocol.ts';
import type { Limits } from '../config.ts';
import { AppError } from '../games/app-error.ts';
import type { Lobby } from '../lobby/lobby.ts';
import type { Logger } from '../log.ts';
import { parseBody } from './errors.ts';
import { KeyedBuckets } from './keyed-buckets.ts';

/** `Authorization: Bearer <token>`, or undefined. */
export function bearer(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return m?.[1];
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function lobbyRoutes(lobby: Lobby, limits: Limits, log: Logger): Router {
  const r = Router();
  const creations = new KeyedBuckets(limits.createRate, limits.createRate);
  const wrongCodes = new KeyedBuckets(limits.joinFailures, limits.joinFailures);
  const refuse = (req: Request, status: number, code: string, message: string) => {
    log.warn('request refused', { ip: req.ip, method: req.method, path: req.path, status, code });
    return new AppError(status, code, message);
  };
  const tooMany = (req: Request, res: { set(k: string, v: string): unknown }, buckets: KeyedBuckets) => {
    res.set('Retry-After', String(Math.max(1, buckets.retryAfter(req.ip ?? ''))));
    return refuse(req, 429, 'TOO_MANY_REQUESTS', 'Too many requests from your address; try again later');
  };

  r.get('/scenarios', (_req, res) => {
    res.json(lobby.scenarios());
  });
  r.post('/games', async (req, res) => {
    const key = limits.createKey;
    if (key) {
      const given = bearer(req);
      if (!given || !same(given, key))
        throw refuse(req, 401, 'CREATE_KEY_REQUIRED', 'Creating a game needs the organizer key of this server');
    }
    if (!creations.take(req.ip ?? '')) throw tooMany(req, res, creations);
    res.status(201).json(await lobby.createGame(parseBody(CreateGameBody, req.body)));
  });
  // Guessing codes is slowed down per address: once its wrong guesses are spent, even a right one waits. The
  // preview answers whether a code exists, so it spends from the same budget: it is no cheaper oracle than joining.
  const guarded =
    <T>(run: (req: Request) => Promise<T>) =>
    async (req: Request, res: { set(k: string, v: string): unknown; json(body: T): unknown }) => {
      const ip = req.ip ?? '';
      if (wrongCodes.empty(ip)) throw tooMany(req, res, wrongCodes);
      try {
        res.json(await run(req));
      } catch (err) {
        if (err instanceof AppError && err.code === 'BAD_CODE') {
          wrongCodes.take(ip);
          log.warn('request refused', { ip, method: req.method, path: req.path, status: 403, code: err.code });
        }
        throw err;
      }
    };
  r.post(
    '/join/preview',
    guarded((req) => lobby.preview(parseBody(JoinPreviewBody, req.body))),
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
