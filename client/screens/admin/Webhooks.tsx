// Webhooks, for the administrator: register a receiver's URL and the events it
// wants (the secret is shown once, right after), send it a test event, read
// its delivery log, remove it.
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { WEBHOOK_EVENTS, type WebhookEventType, type WebhookView } from '../../../contract/webhooks.ts';
import type { ApiClient } from '../../api.ts';
import { useI18n } from '../../i18n/index.tsx';
import { createWebhook, deleteWebhook, listWebhooks, sendTestEvent } from '../../integrationApi.ts';
import { errorText } from '../../lib/errors.ts';
import { eventLabel, WebhookLog } from './WebhookLog.tsx';

function NewWebhook({ api, onCreated }: { api: ApiClient; onCreated: (secret: string) => void }) {
  const { t, lang } = useI18n();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<Set<WebhookEventType>>(new Set(WEBHOOK_EVENTS));
  const [error, setError] = useState<unknown>(null);
  const toggle = (e: WebhookEventType) => {
    const next = new Set(events);
    if (!next.delete(e)) next.add(e);
    setEvents(next);
  };
  const submit = async (ev: FormEvent) => {
    ev.preventDefault();
    setError(null);
    try {
      const body = { url: url.trim(), events: [...events], description: description.trim() || null };
      const created = await createWebhook(api, body);
      setUrl('');
      setDescription('');
      onCreated(created.secret);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <form className="card" onSubmit={submit}>
      <label>
        {t('webhookUrl')}{' '}
        <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://" />
      </label>
      <label>
        {t('webhookDescription')} <input value={description} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <fieldset>
        <legend>{t('webhookEvents')}</legend>
        {WEBHOOK_EVENTS.map((e) => (
          <label key={e} className="webhooks__event">
            <input type="checkbox" checked={events.has(e)} onChange={() => toggle(e)} /> {eventLabel(t, e)}
          </label>
        ))}
      </fieldset>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      <button type="submit" disabled={!url.trim() || events.size === 0}>
        {t('webhookAdd')}
      </button>
    </form>
  );
}

function WebhookItem({ api, hook, onChanged }: { api: ApiClient; hook: WebhookView; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [showLog, setShowLog] = useState(false);
  const [tests, setTests] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const test = () =>
    sendTestEvent(api, hook.id).then(() => {
      setTests((n) => n + 1);
      setShowLog(true);
    }, setError);
  const remove = () => {
    if (!globalThis.confirm(t('webhookDeleteConfirm', { url: hook.url }))) return;
    deleteWebhook(api, hook.id).then(onChanged, setError);
  };
  return (
    <li className="card" data-webhook-id={hook.id}>
      <p>
        <strong>{hook.url}</strong> {!hook.active && <span className="pill">{t('webhookInactive')}</span>}
        {hook.description && <span className="muted"> — {hook.description}</span>}
      </p>
      <p className="muted">{hook.events.map((e) => eventLabel(t, e)).join(', ')}</p>
      <p>{t('webhookCounts', { pending: hook.pending, failed: hook.failed })}</p>
      <div className="form-actions">
        <button type="button" onClick={test}>
          {t('webhookTest')}
        </button>
        <button type="button" onClick={() => setShowLog(!showLog)}>
          {showLog ? t('webhookHideLog') : t('webhookLog')}
        </button>
        <button type="button" className="danger" onClick={remove}>
          {t('webhookDelete')}
        </button>
      </div>
      {tests > 0 && <p aria-live="polite">{t('webhookTestQueued')}</p>}
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      {showLog && <WebhookLog api={api} webhookId={hook.id} version={tests} />}
    </li>
  );
}

export function Webhooks({ api }: { api: ApiClient }) {
  const { t, lang } = useI18n();
  const [hooks, setHooks] = useState<WebhookView[] | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    listWebhooks(api).then(setHooks, setError);
  }, [api]);
  useEffect(load, [load]);

  return (
    <section aria-labelledby="webhooks-title">
      <h1 id="webhooks-title">{t('webhooksTitle')}</h1>
      <p className="muted">{t('webhooksHint')}</p>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      {secret && (
        <div className="card" role="status">
          <p>{t('webhookSecret')}</p>
          <p>
            <code data-testid="webhook-secret">{secret}</code>
          </p>
          <button type="button" onClick={() => setSecret(null)}>
            {t('webhookSecretDone')}
          </button>
        </div>
      )}
      <NewWebhook
        api={api}
        onCreated={(s) => {
          setSecret(s);
          load();
        }}
      />
      {hooks?.length === 0 && <p className="muted">{t('webhooksNone')}</p>}
      <ul className="webhooks">
        {(hooks ?? []).map((h) => (
          <WebhookItem key={h.id} api={api} hook={h} onChanged={load} />
        ))}
      </ul>
    </section>
  );
}
