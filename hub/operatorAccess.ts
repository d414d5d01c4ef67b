// Who may read what describes the deployment: GET /metrics, and the details of
// GET /api/health (worker pids, ports, loads, counts). With METRICS_TOKEN set,
// Prometheus or a monitoring script sends it as a bearer token; without, only
// this machine may read them.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../scheduler/errors.ts';
import { isLoopback } from './config.ts';

export type OperatorAccess = { ok: true } | { ok: false; error: ApiError };

const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-real-ip'];

/**
 * Whether the request comes from this machine. A loopback peer that forwards
 * someone else's request (a reverse proxy not named in TRUST_PROXY) does not
 * count: with TRUST_PROXY set, request.ip is already the proxied client's address.
 */
export function fromThisMachine(request: FastifyRequest, proxiesTrusted: boolean): boolean {
  // A peer that already hung up (a load balancer's health check) has no address left: not this machine.
  const ip: string | undefined = request.ip;
  if (!ip || !isLoopback(ip)) return false;
  return proxiesTrusted || !FORWARDING_HEADERS.some((h) => request.headers[h] !== undefined);
}

export function operatorAccess(local: boolean, authorization: string | undefined, token?: string): OperatorAccess {
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
  if (local) return { ok: true };
  return {
    ok: false,
    error: new ApiError(
      403,
      'FORBIDDEN',
      'Chỉ chính máy này được đọc mục này. Hãy đặt METRICS_TOKEN và gửi nó làm bearer token (Prometheus: authorization).',
      'Only this machine may read this. Set METRICS_TOKEN and send it as a bearer token (Prometheus: authorization).',
    ),
  };
}
