// Sends a queued invitation e-mail through the configured SMTP server
// (nodemailer); the .ics goes both as the calendar part mail clients act on
// and as an attachment people can open.
import nodemailer from 'nodemailer';
import type { SmtpConfig } from '../config.ts';
import type { InvitationMail } from '../invitationMail.ts';
import type { Deliver } from './Outbox.ts';

/** An unreachable or silent mail server fails the attempt quickly; the outbox retries later. */
const TIMEOUT_MS = 15_000;

export function mailDeliverer(smtp: SmtpConfig | null): Deliver {
  if (!smtp) {
    return async () => {
      throw new Error('SMTP is not configured (SMTP_URL or SMTP_HOST)');
    };
  }
  const timeouts = { connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS };
  const server = typeof smtp.transport === 'string' ? { url: smtp.transport } : smtp.transport;
  const transport = nodemailer.createTransport({ ...server, ...timeouts });
  return async (row) => {
    const mail = JSON.parse(row.payload) as InvitationMail;
    const contentType = `text/calendar; charset=utf-8; method=${mail.method}`;
    await transport.sendMail({
      from: smtp.from,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      icalEvent: { method: mail.method, content: mail.ics },
      attachments: [{ filename: 'cuoc-hop.ics', content: mail.ics, contentType }],
    });
    return {};
  };
}
