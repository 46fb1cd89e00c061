// Health and metrics, for load balancers and Prometheus.
import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import type { EventStore } from '../store/event-store.ts';
import type { Metrics } from '../metrics.ts';

/**
 * Who may read /metrics on this app. `onMain` false: only on the separate metrics port (this app then answers 404).
 * Otherwise a request with the token, or, without a token configured, one made directly on loopback (no proxy
 * header): a balancer in front forwards the public's requests, which are then refused.
 */
export interface MetricsAccess {
  onMain: boolean;
  token: string | undefined;
}

const same = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

function mayReadMetrics(req: Request, access: MetricsAccess): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  if (access.token) return !!m && same(m[1], access.token);
  const remote = req.socket.remoteAddress ?? '';
  const loopback = remote === '127.0.0.1' || remote === '::1' || remote === '::ffff:127.0.0.1';
  return loopback && !req.get('x-forwarded-for') && !req.get('forwarded') && !req.get('x-real-ip');
}

/** /metrics alone, for the separate metrics port. */
export function metricsRoutes(metrics: Metrics, token: string | undefined): Router {
  const r = Router();
  r.get('/metrics', (req, res) => {
    if (token && !mayReadMetrics(req, { onMain: true, token }))
      return void res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'A metrics token is required' } });
    res.type('text/plain; version=0.0.4').send(metrics.render());
  });
  return r;
}

export function opsRoutes(store: EventStore, metrics: Metrics, access: MetricsAccess): Router {
  const r = Router();
  const started = Date.now();
  r.get('/healthz', async (_req, res) => {
    let storeStatus = 'ok';
    try {
      // A cheap read that fails once the store is closed or unreachable.
      await store.version('healthz');
    } catch {
      storeStatus = 'unavailable';
    }
    res
      .status(storeStatus === 'ok' ? 200 : 503)
      .json({ ok: storeStatus === 'ok', store: storeStatus, uptime: Math.round((Date.now() - started) / 1000) });
  });
  if (access.onMain)
    r.get('/metrics', (req, res) => {
      if (!mayReadMetrics(req, access))
        return void res.status(401).json({ error: { code: 'UNAUTHORIZED', message: 'A metrics token is required' } });
      res.type('text/plain; version=0.0.4').send(metrics.render());
    });
  return r;
}
