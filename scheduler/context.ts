import type { Logger } from 'pino';
import type { SiteRevocation } from '../contract/joinToken.ts';
import type { Principal } from './auth.ts';
import type { SchedulerConfig } from './config.ts';
import type { Db, Tx } from './db.ts';
import type { LdapDirectory } from './directory/ldap.ts';
import type { OidcSignIn } from './directory/oidc.ts';
import type { Live } from './live.ts';
import type { LoginThrottle } from './loginThrottle.ts';
import type { Outbox } from './outbox/Outbox.ts';

export interface Ctx {
  db: Db;
  config: SchedulerConfig;
  log: Logger;
  secret: string;
  live: Live;
  throttle: LoginThrottle;
  /** Delivers the e-mails and webhook events changes queue; kick it after the transaction that queued them. */
  outbox: Outbox;
  /** Directory sign-in as configured: null where none is. */
  directory: { ldap: LdapDirectory | null; oidc: OidcSignIn | null };
  /** The SFU's side of ending a meeting (absent when the scheduler runs without one). */
  onMeetingEnded?: (meetingId: string) => void;
  /** The SFU's side of taking back a grant: the sites concerned leave at once (scheduler/revocation.ts). */
  onSitesRevoked?: (revocation: SiteRevocation) => void;
}

export async function audit(
  tx: Tx | Db,
  p: Principal | null,
  action: string,
  entity: string,
  entityId: string | null,
  details?: unknown,
  ip?: string,
): Promise<void> {
  await tx.auditLog.create({
    data: {
      userId: p?.user.id ?? null,
      userLogin: p?.user.login ?? null,
      action,
      entity,
      entityId,
      details: details === undefined ? null : JSON.stringify(details),
      ip: ip ?? null,
    },
  });
}
