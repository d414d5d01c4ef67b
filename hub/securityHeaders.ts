// Security headers on every HTTP answer (helmet): a Content-Security-Policy the
// built client works under (scripts, styles and connections from the hub only),
// no framing by other sites, no MIME sniffing, no referrer sent elsewhere, and
// HSTS on HTTPS (only there: on plain HTTP it would be meaningless).
import type { IncomingMessage } from 'node:http';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

const HSTS = 'max-age=31536000; includeSubDomains';

/** A Host header that can be written into the policy as is. */
const PLAIN_HOST = /^[a-zA-Z0-9.-]+(:\d{1,5})?$|^\[[0-9a-fA-F:.]+\](:\d{1,5})?$/;

/** socket.io's WebSocket to this hub: 'self' covers it in current browsers, older Safari wants it named. */
function ownWebSocket(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return PLAIN_HOST.test(host) ? `wss://${host}` : "'self'";
}

/** The printable attendance report (GET /api/meetings/:id/attendance.html) carries its own <style>. */
function reportStyles(req: IncomingMessage): string {
  const path = (req.url ?? '').split('?')[0] ?? '';
  return path.startsWith('/api/') && path.endsWith('.html') ? "'unsafe-inline'" : "'self'";
}

/** A hub URL as connect-src sources: its origin and its WebSocket form (a page may be moved to that hub). */
function socketSources(url: string): string[] {
  const { protocol, host } = new URL(url);
  return [`${protocol}//${host}`, `${protocol === 'https:' ? 'wss' : 'ws'}://${host}`];
}

/**
 * `otherHubs`: the URLs of the deployment's other hubs (several hubs, docs/scaling.md), read per answer:
 * a join may be pointed at one of them, and the page's signaling then connects there.
 */
export async function registerSecurityHeaders(
  app: FastifyInstance,
  otherHubs: () => string[] = () => [],
): Promise<void> {
  const hubSources = () => otherHubs().flatMap(socketSources).join(' ') || "'self'";
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", reportStyles],
        'img-src': ["'self'", 'data:', 'blob:'],
        'media-src': ["'self'", 'blob:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", ownWebSocket, hubSources],
        'object-src': ["'none'"],
        'base-uri': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    // Set below, on HTTPS answers only.
    strictTransportSecurity: false,
  });
  app.addHook('onRequest', async (request, reply) => {
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
  });
}
