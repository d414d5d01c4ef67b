// Adding an endpoint room or editing one (name, code, unit, location), and
// assigning operator accounts to it: an operator account acts for one room,
// so assigning moves it here from wherever it was. What follows in the card
// (`children`: the room's SIP account) is the screen's.
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import type { Account, RoomOverview } from '../../../contract/rest/accounts.ts';
import { listAccounts, type RoomInput, updateAccount } from '../../admin/adminApi.ts';
import { unitOptions } from '../../admin/adminWords.ts';
import type { ApiClient, Unit } from '../../api.ts';
import { useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';

export function RoomForm({
  api,
  room,
  units,
  onSave,
  onAssigned,
  onCancel,
  children,
}: {
  api: ApiClient;
  /** Null: a new room. */
  room: RoomOverview | null;
  units: Unit[];
  onSave: (input: RoomInput) => Promise<void>;
  onAssigned: () => void;
  onCancel: () => void;
  children?: ReactNode;
}) {
  const { t, lang } = useI18n();
  const [name, setName] = useState(room?.name ?? '');
  const [code, setCode] = useState(room?.code ?? '');
  const [unitId, setUnitId] = useState(room?.unit.id ?? '');
  const [location, setLocation] = useState(room?.location ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSave({ name: name.trim(), code: code.trim(), unitId, location: location.trim() || null });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const title = room ? t('roomEditTitle', { name: room.name }) : t('roomCreateTitle');
  return (
    <div className="card admin-form">
      <form onSubmit={submit} aria-label={title} noValidate>
        <h2>{title}</h2>
        <label>
          {t('roomName')}
          <input name="name" value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          {t('roomCode')}
          <input name="code" value={code} onChange={(e) => setCode(e.target.value)} />
        </label>
        <label>
          {t('roomUnit')}
          <select name="unitId" value={unitId} onChange={(e) => setUnitId(e.target.value)}>
            <option value="">—</option>
            {unitOptions(units).map((u) => (
              <option key={u.id} value={u.id}>
                {u.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('roomLocation')}
          <input name="location" value={location} onChange={(e) => setLocation(e.target.value)} />
        </label>
        {error !== null && (
          <p className="error" role="alert">
            {errorText(error, lang)}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {room ? t('save') : t('roomCreate')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('cancel')}
          </button>
        </div>
      </form>
      {room && <AssignOperator api={api} room={room} onAssigned={onAssigned} />}
      {children}
    </div>
  );
}

function AssignOperator({ api, room, onAssigned }: { api: ApiClient; room: RoomOverview; onAssigned: () => void }) {
  const { t, lang } = useI18n();
  const [operators, setOperators] = useState<Account[]>([]);
  const [chosen, setChosen] = useState('');
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    listAccounts(api, { role: 'room_operator', active: 'true' }).then(setOperators, setError);
  }, [api]);
  const others = operators.filter((o) => o.roomId !== room.id);

  const assign = async () => {
    setError(null);
    try {
      await updateAccount(api, chosen, { role: 'room_operator', roomId: room.id });
      setChosen('');
      onAssigned();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div className="assign-operator">
      <h3>{t('roomOperators')}</h3>
      <p>
        {room.operators.length ? room.operators.map((o) => `${o.name} (${o.login})`).join(', ') : t('roomNoOperator')}
      </p>
      <label>
        {t('roomAssignOperator')}
        <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
          <option value="">—</option>
          {others.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name} ({o.login}) — {o.room?.name ?? ''}
            </option>
          ))}
        </select>
      </label>
      <button type="button" disabled={!chosen} onClick={assign}>
        {t('roomAssign')}
      </button>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
    </div>
  );
}
