// Settings of outgoing e-mail and webhooks: the SMTP server, the sender, the outbox's retries (docs/integration.md).
// Read by hub/config.ts; every variable is documented in .env.example.
import { z } from 'zod';
import { bool, port } from './fields.ts';

export const mailSettings = {
  /** Invitations by e-mail (docs/integration.md): smtp(s)://user:password@host:port, or the parts below. Unset: no e-mail. */
  SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: port.default(587),
  /** TLS from the first byte (port 465); false: STARTTLS when the server offers it. */
  SMTP_SECURE: bool.default(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  /** The sender of invitations, e.g. "Hội nghị truyền hình <hop@example.gov.vn>". */
  MAIL_FROM: z.string().optional(),
  /** The outbox (e-mails, webhooks): a failed delivery is retried after BASE, doubling up to MAX, at most ATTEMPTS times. */
  OUTBOX_RETRY_BASE_MS: z.coerce.number().int().min(100).default(30_000),
  OUTBOX_RETRY_MAX_MS: z.coerce.number().int().min(100).default(3_600_000),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(20),
  /** How often the outbox looks for due deliveries besides right after a change. */
  OUTBOX_POLL_MS: z.coerce.number().int().min(50).default(5000),
  /** A webhook receiver answering slower than this counts as failed (retried). */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
};
