// A meeting as an iCalendar event: the same UID, SEQUENCE and text in the
// calendar feed, the meeting's .ics download and the invitations by e-mail, so a
// calendar that got it any of these ways updates one event in place.
import type { ICalCalendar, ICalEventData } from 'ical-generator';
import { ICalEventStatus } from 'ical-generator';
import { effectiveTechCheck, type MeetingWithRefs } from './meetings.ts';
import { chairNames } from './nameHistory.ts';
import { toLocalText } from './time.ts';

/** The event's UID: the meeting's id at the hub's host name (PUBLIC_URL's, when configured). */
export function eventUid(meetingId: string, host: string): string {
  return `${meetingId}@${host}`;
}

/** The host name calendar UIDs carry: PUBLIC_URL's, else the one the request came to. */
export function uidHost(publicUrl: string | null, requestHost: string | undefined): string {
  if (publicUrl) return new URL(publicUrl).hostname;
  return (requestHost || 'diemcau').replace(/:\d+$/, '');
}

/** The lines of the event's description (and of the invitation e-mail's body). */
export function meetingDescription(m: MeetingWithRefs, joinLeadMinutes: number): string[] {
  const tc = effectiveTechCheck(m, joinLeadMinutes);
  const chair = chairNames(m);
  return [
    m.invitationNumber ? `Số giấy mời: ${m.invitationNumber}` : null,
    `Chủ trì: ${chair.unitName} – ${chair.roomName}`,
    `Kiểm tra kỹ thuật từ ${toLocalText(tc)}`,
    // A room system's keypad dials it (docs/sip.md); released once the meeting is over.
    m.dialCode
      ? `Mã gọi từ thiết bị phòng họp (SIP) / Room system dial code: ${m.dialCode} (sip:${m.dialCode}@<địa chỉ máy chủ / hub address>)`
      : null,
    m.agenda ? `\n${m.agenda}` : null,
    m.status === 'cancelled' && m.cancelReason ? `\nĐÃ HỦY: ${m.cancelReason}` : null,
  ].filter((x): x is string => x !== null);
}

/** Adds meeting `m` to `cal`; `extra` adds what an invitation carries (organizer, attendees). */
export function addMeetingEvent(
  cal: ICalCalendar,
  m: MeetingWithRefs,
  opts: { host: string; joinLeadMinutes: number; cancelled?: boolean; extra?: Partial<ICalEventData> },
): void {
  const cancelled = opts.cancelled ?? m.status === 'cancelled';
  cal.createEvent({
    id: eventUid(m.id, opts.host),
    start: m.startAt,
    end: m.endAt,
    stamp: m.updatedAt,
    created: m.createdAt,
    lastModified: m.updatedAt,
    sequence: m.sequence,
    summary: cancelled ? `[ĐÃ HỦY] ${m.title}` : m.title,
    description: meetingDescription(m, opts.joinLeadMinutes).join('\n'),
    location: chairNames(m).roomName,
    status: cancelled
      ? ICalEventStatus.CANCELLED
      : m.status === 'draft'
        ? ICalEventStatus.TENTATIVE
        : ICalEventStatus.CONFIRMED,
    ...opts.extra,
  });
}
