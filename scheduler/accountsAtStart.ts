// Two checks on the accounts when the hub starts: a database still holding the
// demo accounts with their published passwords is not served to the network,
// and a database without an administrator says how to create the first one.
import type { Logger } from 'pino';
import { verifyPassword } from './auth.ts';
import type { Db } from './db.ts';
import { DEMO_ACCOUNTS } from './demo/accounts.ts';

/** The scheduler refuses to start; the message says why and what to do (printed without a stack trace). */
export class StartRefused extends Error {}

export const CREATE_ADMIN_COMMAND = 'npm run create-admin -- --login <name>';

/** Refuses to start on an address others reach while a demo account still opens with its README password. */
export async function refuseKnownDemoPasswords(db: Db, networkExposure: string | null): Promise<void> {
  if (!networkExposure) return;
  const users = await db.user.findMany({
    where: { active: true, login: { in: DEMO_ACCOUNTS.map((a) => a.login) } },
    select: { login: true, passwordHash: true },
  });
  const stillDemo = await Promise.all(
    users.map(async (user) => {
      const demo = DEMO_ACCOUNTS.find((a) => a.login === user.login);
      return demo !== undefined && (await verifyPassword(demo.password, user.passwordHash));
    }),
  );
  const open = users.filter((_, i) => stillDemo[i]).map((u) => u.login);
  if (open.length === 0) return;
  throw new StartRefused(
    `This database holds demo accounts whose passwords are printed in the README (${open.join(', ')}), and others can reach the hub (${networkExposure}). ` +
      'Start on HOST=127.0.0.1 and change or deactivate them, or use a new DATA_DIR and create the first administrator with ' +
      `\`${CREATE_ADMIN_COMMAND}\`. (A throwaway demo on a closed network: FORCE_DEMO_DATA_ON_NETWORK=true.)`,
  );
}

export async function warnWithoutAdministrator(db: Db, log: Logger): Promise<void> {
  if ((await db.user.count({ where: { role: 'admin', active: true } })) > 0) return;
  log.warn(
    { command: CREATE_ADMIN_COMMAND },
    `no administrator yet: create the first one with \`${CREATE_ADMIN_COMMAND}\` (it prints a one-time password to change at first login)`,
  );
}
