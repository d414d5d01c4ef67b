// The hub's whole configuration: read once from environment variables, each
// with a documented default (see .env.example), validated at start.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { SchedulerConfig, SmtpConfig } from '../scheduler/config.ts';
import { DirectorySettingError, ldapSettings, oidcSettings } from '../scheduler/directory/settings.ts';
import { turnIceServers } from './turn.ts';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

const port = z.coerce.number().int().min(0).max(65535);

const schema = z.object({
  /**
   * Loopback by default: a fresh clone serves only this machine (with the demo
   * data) until someone chooses an address others reach (see README, "On a server").
   */
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8443),
  /** HTTPS is the default: browsers grant camera and microphone only on HTTPS (or localhost). */
  HTTPS: bool.default(true),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  /** Where the SQLite file, generated secrets and the self-signed certificate live. */
  DATA_DIR: z.string().default('data'),
  /** Default file:DATA_DIR/diemcau.db (SQLite, one machine); postgresql://… for several hubs (docs/operations.md). */
  DATABASE_URL: z
    .string()
    .regex(
      /^(file:|postgres(ql)?:\/\/)/,
      'DATABASE_URL must be a SQLite "file:" path or a "postgresql://user:password@host:port/database" URL',
    )
    .optional(),
  /** Backups: one folder each (database, secret, certificate, manifest). Default DATA_DIR/backups; better another disk. */
  BACKUP_DIR: z.string().optional(),
  /** Local time of the daily backup, "HH:MM" (24-hour), or "off". */
  BACKUP_DAILY_AT: z
    .string()
    .regex(/^(([01]\d|2[0-3]):[0-5]\d|off)$/, 'BACKUP_DAILY_AT must be HH:MM (24-hour) or off')
    .default('02:30'),
  /** Recordings: one folder per recording (raw tracks, timeline, the built MP4). Default DATA_DIR/recordings. */
  RECORDINGS_DIR: z.string().optional(),
  /** Days a recording is kept after it was made; the daily sweep deletes older ones. 0: keep for ever. */
  RECORDING_RETENTION_DAYS: z.coerce.number().int().min(0).max(36_500).default(365),
  /** FFmpeg and FFprobe (Debian's): the recorder, the post-meeting build and its check (docs/recording.md). */
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  FFPROBE_PATH: z.string().min(1).default('ffprobe'),
  /** Backups kept in BACKUP_DIR; older ones are deleted after each new one. */
  BACKUP_KEEP: z.coerce.number().int().min(1).max(3650).default(14),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Loads the demo province (units, 300+ rooms, accounts with the passwords printed
   * in the README, meetings) into an empty database. Unset: on when HOST is loopback.
   */
  DEMO_DATA: bool.optional(),
  /** The only way to load the demo accounts (public passwords) on an address others reach. */
  FORCE_DEMO_DATA_ON_NETWORK: bool.default(false),
  /** Secret for join tokens and sessions; generated on first run into DATA_DIR/secrets.json when unset. */
  HUB_SECRET: z.string().min(32, 'HUB_SECRET must be at least 32 characters').optional(),
  JOIN_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),

  MEDIASOUP_WORKERS: z.coerce.number().int().min(1).max(64).default(os.availableParallelism()),
  MEDIASOUP_LOG_LEVEL: z.enum(['debug', 'warn', 'error', 'none']).default('warn'),
  /** Worker i's WebRtcServer listens on UDP and TCP port RTC_PORT_BASE + i. */
  RTC_PORT_BASE: port.default(40000),
  /** Ports for pipe transports between workers and hosts; keep apart from the WebRtcServer ports. */
  RTC_TRANSPORT_PORT_MIN: port.default(40100),
  RTC_TRANSPORT_PORT_MAX: port.default(40999),
  RTC_LISTEN_IP: z.ipv4().or(z.ipv6()).default('0.0.0.0'),
  /** Address put in ICE candidates; empty means the first non-internal IPv4 of this host. */
  RTC_ANNOUNCED_ADDRESS: z.string().default(''),
  /**
   * SIP room systems (docs/sip.md): the hub's SIP user agent listens on UDP and
   * TCP SIP_PORT (5060 is the usual one); unset: no SIP at all.
   */
  SIP_PORT: port.optional(),
  /** The digest realm rooms authenticate in; a room's stored HA1 depends on it (changing it needs new passwords). */
  SIP_REALM: z.string().min(1).max(100).default('diemcau'),
  /** How long a SIP call may send no audio before the hub takes it for gone (no BYE: power cut, network). */
  SIP_MEDIA_TIMEOUT_MS: z.coerce.number().int().min(1000).max(300_000).default(15_000),
  /** The H.264 bitrate the hub sends a room system when it adapts the meeting's picture (kbit/s). */
  SIP_VIDEO_KBPS: z.coerce.number().int().min(128).max(8000).default(1024),
  /** Hard ceiling of connected sites in one meeting; a meeting's own cap may be lower. */
  MAX_SITES_PER_MEETING: z.coerce.number().int().min(1).max(5000).default(500),
  /**
   * Signaling requests one connection may send: this many at once, then
   * SIGNALING_RATE_PER_SECOND on average; beyond, RATE_LIMITED. A browser
   * joining a large meeting sends a burst (a consume and a resume per remote
   * microphone), so the burst must exceed twice the largest meeting.
   */
  SIGNALING_BURST: z.coerce.number().int().min(10).default(2000),
  SIGNALING_RATE_PER_SECOND: z.coerce.number().min(1).default(200),
  /** Largest socket.io message accepted, in bytes. */
  SOCKET_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  /** Socket.io heartbeat: a site whose link died is noticed within interval + timeout (the chair's board shows it). */
  SOCKET_PING_INTERVAL_MS: z.coerce.number().int().min(1000).default(5000),
  SOCKET_PING_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10000),
  /** Weak links: good scores for this long raise a site's video layer cap by one. */
  LINK_RECOVER_MS: z.coerce.number().int().min(100).default(8000),
  /**
   * A site whose connection dropped keeps its media this long (the chair sees it
   * reconnecting); back within it, the site resumes with an ICE restart instead of rejoining.
   */
  SITE_RESUME_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(30_000),
  /**
   * K, the audio slots of a meeting: how many sites besides the chair can be
   * heard at once. Each site receives K audio streams whatever the meeting's
   * size; the hub points them at the loudest sites allowed to speak. Three
   * covers a question, its answer and an interjection; more voices at once are
   * not understood anyway, and each slot costs every site ~40 kbit/s while in
   * use (docs/scaling.md).
   */
  AUDIO_SLOTS: z.coerce.number().int().min(1).max(16).default(3),
  /**
   * Chat messages one site may send: CHAT_BURST at once, then
   * CHAT_RATE_PER_SECOND on average; beyond, CHAT_RATE_LIMITED. Enough for a
   * conversation, too few to flood 300 sites' screens.
   */
  CHAT_BURST: z.coerce.number().int().min(1).default(5),
  CHAT_RATE_PER_SECOND: z.coerce.number().min(0.01).default(0.5),
  /** Weak links: a site in audio only retries video at the lowest layer after this long. */
  LINK_AUDIO_ONLY_PROBE_MS: z.coerce.number().int().min(100).default(15000),
  /**
   * The chair's alarm list (sfu/SiteAlarms.ts), measured on what each site
   * sends: loss over ALARM_LOSS_PCT % or jitter over ALARM_JITTER_MS in one
   * sample, a watched camera under ALARM_MIN_VIDEO_KBPS, a floor holder not
   * heard for ALARM_FLOOR_SILENT_MS. Sampled every ALARM_SAMPLE_MS.
   */
  ALARM_LOSS_PCT: z.coerce.number().min(0.1).max(100).default(5),
  ALARM_JITTER_MS: z.coerce.number().min(1).max(10_000).default(60),
  ALARM_MIN_VIDEO_KBPS: z.coerce.number().min(0).max(100_000).default(20),
  ALARM_FLOOR_SILENT_MS: z.coerce.number().int().min(1000).default(15_000),
  ALARM_SAMPLE_MS: z.coerce.number().int().min(500).default(2000),
  /** Largest HTTP request body accepted, in bytes. */
  HTTP_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  /** Minutes before a meeting's start that join tokens are issued when it has no technical-check time. */
  JOIN_LEAD_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 60)
    .default(60),
  /**
   * A meeting still in session at its booked end runs on (it ends when its last
   * site leaves); after running over this long, the schedule ends it and closes its media.
   */
  MEETING_OVERRUN_LIMIT_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(240),
  /** Optional TURN server handed to clients as iceServers (comma-separated URLs). */
  TURN_URLS: z.string().default(''),
  /**
   * coturn's REST-API shared secret (`use-auth-secret`, `static-auth-secret`):
   * each site gets its own credential, valid TURN_CREDENTIAL_TTL_SECONDS (see
   * hub/turn.ts). Unset: the static TURN_USERNAME/TURN_CREDENTIAL are handed out.
   */
  TURN_SECRET: z.string().min(16, 'TURN_SECRET must be at least 16 characters').optional(),
  TURN_CREDENTIAL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(7 * 86_400)
    .default(86_400),
  TURN_USERNAME: z.string().default(''),
  TURN_CREDENTIAL: z.string().default(''),
  /**
   * Bearer token Prometheus must send to GET /metrics. Unset: /metrics answers
   * only requests from this machine (loopback), since its figures describe the deployment.
   */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /**
   * Addresses (or CIDR ranges, or `loopback`) of reverse proxies whose
   * X-Forwarded-For/-Proto/-Host are believed. Empty: none, the client address is the socket's.
   */
  TRUST_PROXY: z.string().default(''),
  /** Origins besides the hub's own whose pages may open socket.io connections (comma-separated). */
  ALLOWED_ORIGINS: z.string().default(''),
  /**
   * Failed logins one client address may make in 15 minutes, over all logins, before it
   * is refused for the rest of that window. Raise it for many users behind one NAT address.
   */
  LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(5).max(10_000).default(30),
  /** Requests per minute one client address may make to the login and password routes. */
  AUTH_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),

  /** The address people open the hub at, e.g. https://hop.example.gov.vn: links in e-mails, the calendar events' UID. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** Invitations by e-mail (docs/integration.md): smtp(s)://user:password@host:port, or the parts below. Unset: no e-mail. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: port.default(587),
  /** TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  /** The sender of invitations, e.g. "Hội nghị truyền hình <hop@example.gov.vn>". */
  MAIL_FROM: z.string().optional(),
  /** The outbox (e-mails, webhooks): a failed delivery is retried after BASE, doubling up to MAX, at most ATTEMPTS times. */
  OUTBOX_RETRY_BASE_MS: z.coerce.number().int().min(100).default(30_000),
  OUTBOX_RETRY_MAX_MS: z.coerce.number().int().min(100).default(3_600_000),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(20),
  /** How often the outbox looks for due deliveries besides right after a change. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(5000),
  /** A webhook receiver answering slower than this counts as failed (retried). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  // Directory sign-in (docs/directory.md). Maps: "key=>value" pairs separated by ";", first match wins.
  /** LDAP server, e.g. ldaps://ldap.tinh.gov.vn. Unset: no LDAP sign-in. */
  LDAP_URL: z
    .string()
    .regex(/^ldaps?:\/\//, 'LDAP_URL must start with ldap:// or ldaps://')
    .optional(),
  /** The service account that searches for users (empty: anonymous search). */
  LDAP_BIND_DN: z.string().default(''),
  LDAP_BIND_PASSWORD: z.string().default(''),
  LDAP_USER_BASE: z.string().default(''),
  /** {login} is replaced by the escaped login typed on the sign-in screen. */
  LDAP_USER_FILTER: z
    .string()
    .includes('{login}', { message: 'LDAP_USER_FILTER must contain {login}' })
    .default('(uid={login})'),
  /** Attribute holding the person's stable identifier (Active Directory: objectGUID). */
  LDAP_ID_ATTRIBUTE: z.string().min(1).default('entryUUID'),
  LDAP_NAME_ATTRIBUTE: z.string().min(1).default('cn'),
  /** Groups: searched under LDAP_GROUP_BASE for entries naming the user; unset: the user's memberOf attribute. */
  LDAP_GROUP_BASE: z.string().default(''),
  LDAP_GROUP_FILTER: z.string().default('(|(member={dn})(uniqueMember={dn})(memberUid={login}))'),
  /** "group=>role;…": a group by its DN or its cn; roles admin | secretariat | chair | room_operator. */
  LDAP_GROUP_ROLE_MAP: z.string().default(''),
  /** "group=>unit code;…" (room code for room_operator). Checked before LDAP_UNIT_ATTRIBUTE. */
  LDAP_GROUP_UNIT_MAP: z.string().default(''),
  /** An attribute of the user holding the unit code (room code for room_operator), e.g. departmentNumber. */
  LDAP_UNIT_ATTRIBUTE: z.string().default(''),
  /** A user matching this filter is disabled, e.g. (pwdAccountLockedTime=*) or AD's (userAccountControl:1.2.840.113556.1.4.803:=2). */
  LDAP_DISABLED_FILTER: z.string().default(''),
  /** A user in this group (DN or cn) is disabled. */
  LDAP_DISABLED_GROUP: z.string().default(''),
  /** The OpenID Connect provider's issuer URL (discovery from /.well-known/openid-configuration). Unset: no OIDC. */
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().default(''),
  OIDC_CLIENT_SECRET: z.string().default(''),
  /** This hub's callback as registered at the provider: https://<hub>/api/auth/oidc/callback. */
  OIDC_REDIRECT_URI: z.url().optional(),
  OIDC_SCOPES: z.string().default('openid profile'),
  OIDC_LOGIN_CLAIM: z.string().min(1).default('preferred_username'),
  OIDC_NAME_CLAIM: z.string().min(1).default('name'),
  /** Claim (string or list) whose values OIDC_ROLE_MAP and OIDC_GROUP_UNIT_MAP read. */
  OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
  OIDC_ROLE_MAP: z.string().default(''),
  OIDC_GROUP_UNIT_MAP: z.string().default(''),
  /** A claim holding the unit code (room code for room_operator) directly. */
  OIDC_UNIT_CLAIM: z.string().default(''),
  /** Every this many minutes directory accounts are checked again: gone, disabled or unmapped ones are deactivated. */
  DIRECTORY_RECHECK_MINUTES: z.coerce.number().int().min(1).max(1440).default(15),
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
  | 'MAIL_FROM';

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
  directorySettings(c);
  const dataDir = path.resolve(c.DATA_DIR);
  return {
    ...c,
    DATA_DIR: dataDir,
    DATABASE_URL: c.DATABASE_URL ?? `file:${path.join(dataDir, 'diemcau.db')}`,
    BACKUP_DIR: path.resolve(c.BACKUP_DIR ?? path.join(dataDir, 'backups')),
    BACKUP_DAILY_AT: c.BACKUP_DAILY_AT === 'off' ? null : c.BACKUP_DAILY_AT,
    RECORDINGS_DIR: path.resolve(c.RECORDINGS_DIR ?? path.join(dataDir, 'recordings')),
    RTC_ANNOUNCED_ADDRESS: c.RTC_ANNOUNCED_ADDRESS || firstExternalIPv4(),
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

/** The fields the scheduler reads. */
export function schedulerConfigOf(config: Config): SchedulerConfig {
  return {
    DATABASE_URL: config.DATABASE_URL,
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
function directorySettings(c: Env): void {
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
