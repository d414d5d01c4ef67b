// Settings of who reaches the hub and how: address, TLS, secrets, sign-in limits, the demo data.
// Read by hub/config.ts; every variable is documented in .env.example.
import { z } from 'zod';
import { bool, port } from './fields.ts';

export const serverSettings = {
  /**
   * Loopback by default: a fresh clone serves only this machine (with the demo
   * data) until someone chooses an address others reach (see README, "On a server").
   */
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8443),
  /** HTTPS is the default: browsers grant camera and microphone only on HTTPS (or localhost). */
  HTTPS: bool.default(true),
  TLS_CERT_FILE: z.string().optional(),
  TLS_KEY_FILE: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /**
   * Loads the demo province (units, 300+ rooms, accounts with the passwords printed
   * in the README, meetings) into an empty database. Unset: on when HOST is loopback.
   */
  DEMO_DATA: bool.optional(),
  /** The only way to load the demo accounts (public passwords) on an address others reach. */
  FORCE_DEMO_DATA_ON_NETWORK: bool.default(false),
  /** Secret for join tokens and sessions; generated on first run into DATA_DIR/secrets.json when unset. */
  HUB_SECRET: z.string().min(32, 'HUB_SECRET must be at least 32 characters').optional(),
  JOIN_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  /** Largest HTTP request body accepted, in bytes. */
  HTTP_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(256 * 1024),
  /**
   * Bearer token Prometheus must send to GET /metrics. Unset: /metrics answers
   * only requests from this machine (loopback), since its figures describe the deployment.
   */
  METRICS_TOKEN: z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional(),
  /**
   * Addresses (or CIDR ranges, or `loopback`) of reverse proxies whose
   * X-Forwarded-For/-Proto/-Host are believed. Empty: none, the client address is the socket's.
   */
  TRUST_PROXY: z.string().default(''),
  /** Origins besides the hub's own whose pages may open socket.io connections (comma-separated). */
  ALLOWED_ORIGINS: z.string().default(''),
  /**
   * Failed logins one client address may make in 15 minutes, over all logins, before it
   * is refused for the rest of that window. Raise it for many users behind one NAT address.
   */
  LOGIN_FAILURES_PER_ADDRESS: z.coerce.number().int().min(5).max(10_000).default(30),
  /** Requests per minute one client address may make to the login and password routes. */
  AUTH_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(30),

  /** The address people open the hub at, e.g. https://hop.example.gov.vn: links in e-mails, the calendar events' UID. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
};
