// Who may read GET /metrics: its figures (meetings, sites, worker load) describe
// the deployment, so it is not public. With METRICS_TOKEN set, Prometheus sends
// it as a bearer token; without, only this machine may read it.
import { timingSafeEqual } from 'node:crypto';
import { isLoopback } from './config.ts';

export type MetricsAccess = { ok: true } | { ok: false; status: 401 | 403; message: string };

export function metricsAccess(clientIp: string, authorization: string | undefined, token?: string): MetricsAccess {
  if (token) {
    const presented = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) return { ok: true };
    return { ok: false, status: 401, message: 'Send the METRICS_TOKEN as "Authorization: Bearer <token>".' };
  }
  if (isLoopback(clientIp)) return { ok: true };
  return {
    ok: false,
    status: 403,
    message:
      '/metrics answers only this machine. Set METRICS_TOKEN and configure Prometheus with it as a bearer token.',
  };
}
