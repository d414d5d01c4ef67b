// Webhooks (administrator): register a URL and the events it wants (its secret
// is shown once, at creation), edit or remove it, send it a test event, and
// read its delivery log. Event bodies: contract/webhooks.ts.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  type WebhookDelivery,
  type WebhookView,
  webhookBody,
  webhookCreatedSchema,
  webhookDeliverySchema,
  webhookSchema,
} from '../../contract/webhooks.ts';
import { requireUser } from '../auth.ts';
import { audit, type Ctx } from '../context.ts';
import type { Db } from '../db.ts';
import { notFound } from '../errors.ts';
import type { OutboxDelivery, Webhook } from '../generated/prisma/client.ts';
import { newWebhookSecret, queueTestEvent, readEvents } from '../outbox/webhooks.ts';
import { idParams } from './params.ts';

const DELIVERY_LOG = 200;

async function viewOf(db: Db, h: Webhook): Promise<WebhookView> {
  const counts = await db.outboxDelivery.groupBy({
    by: ['status'],
    where: { kind: 'webhook', target: h.id, status: { in: ['pending', 'failed'] } },
    _count: true,
  });
  const count = (status: string) => counts.find((c) => c.status === status)?._count ?? 0;
  return {
    id: h.id,
    url: h.url,
    events: readEvents(h.events),
    description: h.description,
    active: h.active,
    createdAt: h.createdAt.toISOString(),
    pending: count('pending'),
    failed: count('failed'),
  };
}

function deliveryOf(row: OutboxDelivery): WebhookDelivery {
  return {
    id: row.id,
    event: row.event,
    meetingId: row.meetingId,
    status: row.status as WebhookDelivery['status'],
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
    lastError: row.lastError,
    lastStatusCode: row.lastStatusCode,
    sentAt: row.sentAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function webhookRoutes(app: FastifyInstance, ctx: Ctx): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db } = ctx;

  async function loadWebhook(id: string): Promise<Webhook> {
    const h = await db.webhook.findUnique({ where: { id } });
    if (!h) throw notFound('webhook', 'Webhook');
    return h;
  }

  r.get(
    '/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Registered webhooks (admin), with their pending and failed deliveries',
        response: { 200: z.object({ webhooks: z.array(webhookSchema) }) },
      },
    },
    async (req) => {
      requireUser(req, ['admin']);
      const hooks = await db.webhook.findMany({ orderBy: { createdAt: 'asc' } });
      return { webhooks: await Promise.all(hooks.map((h) => viewOf(db, h))) };
    },
  );

  r.post(
    '/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary:
          'Register a webhook (admin). The answer carries its HMAC secret, shown this once. Bodies: components.schemas.WebhookEvent',
        body: webhookBody,
        response: { 201: webhookCreatedSchema },
      },
    },
    async (req, reply) => {
      const p = requireUser(req, ['admin']);
      const b = req.body;
      const secret = newWebhookSecret();
      const h = await db.$transaction(async (tx) => {
        const created = await tx.webhook.create({
          data: {
            url: b.url,
            secret,
            events: JSON.stringify([...new Set(b.events)]),
            description: b.description ?? null,
            active: b.active ?? true,
            createdById: p.user.id,
          },
        });
        const details = { url: b.url, events: b.events };
        await audit(tx, p, 'webhook.create', 'webhook', created.id, details, req.ip);
        return created;
      });
      return reply.code(201).send({ webhook: await viewOf(db, h), secret });
    },
  );

  r.patch(
    '/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Change a webhook’s URL, events, description or active flag (admin)',
        params: idParams,
        body: webhookBody.partial(),
        response: { 200: z.object({ webhook: webhookSchema }) },
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      const b = req.body;
      const h = await db.$transaction(async (tx) => {
        if (!(await tx.webhook.findUnique({ where: { id: req.params.id } }))) throw notFound('webhook', 'Webhook');
        const updated = await tx.webhook.update({
          where: { id: req.params.id },
          data: {
            ...(b.url !== undefined && { url: b.url }),
            ...(b.events !== undefined && { events: JSON.stringify([...new Set(b.events)]) }),
            ...(b.description !== undefined && { description: b.description }),
            ...(b.active !== undefined && { active: b.active }),
          },
        });
        await audit(tx, p, 'webhook.update', 'webhook', updated.id, b, req.ip);
        return updated;
      });
      return { webhook: await viewOf(db, h) };
    },
  );

  r.delete(
    '/webhooks/:id',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Remove a webhook and its delivery log (admin); its pending events are dropped',
        params: idParams,
        response: { 200: z.object({ ok: z.literal(true) }) },
      },
    },
    async (req) => {
      const p = requireUser(req, ['admin']);
      await db.$transaction(async (tx) => {
        const h = await tx.webhook.findUnique({ where: { id: req.params.id } });
        if (!h) throw notFound('webhook', 'Webhook');
        await tx.outboxDelivery.deleteMany({ where: { kind: 'webhook', target: h.id } });
        await tx.webhook.delete({ where: { id: h.id } });
        await audit(tx, p, 'webhook.delete', 'webhook', h.id, { url: h.url }, req.ip);
      });
      return { ok: true as const };
    },
  );

  r.post(
    '/webhooks/:id/test',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Send the webhook a test event (type webhook.test) now; its outcome appears in the delivery log',
        params: idParams,
        response: { 202: z.object({ deliveryId: z.number().int() }) },
      },
    },
    async (req, reply) => {
      requireUser(req, ['admin']);
      const h = await loadWebhook(req.params.id);
      const deliveryId = await queueTestEvent(db, h.id);
      ctx.outbox.kick();
      return reply.code(202).send({ deliveryId });
    },
  );

  r.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: `The webhook’s delivery log, newest first (the last ${DELIVERY_LOG})`,
        params: idParams,
        response: { 200: z.object({ deliveries: z.array(webhookDeliverySchema) }) },
      },
    },
    async (req) => {
      requireUser(req, ['admin']);
      const h = await loadWebhook(req.params.id);
      const rows = await db.outboxDelivery.findMany({
        where: { kind: 'webhook', target: h.id },
        orderBy: { id: 'desc' },
        take: DELIVERY_LOG,
      });
      return { deliveries: rows.map(deliveryOf) };
    },
  );
}
