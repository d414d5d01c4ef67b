// The hub's whole configuration: read once from environment variables, each
// with a documented default (see .env.example), validated at start.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { SchedulerConfig, SmtpConfig } from '../scheduler/config.ts';
import { DirectorySettingError, ldapSettings, oidcSettings } from '../scheduler/directory/settings.ts';
import { cascadeSettings } from './settings/cascade.ts';
import { clusterSettings } from './settings/cluster.ts';
import { directorySettings } from './settings/directory.ts';
import { mailSettings } from './settings/mail.ts';
import { mediaSettings } from './settings/media.ts';
import { scheduleSettings } from './settings/schedule.ts';
import { serverSettings } from './settings/server.ts';
import { sipSettings } from './settings/sip.ts';
import { storageSettings } from './settings/storage.ts';
import { turnIceServers } from './turn.ts';

const schema = z.object({
  ...serverSettings,
  ...storageSettings,
  ...mediaSettings,
  ...scheduleSettings,
  ...mailSettings,
  ...directorySettings,
  ...clusterSettings,
  ...cascadeSettings,
  ...sipSettings,
});

type Env = z.infer<typeof schema>;

type Derived =
  | 'DATABASE_URL'
  | 'BACKUP_DIR'
  | 'BACKUP_DAILY_AT'
  | 'RECORDINGS_DIR'
  | 'RTC_ANNOUNCED_ADDRESS'
  | 'TURN_URLS'
  | 'DEMO_DATA'
  | 'TRUST_PROXY'
  | 'ALLOWED_ORIGINS'
  | 'SMTP_URL'
  | 'SMTP_HOST'
  | 'SMTP_PORT'
  | 'SMTP_SECURE'
  | 'SMTP_USER'
  | 'SMTP_PASSWORD'
  | 'MAIL_FROM'
  | 'HUB_ID'
  | 'HUB_PIPE_ADDRESS'
  | 'CASCADE_PIPE_ADDRESS';

export interface Config extends Omit<Env, Derived> {
  DATABASE_URL: string;
  BACKUP_DIR: string;
  /** null: no scheduled backups. */
  BACKUP_DAILY_AT: string | null;
  RECORDINGS_DIR: string;
  RTC_ANNOUNCED_ADDRESS: string;
  TURN_URLS: string[];
  DEMO_DATA: boolean;
  TRUST_PROXY: string[];
  ALLOWED_ORIGINS: string[];
  smtp: SmtpConfig | null;
  HUB_ID: string;
  HUB_PIPE_ADDRESS: string;
  CASCADE_PIPE_ADDRESS: string;
}

export class ConfigError extends Error {}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function isLoopback(host: string): boolean {
  // A dual-stack socket reports IPv4 clients as IPv4-mapped IPv6 addresses.
  const h = host.replace(/^::ffff:/, '');
  return LOOPBACK.has(h) || h.startsWith('127.');
}

/** Whether others can reach the hub: a non-loopback HOST, or a loopback one behind a reverse proxy. */
export function reachableFromNetwork(config: Pick<Config, 'HOST' | 'TRUST_PROXY'>): boolean {
  return !isLoopback(config.HOST) || config.TRUST_PROXY.length > 0;
}

function firstExternalIPv4(): string {
  for (const addrs of Object.values(os.networkInterfaces())) {
    const found = addrs?.find((a) => a.family === 'IPv4' && !a.internal);
    if (found) return found.address;
  }
  return '127.0.0.1';
}

/** Reads and validates the configuration; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration (see .env.example):\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (!c.HTTPS && !isLoopback(c.HOST)) {
    throw new ConfigError(
      `HTTPS=false is only allowed when HOST is a loopback address (got HOST=${c.HOST}): browsers refuse camera and microphone on plain HTTP.`,
    );
  }
  if (Boolean(c.TLS_CERT_FILE) !== Boolean(c.TLS_KEY_FILE)) {
    throw new ConfigError(
      'Set both TLS_CERT_FILE and TLS_KEY_FILE, or neither (a self-signed certificate is generated).',
    );
  }
  const reachable = reachableFromNetwork({ HOST: c.HOST, TRUST_PROXY: list(c.TRUST_PROXY) });
  const demoData = c.DEMO_DATA ?? !reachable;
  if (demoData && reachable && !c.FORCE_DEMO_DATA_ON_NETWORK) {
    const where = isLoopback(c.HOST) ? `behind a reverse proxy (TRUST_PROXY=${c.TRUST_PROXY})` : `on HOST=${c.HOST}`;
    throw new ConfigError(
      `DEMO_DATA=true is refused ${where}: the demo accounts' passwords are printed in the README, so anyone reaching the hub could log in as administrator. ` +
        'Use HOST=127.0.0.1 for a demo, or create the first administrator with `npm run create-admin -- --login <name>`. ' +
        '(A throwaway demo on a closed network: FORCE_DEMO_DATA_ON_NETWORK=true.)',
    );
  }
  checkDirectory(c);
  checkCluster(c);
  checkCascade(c);
  const dataDir = path.resolve(c.DATA_DIR);
  const announced = c.RTC_ANNOUNCED_ADDRESS || firstExternalIPv4();
  return {
    ...c,
    DATA_DIR: dataDir,
    DATABASE_URL: c.DATABASE_URL ?? `file:${path.join(dataDir, 'diemcau.db')}`,
    BACKUP_DIR: path.resolve(c.BACKUP_DIR ?? path.join(dataDir, 'backups')),
    BACKUP_DAILY_AT: c.BACKUP_DAILY_AT === 'off' ? null : c.BACKUP_DAILY_AT,
    RECORDINGS_DIR: path.resolve(c.RECORDINGS_DIR ?? path.join(dataDir, 'recordings')),
    RTC_ANNOUNCED_ADDRESS: announced,
    HUB_ID: c.HUB_ID ?? `${os.hostname()}-${c.PORT}`,
    HUB_PIPE_ADDRESS: c.HUB_PIPE_ADDRESS ?? announced,
    CASCADE_PIPE_ADDRESS: c.CASCADE_PIPE_ADDRESS ?? c.HUB_PIPE_ADDRESS ?? announced,
    TURN_URLS: list(c.TURN_URLS),
    DEMO_DATA: demoData,
    TRUST_PROXY: list(c.TRUST_PROXY).map(proxyAddress),
    ALLOWED_ORIGINS: list(c.ALLOWED_ORIGINS).map(origin),
    smtp: smtpOf(c),
  };
}

function smtpOf(c: Env): SmtpConfig | null {
  if (!c.SMTP_URL && !c.SMTP_HOST) return null;
  if (!c.MAIL_FROM)
    throw new ConfigError("MAIL_FROM is required with SMTP_URL or SMTP_HOST (the invitations' sender).");
  if (!c.PUBLIC_URL) {
    throw new ConfigError(
      'PUBLIC_URL is required with SMTP_URL or SMTP_HOST: invitations link to the hub, and their calendar events must carry the same UID as the calendar feed.',
    );
  }
  if (c.SMTP_URL) return { transport: c.SMTP_URL, from: c.MAIL_FROM };
  const auth = c.SMTP_USER ? { auth: { user: c.SMTP_USER, pass: c.SMTP_PASSWORD ?? '' } } : {};
  return {
    transport: { host: c.SMTP_HOST as string, port: c.SMTP_PORT, secure: c.SMTP_SECURE, ...auth },
    from: c.MAIL_FROM,
  };
}

/** Several hubs share one schedule: SQLite is one machine's file, so they need PostgreSQL. */
function checkCluster(c: Env): void {
  if (!c.REDIS_URL || c.DATABASE_URL?.startsWith('postgres')) return;
  throw new ConfigError(
    'REDIS_URL makes this hub one of several: set DATABASE_URL=postgresql://… too, the schedule every hub shares (docs/operations.md, "Running on PostgreSQL").',
  );
}

/** A deployment that links with others names itself, and not after one of them. */
function checkCascade(c: Env): void {
  if (c.CASCADE_LINKS.length === 0) return;
  if (!c.CASCADE_NAME) {
    throw new ConfigError(
      "CASCADE_LINKS needs CASCADE_NAME: the name this deployment has in its peers' CASCADE_LINKS.",
    );
  }
  if (c.CASCADE_LINKS.some((l) => l.name === c.CASCADE_NAME)) {
    throw new ConfigError(`CASCADE_LINKS: "${c.CASCADE_NAME}" is this deployment's own CASCADE_NAME.`);
  }
}

/** The fields the scheduler reads. */
export function schedulerConfigOf(config: Config): SchedulerConfig {
  return {
    DATABASE_URL: config.DATABASE_URL,
    HUB_ID: config.HUB_ID,
    DEMO_DATA: config.DEMO_DATA,
    networkExposure:
      reachableFromNetwork(config) && !config.FORCE_DEMO_DATA_ON_NETWORK
        ? `HOST=${config.HOST}${config.TRUST_PROXY.length ? ', behind a reverse proxy' : ''}`
        : null,
    LOGIN_FAILURES_PER_ADDRESS: config.LOGIN_FAILURES_PER_ADDRESS,
    AUTH_REQUESTS_PER_MINUTE: config.AUTH_REQUESTS_PER_MINUTE,
    JOIN_LEAD_MINUTES: config.JOIN_LEAD_MINUTES,
    JOIN_TOKEN_TTL_SECONDS: config.JOIN_TOKEN_TTL_SECONDS,
    MAX_SITES_PER_MEETING: config.MAX_SITES_PER_MEETING,
    MEETING_OVERRUN_LIMIT_MINUTES: config.MEETING_OVERRUN_LIMIT_MINUTES,
    RECORDINGS_DIR: config.RECORDINGS_DIR,
    RECORDING_RETENTION_DAYS: config.RECORDING_RETENTION_DAYS,
    SIP_REALM: config.SIP_REALM,
    iceServers: turnIceServers(config),
    PUBLIC_URL: config.PUBLIC_URL ?? null,
    smtp: config.smtp,
    outbox: {
      retryBaseMs: config.OUTBOX_RETRY_BASE_MS,
      retryMaxMs: config.OUTBOX_RETRY_MAX_MS,
      maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
      pollMs: config.OUTBOX_POLL_MS,
      webhookTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
    },
    ldap: ldapSettings(config),
    oidc: oidcSettings(config),
    DIRECTORY_RECHECK_MINUTES: config.DIRECTORY_RECHECK_MINUTES,
  };
}

/** Checks the LDAP_* and OIDC_* settings at start (schedulerConfigOf builds them again, then valid). */
function checkDirectory(c: Env): void {
  try {
    ldapSettings(c);
    oidcSettings(c);
  } catch (err) {
    if (err instanceof DirectorySettingError) throw new ConfigError(err.message);
    throw err;
  }
}

function list(value: string): string[] {
  return value
    .split(',')
    .map((u) => u.trim())
    .filter(Boolean);
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One trusted proxy: an address, a CIDR range or a named range; never "everyone". */
function proxyAddress(value: string): string {
  const [address = '', bits, ...rest] = value.split('/');
  const family = net.isIP(address);
  const maxBits = family === 6 ? 128 : 32;
  const bitsOk = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= maxBits);
  if (PROXY_NAMES.has(value) || (family !== 0 && bitsOk && rest.length === 0)) return value;
  throw new ConfigError(
    `TRUST_PROXY: "${value}" is not a proxy address, CIDR range or one of ${[...PROXY_NAMES].join(', ')} (trusting every address would let any client forge its own).`,
  );
}

/** "https://hop.example.gov.vn:8443/" → "https://hop.example.gov.vn:8443", as browsers send it in Origin. */
function origin(value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol === 'https:' || url.protocol === 'http:') return url.origin;
  } catch {
    // reported below
  }
  throw new ConfigError(`ALLOWED_ORIGINS: "${value}" is not an origin such as https://hop.example.gov.vn:8443.`);
}
