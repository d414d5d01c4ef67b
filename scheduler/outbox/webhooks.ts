// Webhooks: each event of a meeting's life is queued (in the transaction of the
// change) for every active webhook that chose its type, then POSTed as JSON,
// signed with the webhook's secret: header x-diemcau-signature is "sha256=" +
// hex HMAC-SHA256(secret, `${timestamp}.${body}`), x-diemcau-timestamp the Unix
// time of the attempt. The receiver verifies both (docs/integration.md) and
// refuses timestamps older than WEBHOOK_TOLERANCE_SECONDS. Any answer but 2xx,
// or none within WEBHOOK_TIMEOUT_MS, is retried by the outbox.
import crypto from 'node:crypto';
import {
  TEST_EVENT,
  WEBHOOK_HEADERS,
  type WebhookData,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookMeeting,
} from '../../contract/webhooks.ts';
import type { Db, Tx } from '../db.ts';
import type { MeetingWithRefs } from '../meetings.ts';
import { type Deliver, DeliveryError, enqueue } from './Outbox.ts';

/** A new webhook's secret: 32 random bytes, base64url. */
export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64url')}`;
}

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function readEvents(stored: string): WebhookEventType[] {
  try {
    const list = JSON.parse(stored);
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

/** The meeting as events describe it. */
export async function webhookMeeting(tx: Tx | Db, m: MeetingWithRefs): Promise<WebhookMeeting> {
  const inv = await tx.invitation.findMany({ where: { meetingId: m.id }, select: { roomId: true } });
  return {
    id: m.id,
    title: m.title,
    agenda: m.agenda,
    invitationNumber: m.invitationNumber,
    startAt: m.startAt.toISOString(),
    endAt: m.endAt.toISOString(),
    status: m.status as WebhookMeeting['status'],
    sequence: m.sequence,
    chairUnit: { id: m.chairUnit.id, name: m.chairUnit.name },
    chairRoom: { id: m.chairRoom.id, name: m.chairRoom.name },
    roomIds: inv.map((i) => i.roomId),
    cancelReason: m.cancelReason,
  };
}

function envelope(type: string, meetingId: string | null, data: unknown): WebhookEvent {
  return {
    id: `evt_${crypto.randomUUID()}`,
    type,
    occurredAt: new Date().toISOString(),
    meetingId,
    data,
  } as WebhookEvent;
}

/**
 * Queues event `type` of meeting `meetingId` for every active webhook that
 * chose it, in the caller's transaction. Events of one meeting reach each
 * webhook in the order they were queued.
 */
export async function queueWebhookEvent<E extends WebhookEventType>(
  tx: Tx | Db,
  type: E,
  meetingId: string,
  data: WebhookData<E>,
): Promise<void> {
  const hooks = await tx.webhook.findMany({ where: { active: true }, select: { id: true, events: true } });
  const to = hooks.filter((h) => readEvents(h.events).includes(type));
  if (!to.length) return;
  const body = envelope(type, meetingId, data);
  await enqueue(
    tx,
    to.map((h) => ({ kind: 'webhook', target: h.id, orderingKey: meetingId, meetingId, event: type, payload: body })),
  );
}

/** The "send a test event" button: one event to this webhook alone, whatever it chose. */
export async function queueTestEvent(db: Db, webhookId: string): Promise<number> {
  const body = envelope(TEST_EVENT, null, { message: 'Sự kiện thử từ diemcau / a test event from diemcau' });
  const row = await db.outboxDelivery.create({
    data: {
      kind: 'webhook',
      target: webhookId,
      orderingKey: `test:${webhookId}`,
      event: TEST_EVENT,
      payload: JSON.stringify(body),
    },
  });
  return row.id;
}

/** A recording's MP4 is built and verified: queued in the transaction that marks it ready (recordingStatus.ts). */
export async function queueRecordingReady(
  tx: Tx | Db,
  r: { id: string; meetingId: string; durationMs: number | null; sizeBytes: bigint | null },
): Promise<void> {
  await queueWebhookEvent(tx, 'recording.ready', r.meetingId, {
    meetingId: r.meetingId,
    recordingId: r.id,
    durationMs: r.durationMs,
    sizeBytes: r.sizeBytes === null ? null : Number(r.sizeBytes),
  });
}

export function webhookDeliverer(db: Db, timeoutMs: number): Deliver {
  return async (row) => {
    const hook = await db.webhook.findUnique({ where: { id: row.target } });
    if (!hook) throw new DeliveryError('the webhook was removed');
    const body = row.payload;
    const timestamp = Math.floor(Date.now() / 1000);
    let res: Response;
    try {
      res = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'diemcau-webhooks',
          [WEBHOOK_HEADERS.event]: row.event,
          [WEBHOOK_HEADERS.delivery]: String(row.id),
          [WEBHOOK_HEADERS.timestamp]: String(timestamp),
          [WEBHOOK_HEADERS.signature]: signWebhook(hook.secret, timestamp, body),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new DeliveryError(`no answer from ${new URL(hook.url).host}: ${cause ?? (err as Error).message}`);
    }
    await res.body?.cancel();
    if (res.status < 200 || res.status >= 300) {
      throw new DeliveryError(`the receiver answered HTTP ${res.status}`, res.status);
    }
    return { statusCode: res.status };
  };
}
