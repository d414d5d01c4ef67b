// The audit log for the administrator: who did what and when, newest first,
// filtered by user, meeting and action, a page at a time.
import { useEffect, useState } from 'react';
import type { AuditActions, AuditEntry, AuditPage } from '../../../contract/rest/audit.ts';
import type { ApiClient } from '../../api.ts';
import { useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';
import { ddmmyyyy, hhmmss } from '../../lib/time.ts';
import { actionLabel } from './auditActions.ts';

const PAGE = 50;

interface Filter {
  userId: string;
  meetingId: string;
  action: string;
}

const NO_FILTER: Filter = { userId: '', meetingId: '', action: '' };

export function AuditLog({ api }: { api: ApiClient }) {
  const { t, lang } = useI18n();
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<AuditPage | null>(null);
  const [actions, setActions] = useState<AuditActions['actions']>([]);
  const [users, setUsers] = useState<{ id: string; login: string; name: string }[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const failed = (err: unknown) => setError(errorText(err, lang));
    api.request<AuditActions>('GET', '/api/audit/actions').then((r) => setActions(r.actions), failed);
    api.request<{ users: typeof users }>('GET', '/api/users').then((r) => setUsers(r.users), failed);
  }, [api, lang]);

  useEffect(() => {
    const q = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    for (const [k, v] of Object.entries(filter)) if (v.trim()) q.set(k, v.trim());
    api.request<AuditPage>('GET', `/api/audit?${q}`).then(
      (p) => {
        setPage(p);
        setError(null);
      },
      (err) => setError(errorText(err, lang)),
    );
  }, [api, filter, offset, lang]);

  const change = (f: Partial<Filter>) => {
    setFilter((prev) => ({ ...prev, ...f }));
    setOffset(0);
  };
  const pages = page ? Math.max(1, Math.ceil(page.total / PAGE)) : 1;
  const object = (e: AuditEntry) =>
    e.entity === 'meeting' && e.entityId ? (
      <button
        type="button"
        className="link"
        title={t('auditFilterMeeting')}
        onClick={() => change({ meetingId: e.entityId ?? '' })}
      >
        {e.meetingTitle ?? e.entityId}
      </button>
    ) : (
      `${e.entity}${e.entityId ? ` ${e.entityId}` : ''}`
    );

  return (
    <section aria-labelledby="audit-title" className="audit-log">
      <h1 id="audit-title">{t('auditTitle')}</h1>
      <div className="audit-log__filters">
        <label>
          {t('auditUser')}{' '}
          <select value={filter.userId} onChange={(e) => change({ userId: e.target.value })}>
            <option value="">{t('auditAnyUser')}</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.login})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('auditAction')}{' '}
          <select value={filter.action} onChange={(e) => change({ action: e.target.value })}>
            <option value="">{t('auditAnyAction')}</option>
            {actions.map((a) => (
              <option key={a.action} value={a.action}>
                {actionLabel(a.action, lang)} ({a.count})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('auditMeeting')} <input value={filter.meetingId} onChange={(e) => change({ meetingId: e.target.value })} />
        </label>
        <button type="button" onClick={() => change(NO_FILTER)}>
          {t('auditClear')}
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
      {page && (
        <>
          <p role="status">{t('auditPage', { page: page.offset / PAGE + 1, pages, total: page.total })}</p>
          {page.entries.length === 0 ? (
            <p className="muted">{t('auditEmpty')}</p>
          ) : (
            <table className="audit-log__table">
              <thead>
                <tr>
                  <th scope="col">{t('auditAt')}</th>
                  <th scope="col">{t('auditUser')}</th>
                  <th scope="col">{t('auditAction')}</th>
                  <th scope="col">{t('auditObject')}</th>
                  <th scope="col">{t('auditDetails')}</th>
                </tr>
              </thead>
              <tbody>
                {page.entries.map((e) => (
                  <tr key={e.id} data-action={e.action}>
                    <td>
                      {ddmmyyyy(e.at)} {hhmmss(e.at)}
                    </td>
                    <td>{e.userLogin ?? t('auditSystem')}</td>
                    <td>{actionLabel(e.action, lang)}</td>
                    <td>{object(e)}</td>
                    <td className="audit-log__details">{e.details ? JSON.stringify(e.details) : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p>
            <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              {t('auditPrev')}
            </button>{' '}
            <button type="button" disabled={offset + PAGE >= page.total} onClick={() => setOffset(offset + PAGE)}>
              {t('auditNext')}
            </button>
          </p>
        </>
      )}
    </section>
  );
}
