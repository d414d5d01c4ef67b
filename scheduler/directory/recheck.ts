// Every DIRECTORY_RECHECK_MINUTES the hub asks the LDAP directory about each
// active LDAP account: gone or disabled there → deactivated, sessions ended;
// otherwise its role and scope follow the directory. When the directory cannot
// be reached nobody is touched (an outage must not lock the province out).
import type { Ctx } from '../context.ts';
import { deactivate, refreshDirectoryAccount } from './accounts.ts';
import { DirectoryUnavailable } from './ldap.ts';

export interface RecheckResult {
  checked: number;
  deactivated: number;
  /** False when the directory could not be asked: the round stopped and changed nothing more. */
  complete: boolean;
}

export async function recheckDirectoryAccounts(ctx: Ctx): Promise<RecheckResult> {
  const result: RecheckResult = { checked: 0, deactivated: 0, complete: true };
  const ldap = ctx.directory.ldap;
  if (!ldap) return result;
  const accounts = await ctx.db.user.findMany({ where: { authSource: 'ldap', active: true } });
  for (const user of accounts) {
    let entry: Awaited<ReturnType<typeof ldap.find>>;
    try {
      entry = await ldap.find(user.login);
    } catch (err) {
      if (!(err instanceof DirectoryUnavailable)) throw err;
      ctx.log.warn({ err: err.message }, 'directory: LDAP unavailable, re-check postponed');
      return { ...result, complete: false };
    }
    result.checked++;
    const reason = !entry ? 'not_found' : entry.disabled ? 'disabled' : null;
    if (reason) {
      if (await deactivate(ctx.db, user, reason)) result.deactivated++;
      continue;
    }
    if (entry && (await refreshDirectoryAccount(ctx.db, user, entry.person))) result.deactivated++;
  }
  if (result.deactivated > 0) ctx.log.info(result, 'directory: accounts re-checked');
  return result;
}
