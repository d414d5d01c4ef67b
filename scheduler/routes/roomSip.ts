// A room as a SIP room system (docs/sip.md): the administrator sets its SIP
// user name and digest password (kept as the HA1) and, for dial-out, its
// address; or makes it a browser-only room again.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { roomSipSchema } from '../../contract/sip.ts';
import { requireUser } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import { uniqueViolation } from '../db.ts';
import { conflict, notFound } from '../errors.ts';
import { roomView } from '../roomContacts.ts';
import { sipHa1 } from '../sipRooms.ts';
import { idParams } from './params.ts';

export async function roomSipRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  r.put(
    '/rooms/:id/sip',
    {
      schema: {
        tags: ['rooms'],
        summary: 'Make a room a SIP room system: its user name, digest password, dial-out address (admin)',
        params: idParams,
        body: roomSipSchema,
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      const { user, password, uri, dialAuth } = req.body;
      const room = await db.$transaction(async (tx) => {
        const before = await tx.endpointRoom.findUnique({ where: { id: req.params.id } });
        if (!before) throw notFound('điểm cầu', 'Room');
        try {
          const updated = await tx.endpointRoom.update({
            where: { id: before.id },
            data: {
              sipUser: user,
              sipHa1: sipHa1(user, ctx.config.SIP_REALM, password),
              sipUri: uri ?? null,
              // The room's own realm: the HA1 answers its challenges, and no other.
              sipDialUser: dialAuth?.user ?? null,
              sipDialRealm: dialAuth?.realm ?? null,
              sipDialHa1: dialAuth ? sipHa1(dialAuth.user, dialAuth.realm, dialAuth.password) : null,
            },
          });
          // The passwords stay out of the audit trail.
          const dialUser = dialAuth ? { user: dialAuth.user, realm: dialAuth.realm } : null;
          await audit(tx, p, 'room.sip_set', 'room', before.id, { user, uri: uri ?? null, dialAuth: dialUser }, req.ip);
          return updated;
        } catch (err) {
          if (uniqueViolation(err)) {
            throw conflict(
              'DUPLICATE',
              'Tên SIP này đã thuộc điểm cầu khác.',
              'Another room already has that SIP user name.',
            );
          }
          throw err;
        }
      });
      return { room: roomView(room) };
    },
  );

  r.delete(
    '/rooms/:id/sip',
    { schema: { tags: ['rooms'], summary: 'Make a SIP room a browser-only room again (admin)', params: idParams } },
    async (req) => {
      const p = requireUser(req, ['admin']);
      const room = await db.$transaction(async (tx) => {
        const before = await tx.endpointRoom.findUnique({ where: { id: req.params.id } });
        if (!before) throw notFound('điểm cầu', 'Room');
        const updated = await tx.endpointRoom.update({
          where: { id: before.id },
          data: { sipUser: null, sipHa1: null, sipUri: null, sipDialUser: null, sipDialRealm: null, sipDialHa1: null },
        });
        await audit(tx, p, 'room.sip_cleared', 'room', before.id, undefined, req.ip);
        return updated;
      });
      return { room: roomView(room) };
    },
  );
}
