// The webhook events in the OpenAPI document: the hub POSTs them rather than
// serving them, so they are not any route's response; they go under
// components.schemas (WebhookEvent, and one schema per event type) where
// receivers' generators find them.
import { z } from 'zod';
import { TEST_EVENT, WEBHOOK_EVENTS, WEBHOOK_HEADERS, webhookEventSchema } from '../contract/webhooks.ts';

/** The parts of the OpenAPI document this touches (and the hub's /api/health entry). */
export interface OpenApiObject {
  info?: { description?: string };
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown> };
}

const HOW_TO_VERIFY =
  ` Webhooks: the hub POSTs a WebhookEvent (components.schemas) to each registered URL with headers ` +
  `${WEBHOOK_HEADERS.timestamp} (Unix seconds) and ${WEBHOOK_HEADERS.signature} = "sha256=" + hex ` +
  `HMAC-SHA256(secret, timestamp + "." + raw body); refuse timestamps more than 5 minutes old (docs/integration.md).`;

function pascal(type: string): string {
  return type
    .split(/[._]/)
    .map((w) => (w[0] ?? '').toUpperCase() + w.slice(1))
    .join('');
}

export function addWebhookSchemas(spec: OpenApiObject): void {
  spec.components ??= {};
  spec.components.schemas ??= {};
  const schemas = spec.components.schemas;
  schemas.WebhookEvent = z.toJSONSchema(webhookEventSchema, { target: 'openapi-3.0', io: 'output' });
  for (const [i, type] of [...WEBHOOK_EVENTS, TEST_EVENT].entries()) {
    const option = webhookEventSchema.options[i];
    if (option) schemas[`WebhookEvent${pascal(type)}`] = z.toJSONSchema(option, { target: 'openapi-3.0' });
  }
  if (spec.info && !spec.info.description?.includes('Webhooks:')) spec.info.description += HOW_TO_VERIFY;
}
