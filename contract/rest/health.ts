// GET /api/health/report: the health page in words (hub/health/healthReport.ts),
// shown to administrators by client/screens/admin/HealthPage.tsx.

export type HealthLevel = 'ok' | 'warn' | 'fail';

export interface Words {
  vi: string;
  en: string;
}

export const HEALTH_CHECKS = [
  'workers',
  'database',
  /** Only with several hubs (REDIS_URL). */
  'hubs',
  'disk',
  'recordings',
  'certificate',
  'turn',
  'ports',
  'backup',
  'version',
] as const;
export type HealthCheckKey = (typeof HEALTH_CHECKS)[number];

export interface HealthCheck {
  key: HealthCheckKey;
  level: HealthLevel;
  title: Words;
  state: Words;
  /** What to do; null when nothing needs doing. */
  todo: Words | null;
}

export interface HealthReport {
  /** The worst level of the checks. */
  level: HealthLevel;
  checks: HealthCheck[];
}
