// Invitations by e-mail: when a meeting is booked, changed or cancelled, the
// contacts of each room concerned get a letter in Vietnamese with the meeting's
// .ics (METHOD:REQUEST or CANCEL, the calendar feed's UID, the meeting's
// SEQUENCE), so their calendars add, move or remove one event. The letters are
// rendered when the change is made (inside its transaction) and queued in the
// outbox; without SMTP configured nothing is queued.
import ical, { ICalCalendarMethod } from 'ical-generator';
import { addMeetingEvent, meetingDescription, uidHost } from './calendarEvent.ts';
import type { Ctx } from './context.ts';
import type { Tx } from './db.ts';
import { type MeetingWithRefs, WITH_REFS } from './meetings.ts';
import { enqueue, type NewDelivery } from './outbox/Outbox.ts';
import { readContactEmails } from './roomContacts.ts';
import { toLocalText } from './time.ts';

export type InvitationMethod = 'REQUEST' | 'CANCEL';

/** A queued invitation e-mail (the outbox row's payload). */
export interface InvitationMail {
  to: string;
  roomId: string;
  roomName: string;
  method: InvitationMethod;
  sequence: number;
  subject: string;
  text: string;
  ics: string;
}

export const MAIL_EVENTS = { REQUEST: 'invitation.request', CANCEL: 'invitation.cancel' } as const;

/** Which rooms a change concerns: `request` get the meeting as it now is, `cancel` are told it is off for them. */
export interface InvitationChange {
  request?: readonly string[];
  cancel?: readonly string[];
}

/** Every room of a meeting: the chair room and the invited ones. */
export async function meetingRoomIds(tx: Tx, m: { id: string; chairRoomId: string }): Promise<string[]> {
  const inv = await tx.invitation.findMany({ where: { meetingId: m.id }, select: { roomId: true } });
  return [m.chairRoomId, ...inv.map((i) => i.roomId)];
}

/** Queues the letters of a change of meeting `meetingId` (as saved in `tx`), one per contact address. */
export async function queueInvitationMails(
  tx: Tx,
  ctx: Ctx,
  meetingId: string,
  change: InvitationChange,
): Promise<number> {
  const { smtp, PUBLIC_URL } = ctx.config;
  if (!smtp || !PUBLIC_URL) return 0;
  const m = await tx.meeting.findUniqueOrThrow({ where: { id: meetingId }, include: WITH_REFS });
  if (m.status === 'draft') return 0;
  const rows: NewDelivery[] = [];
  for (const method of ['REQUEST', 'CANCEL'] as const) {
    const roomIds = method === 'REQUEST' ? change.request : change.cancel;
    if (!roomIds?.length) continue;
    const rooms = await tx.endpointRoom.findMany({
      where: { id: { in: [...roomIds] } },
      select: { id: true, name: true, contactEmails: true },
    });
    for (const room of rooms) {
      for (const to of readContactEmails(room.contactEmails)) {
        const mail = renderInvitation(ctx, m, { to, roomId: room.id, roomName: room.name, method });
        rows.push({
          kind: 'mail',
          target: to,
          orderingKey: m.id,
          meetingId: m.id,
          event: MAIL_EVENTS[method],
          payload: mail,
        });
      }
    }
  }
  await enqueue(tx, rows);
  return rows.length;
}

function subjectOf(m: MeetingWithRefs, method: InvitationMethod): string {
  const when = toLocalText(m.startAt);
  if (method === 'CANCEL') return `Hủy cuộc họp: ${m.title} (${when})`;
  return m.sequence > 0 ? `Thay đổi lịch họp: ${m.title} (${when})` : `Giấy mời họp: ${m.title} (${when})`;
}

function introOf(m: MeetingWithRefs, method: InvitationMethod): string {
  if (method === 'CANCEL') {
    return m.status === 'cancelled'
      ? 'Cuộc họp dưới đây đã bị hủy.'
      : 'Điểm cầu của quý đơn vị không còn tham dự cuộc họp dưới đây.';
  }
  return m.sequence > 0
    ? 'Cuộc họp dưới đây đã thay đổi; lịch của quý đơn vị được cập nhật theo tệp đính kèm.'
    : 'Trân trọng kính mời điểm cầu của quý đơn vị tham dự cuộc họp trực tuyến dưới đây.';
}

/** "Name <address>" or "address" → its parts (the organizer of the calendar event). */
function mailbox(from: string): { name: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  if (!match) return { name: from.trim(), email: from.trim() };
  return { name: match[1] || (match[2] as string), email: match[2] as string };
}

export function renderInvitation(
  ctx: Ctx,
  m: MeetingWithRefs,
  to: { to: string; roomId: string; roomName: string; method: InvitationMethod },
): InvitationMail {
  const { PUBLIC_URL, JOIN_LEAD_MINUTES, smtp } = ctx.config;
  const publicUrl = PUBLIC_URL as string;
  const cal = ical({ prodId: { company: 'diemcau', product: 'scheduler', language: 'VI' } });
  cal.method(to.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST);
  addMeetingEvent(cal, m, {
    host: uidHost(publicUrl, undefined),
    joinLeadMinutes: JOIN_LEAD_MINUTES,
    cancelled: to.method === 'CANCEL',
    extra: {
      organizer: mailbox(smtp?.from ?? ''),
      attendees: [{ email: to.to, name: to.roomName }],
      url: publicUrl,
    },
  });
  const text = [
    `Kính gửi: ${to.roomName}`,
    '',
    introOf(m, to.method),
    '',
    `Cuộc họp: ${m.title}`,
    `Thời gian: ${toLocalText(m.startAt)} – ${toLocalText(m.endAt)} (giờ Việt Nam)`,
    ...meetingDescription(m, JOIN_LEAD_MINUTES),
    '',
    `Hệ thống hội nghị truyền hình: ${publicUrl}`,
    '',
    '--',
    to.method === 'CANCEL'
      ? 'Meeting cancelled for this site; the attached calendar file removes it from your calendar.'
      : 'Video-conference invitation; the attached calendar file (.ics) adds or updates it in your calendar.',
  ].join('\n');
  return { ...to, sequence: m.sequence, subject: subjectOf(m, to.method), text, ics: cal.toString() };
}
