// The administrator's accounts: search and filter (role, unit, active), create,
// change role and scope, reset a password (a one-time password shown once, to
// hand over), deactivate and reactivate, each account's last login; and the
// accounts spreadsheet (AccountsImport.tsx).
import { useCallback, useEffect, useState } from 'react';
import { USER_ROLES } from '../../../contract/enums.ts';
import type { Account } from '../../../contract/rest/accounts.ts';
import {
  type AccountFilter,
  type AccountInput,
  createAccount,
  listAccounts,
  resetPassword,
  updateAccount,
} from '../../admin/adminApi.ts';
import { ROLE_NAME, unitOptions, when } from '../../admin/adminWords.ts';
import type { ApiClient, UnitTree, User } from '../../api.ts';
import { useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';
import { AccountForm } from './AccountForm.tsx';
import { AccountsImport } from './AccountsImport.tsx';

type Editing = { account: Account | null } | null;

export function Accounts({ api, user }: { api: ApiClient; user: User }) {
  const { t, lang } = useI18n();
  const [filter, setFilter] = useState<AccountFilter>({ q: '', role: '', unitId: '', active: '' });
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [tree, setTree] = useState<UnitTree>({ units: [], rooms: [] });
  const [editing, setEditing] = useState<Editing>(null);
  const [handOver, setHandOver] = useState<{ login: string; password: string } | null>(null);
  const [importing, setImporting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setAccounts(await listAccounts(api, filter));
    } catch (err) {
      setError(err);
    }
  }, [api, filter]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    api.unitTree().then(setTree, setError);
  }, [api]);

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await load();
    } catch (err) {
      setError(err);
    }
  };

  const save = async (input: AccountInput) => {
    const current = editing?.account;
    if (current) await updateAccount(api, current.id, input);
    else {
      const created = await createAccount(api, input);
      if (created.password) setHandOver({ login: created.user.login, password: created.password });
    }
    setEditing(null);
    await load();
  };

  const reset = (a: Account) =>
    act(async () => {
      if (!window.confirm(t('accountResetConfirm', { login: a.login }))) return;
      setHandOver({ login: a.login, password: await resetPassword(api, a.id) });
    });

  const setFilterField = (k: keyof AccountFilter, v: string) => setFilter((f) => ({ ...f, [k]: v }));
  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">{t('accountsTitle')}</h1>
      <div className="admin-toolbar">
        <label>
          {t('adminSearch')}
          <input type="search" value={filter.q} onChange={(e) => setFilterField('q', e.target.value)} />
        </label>
        <label>
          {t('accountRole')}
          <select value={filter.role} onChange={(e) => setFilterField('role', e.target.value)}>
            <option value="">{t('adminAll')}</option>
            {USER_ROLES.map((r) => (
              <option key={r} value={r}>
                {t(ROLE_NAME[r])}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('accountUnit')}
          <select value={filter.unitId} onChange={(e) => setFilterField('unitId', e.target.value)}>
            <option value="">{t('adminAll')}</option>
            {unitOptions(tree.units).map((u) => (
              <option key={u.id} value={u.id}>
                {u.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('adminActive')}
          <select value={filter.active} onChange={(e) => setFilterField('active', e.target.value)}>
            <option value="">{t('adminAll')}</option>
            <option value="true">{t('adminActiveOnly')}</option>
            <option value="false">{t('adminInactiveOnly')}</option>
          </select>
        </label>
        <button type="button" className="primary" onClick={() => setEditing({ account: null })}>
          {t('accountCreate')}
        </button>
        <button type="button" aria-expanded={importing} onClick={() => setImporting((v) => !v)}>
          {t('accountsImportOpen')}
        </button>
      </div>
      {handOver && (
        <div className="notice" role="status" data-testid="one-time-password">
          <p>{t('accountHandOver', { login: handOver.login })}</p>
          <p>
            <code>{handOver.password}</code>
          </p>
          <button type="button" onClick={() => setHandOver(null)}>
            {t('accountHandedOver')}
          </button>
        </div>
      )}
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      {importing && <AccountsImport api={api} />}
      {editing && (
        <AccountForm
          key={editing.account?.id ?? 'new'}
          account={editing.account}
          units={tree.units}
          rooms={tree.rooms}
          onSave={save}
          onCancel={() => setEditing(null)}
        />
      )}
      {accounts === null ? (
        <p className="muted">{t('loading')}</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('accountLogin')}</th>
              <th scope="col">{t('accountName')}</th>
              <th scope="col">{t('accountRole')}</th>
              <th scope="col">{t('accountScope')}</th>
              <th scope="col">{t('accountLastLogin')}</th>
              <th scope="col">{t('adminActions')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id} data-login={a.login} className={a.active ? undefined : 'inactive'}>
                <td>{a.login}</td>
                <td>
                  {a.name}
                  {!a.active && <span className="tag"> {t('adminInactive')}</span>}
                  {a.mustChangePassword && <span className="tag"> {t('accountMustChange')}</span>}
                </td>
                <td>{t(ROLE_NAME[a.role])}</td>
                <td>{a.room ? `${a.room.name} (${a.room.code})` : (a.unit?.name ?? t('accountWholeSystem'))}</td>
                <td>{when(t, a.lastLoginAt)}</td>
                <td className="actions">
                  <button type="button" onClick={() => setEditing({ account: a })}>
                    {t('edit')}
                  </button>
                  <button type="button" onClick={() => reset(a)}>
                    {t('accountReset')}
                  </button>
                  <button type="button" onClick={() => act(() => updateAccount(api, a.id, { active: !a.active }))}>
                    {a.active ? t('adminDeactivate') : t('adminReactivate')}
                  </button>
                  {a.id === user.id && <span className="muted"> {t('accountYou')}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
