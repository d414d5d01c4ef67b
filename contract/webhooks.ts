// Webhooks: the events the hub POSTs to the URLs an administrator registered,
// their JSON bodies, and the signature headers. The hub's OpenAPI document
// carries these schemas (components.schemas.WebhookEvent…); docs/integration.md
// shows how a receiver verifies them.
import { z } from 'zod';
import { ATTENDANCE_MARKS, MEETING_STATUSES } from './enums.ts';

export const WEBHOOK_EVENTS = [
  'meeting.booked',
  'meeting.changed',
  'meeting.cancelled',
  'meeting.started',
  'meeting.ended',
  'site.joined',
  'site.left',
  'rollcall.marked',
  'recording.ready',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
/** Sent only by the "send a test event" button, to the one webhook it was pressed for. */
export const TEST_EVENT = 'webhook.test';

/** Headers of every POST: the event type, the delivery's id, the Unix time in seconds, and the signature. */
export const WEBHOOK_HEADERS = {
  event: 'x-diemcau-event',
  delivery: 'x-diemcau-delivery',
  timestamp: 'x-diemcau-timestamp',
  /** "sha256=" + hex HMAC-SHA256(secret, `${timestamp}.${body}`). */
  signature: 'x-diemcau-signature',
} as const;

/** A receiver refuses a timestamp further than this from its clock (a replayed request). */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** The meeting as webhook events describe it (times in UTC, ISO 8601). */
export const webhookMeetingSchema = z.object({
  id: z.string(),
  title: z.string(),
  agenda: z.string().nullable(),
  invitationNumber: z.string().nullable(),
  startAt: z.string(),
  endAt: z.string(),
  status: z.enum(MEETING_STATUSES),
  /** The iCalendar SEQUENCE of the meeting's invitations. */
  sequence: z.number().int(),
  chairUnit: z.object({ id: z.string(), name: z.string() }),
  chairRoom: z.object({ id: z.string(), name: z.string() }),
  /** The invited rooms (the chair room apart). */
  roomIds: z.array(z.string()),
  cancelReason: z.string().nullable(),
});
export type WebhookMeeting = z.infer<typeof webhookMeetingSchema>;

const site = { meetingId: z.string(), roomId: z.string(), roomName: z.string() };

/** The `data` of each event type. */
export const webhookDataSchemas = {
  'meeting.booked': z.object({ meeting: webhookMeetingSchema }),
  'meeting.changed': z.object({
    meeting: webhookMeetingSchema,
    /** What changed: time, title, agenda, chair, rooms, status, settings. */
    changes: z.array(z.string()),
  }),
  'meeting.cancelled': z.object({ meeting: webhookMeetingSchema }),
  'meeting.started': z.object({ meeting: webhookMeetingSchema, firstRoomId: z.string() }),
  'meeting.ended': z.object({
    meeting: webhookMeetingSchema,
    by: z.enum(['user', 'chair-site', 'schedule', 'overrun']),
  }),
  'site.joined': z.object({ ...site, at: z.string() }),
  'site.left': z.object({ ...site, at: z.string() }),
  'rollcall.marked': z.object({ ...site, mark: z.enum(ATTENDANCE_MARKS), reason: z.string().nullable() }),
  'recording.ready': z.object({
    meetingId: z.string(),
    recordingId: z.string(),
    durationMs: z.number().int().nullable(),
    sizeBytes: z.number().nullable(),
  }),
} satisfies Record<WebhookEventType, z.ZodType>;
export type WebhookData<E extends WebhookEventType> = z.infer<(typeof webhookDataSchemas)[E]>;

function envelope<T extends string, D extends z.ZodType>(type: T, data: D) {
  return z.object({
    /** Unique per event: a receiver that saw it already (a retry after a lost answer) ignores it. */
    id: z.string(),
    type: z.literal(type),
    /** When it happened (UTC, ISO 8601). */
    occurredAt: z.string(),
    meetingId: z.string().nullable(),
    data,
  });
}

/** The body of every POST, by type. */
export const webhookEventSchema = z.discriminatedUnion('type', [
  ...WEBHOOK_EVENTS.map((t) => envelope(t, webhookDataSchemas[t])),
  envelope(TEST_EVENT, z.object({ message: z.string() })),
] as unknown as [ReturnType<typeof envelope>, ...ReturnType<typeof envelope>[]]);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

// ---------------------------------------------------------------- the administrator's API

export const webhookBody = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).max(2000),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
  description: z.string().trim().max(300).nullable().optional(),
  active: z.boolean().optional(),
});
export type WebhookBody = z.infer<typeof webhookBody>;

export const deliveryStatusSchema = z.enum(['pending', 'sent', 'failed']);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

export const webhookSchema = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  description: z.string().nullable(),
  active: z.boolean(),
  createdAt: z.string(),
  pending: z.number().int(),
  failed: z.number().int(),
});
export type WebhookView = z.infer<typeof webhookSchema>;

export const webhookCreatedSchema = z.object({
  webhook: webhookSchema,
  /** The HMAC key: shown this once, never again. */
  secret: z.string(),
});

export const webhookDeliverySchema = z.object({
  id: z.number().int(),
  event: z.string(),
  meetingId: z.string().nullable(),
  status: deliveryStatusSchema,
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;
