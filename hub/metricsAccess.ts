// Who may read GET /metrics: its figures (meetings, sites, worker load) describe
// the deployment, so it is not public. With METRICS_TOKEN set, Prometheus sends
// it as a bearer token; without, only this machine may read it.
import { timingSafeEqual } from 'node:crypto';
import { ApiError } from '../scheduler/errors.ts';
import { isLoopback } from './config.ts';

export type MetricsAccess = { ok: true } | { ok: false; error: ApiError };

export function metricsAccess(clientIp: string, authorization: string | undefined, token?: string): MetricsAccess {
  if (token) {
    const presented = Buffer.from(/^Bearer (.+)$/.exec(authorization ?? '')?.[1] ?? '');
    const expected = Buffer.from(token);
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) return { ok: true };
    return {
      ok: false,
      error: new ApiError(
        401,
        'UNAUTHENTICATED',
        'Hãy gửi METRICS_TOKEN dưới dạng "Authorization: Bearer <token>".',
        'Send the METRICS_TOKEN as "Authorization: Bearer <token>".',
      ),
    };
  }
  if (isLoopback(clientIp)) return { ok: true };
  return {
    ok: false,
    error: new ApiError(
      403,
      'FORBIDDEN',
      '/metrics chỉ trả lời chính máy này. Hãy đặt METRICS_TOKEN và cấu hình Prometheus gửi nó làm bearer token.',
      '/metrics answers only this machine. Set METRICS_TOKEN and configure Prometheus with it as a bearer token.',
    ),
  };
}
