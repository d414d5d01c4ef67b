// Join tokens: a room asks for the token it joins the meeting's media with.
// The rules live in scheduler/joinTokens.ts; the shapes in contract/rest/joinTokens.ts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { joinTokenBody, joinTokenResponse } from '../../contract/rest/joinTokens.ts';
import { meetingParams } from '../../contract/rest/meetings.ts';
import { requireUser } from '../auth.ts';
import type { Ctx } from '../context.ts';
import { issueJoinToken } from '../joinTokens.ts';

export async function joinTokenRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/meetings/:id/join-token',
    {
      schema: {
        tags: ['join'],
        summary:
          'A short-lived token for the SFU join: for an invited room (role site) or the chair room (role chair), from the technical check until the end',
        params: meetingParams,
        body: joinTokenBody,
        response: { 200: joinTokenResponse },
      },
    },
    async (req, reply) => {
      const p = requireUser(req);
      const out = await issueJoinToken(ctx, { p, ip: req.ip }, req.params.id, req.body?.roomId);
      reply.header('cache-control', 'no-store');
      return out;
    },
  );
}
