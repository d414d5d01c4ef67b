// The upstream side's HTTP routes (deployment A): a linked deployment asks to
// relay one of this hub's meetings, syncs its link every few seconds, and
// closes it. Every request must carry the pair's credential
// (hub/cascade/credential.ts); without it the answer is 401 and nothing opens.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { ApiError, sendError } from '../../scheduler/errors.ts';
import type { Relays } from '../../sfu/cascade/Relays.ts';
import { closeRequest, relayRequest, syncRequest } from '../../sfu/cascade/wire.ts';
import { SignalingError } from '../../sfu/SignalingError.ts';
import type { CascadeLinkSetting } from '../settings/cascade.ts';
import { CredentialCheck } from './credential.ts';

export const CASCADE_PATHS = {
  relay: '/api/cascade/relay',
  sync: '/api/cascade/sync',
  close: '/api/cascade/close',
} as const;

export interface CascadeRoutesOptions {
  links: readonly CascadeLinkSetting[];
  relays: Relays;
}

type Caller = { name: string; displayName: string };

export async function registerCascadeRoutes(app: FastifyInstance, options: CascadeRoutesOptions): Promise<void> {
  const credentials = new CredentialCheck(options.links);
  await app.register(async (scope) => {
    // The signature covers the body as sent: keep it as text, parse it after the check.
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    /** The caller when its credential holds and its body matches `schema`; otherwise the reply is sent. */
    const accept = <S extends z.ZodType>(request: FastifyRequest, reply: FastifyReply, schema: S) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const verdict = credentials.verify(request.headers, { method: request.method, path: request.url, body });
      if (!verdict.ok) {
        request.log.warn({ from: request.headers['x-cascade-deployment'], ip: request.ip }, 'cascade request refused');
        sendError(reply, new ApiError(401, 'UNAUTHENTICATED', verdict.message, verdict.messageEn));
        return null;
      }
      let parsed: z.infer<S>;
      try {
        parsed = schema.parse(JSON.parse(body)) as z.infer<S>;
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        sendError(
          reply,
          new ApiError(
            400,
            'BAD_REQUEST',
            `Yêu cầu liên kết không hợp lệ: ${detail}`,
            `Malformed cascade request: ${detail}`,
          ),
        );
        return null;
      }
      const caller: Caller = { name: verdict.link.name, displayName: verdict.link.displayName ?? verdict.link.name };
      return { caller, body: parsed };
    };

    scope.post(CASCADE_PATHS.relay, async (request, reply) => {
      const accepted = accept(request, reply, relayRequest);
      if (!accepted) return reply;
      try {
        return await options.relays.open(accepted.caller, accepted.body);
      } catch (err) {
        return sendError(reply, apiErrorOf(err));
      }
    });

    scope.post(CASCADE_PATHS.sync, async (request, reply) => {
      const accepted = accept(request, reply, syncRequest);
      if (!accepted) return reply;
      try {
        return await options.relays.sync(accepted.caller, accepted.body);
      } catch (err) {
        return sendError(reply, apiErrorOf(err));
      }
    });

    scope.post(CASCADE_PATHS.close, async (request, reply) => {
      const accepted = accept(request, reply, closeRequest);
      if (!accepted) return reply;
      return { closed: options.relays.close(accepted.caller, accepted.body.linkId) };
    });
  });
}

/** The meeting's refusal, said to the other deployment with its own words. */
function apiErrorOf(err: unknown): ApiError {
  if (err instanceof SignalingError) {
    if (err.code === 'NOT_FOUND') return new ApiError(404, 'NOT_FOUND', err.message, err.messageEn);
    if (err.code === 'BAD_REQUEST') return new ApiError(400, 'BAD_REQUEST', err.message, err.messageEn);
    return new ApiError(409, 'INVALID_STATE', err.message, err.messageEn);
  }
  // mediasoup refuses RTP or SRTP parameters it cannot accept with a TypeError.
  if (err instanceof TypeError) {
    return new ApiError(
      400,
      'BAD_REQUEST',
      `Tham số không hợp lệ: ${err.message}`,
      `Invalid parameters: ${err.message}`,
    );
  }
  return new ApiError(500, 'INTERNAL');
}
