// Creating an account or changing its name, role and scope: a room operator
// chooses a room (it takes the room's unit), a secretariat or chair a unit, an
// administrator neither — the server's rule (scheduler/accounts.ts), shown here
// by offering only the fields the role takes.
import { type FormEvent, useState } from 'react';
import { USER_ROLES, type UserRole } from '../../../contract/enums.ts';
import type { Account } from '../../../contract/rest/accounts.ts';
import type { AccountInput } from '../../admin/adminApi.ts';
import { ROLE_NAME, unitOptions } from '../../admin/adminWords.ts';
import type { Room, Unit } from '../../api.ts';
import { useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';

export function AccountForm({
  account,
  units,
  rooms,
  onSave,
  onCancel,
}: {
  /** Null: a new account. */
  account: Account | null;
  units: Unit[];
  rooms: Room[];
  onSave: (input: AccountInput) => Promise<void>;
  onCancel: () => void;
}) {
  const { t, lang } = useI18n();
  const [login, setLogin] = useState(account?.login ?? '');
  const [name, setName] = useState(account?.name ?? '');
  const [role, setRole] = useState<UserRole>(account?.role ?? 'room_operator');
  const [unitId, setUnitId] = useState(account?.role === 'room_operator' ? '' : (account?.unitId ?? ''));
  const [roomId, setRoomId] = useState(account?.roomId ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSave({
        login: login.trim(),
        name: name.trim(),
        role,
        unitId: role === 'secretariat' || role === 'chair' ? unitId || null : null,
        roomId: role === 'room_operator' ? roomId || null : null,
      });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const title = account ? t('accountEditTitle', { login: account.login }) : t('accountCreateTitle');
  return (
    <form className="card admin-form" onSubmit={submit} aria-label={title} noValidate>
      <h2>{title}</h2>
      <label>
        {t('accountLogin')}
        <input name="login" autoComplete="off" value={login} onChange={(e) => setLogin(e.target.value)} />
      </label>
      <label>
        {t('accountName')}
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        {t('accountRole')}
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
          {USER_ROLES.map((r) => (
            <option key={r} value={r}>
              {t(ROLE_NAME[r])}
            </option>
          ))}
        </select>
      </label>
      {(role === 'secretariat' || role === 'chair') && (
        <label>
          {t('accountUnit')}
          <select name="unitId" value={unitId} onChange={(e) => setUnitId(e.target.value)}>
            <option value="">—</option>
            {unitOptions(units).map((u) => (
              <option key={u.id} value={u.id}>
                {u.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {role === 'room_operator' && (
        <label>
          {t('accountRoom')}
          <select name="roomId" value={roomId} onChange={(e) => setRoomId(e.target.value)}>
            <option value="">—</option>
            {rooms.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name} ({r.code})
              </option>
            ))}
          </select>
        </label>
      )}
      {role === 'admin' && <p className="muted">{t('accountAdminScope')}</p>}
      {!account && <p className="muted">{t('accountCreateHint')}</p>}
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {account ? t('save') : t('accountCreate')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
