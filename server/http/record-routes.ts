// The record's REST routes: the research export, the replay (the scrubber's steps, and the view at a version), and
// fork. Each takes the caller's seat token as `Authorization: Bearer`; docs/export.md describes them.
import { Router, type Request } from 'express';
import { ForkBody } from '../../shared/protocol.ts';
import { exportJsonText, exportZip, reportHtml, reportMarkdown } from '../record/export.ts';
import type { RecordDesk } from '../record/desk.ts';
import type { Lobby } from '../lobby/lobby.ts';
import { parseBody } from './errors.ts';

function bearer(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  return m?.[1];
}

const flag = (v: unknown) => v === '1' || v === 'true';

export function recordRoutes(desk: RecordDesk, lobby: Lobby): Router {
  const r = Router();
  r.get('/games/:id/export', async (req, res) => {
    const x = await desk.export(req.params.id, bearer(req), flag(req.query.pseudonymise));
    const name = `flywheel-${x.json.gameId}-${x.json.audience.replace(':', '-')}`;
    res.set('cache-control', 'no-store');
    if (req.query.format === 'json') {
      res.type('application/json').attachment(`${name}.json`).send(exportJsonText(x));
    } else {
      res
        .type('application/zip')
        .attachment(`${name}.zip`)
        .send(Buffer.from(exportZip(x)));
    }
  });
  r.get('/games/:id/report', async (req, res) => {
    const x = await desk.export(req.params.id, bearer(req), flag(req.query.pseudonymise));
    res.set('cache-control', 'no-store');
    if (req.query.format === 'md') res.type('text/markdown').send(reportMarkdown(x));
    else res.type('text/html').send(reportHtml(x));
  });
  r.get('/games/:id/replay', async (req, res) => {
    res.set('cache-control', 'no-store').json(await desk.steps(req.params.id, bearer(req), req.query.audience));
  });
  r.get('/games/:id/replay/:version', async (req, res) => {
    // Digits only: Number() would also read "0x10", "1e3" or " 7 " as versions.
    const version = /^\d{1,15}$/.test(req.params.version) ? Number(req.params.version) : Number.NaN;
    res.set('cache-control', 'no-store').json(await desk.view(req.params.id, bearer(req), req.query.audience, version));
  });
  r.post('/games/:id/fork', async (req, res) => {
    const body = parseBody(ForkBody, req.body ?? {});
    res.status(201).json(await lobby.forkGame(req.params.id, bearer(req), body.round, body.name));
  });
  return r;
}
