// The record's REST routes: the research export, the replay (the scrubber's steps, and the view at a version), and
// fork. Each takes the caller's seat token as `Authorization: Bearer`; docs/export.md describes them.
import { Router, type Request } from 'express';
import { ForkBody } from '../../shared/protocol.ts';
import { exportJsonText, exportZip, reportHtml, reportMarkdown } from '../record/export.ts';
import type { RecordDesk } from '../record/desk.ts';
import type { Lobby } from '../lobby/lobby.ts';
import { AppError } from '../games/app-error.ts';
import { bearer } from './bearer.ts';
import { parseBody } from './errors.ts';
import { readQuery } from './query.ts';

/**
 * A download's query, read once: `?format=` one of `allowed` (the first when absent), and `?pseudonymise=` (or the
 * US spelling) on for 1, true, yes or on, off when absent or 0, false, no or off. Anything else is refused rather
 * than quietly replaced: a researcher who asked for pseudonyms must not get the names.
 */
function download<T extends string>(req: Request, allowed: readonly T[]): { as: T; pseudonymised: boolean } {
  const query = readQuery(req, ['format', 'pseudonymise', 'pseudonymize'] as const);
  const f = query.format ?? allowed[0];
  if (!(allowed as readonly string[]).includes(f))
    throw new AppError(400, 'BAD_REQUEST', `format: one of ${allowed.join(', ')}`);
  const given = [query.pseudonymise, query.pseudonymize].filter((v) => v !== undefined);
  const value = given.length === 1 ? given[0].toLowerCase() : given.length === 0 ? '' : null;
  if (value !== null && ['1', 'true', 'yes', 'on'].includes(value)) return { as: f as T, pseudonymised: true };
  if (value !== null && ['0', 'false', 'no', 'off', ''].includes(value)) return { as: f as T, pseudonymised: false };
  throw new AppError(
    400,
    'BAD_REQUEST',
    'pseudonymise: give it once, as 1, true, yes or on, or as 0, false, no or off',
  );
}

export function recordRoutes(desk: RecordDesk, lobby: Lobby): Router {
  const r = Router();
  r.get('/games/:id/export', async (req, res) => {
    const { as, pseudonymised } = download(req, ['zip', 'json'] as const);
    const x = await desk.export(req.params.id, bearer(req), pseudonymised);
    const name = `flywheel-${x.json.gameId}-${x.json.audience.replace(':', '-')}${x.json.pseudonymised ? '-pseudonymised' : ''}`;
    res.set('cache-control', 'no-store');
    if (as === 'json') {
      res.type('application/json').attachment(`${name}.json`).send(exportJsonText(x));
    } else {
      res
        .type('application/zip')
        .attachment(`${name}.zip`)
        .send(Buffer.from(exportZip(x)));
    }
  });
  r.get('/games/:id/report', async (req, res) => {
    const { as, pseudonymised } = download(req, ['html', 'md'] as const);
    const x = await desk.export(req.params.id, bearer(req), pseudonymised);
    res.set('cache-control', 'no-store');
    if (as === 'md') res.type('text/markdown').send(reportMarkdown(x));
    else res.type('text/html').send(reportHtml(x));
  });
  r.get('/games/:id/replay', async (req, res) => {
    const { audience } = readQuery(req, ['audience'] as const);
    res.set('cache-control', 'no-store').json(await desk.steps(req.params.id, bearer(req), audience));
  });
  r.get('/games/:id/replay/:version', async (req, res) => {
    // Digits only: Number() would also read "0x10", "1e3" or " 7 " as versions.
    const version = /^\d{1,15}$/.test(req.params.version) ? Number(req.params.version) : Number.NaN;
    const { audience } = readQuery(req, ['audience'] as const);
    res.set('cache-control', 'no-store').json(await desk.view(req.params.id, bearer(req), audience, version));
  });
  r.post('/games/:id/fork', async (req, res) => {
    const body = parseBody(ForkBody, req.body ?? {});
    res.status(201).json(await lobby.forkGame(req.params.id, bearer(req), body.round, body.name));
  });
  return r;
}
