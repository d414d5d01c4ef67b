// Meetings: list, read, book, check conflicts, edit, cancel, end, audit trail.
// The booking rules live in scheduler/booking.ts; the shapes in contract/rest/meetings.ts.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  cancelMeetingBody,
  checkConflictsBody,
  checkConflictsResponse,
  createMeetingBody,
  createMeetingHeaders,
  createMeetingResponse,
  meetingAuditResponse,
  meetingParams,
  meetingResponse,
  meetingsQuery,
  meetingsResponse,
  updateMeetingBody,
  updateMeetingResponse,
} from '../../contract/rest/meetings.ts';
import { requireUser } from '../auth.ts';
import { cancelMeeting, createMeetings, previewConflicts, updateMeeting } from '../booking.ts';
import type { Ctx } from '../context.ts';
import { endMeeting } from '../meetingEnd.ts';
import { loadVisibleMeeting } from '../meetings.ts';
import { auditTrail, listMeetings, presentMeeting, presentMeetings } from '../meetingView.ts';
import { toLocalIso } from '../time.ts';

export async function meetingRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;
  const lead = ctx.config.JOIN_LEAD_MINUTES;

  r.get(
    '/meetings',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Meetings visible to the user, by local day or week (default: this week), unit subtree, room',
        querystring: meetingsQuery,
        response: { 200: meetingsResponse },
      },
    },
    async (req) => {
      const p = requireUser(req);
      const { range, meetings } = await listMeetings(db, p, req.query);
      return {
        from: range.from.toISOString(),
        to: range.to.toISOString(),
        fromLocal: toLocalIso(range.from),
        toLocal: toLocalIso(range.to),
        meetings: await presentMeetings(db, lead, p, meetings),
      };
    },
  );

  r.post(
    '/meetings/check-conflicts',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Which of these rooms are booked in an overlapping meeting (nothing is saved)',
        body: checkConflictsBody,
        response: { 200: checkConflictsResponse },
      },
    },
    async (req) => previewConflicts(db, requireUser(req, ['admin', 'secretariat', 'chair']), req.body),
  );

  r.post(
    '/meetings',
    {
      schema: {
        tags: ['meetings'],
        summary:
          'Book a meeting (optionally weekly), inviting rooms by id or subtree selector. 409 CONFLICT lists booked rooms unless override; 409 DUPLICATE for an identical meeting; an Idempotency-Key header replays the first response.',
        body: createMeetingBody,
        headers: createMeetingHeaders,
        response: { 201: createMeetingResponse },
      },
    },
    async (req, reply) => {
      const p = requireUser(req, ['admin', 'secretariat']);
      const out = await createMeetings(ctx, { p, ip: req.ip }, req.body, req.headers['idempotency-key']);
      if (out.replayed) {
        // The first response's stored JSON text, sent as it was (not through the response schema).
        return (reply as FastifyReply)
          .code(out.statusCode)
          .header('idempotent-replay', 'true')
          .type('application/json; charset=utf-8')
          .send(out.body);
      }
      return reply.code(201).send(out.body);
    },
  );

  r.get(
    '/meetings/:id',
    {
      schema: { tags: ['meetings'], summary: 'One meeting', params: meetingParams, response: { 200: meetingResponse } },
    },
    async (req) => {
      const p = requireUser(req);
      return { meeting: await presentMeeting(db, lead, p, await loadVisibleMeeting(db, p, req.params.id)) };
    },
  );

  r.patch(
    '/meetings/:id',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Edit a meeting; changed times or chair room are re-checked for conflicts (override to save anyway)',
        params: meetingParams,
        body: updateMeetingBody,
        response: { 200: updateMeetingResponse },
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin', 'secretariat']);
      const out = await updateMeeting(ctx, { p, ip: req.ip }, req.params.id, req.body);
      return { meeting: await presentMeeting(db, lead, p, out.meeting), overriddenConflicts: out.conflicts };
    },
  );

  r.post(
    '/meetings/:id/cancel',
    {
      schema: {
        tags: ['meetings'],
        summary: 'Cancel a meeting (repeating the request is harmless)',
        params: meetingParams,
        body: cancelMeetingBody,
        response: { 200: meetingResponse },
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin', 'secretariat']);
      const m = await cancelMeeting(ctx, { p, ip: req.ip }, req.params.id, req.body.reason);
      return { meeting: await presentMeeting(db, lead, p, m) };
    },
  );

  r.post(
    '/meetings/:id/end',
    {
      schema: {
        tags: ['meetings'],
        summary: 'End a meeting: the schedule marks it ended and the SFU closes its media (chair, secretariat)',
        params: meetingParams,
        response: { 200: meetingResponse },
      },
    },
    async (req) => {
      const p = requireUser(req);
      const m = await endMeeting(ctx, req.params.id, { p, ip: req.ip });
      return { meeting: await presentMeeting(db, lead, p, m) };
    },
  );

  r.get(
    '/meetings/:id/audit',
    {
      schema: {
        tags: ['meetings'],
        summary: "The meeting's audit trail",
        params: meetingParams,
        response: { 200: meetingAuditResponse },
      },
    },
    async (req) => ({ entries: await auditTrail(db, requireUser(req), req.params.id) }),
  );
}
