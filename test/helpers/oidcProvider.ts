// An OpenID Connect provider for a test (the oidc-provider package) on a free
// loopback port, with its development sign-in pages: any login from `accounts`
// signs in with any password, then a consent page. Accounts can be removed
// while it runs (a person leaving the province).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AccountClaims, Provider } from 'oidc-provider';

export interface TestProvider {
  issuer: string;
  /** The person disappears from the provider: their next sign-in is refused. */
  removeAccount(login: string): void;
  close(): Promise<void>;
}

export async function startOidcProvider(opts: {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** By login: the claims released (sub is the login). */
  accounts: Record<string, Omit<AccountClaims, 'sub'>>;
}): Promise<TestProvider> {
  const accounts = new Map(Object.entries(opts.accounts));
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: opts.clientId,
        client_secret: opts.clientSecret,
        redirect_uris: [opts.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    // Groups and the unit code come with the profile scope, from the userinfo endpoint.
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'groups', 'unit_code'] },
    cookies: { keys: ['test-provider-cookie-key-0123456789'] },
    features: { devInteractions: { enabled: true } },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
    findAccount(_ctx, sub) {
      const claims = accounts.get(sub);
      if (!claims) return undefined;
      return { accountId: sub, claims: () => ({ sub, preferred_username: sub, ...claims }) };
    },
  });
  server.on('request', provider.callback());
  return {
    issuer,
    removeAccount: (login) => accounts.delete(login),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
