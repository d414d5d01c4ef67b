// From what the directory says about a person (groups, a unit attribute or
// claim) to the hub's role and scope, by the "key=>value" maps of the settings.
import type { UserRole } from '../../contract/enums.ts';
import type { Mapping } from './settings.ts';

/** What a directory says about a person, whichever protocol said it. */
export interface DirectoryPerson {
  source: 'ldap' | 'oidc';
  /** The directory's stable identifier (LDAP: LDAP_ID_ATTRIBUTE, else the DN; OIDC: sub). */
  externalId: string;
  login: string;
  name: string;
  /** Null: no group or claim maps to a role; the person is refused. */
  role: UserRole | null;
  /** The unit code (the room code for a room operator) the person acts for; null: none mapped. */
  scopeCode: string | null;
}

/** A key names a group by its whole DN or, for LDAP groups, by the value of its first RDN (its cn). */
export function groupMatches(key: string, group: string): boolean {
  const k = key.toLowerCase();
  const g = group.toLowerCase();
  if (k === g) return true;
  const firstRdn = g.split(',')[0] ?? '';
  const eq = firstRdn.indexOf('=');
  return eq > 0 && g.includes(',') && firstRdn.slice(eq + 1).trim() === k;
}

/** The value of the first entry whose key matches one of the groups (the order of the map decides). */
export function firstMatch<T extends string>(map: Mapping<T>, groups: readonly string[]): T | null {
  for (const { key, value } of map) {
    if (groups.some((g) => groupMatches(key, g))) return value;
  }
  return null;
}
