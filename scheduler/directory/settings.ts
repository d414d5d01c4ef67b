// Directory sign-in settings, built from hub/config.ts's LDAP_* and OIDC_*
// variables; the "key=>value;…" maps are parsed here so a typo stops the hub at
// start instead of refusing every directory user later.
import { USER_ROLES, type UserRole } from '../../contract/enums.ts';

/** Ordered "key=>value" pairs: the first whose key matches wins. */
export type Mapping<T extends string = string> = readonly { key: string; value: T }[];

export interface LdapSettings {
  url: string;
  bindDn: string;
  bindPassword: string;
  userBase: string;
  userFilter: string;
  idAttribute: string;
  nameAttribute: string;
  groupBase: string;
  groupFilter: string;
  roleMap: Mapping<UserRole>;
  unitMap: Mapping;
  unitAttribute: string;
  disabledFilter: string;
  disabledGroup: string;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string;
  loginClaim: string;
  nameClaim: string;
  groupsClaim: string;
  roleMap: Mapping<UserRole>;
  unitMap: Mapping;
  unitClaim: string;
}

/** The configuration variables read here (named as in hub/config.ts). */
export interface DirectoryEnv {
  LDAP_URL?: string | undefined;
  LDAP_BIND_DN: string;
  LDAP_BIND_PASSWORD: string;
  LDAP_USER_BASE: string;
  LDAP_USER_FILTER: string;
  LDAP_ID_ATTRIBUTE: string;
  LDAP_NAME_ATTRIBUTE: string;
  LDAP_GROUP_BASE: string;
  LDAP_GROUP_FILTER: string;
  LDAP_GROUP_ROLE_MAP: string;
  LDAP_GROUP_UNIT_MAP: string;
  LDAP_UNIT_ATTRIBUTE: string;
  LDAP_DISABLED_FILTER: string;
  LDAP_DISABLED_GROUP: string;
  OIDC_ISSUER?: string | undefined;
  OIDC_CLIENT_ID: string;
  OIDC_CLIENT_SECRET: string;
  OIDC_REDIRECT_URI?: string | undefined;
  OIDC_SCOPES: string;
  OIDC_LOGIN_CLAIM: string;
  OIDC_NAME_CLAIM: string;
  OIDC_GROUPS_CLAIM: string;
  OIDC_ROLE_MAP: string;
  OIDC_GROUP_UNIT_MAP: string;
  OIDC_UNIT_CLAIM: string;
}

/** Thrown for a setting that cannot work; hub/config.ts reports it as a ConfigError. */
export class DirectorySettingError extends Error {}

/** "a=>b; c=>d" → [{a,b},{c,d}]; keys may contain "=" and "," (LDAP DNs), so the separator is "=>". */
export function parseMapping(name: string, text: string): Mapping {
  const pairs = text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean);
  return pairs.map((pair) => {
    const at = pair.lastIndexOf('=>');
    const key = pair.slice(0, Math.max(at, 0)).trim();
    const value = pair.slice(at + 2).trim();
    if (at < 0 || !key || !value) {
      throw new DirectorySettingError(`${name}: "${pair}" is not "key=>value" (pairs separated by ";").`);
    }
    return { key, value };
  });
}

function parseRoleMap(name: string, text: string): Mapping<UserRole> {
  const map = parseMapping(name, text);
  for (const { value } of map) {
    if (!(USER_ROLES as readonly string[]).includes(value)) {
      throw new DirectorySettingError(`${name}: "${value}" is not a role (${USER_ROLES.join(', ')}).`);
    }
  }
  if (map.length === 0) {
    throw new DirectorySettingError(`${name} is empty: no directory user could get a role, so none could sign in.`);
  }
  return map as Mapping<UserRole>;
}

export function ldapSettings(env: DirectoryEnv): LdapSettings | null {
  if (!env.LDAP_URL) return null;
  if (!env.LDAP_USER_BASE) throw new DirectorySettingError('LDAP_URL is set: set LDAP_USER_BASE too.');
  return {
    url: env.LDAP_URL,
    bindDn: env.LDAP_BIND_DN,
    bindPassword: env.LDAP_BIND_PASSWORD,
    userBase: env.LDAP_USER_BASE,
    userFilter: env.LDAP_USER_FILTER,
    idAttribute: env.LDAP_ID_ATTRIBUTE,
    nameAttribute: env.LDAP_NAME_ATTRIBUTE,
    groupBase: env.LDAP_GROUP_BASE,
    groupFilter: env.LDAP_GROUP_FILTER,
    roleMap: parseRoleMap('LDAP_GROUP_ROLE_MAP', env.LDAP_GROUP_ROLE_MAP),
    unitMap: parseMapping('LDAP_GROUP_UNIT_MAP', env.LDAP_GROUP_UNIT_MAP),
    unitAttribute: env.LDAP_UNIT_ATTRIBUTE,
    disabledFilter: env.LDAP_DISABLED_FILTER,
    disabledGroup: env.LDAP_DISABLED_GROUP,
  };
}

export function oidcSettings(env: DirectoryEnv): OidcSettings | null {
  if (!env.OIDC_ISSUER) return null;
  if (!env.OIDC_CLIENT_ID || !env.OIDC_REDIRECT_URI) {
    throw new DirectorySettingError('OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_REDIRECT_URI too.');
  }
  if (!new URL(env.OIDC_REDIRECT_URI).pathname.endsWith('/api/auth/oidc/callback')) {
    throw new DirectorySettingError('OIDC_REDIRECT_URI must be https://<this hub>/api/auth/oidc/callback.');
  }
  const scopes = env.OIDC_SCOPES.split(/\s+/).filter(Boolean);
  if (!scopes.includes('openid')) throw new DirectorySettingError('OIDC_SCOPES must include openid.');
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: env.OIDC_CLIENT_SECRET,
    redirectUri: env.OIDC_REDIRECT_URI,
    scopes: scopes.join(' '),
    loginClaim: env.OIDC_LOGIN_CLAIM,
    nameClaim: env.OIDC_NAME_CLAIM,
    groupsClaim: env.OIDC_GROUPS_CLAIM,
    roleMap: parseRoleMap('OIDC_ROLE_MAP', env.OIDC_ROLE_MAP),
    unitMap: parseMapping('OIDC_GROUP_UNIT_MAP', env.OIDC_GROUP_UNIT_MAP),
    unitClaim: env.OIDC_UNIT_CLAIM,
  };
}
