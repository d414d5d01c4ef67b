// Live scheduler events, pushed over socket.io namespace "/live" to the users a
// change concerns (scheduler/live.ts sends them, client/lib/live.ts listens).
// Each carries the meeting it is about; the hub stamps `at` when it sends.
import type { AttendanceMark, InvitationStatus, MeetingStatus } from './enums.ts';

export const LIVE_NAMESPACE = '/live';

export interface LiveEvents {
  'meeting:created': { meetingId: string; title: string };
  'meeting:updated': { meetingId: string };
  'meeting:cancelled': { meetingId: string; reason: string };
  'meeting:status': { meetingId: string; status: MeetingStatus };
  'invitation:changed':
    | { meetingId: string; change: 'invited' | 'uninvited'; roomIds: string[] }
    | { meetingId: string; change: 'answered'; roomId: string; status: InvitationStatus; note: string | null };
  'attendance:changed':
    | { meetingId: string; roomId: string; event: 'joined' | 'left' }
    | { meetingId: string; roomId: string; mark: AttendanceMark; reason: string | null };
}

export type LiveEvent = keyof LiveEvents;

/** What a listener receives: the event's payload and when the hub sent it. */
export type LiveMessage<E extends LiveEvent = LiveEvent> = LiveEvents[E] & { at: string };
