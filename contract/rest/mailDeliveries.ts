// A meeting's invitation e-mails as the secretariat sees them: one row per letter and recipient.
import { z } from 'zod';
import { deliveryStatusSchema } from '../webhooks.ts';

export const mailDeliverySchema = z.object({
  id: z.number().int(),
  to: z.string(),
  roomId: z.string(),
  roomName: z.string(),
  /** REQUEST: the invitation or its update; CANCEL: the meeting is off (for this room). */
  method: z.enum(['REQUEST', 'CANCEL']),
  sequence: z.number().int(),
  status: deliveryStatusSchema,
  attempts: z.number().int(),
  /** Pending: when the next attempt is (UTC, ISO 8601). */
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
});
export type MailDelivery = z.infer<typeof mailDeliverySchema>;

export const mailDeliveriesResponse = z.object({
  meetingId: z.string(),
  /** False when no SMTP server is configured: no e-mail is sent at all. */
  mailConfigured: z.boolean(),
  deliveries: z.array(mailDeliverySchema),
});
export type MailDeliveriesResponse = z.infer<typeof mailDeliveriesResponse>;
