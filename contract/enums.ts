// The shared vocabularies of diemcau, written once: the scheduler's database
// columns, its REST API, the signaling contract, join tokens and the client all
// take their lists from here.

/** discussion: every site may speak; briefing: only the chair (others ask for the floor); conference: the chair grants the floor to several. */
export const MEETING_MODES = ['discussion', 'briefing', 'conference'] as const;
export type MeetingMode = (typeof MEETING_MODES)[number];

export const MEETING_STATUSES = ['draft', 'scheduled', 'live', 'ended', 'cancelled'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
/** Statuses that occupy a room: conflicts are checked against these. */
export const ACTIVE_STATUSES: readonly MeetingStatus[] = ['draft', 'scheduled', 'live'];

export const INVITATION_STATUSES = ['invited', 'accepted', 'declined'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/** Roll-call marks (điểm danh): present in the room, present online, absent (with a reason), not yet marked. */
export const ATTENDANCE_MARKS = ['unmarked', 'present_in_room', 'present_online', 'absent'] as const;
export type AttendanceMark = (typeof ATTENDANCE_MARKS)[number];

export const USER_ROLES = ['admin', 'secretariat', 'chair', 'room_operator'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const UNIT_KINDS = ['province', 'department', 'district', 'commune', 'other'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

/** A site's role in a live meeting: the chairing site controls it. */
export const SITE_ROLES = ['chair', 'site'] as const;
export type SiteRole = (typeof SITE_ROLES)[number];
