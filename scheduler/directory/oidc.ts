// OpenID Connect sign-in with openid-client: the authorization-code flow with
// PKCE, state and nonce, the provider found by discovery from OIDC_ISSUER. The
// browser that started a sign-in must be the one finishing it: its state is
// kept here and echoed in a short-lived cookie (scheduler/routes/directory.ts).
import * as client from 'openid-client';
import { DirectoryUnavailable } from './ldap.ts';
import { type DirectoryPerson, firstMatch } from './mapping.ts';
import type { OidcSettings } from './settings.ts';

/** A sign-in left unfinished this long is forgotten (the user starts again). */
const PENDING_TTL_MS = 10 * 60_000;
/** Unfinished sign-ins kept at most: starting sign-ins in a loop must not grow memory for ever. */
const PENDING_MAX = 10_000;
const TIMEOUT_SECONDS = 10;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

interface Pending {
  codeVerifier: string;
  nonce: string;
  expiresAt: number;
}

/** The provider answered, but not with a sign-in this hub accepts (state, nonce, signature, a refusal). */
export class OidcRefused extends Error {}

export class OidcSignIn {
  private discovered: Promise<client.Configuration> | null = null;
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly s: OidcSettings) {}

  /** Where to send the browser, and the state its cookie must carry back. */
  async start(now = Date.now()): Promise<{ url: URL; state: string }> {
    const config = await this.configuration();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const codeVerifier = client.randomPKCECodeVerifier();
    this.forgetExpired(now);
    this.pending.set(state, { codeVerifier, nonce, expiresAt: now + PENDING_TTL_MS });
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: this.s.redirectUri,
      scope: this.s.scopes,
      state,
      nonce,
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return { url, state };
  }

  /**
   * Finishes the sign-in the provider redirected back with (`query`: the
   * callback's query string); `cookieState` is the state this browser started.
   */
  async finish(query: string, cookieState: string | undefined, now = Date.now()): Promise<DirectoryPerson> {
    const state = new URLSearchParams(query).get('state') ?? '';
    const pending = this.pending.get(state);
    this.pending.delete(state);
    if (!pending || pending.expiresAt < now || !cookieState || cookieState !== state) {
      throw new OidcRefused('unknown, expired or foreign state');
    }
    const config = await this.configuration();
    // The callback as the provider sent the browser to it (the hub may sit behind a proxy).
    const current = new URL(this.s.redirectUri);
    current.search = query;
    let claims: Record<string, unknown>;
    try {
      const tokens = await client.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      claims = { ...tokens.claims() };
      if (config.serverMetadata().userinfo_endpoint) {
        // Groups and unit often come from the userinfo endpoint rather than the ID token.
        const sub = String(claims.sub);
        claims = { ...(await client.fetchUserInfo(config, tokens.access_token, sub)), ...claims };
      }
    } catch (err) {
      if (err instanceof client.ClientError || err instanceof client.AuthorizationResponseError) {
        throw new OidcRefused(err.message);
      }
      if (err instanceof client.ResponseBodyError) throw new OidcRefused(`${err.error}: ${err.message}`);
      throw new DirectoryUnavailable(String(err));
    }
    return this.personOf(claims);
  }

  private personOf(claims: Record<string, unknown>): DirectoryPerson {
    const groups = strings(claims[this.s.groupsClaim]);
    const sub = String(claims.sub);
    const login = (strings(claims[this.s.loginClaim])[0] ?? sub).toLowerCase();
    return {
      source: 'oidc',
      externalId: sub,
      login,
      name: strings(claims[this.s.nameClaim])[0] ?? login,
      role: firstMatch(this.s.roleMap, groups),
      scopeCode:
        firstMatch(this.s.unitMap, groups) ??
        (this.s.unitClaim ? (strings(claims[this.s.unitClaim])[0] ?? null) : null),
    };
  }

  /** Discovery, once; a failed one is tried again at the next sign-in. */
  private configuration(): Promise<client.Configuration> {
    this.discovered ??= this.discover().catch((err) => {
      this.discovered = null;
      throw new DirectoryUnavailable(`OIDC discovery from ${this.s.issuer} failed: ${String(err)}`);
    });
    return this.discovered;
  }

  private discover(): Promise<client.Configuration> {
    const issuer = new URL(this.s.issuer);
    const auth = this.s.clientSecret ? client.ClientSecretBasic(this.s.clientSecret) : client.None();
    // Plain HTTP only to a provider on this machine (a test's, or one behind a local proxy).
    const execute = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname) ? [client.allowInsecureRequests] : [];
    return client.discovery(issuer, this.s.clientId, undefined, auth, { execute, timeout: TIMEOUT_SECONDS });
  }

  private forgetExpired(now: number): void {
    for (const [state, p] of this.pending) {
      if (p.expiresAt < now || this.pending.size >= PENDING_MAX) this.pending.delete(state);
    }
  }
}

/** A claim's values as strings (a claim may be a string or a list). */
function strings(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String).filter(Boolean);
}
