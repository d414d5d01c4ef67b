// The first administrator (and a lost administrator password) without editing
// the database: an account with a generated password that must be changed at
// first login. Used by `npm run create-admin` (hub/createAdmin.ts).

import { generatePassword, hashPassword } from './auth.ts';
import { audit } from './context.ts';
import type { Db } from './db.ts';

/** Same rule as an account created by an administrator (scheduler/routes/admin.ts). */
const LOGIN = /^[a-zA-Z0-9._@-]{2,100}$/;
const BY = { by: 'npm run create-admin' };

/** Refusals the command prints as they are (no stack trace). */
export class AdminAccountError extends Error {}

export interface IssuedAdministrator {
  login: string;
  /** Shown once; only its hash is stored. */
  password: string;
  created: boolean;
}

/**
 * Creates administrator `login` with a generated password, or with `reset` gives the
 * existing administrator a new one and ends its sessions. Either way the password
 * must be changed at the next login.
 */
export async function issueAdministrator(
  db: Db,
  login: string,
  options: { reset: boolean; name?: string },
): Promise<IssuedAdministrator> {
  if (!LOGIN.test(login)) {
    throw new AdminAccountError(`"${login}" is not a valid login: 2 to 100 letters, digits and . _ @ -`);
  }
  const password = generatePassword();
  const passwordHash = await hashPassword(password);
  if (options.reset) {
    await db.$transaction(async (tx) => {
      const user = await tx.user.findUnique({ where: { login } });
      if (user?.role !== 'admin') {
        throw new AdminAccountError(`There is no administrator "${login}" to reset (leave out --reset to create one).`);
      }
      await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: true, active: true } });
      await tx.session.deleteMany({ where: { userId: user.id } });
      await audit(tx, null, 'user.password_reset', 'user', user.id, BY);
    });
    return { login, password, created: false };
  }
  try {
    await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { login, name: options.name ?? login, role: 'admin', passwordHash, mustChangePassword: true },
      });
      await audit(tx, null, 'user.create', 'user', user.id, { login, role: 'admin', ...BY });
    });
  } catch (err) {
    if ((err as { code?: string }).code !== 'P2002') throw err;
    throw new AdminAccountError(`"${login}" exists already: add --reset to give it a new generated password.`);
  }
  return { login, password, created: true };
}
