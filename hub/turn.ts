// The TURN server as handed to a site, at join (signaling) and with each join
// token (scheduler). With TURN_SECRET, coturn's REST-API credentials
// (`use-auth-secret` / `static-auth-secret`): the username is
// "<unix expiry>:<site id>" and the credential base64(HMAC-SHA1(secret,
// username)); coturn recomputes it and refuses it once the expiry has passed,
// so a credential copied out of one site's page is worth one site and one TTL,
// and the secret itself never leaves the hub. Without it, the static
// TURN_USERNAME/TURN_CREDENTIAL, the same for every site.
import { createHmac } from 'node:crypto';
import type { IceServer } from '../contract/signaling.ts';

/** The TURN settings of the hub's configuration (hub/config.ts). */
export interface TurnConfig {
  TURN_URLS: string[];
  TURN_SECRET?: string | undefined;
  TURN_CREDENTIAL_TTL_SECONDS: number;
  TURN_USERNAME: string;
  TURN_CREDENTIAL: string;
}

/** A time-limited credential for `siteId`, valid until `now` + `ttlSeconds`. */
export function turnCredential(
  secret: string,
  siteId: string,
  ttlSeconds: number,
  now = Date.now(),
): { username: string; credential: string } {
  const expiry = Math.floor(now / 1000) + ttlSeconds;
  const username = `${expiry}:${siteId}`;
  return { username, credential: createHmac('sha1', secret).update(username).digest('base64') };
}

/** The ICE servers for a site: none without TURN_URLS. */
export function turnIceServers(config: TurnConfig): (siteId: string) => IceServer[] {
  const urls = config.TURN_URLS;
  if (urls.length === 0) return () => [];
  const { TURN_SECRET: secret } = config;
  if (!secret) {
    const servers = [{ urls, username: config.TURN_USERNAME, credential: config.TURN_CREDENTIAL }];
    return () => servers;
  }
  return (siteId) => [{ urls, ...turnCredential(secret, siteId, config.TURN_CREDENTIAL_TTL_SECONDS) }];
}
