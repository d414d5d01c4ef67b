// One webhook's delivery log, newest first: each event with its outcome in
// words (sent with the receiver's answer, waiting with the next attempt and
// the error, failed for good).
import { useCallback, useEffect, useState } from 'react';
import type { WebhookDelivery } from '../../../contract/webhooks.ts';
import type { ApiClient } from '../../api.ts';
import { type MessageKey, type Translate, useI18n } from '../../i18n/index.tsx';
import { webhookDeliveries } from '../../integrationApi.ts';
import { errorText } from '../../lib/errors.ts';
import { ddmm, hhmmss } from '../../lib/time.ts';

const REFRESH_MS = 3000;

export function eventLabel(t: Translate, event: string): string {
  return t(`event.${event}` as MessageKey);
}

function outcome(t: Translate, d: WebhookDelivery): string {
  const error = d.lastError ? ` — ${t('mailError', { error: d.lastError })}` : '';
  if (d.status === 'sent') return t('webhookSentCode', { code: d.lastStatusCode ?? 200, attempts: d.attempts });
  if (d.status === 'failed') return t('mailFailed', { attempts: d.attempts }) + error;
  if (d.attempts > 0 && d.nextAttemptAt) {
    return t('mailRetryAt', { time: hhmmss(d.nextAttemptAt), attempts: d.attempts }) + error;
  }
  return t('mailPending');
}

export function WebhookLog({ api, webhookId, version }: { api: ApiClient; webhookId: string; version: number }) {
  const { t, lang } = useI18n();
  const [rows, setRows] = useState<WebhookDelivery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    webhookDeliveries(api, webhookId).then(setRows, setError);
  }, [api, webhookId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version changes when a test event was queued
  useEffect(load, [load, version]);
  useEffect(() => {
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  if (error !== null) {
    return (
      <p className="error" role="alert">
        {errorText(error, lang)}
      </p>
    );
  }
  if (rows?.length === 0) return <p className="muted">{t('webhookLogEmpty')}</p>;
  return (
    <table className="import-rows" aria-label={t('webhookLog')}>
      <thead>
        <tr>
          <th>{t('webhookLogCreated')}</th>
          <th>{t('webhookLogEvent')}</th>
          <th>{t('webhookLogStatus')}</th>
        </tr>
      </thead>
      <tbody>
        {(rows ?? []).map((d) => (
          <tr key={d.id} data-status={d.status}>
            <td>
              {hhmmss(d.createdAt)} {ddmm(d.createdAt)}
            </td>
            <td>{eventLabel(t, d.event)}</td>
            <td>{outcome(t, d)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
