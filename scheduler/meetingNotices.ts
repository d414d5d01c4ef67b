// What the outside hears of a meeting's changes: the invited rooms' contacts by
// e-mail (scheduler/invitationMail.ts) and the registered webhooks
// (scheduler/outbox/webhooks.ts). Each function runs inside the transaction of
// the change, so the notices exist exactly when the change does; the caller
// kicks ctx.outbox after committing.
import type { Ctx } from './context.ts';
import type { Tx } from './db.ts';
import { meetingRoomIds, queueInvitationMails } from './invitationMail.ts';
import { type MeetingWithRefs, WITH_REFS } from './meetings.ts';
import { queueWebhookEvent, webhookMeeting } from './outbox/webhooks.ts';

async function reload(tx: Tx, meetingId: string): Promise<MeetingWithRefs> {
  return tx.meeting.findUniqueOrThrow({ where: { id: meetingId }, include: WITH_REFS });
}

/** Calendars take in a change: the next letters carry a higher SEQUENCE. */
async function bumpSequence(tx: Tx, meetingId: string): Promise<void> {
  await tx.meeting.update({ where: { id: meetingId }, data: { sequence: { increment: 1 } } });
}

/** A meeting (one occurrence of a series) was booked. */
export async function noticeBooked(tx: Tx, ctx: Ctx, meetingId: string): Promise<void> {
  const m = await reload(tx, meetingId);
  await queueInvitationMails(tx, ctx, m.id, { request: await meetingRoomIds(tx, m) });
  await queueWebhookEvent(tx, 'meeting.booked', m.id, { meeting: await webhookMeeting(tx, m) });
}

type MeetingFields = Pick<
  MeetingWithRefs,
  | 'startAt'
  | 'endAt'
  | 'techCheckAt'
  | 'title'
  | 'agenda'
  | 'invitationNumber'
  | 'chairRoomId'
  | 'status'
  | 'mode'
  | 'maxSites'
>;

/** What an edit changed, in the words webhook receivers get. */
function changesOf(before: MeetingFields, after: MeetingFields): string[] {
  const time =
    before.startAt.getTime() !== after.startAt.getTime() ||
    before.endAt.getTime() !== after.endAt.getTime() ||
    before.techCheckAt?.getTime() !== after.techCheckAt?.getTime();
  return [
    time && 'time',
    before.title !== after.title && 'title',
    (before.agenda !== after.agenda || before.invitationNumber !== after.invitationNumber) && 'agenda',
    before.chairRoomId !== after.chairRoomId && 'chair',
    before.status !== after.status && 'status',
    (before.mode !== after.mode || before.maxSites !== after.maxSites) && 'settings',
  ].filter((c): c is string => typeof c === 'string');
}

/** What the invited rooms' calendars show: a change of these sends them the event again. */
const CALENDAR_CHANGES = new Set(['time', 'title', 'agenda', 'chair', 'status']);

/** A meeting was edited (PATCH): `before` as loaded, the saved row in the database. */
export async function noticeEdited(tx: Tx, ctx: Ctx, before: MeetingFields & { id: string }): Promise<void> {
  const after = await reload(tx, before.id);
  const changes = changesOf(before, after);
  if (!changes.length) return;
  if (changes.some((c) => CALENDAR_CHANGES.has(c))) {
    await bumpSequence(tx, after.id);
    const cancel = before.chairRoomId !== after.chairRoomId ? [before.chairRoomId] : [];
    await queueInvitationMails(tx, ctx, after.id, { request: await meetingRoomIds(tx, after), cancel });
  }
  const meeting = await webhookMeeting(tx, await reload(tx, after.id));
  await queueWebhookEvent(tx, 'meeting.changed', after.id, { meeting, changes });
}

/** Rooms were invited to or uninvited from a meeting. */
export async function noticeRoomsChanged(
  tx: Tx,
  ctx: Ctx,
  meetingId: string,
  rooms: { added?: readonly string[]; removed?: readonly string[] },
): Promise<void> {
  if (!rooms.added?.length && !rooms.removed?.length) return;
  // A removed room's CANCEL must outrank the REQUEST its calendar holds.
  if (rooms.removed?.length) await bumpSequence(tx, meetingId);
  await queueInvitationMails(tx, ctx, meetingId, { request: rooms.added, cancel: rooms.removed });
  const meeting = await webhookMeeting(tx, await reload(tx, meetingId));
  await queueWebhookEvent(tx, 'meeting.changed', meetingId, { meeting, changes: ['rooms'] });
}

/** A meeting was cancelled: every room it had is told (unless it was a draft nobody had heard of). */
export async function noticeCancelled(tx: Tx, ctx: Ctx, meetingId: string, wasDraft: boolean): Promise<void> {
  await bumpSequence(tx, meetingId);
  const m = await reload(tx, meetingId);
  if (!wasDraft) await queueInvitationMails(tx, ctx, m.id, { cancel: await meetingRoomIds(tx, m) });
  await queueWebhookEvent(tx, 'meeting.cancelled', m.id, { meeting: await webhookMeeting(tx, m) });
}

export type EndedByWord = 'user' | 'chair-site' | 'schedule' | 'overrun';

export async function noticeEnded(tx: Tx, m: MeetingWithRefs, by: EndedByWord): Promise<void> {
  await queueWebhookEvent(tx, 'meeting.ended', m.id, { meeting: await webhookMeeting(tx, m), by });
}
