// The scheduler's REST contract for join tokens: a room asks for the token it
// joins the meeting's media with (contract/joinToken.ts holds the claims).
import { z } from 'zod';
import { MEETING_MODES, SITE_ROLES } from '../enums.ts';
import type { IceServer } from '../signaling.ts';
import { entityId } from './meetings.ts';

export const joinTokenBody = z
  .strictObject({ roomId: entityId.optional() })
  .nullish()
  .describe('roomId: the room to join as (room operators: their own; default the chair room)');

export const iceServerSchema = z.object({
  urls: z.array(z.string()),
  username: z.string().optional(),
  credential: z.string().optional(),
}) satisfies z.ZodType<IceServer>;

export const joinTokenResponse = z.object({
  token: z.string(),
  expiresAt: z.string(),
  role: z.enum(SITE_ROLES),
  roomId: z.string(),
  roomName: z.string(),
  meetingId: z.string(),
  mode: z.enum(MEETING_MODES),
  maxSites: z.number().int(),
  iceServers: z.array(iceServerSchema),
});
export type JoinTokenResponse = z.infer<typeof joinTokenResponse>;
