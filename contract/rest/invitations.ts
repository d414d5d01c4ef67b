// The scheduler's REST contract for invitations: inviting and uninviting rooms,
// a room answering, and the lists of a meeting's and of a room's invitations.
import { z } from 'zod';
import { INVITATION_STATUSES, UNIT_KINDS } from '../enums.ts';
import { conflictSchema, entityId, localDay, meetingSchema, roomSelectionSchema } from './meetings.ts';

// ---------------------------------------------------------------- requests

export const inviteBody = roomSelectionSchema.extend({
  override: z.boolean().optional(),
  dryRun: z.boolean().optional(),
});
export type InviteBody = z.infer<typeof inviteBody>;

export const uninviteBody = roomSelectionSchema;

export const answerBody = z.strictObject({
  status: z.enum(['accepted', 'declined']),
  note: z.string().trim().max(1000).nullable().optional(),
});
export type AnswerBody = z.infer<typeof answerBody>;

export const roomInvitationsQuery = z.strictObject({
  roomId: entityId.optional(),
  day: localDay.optional(),
  week: localDay.optional(),
  status: z.enum(INVITATION_STATUSES).optional(),
});
export type RoomInvitationsQuery = z.infer<typeof roomInvitationsQuery>;

// ---------------------------------------------------------------- responses

/** One invited room of a meeting, with its answer (the secretariat's view). */
export const meetingInvitationSchema = z.object({
  id: z.string(),
  roomId: z.string(),
  roomName: z.string(),
  unit: z.object({ id: z.string(), name: z.string(), kind: z.enum(UNIT_KINDS) }),
  status: z.enum(INVITATION_STATUSES),
  note: z.string().nullable(),
  respondedAt: z.string().nullable(),
  respondedAtLocal: z.string().nullable(),
});
export type MeetingInvitation = z.infer<typeof meetingInvitationSchema>;

export const meetingInvitationsResponse = z.object({
  meetingId: z.string(),
  invitations: z.array(meetingInvitationSchema),
});
export type MeetingInvitationsResponse = z.infer<typeof meetingInvitationsResponse>;

export const inviteResponse = z.object({
  meetingId: z.string(),
  /** Rooms the selection resolved to. */
  selected: z.number().int(),
  added: z.number().int(),
  alreadyInvited: z.number().int(),
  /** The chair room was in the selection (it takes part as the chair, never as an invited room). */
  skippedChairRoom: z.boolean(),
  total: z.number().int(),
  addedRoomIds: z.array(z.string()),
  conflicts: z.array(conflictSchema),
  dryRun: z.boolean(),
});
export type InviteResponse = z.infer<typeof inviteResponse>;

export const uninviteResponse = z.object({
  meetingId: z.string(),
  removed: z.number().int(),
  removedRoomIds: z.array(z.string()),
});
export type UninviteResponse = z.infer<typeof uninviteResponse>;

export const answerResponse = z.object({
  invitation: z.object({
    id: z.string(),
    meetingId: z.string(),
    roomId: z.string(),
    status: z.enum(INVITATION_STATUSES),
    note: z.string().nullable(),
    respondedAt: z.string().nullable(),
  }),
});
export type AnswerResponse = z.infer<typeof answerResponse>;

/** One invitation of a room, with its meeting (the room's view). */
export const roomInvitationSchema = z.object({
  id: z.string(),
  status: z.enum(INVITATION_STATUSES),
  note: z.string().nullable(),
  respondedAt: z.string().nullable(),
  meeting: meetingSchema,
});
export type RoomInvitation = z.infer<typeof roomInvitationSchema>;

export const roomInvitationsResponse = z.object({
  room: z.object({ id: z.string(), name: z.string() }),
  invitations: z.array(roomInvitationSchema),
});
export type RoomInvitationsResponse = z.infer<typeof roomInvitationsResponse>;
