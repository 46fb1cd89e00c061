// The built browser client (dist/client), with an SPA fallback so that a deep link such as /play/abc loads the app.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

const NOT_BUILT = `<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Flywheel</title>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto">
<h1>Flywheel server is running</h1>
<p>The browser client has not been built yet. Run <code>npm run build:client</code>, then reload this page.</p>
<p>The API is at <code>/api</code>; see docs/protocol.md.</p>
</body></html>
`;

export function staticClient(clientDir: string): Router {
  const r = Router();
  r.use(express.static(clientDir, { index: 'index.html', fallthrough: true }));
  r.get('/{*splat}', (req, res, next) => {
    if (req.path.startsWith('/api/') || req.path === '/api' || req.path.startsWith('/socket.io')) return next();
    // Checked per request: the client may be built while the server runs.
    if (existsSync(join(clientDir, 'index.html'))) return res.sendFile('index.html', { root: clientDir });
    if (req.path === '/') return res.type('html').send(NOT_BUILT);
    next();
  });
  return r;
}
