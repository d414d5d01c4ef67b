// GET /api/health/report: the health page in words (healthReport.ts), for a
// signed-in administrator (the administration screen) and for the readers of
// /metrics (this machine, or METRICS_TOKEN), e.g. `curl -k https://localhost/api/health/report`.
import type { FastifyInstance } from 'fastify';
import { resolvePrincipal } from '../../scheduler/auth.ts';
import { forbidden, sendError } from '../../scheduler/errors.ts';
import type { Scheduler } from '../../scheduler/index.ts';
import type { WorkerPool } from '../../sfu/WorkerPool.ts';
import type { DailyBackups } from '../backup/dailyBackups.ts';
import type { Certificate } from '../certificate.ts';
import type { HubDirectory } from '../cluster/HubDirectory.ts';
import type { Config } from '../config.ts';
import { fromThisMachine, operatorAccess } from '../operatorAccess.ts';
import { healthReport } from './healthReport.ts';

export interface HealthSources {
  config: Config;
  pool: WorkerPool;
  scheduler: Scheduler;
  backups: DailyBackups;
  certificate: Certificate | null;
  /** The deployment's hubs when this hub is one of several, else null. */
  directory: HubDirectory | null;
}

export function registerHealthReport(app: FastifyInstance, s: HealthSources): void {
  app.get('/api/health/report', async (request, reply) => {
    const principal = await resolvePrincipal(s.scheduler.db, request);
    const local = fromThisMachine(request, s.config.TRUST_PROXY.length > 0);
    const operator = operatorAccess(local, request.headers.authorization, s.config.METRICS_TOKEN).ok;
    if (principal?.user.role !== 'admin' && !operator) {
      return sendError(
        reply,
        forbidden('Trang tình trạng hệ thống dành cho quản trị viên.', 'The health page is for administrators.'),
      );
    }
    return healthReport({
      config: s.config,
      workers: { alive: s.pool.summaries().length, expected: s.config.MEDIASOUP_WORKERS },
      database: await s.scheduler.health(),
      backup: s.backups.status(),
      certificate: s.certificate?.status() ?? null,
      recordings: await s.scheduler.recordingStorage(),
      cluster: s.directory
        ? { hubId: s.directory.id, hubs: await s.directory.liveHubs().catch((err: Error) => err) }
        : null,
      uptimeSec: Math.round(process.uptime()),
      now: new Date(),
    });
  });
}
