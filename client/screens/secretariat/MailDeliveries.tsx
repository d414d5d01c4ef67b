// A meeting's invitation e-mails, per recipient, in words: sent (when),
// waiting (and when the next attempt is, with the mail server's error), or
// failed for good (with the error). Refreshed while any letter is waiting.
import { useCallback, useEffect, useState } from 'react';
import type { MailDeliveriesResponse, MailDelivery } from '../../../contract/rest/mailDeliveries.ts';
import type { ApiClient } from '../../api.ts';
import { type Translate, useI18n } from '../../i18n/index.tsx';
import { mailDeliveries } from '../../integrationApi.ts';
import { errorText } from '../../lib/errors.ts';
import { ddmm, hhmm } from '../../lib/time.ts';

const REFRESH_MS = 5000;

function whatText(t: Translate, d: MailDelivery): string {
  if (d.method === 'CANCEL') return t('mailCancel');
  return d.sequence > 0 ? t('mailRequestUpdate', { sequence: d.sequence }) : t('mailRequestFirst');
}

function at(iso: string): string {
  return `${hhmm(iso)} ${ddmm(iso)}`;
}

function statusText(t: Translate, d: MailDelivery): string {
  if (d.status === 'sent' && d.sentAt) return t('mailSent', { time: at(d.sentAt) });
  if (d.status === 'failed') return t('mailFailed', { attempts: d.attempts });
  if (d.attempts > 0 && d.nextAttemptAt) return t('mailRetryAt', { time: at(d.nextAttemptAt), attempts: d.attempts });
  return t('mailPending');
}

const PILL = { sent: 'pill--ok', pending: 'pill--warn', failed: 'pill--declined' } as const;

export function MailDeliveries({ api, meetingId, version }: { api: ApiClient; meetingId: string; version: string }) {
  const { t, lang } = useI18n();
  const [data, setData] = useState<MailDeliveriesResponse | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    mailDeliveries(api, meetingId).then(setData, setError);
  }, [api, meetingId]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version changes with the meeting: reload then
  useEffect(load, [load, version]);
  const waiting = data?.deliveries.some((d) => d.status === 'pending') ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [waiting, load]);

  return (
    <section aria-label={t('mailTitle')} data-testid="mail-deliveries">
      <h3>{t('mailTitle')}</h3>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      {data && !data.mailConfigured && <p className="muted">{t('mailNotConfigured')}</p>}
      {data?.mailConfigured && data.deliveries.length === 0 && <p className="muted">{t('mailNone')}</p>}
      <ul className="answers">
        {(data?.deliveries ?? []).map((d) => (
          <li key={d.id} data-status={d.status}>
            <span>
              {d.to} ({d.roomName})
            </span>{' '}
            · {whatText(t, d)} · <span className={`pill ${PILL[d.status]}`}>{statusText(t, d)}</span>
            {d.status !== 'sent' && d.lastError && (
              <span className="muted"> — {t('mailError', { error: d.lastError })}</span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
