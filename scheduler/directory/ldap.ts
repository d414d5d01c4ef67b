// LDAP sign-in with ldapts: the service account (LDAP_BIND_DN) finds the person
// by LDAP_USER_FILTER, then a bind as that person checks the password. Groups
// come from a search under LDAP_GROUP_BASE or from the person's memberOf.
import { Client, Filter, InvalidCredentialsError } from 'ldapts';
import { type DirectoryPerson, firstMatch, groupMatches } from './mapping.ts';
import type { LdapSettings } from './settings.ts';

/** The directory could not be asked (down, refused the service account): nobody is refused or removed for it. */
export class DirectoryUnavailable extends Error {}

/** A person as found in LDAP, mapped; `disabled` by LDAP_DISABLED_FILTER or LDAP_DISABLED_GROUP. */
export interface LdapEntry {
  dn: string;
  person: DirectoryPerson;
  disabled: boolean;
}

const TIMEOUT_MS = 10_000;

export class LdapDirectory {
  constructor(private readonly s: LdapSettings) {}

  /** Checks a login's password. Null: no such person, or the wrong password (the caller says the same either way). */
  async authenticate(login: string, password: string): Promise<LdapEntry | null> {
    // An empty password is an "unauthenticated bind", which LDAP servers accept: never a sign-in.
    if (!password) return null;
    const entry = await this.find(login);
    if (!entry) return null;
    const client = this.client();
    try {
      await client.bind(entry.dn, password);
      return entry;
    } catch (err) {
      if (err instanceof InvalidCredentialsError) return null;
      throw new DirectoryUnavailable(String(err));
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  /** The person with this login (exactly one entry), as the service account sees it; null when absent. */
  async find(login: string): Promise<LdapEntry | null> {
    const client = this.client();
    try {
      await this.serviceBind(client);
      const filter = this.s.userFilter.replaceAll('{login}', Filter.escape(login));
      const attributes = [this.s.idAttribute, this.s.nameAttribute, 'memberOf', this.s.unitAttribute].filter(Boolean);
      const { searchEntries } = await client.search(this.s.userBase, {
        scope: 'sub',
        filter,
        attributes,
        sizeLimit: 2,
        explicitBufferAttributes: ['objectGUID'],
      });
      const [found, ...more] = searchEntries;
      if (!found || more.length > 0) return null;
      const groups = await this.groupsOf(client, found.dn, login, found.memberOf);
      const disabled = await this.isDisabled(client, found.dn, groups);
      return { dn: found.dn, person: this.personOf(found, login, groups), disabled };
    } catch (err) {
      if (err instanceof DirectoryUnavailable) throw err;
      throw new DirectoryUnavailable(String(err));
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  private client(): Client {
    return new Client({ url: this.s.url, timeout: TIMEOUT_MS, connectTimeout: TIMEOUT_MS });
  }

  private async serviceBind(client: Client): Promise<void> {
    if (!this.s.bindDn) return;
    try {
      await client.bind(this.s.bindDn, this.s.bindPassword);
    } catch (err) {
      throw new DirectoryUnavailable(`service bind as ${this.s.bindDn} failed: ${String(err)}`);
    }
  }

  private async groupsOf(client: Client, dn: string, login: string, memberOf: unknown): Promise<string[]> {
    if (!this.s.groupBase) return values(memberOf);
    const filter = this.s.groupFilter.replaceAll('{dn}', Filter.escape(dn)).replaceAll('{login}', Filter.escape(login));
    const { searchEntries } = await client.search(this.s.groupBase, { scope: 'sub', filter, attributes: ['cn'] });
    return searchEntries.map((e) => e.dn);
  }

  private async isDisabled(client: Client, dn: string, groups: string[]): Promise<boolean> {
    if (this.s.disabledGroup && groups.some((g) => groupMatches(this.s.disabledGroup, g))) return true;
    if (!this.s.disabledFilter) return false;
    const { searchEntries } = await client.search(dn, { scope: 'base', filter: this.s.disabledFilter, attributes: [] });
    return searchEntries.length > 0;
  }

  private personOf(entry: Record<string, unknown>, login: string, groups: string[]): DirectoryPerson {
    const id = entry[this.s.idAttribute];
    const idValue = Buffer.isBuffer(id) ? id.toString('hex') : values(id)[0];
    return {
      source: 'ldap',
      externalId: idValue ?? String(entry.dn),
      // Directory logins match case-insensitively; one spelling keeps one account.
      login: login.toLowerCase(),
      name: values(entry[this.s.nameAttribute])[0] ?? login,
      role: firstMatch(this.s.roleMap, groups),
      scopeCode:
        firstMatch(this.s.unitMap, groups) ??
        (this.s.unitAttribute ? (values(entry[this.s.unitAttribute])[0] ?? null) : null),
    };
  }
}

/** An attribute's values as strings (ldapts gives one value as a string, several as an array). */
function values(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : [v];
  return list.map((x) => (Buffer.isBuffer(x) ? x.toString('utf8') : String(x))).filter(Boolean);
}
