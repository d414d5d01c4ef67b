// Settings of directory sign-in: LDAP and OpenID Connect (docs/directory.md).
// Read by hub/config.ts; every variable is documented in .env.example.
import { z } from 'zod';

export const directorySettings = {
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
};
