// Invitations: a meeting's invited rooms, inviting and uninviting, a room's
// answer and a room's list. The rules live in scheduler/invitations.ts; the
// shapes in contract/rest/invitations.ts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  answerBody,
  answerResponse,
  inviteBody,
  inviteResponse,
  meetingInvitationsResponse,
  roomInvitationsQuery,
  roomInvitationsResponse,
  uninviteBody,
  uninviteResponse,
} from '../../contract/rest/invitations.ts';
import { meetingParams, meetingRoomParams } from '../../contract/rest/meetings.ts';
import { requireUser } from '../auth.ts';
import type { Ctx } from '../context.ts';
import { notFound } from '../errors.ts';
import { answerInvitation, inviteRooms, meetingInvitations, roomInvitations, uninviteRooms } from '../invitations.ts';

export async function invitationRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/meetings/:id/invitations',
    {
      schema: {
        tags: ['invitations'],
        summary: "A meeting's invited rooms with their answers (room operators see their own row)",
        params: meetingParams,
        response: { 200: meetingInvitationsResponse },
      },
    },
    async (req) => meetingInvitations(ctx.db, requireUser(req), req.params.id),
  );

  r.post(
    '/meetings/:id/invitations',
    {
      schema: {
        tags: ['invitations'],
        summary:
          'Invite rooms by id or subtree selector, e.g. {"selectors":[{"unitId":"…","kind":"commune"}]}. Already-invited rooms are skipped; conflicts → 409 unless override; dryRun reports without saving.',
        params: meetingParams,
        body: inviteBody,
        response: { 200: inviteResponse },
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin', 'secretariat']);
      return inviteRooms(ctx, { p, ip: req.ip }, req.params.id, req.body);
    },
  );

  r.post(
    '/meetings/:id/invitations/remove',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Uninvite rooms by id or subtree selector',
        params: meetingParams,
        body: uninviteBody,
        response: { 200: uninviteResponse },
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin', 'secretariat']);
      return uninviteRooms(ctx, { p, ip: req.ip }, req.params.id, req.body);
    },
  );

  r.delete(
    '/meetings/:id/invitations/:roomId',
    {
      schema: {
        tags: ['invitations'],
        summary: 'Uninvite one room',
        params: meetingRoomParams,
        response: { 200: uninviteResponse },
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin', 'secretariat']);
      const res = await uninviteRooms(ctx, { p, ip: req.ip }, req.params.id, { roomIds: [req.params.roomId] });
      if (!res.removed) throw notFound('lời mời', 'Invitation');
      return res;
    },
  );

  r.post(
    '/meetings/:id/invitations/:roomId/respond',
    {
      schema: {
        tags: ['invitations'],
        summary: "Accept or decline an invitation (the room's operator, or the secretariat on its behalf)",
        params: meetingRoomParams,
        body: answerBody,
        response: { 200: answerResponse },
      },
    },
    async (req) => {
      const p = requireUser(req);
      return answerInvitation(ctx, { p, ip: req.ip }, req.params.id, req.params.roomId, req.body);
    },
  );

  r.get(
    '/invitations',
    {
      schema: {
        tags: ['invitations'],
        summary: "A room's invitations (room operators: their own room), by local day or week, default from today",
        querystring: roomInvitationsQuery,
        response: { 200: roomInvitationsResponse },
      },
    },
    async (req) => roomInvitations(ctx, requireUser(req), req.query),
  );
}
