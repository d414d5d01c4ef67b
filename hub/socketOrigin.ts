// Which pages may open socket.io connections (both namespaces: signaling and
// /live). A browser always sends the page's Origin; a page of another site
// must not ride on a user's session cookie (cross-site WebSocket hijacking),
// so only the hub's own origin and ALLOWED_ORIGINS are accepted. Clients that
// are not browsers (bots, tests, bench) send no Origin and are not concerned.
import type { IncomingMessage } from 'node:http';

export const FOREIGN_ORIGIN_MESSAGE =
  'ORIGIN_NOT_ALLOWED: trang này không thuộc máy chủ hội nghị / this page is not served by the hub (add it to ALLOWED_ORIGINS)';

/** The Host a request was addressed to, as the browser wrote it. */
function ownHost(req: IncomingMessage): string | undefined {
  return req.headers.host?.toLowerCase();
}

export function originAllowed(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowedOrigins.includes(origin)) return true;
  try {
    return new URL(origin).host === ownHost(req);
  } catch {
    return false;
  }
}

/** socket.io's allowRequest: refuses a foreign Origin with a message the client sees (HTTP 403). */
export function socketOriginCheck(allowedOrigins: readonly string[]) {
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void => {
    if (originAllowed(req, allowedOrigins)) callback(null, true);
    else callback(FOREIGN_ORIGIN_MESSAGE, false);
  };
}
