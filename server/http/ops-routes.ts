// Health and metrics, for load balancers and Prometheus.
import { type Request, Router } from 'express';
import type { Health } from '../health.ts';
import type { Metrics } from '../metrics.ts';
import { bearer, sameSecret } from './bearer.ts';

/**
 * Who may read /metrics on this app. `onMain` false: only on the separate metrics port (this app then answers 404).
 * Otherwise a request with the token, or, without a token configured, one made directly on loopback (no proxy
 * header): a balancer in front forwards the public's requests, which are then refused.
 */
export interface MetricsAccess {
  onMain: boolean;
  token: string | undefined;
}

/** A request made on this machine itself, not passed on by a proxy. */
export function fromThisMachine(req: Request): boolean {
  const remote = req.socket.remoteAddress ?? '';
  const loopback = remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1';
  return loopback && !req.get('x-forwarded-for') && !req.get('forwarded') && !req.get('x-real-ip');
}

function mayReadMetrics(req: Request, access: MetricsAccess): boolean {
  const given = bearer(req);
  if (access.token) return given !== undefined && sameSecret(given, access.token);
  return fromThisMachine(req);
}

const UNAUTHORIZED = { error: { code: 'UNAUTHORIZED', message: 'A metrics token is required' } };
const NOT_HERE = { error: { code: 'NOT_FOUND', message: 'Metrics are served on the metrics port' } };

/** /metrics alone, for the separate metrics port. */
export function metricsRoutes(metrics: Metrics, token: string | undefined): Router {
  const r = Router();
  r.get('/metrics', async (req, res) => {
    if (token && !mayReadMetrics(req, { onMain: true, token })) return void res.status(401).json(UNAUTHORIZED);
    res.type(metrics.contentType).send(await metrics.render());
  });
  return r;
}

export function opsRoutes(
  health: Health,
  metrics: Metrics,
  access: MetricsAccess = { onMain: true, token: undefined },
): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    const { httpStatus, body } = await health.report();
    res.status(httpStatus).json(body);
  });
  r.get('/metrics', async (req, res) => {
    // With a metrics port of its own, the main port says there is nothing here (the client's catch-all would
    // otherwise answer with the start page, and a scraper pointed at the wrong port would read HTML as a 200).
    if (!access.onMain) return void res.status(404).json(NOT_HERE);
    if (!mayReadMetrics(req, access)) return void res.status(401).json(UNAUTHORIZED);
    res.type(metrics.contentType).send(await metrics.render());
  });
  return r;
}
