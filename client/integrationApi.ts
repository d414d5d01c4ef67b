// The client's calls for invitation e-mails' status and webhooks (contract/rest/mailDeliveries.ts, contract/webhooks.ts).
import type { MailDeliveriesResponse } from '../contract/rest/mailDeliveries.ts';
import type { WebhookBody, WebhookDelivery, WebhookView } from '../contract/webhooks.ts';
import type { ApiClient } from './api.ts';

const enc = encodeURIComponent;

export function mailDeliveries(api: ApiClient, meetingId: string): Promise<MailDeliveriesResponse> {
  return api.request('GET', `/api/meetings/${enc(meetingId)}/mail-deliveries`);
}

export async function listWebhooks(api: ApiClient): Promise<WebhookView[]> {
  return (await api.request<{ webhooks: WebhookView[] }>('GET', '/api/webhooks')).webhooks;
}

export function createWebhook(api: ApiClient, body: WebhookBody): Promise<{ webhook: WebhookView; secret: string }> {
  return api.request('POST', '/api/webhooks', body);
}

export async function deleteWebhook(api: ApiClient, id: string): Promise<void> {
  await api.request('DELETE', `/api/webhooks/${enc(id)}`);
}

export async function sendTestEvent(api: ApiClient, id: string): Promise<void> {
  await api.request('POST', `/api/webhooks/${enc(id)}/test`, {});
}

export async function webhookDeliveries(api: ApiClient, id: string): Promise<WebhookDelivery[]> {
  return (await api.request<{ deliveries: WebhookDelivery[] }>('GET', `/api/webhooks/${enc(id)}/deliveries`))
    .deliveries;
}
