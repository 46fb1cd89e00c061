// Health and metrics, for load balancers and Prometheus.
import { Router } from 'express';
import type { EventStore } from '../store/event-store.ts';
import type { Metrics } from '../metrics.ts';

export function opsRoutes(store: EventStore, metrics: Metrics): Router {
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
  r.get('/metrics', (_req, res) => {
    res.type('text/plain; version=0.0.4').send(metrics.render());
  });
  return r;
}
