// Health and metrics, for load balancers and Prometheus.
import { Router } from 'express';
import type { Health } from '../health.ts';
import type { Metrics } from '../metrics.ts';

export function opsRoutes(health: Health, metrics: Metrics): Router {
  const r = Router();
  r.get('/healthz', async (_req, res) => {
    const { httpStatus, body } = await health.report();
    res.status(httpStatus).json(body);
  });
  r.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.render());
  });
  return r;
}
