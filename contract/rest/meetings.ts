// The scheduler's REST contract for meetings: what the routes accept (validated
// with these schemas) and what they answer (serialized with them; client/api.ts
// takes its types from here). Times are ISO 8601 instants; each `…Local` twin
// is the same instant in Asia/Ho_Chi_Minh (+07:00).
import { z } from 'zod';
import { INVITATION_STATUSES, MEETING_MODES, MEETING_STATUSES, UNIT_KINDS } from '../enums.ts';

// ---------------------------------------------------------------- shared fields

export const entityId = z.string().min(1).max(64);
export const isoTime = z.iso
  .datetime({ offset: true })
  .describe('ISO 8601 with offset, e.g. 2025-11-24T08:00:00+07:00');
export const localDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'Ngày không hợp lệ | Invalid date')
  .describe('A local date (Asia/Ho_Chi_Minh), YYYY-MM-DD');

export const meetingParams = z.strictObject({ id: entityId });
export const meetingRoomParams = z.strictObject({ id: entityId, roomId: entityId });

/** Rooms of a unit's subtree (or the unit alone), optionally of some unit kinds. */
export const unitSelectorSchema = z.strictObject({
  unitId: entityId,
  kind: z.union([z.enum(UNIT_KINDS), z.array(z.enum(UNIT_KINDS)).min(1)]).optional(),
  includeDescendants: z.boolean().optional().describe('default true: every unit of the subtree; false: the unit only'),
});

/** Rooms chosen by id and/or by subtree selector. */
export const roomSelectionSchema = z.strictObject({
  roomIds: z.array(entityId).max(2000).optional(),
  selectors: z.array(unitSelectorSchema).max(100).optional(),
});
export type RoomSelection = z.infer<typeof roomSelectionSchema>;

// ---------------------------------------------------------------- requests

/** A meeting's own fields, as the booking form sends them. */
export const meetingInputSchema = z.strictObject({
  title: z.string().trim().min(3).max(300),
  agenda: z.string().max(20_000).nullable().optional(),
  invitationNumber: z.string().trim().max(100).nullable().optional().describe('Số giấy mời'),
  startAt: isoTime,
  endAt: isoTime,
  techCheckAt: isoTime.nullable().optional().describe('Technical check start; default start − JOIN_LEAD_MINUTES'),
  chairRoomId: entityId,
  chairUnitId: entityId.optional().describe("Defaults to the chair room's unit"),
  mode: z.enum(MEETING_MODES).optional().describe('default conference'),
  maxSites: z.number().int().min(1).max(5000).optional(),
  autoRecord: z.boolean().optional().describe('The hub starts recording by itself at the start time (default false)'),
});
export type MeetingInput = z.input<typeof meetingInputSchema>;

/** The statuses a booking may set; the rest follow from what happens to the meeting. */
const bookedStatus = z.enum(['draft', 'scheduled']);

export const createMeetingBody = meetingInputSchema.extend({
  status: bookedStatus.optional(),
  recurrence: z
    .strictObject({ freq: z.literal('weekly'), count: z.number().int().min(2).max(52) })
    .optional()
    .describe('Creates `count` weekly occurrences sharing a seriesId'),
  invite: roomSelectionSchema.optional(),
  override: z.boolean().optional().describe('Save even if rooms are booked in overlapping meetings'),
});
export type CreateMeetingBody = z.infer<typeof createMeetingBody>;

export const createMeetingHeaders = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });

export const updateMeetingBody = meetingInputSchema.partial().extend({
  status: bookedStatus.optional(),
  override: z.boolean().optional(),
});
export type UpdateMeetingBody = z.infer<typeof updateMeetingBody>;

export const cancelMeetingBody = z.strictObject({ reason: z.string().trim().min(3).max(1000) });

export const meetingsQuery = z.strictObject({
  day: localDay.optional(),
  week: localDay.optional().describe('Any date of the week (Monday to Sunday, local time)'),
  from: isoTime.optional(),
  to: isoTime.optional(),
  unitId: entityId.optional().describe('Meetings chaired by or inviting a room of this unit subtree'),
  roomId: entityId.optional(),
  status: z.enum(MEETING_STATUSES).optional(),
  includeCancelled: z.enum(['true', 'false']).optional(),
});
export type MeetingsQuery = z.infer<typeof meetingsQuery>;

export const checkConflictsBody = roomSelectionSchema.extend({
  startAt: isoTime,
  endAt: isoTime,
  excludeMeetingId: entityId.optional(),
});
export type CheckConflictsBody = z.infer<typeof checkConflictsBody>;

// ---------------------------------------------------------------- responses

export const invitationCountsSchema = z.object({
  total: z.number().int(),
  invited: z.number().int(),
  accepted: z.number().int(),
  declined: z.number().int(),
});
export type InvitationCounts = z.infer<typeof invitationCountsSchema>;

export const meetingSchema = z.object({
  id: z.string(),
  title: z.string(),
  agenda: z.string().nullable(),
  invitationNumber: z.string().nullable(),
  dialCode: z
    .string()
    .nullable()
    .describe('The number a room system dials (sip:<code>@hub, docs/sip.md); null once the meeting is over'),
  startAt: z.string(),
  endAt: z.string(),
  startAtLocal: z.string(),
  endAtLocal: z.string(),
  techCheckAt: z.string().describe('The stored technical check, or start − JOIN_LEAD_MINUTES'),
  techCheckAtLocal: z.string(),
  techCheckIsDefault: z.boolean(),
  timeZone: z.literal('Asia/Ho_Chi_Minh'),
  chairUnit: z.object({ id: z.string(), name: z.string(), kind: z.enum(UNIT_KINDS) }),
  chairRoom: z.object({ id: z.string(), name: z.string() }),
  status: z.enum(MEETING_STATUSES),
  mode: z.enum(MEETING_MODES),
  maxSites: z.number().int(),
  /** The hub starts recording by itself at the start time ("Ghi hình tự động khi bắt đầu"). */
  autoRecord: z.boolean(),
  seriesId: z.string().nullable(),
  seriesIndex: z.number().int().nullable(),
  recurrenceRule: z.string().nullable(),
  cancelReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  invitations: invitationCountsSchema,
  /** What the asking user may do (absent where the meeting is nested in another answer). */
  canManage: z.boolean().optional(),
  canChair: z.boolean().optional(),
  /** For a room operator: its room's part in the meeting. */
  myRoom: z
    .object({
      roomId: z.string(),
      isChair: z.boolean(),
      invitation: z.object({ status: z.enum(INVITATION_STATUSES), note: z.string().nullable() }).nullable(),
    })
    .optional(),
});
export type Meeting = z.infer<typeof meetingSchema>;

/** A room already booked in another overlapping meeting. */
export const conflictSchema = z.object({
  roomId: z.string(),
  roomName: z.string(),
  meetingId: z.string(),
  meetingTitle: z.string(),
  startAt: z.string(),
  endAt: z.string(),
  startAtLocal: z.string(),
  endAtLocal: z.string(),
  as: z.enum(['invited', 'chair']),
});
export type Conflict = z.infer<typeof conflictSchema>;

export const meetingsResponse = z.object({
  from: z.string(),
  to: z.string(),
  fromLocal: z.string(),
  toLocal: z.string(),
  meetings: z.array(meetingSchema),
});
export type MeetingsResponse = z.infer<typeof meetingsResponse>;

export const checkConflictsResponse = z.object({
  rooms: z.number().int(),
  conflictingRooms: z.number().int(),
  conflicts: z.array(conflictSchema),
});
export type CheckConflictsResponse = z.infer<typeof checkConflictsResponse>;

export const createMeetingResponse = z.object({
  meeting: meetingSchema,
  occurrenceIds: z.array(z.string()),
  invited: z.number().int(),
  overriddenConflicts: z.array(conflictSchema),
});
export type CreateMeetingResponse = z.infer<typeof createMeetingResponse>;

export const meetingResponse = z.object({ meeting: meetingSchema });
export type MeetingResponse = z.infer<typeof meetingResponse>;

export const updateMeetingResponse = z.object({ meeting: meetingSchema, overriddenConflicts: z.array(conflictSchema) });
export type UpdateMeetingResponse = z.infer<typeof updateMeetingResponse>;

export const meetingAuditResponse = z.object({
  entries: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      userId: z.string().nullable(),
      userLogin: z.string().nullable(),
      action: z.string(),
      entity: z.string(),
      entityId: z.string().nullable(),
      details: z.unknown(),
      ip: z.string().nullable(),
    }),
  ),
});
