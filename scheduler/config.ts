// What the scheduler reads of the hub's configuration. hub/config.ts loads and
// validates the whole of it; hub/Hub.ts hands these fields in.
import type { IceServer } from '../contract/signaling.ts';
import type { LdapSettings, OidcSettings } from './directory/settings.ts';

export interface SchedulerConfig {
  DATABASE_URL: string;
  /** The hub this scheduler runs in (HUB_ID): attendance intervals name the hub that saw the site. */
  HUB_ID: string;
  /** Load the demo province into an empty database. */
  DEMO_DATA: boolean;
  /**
   * How others reach the hub ("HOST=0.0.0.0, behind a reverse proxy"), or null
   * when only this machine can (or demo data is forced onto the network): then
   * demo accounts with their published passwords are refused at start.
   */
  networkExposure: string | null;
  /** Failed logins one address may make over all logins in the throttle window. */
  LOGIN_FAILURES_PER_ADDRESS: number;
  /** Requests one address may make per minute to the login and password routes. */
  AUTH_REQUESTS_PER_MINUTE: number;
  /** Minutes before the start that join tokens are issued when a meeting has no technical-check time. */
  JOIN_LEAD_MINUTES: number;
  JOIN_TOKEN_TTL_SECONDS: number;
  /** A meeting still in session after its booked end runs on; this long after it, the schedule ends it and its media. */
  MEETING_OVERRUN_LIMIT_MINUTES: number;
  /** Hard ceiling of a meeting's site cap. */
  MAX_SITES_PER_MEETING: number;
  /** Where recordings live (scheduler/recordingFiles.ts lays out each one's folder). */
  RECORDINGS_DIR: string;
  /** Days a finished recording is kept; the daily sweep deletes older ones. 0: keep for ever. */
  RECORDING_RETENTION_DAYS: number;
  /** The digest realm of SIP rooms: a room's stored HA1 is MD5(user:realm:password). */
  SIP_REALM: string;
  /** TURN servers handed to a site with its join token (as signaling does at join; credentials per site). */
  iceServers(roomId: string): IceServer[];
  /** The address people open the hub at (links in e-mails, calendar UIDs); null: unset. */
  PUBLIC_URL: string | null;
  /** Invitations by e-mail; null: none are sent or queued. */
  smtp: SmtpConfig | null;
  /** The outbox's retries (scheduler/outbox/Outbox.ts). */
  outbox: OutboxConfig;
  /** LDAP sign-in (scheduler/directory/ldap.ts); null when LDAP_URL is unset. */
  ldap: LdapSettings | null;
  /** OpenID Connect sign-in (scheduler/directory/oidc.ts); null when OIDC_ISSUER is unset. */
  oidc: OidcSettings | null;
  /** Minutes between re-checks of directory accounts against the directory. */
  DIRECTORY_RECHECK_MINUTES: number;
}

export interface OutboxConfig {
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  pollMs: number;
  webhookTimeoutMs: number;
}

/** How invitations are sent (hub/config.ts builds it from SMTP_*). */
export interface SmtpConfig {
  /** nodemailer's transport options: a URL, or host/port/secure/auth. */
  transport: string | { host: string; port: number; secure: boolean; auth?: { user: string; pass: string } };
  from: string;
}
