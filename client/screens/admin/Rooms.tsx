// The administrator's endpoint rooms, by unit, with a search: add and edit,
// deactivate and reactivate, assign operator accounts (RoomForm.tsx), set a
// room system's SIP account (RoomSipAccount.tsx), each room's last connection
// and last technical check in words; and the rooms spreadsheet (RoomsImport.tsx).
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RoomOverview } from '../../../contract/rest/accounts.ts';
import {
  createRoom,
  type RoomInput,
  removeRoomSip,
  roomsOverview,
  setRoomSip,
  updateRoom,
} from '../../admin/adminApi.ts';
import { techCheckWords, unitOptions, when } from '../../admin/adminWords.ts';
import type { ApiClient, Unit } from '../../api.ts';
import { type Translate, useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';
import { fold } from '../../lib/tree.ts';
import { RoomForm } from './RoomForm.tsx';
import { RoomSipAccount } from './RoomSipAccount.tsx';
import { RoomsImport } from './RoomsImport.tsx';

type Editing = { room: RoomOverview | null } | null;

/** The rooms of the unit chosen and its subtree, whose name or code holds the search. */
function shownRooms(rooms: RoomOverview[], units: Unit[], unitId: string, q: string): RoomOverview[] {
  const inUnit = new Set<string>();
  if (unitId) {
    const stack = [unitId];
    while (stack.length) {
      const id = stack.pop() as string;
      inUnit.add(id);
      for (const u of units) if (u.parentId === id) stack.push(u.id);
    }
  }
  const needle = fold(q.trim());
  return rooms.filter(
    (r) =>
      (!unitId || inUnit.has(r.unit.id)) && (!needle || fold(r.name).includes(needle) || fold(r.code).includes(needle)),
  );
}

/** A room's SIP account in a table cell: its user name and how its calls start; a dash for a browser room. */
function sipWords(t: Translate, account: RoomOverview['sip']): string {
  if (!account) return '—';
  const how = account.uri ? t('roomSipDialOut', { uri: account.uri }) : t('roomSipDialsIn');
  return `${account.user} (${how})`;
}

export function Rooms({ api }: { api: ApiClient }) {
  const { t, lang } = useI18n();
  const [rooms, setRooms] = useState<RoomOverview[] | null>(null);
  const [units, setUnits] = useState<Unit[]>([]);
  const [unitId, setUnitId] = useState('');
  const [q, setQ] = useState('');
  const [editing, setEditing] = useState<Editing>(null);
  const [importing, setImporting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      setRooms(await roomsOverview(api));
    } catch (err) {
      setError(err);
    }
  }, [api]);
  useEffect(() => {
    void load();
    api.unitTree().then((tree) => setUnits(tree.units), setError);
  }, [api, load]);

  const shown = useMemo(() => shownRooms(rooms ?? [], units, unitId, q), [rooms, units, unitId, q]);

  const save = async (input: RoomInput) => {
    const current = editing?.room;
    if (current) await updateRoom(api, current.id, input);
    else await createRoom(api, input);
    setEditing(null);
    await load();
  };

  const toggle = async (room: RoomOverview) => {
    setError(null);
    try {
      await updateRoom(api, room.id, { active: !room.active });
      await load();
    } catch (err) {
      setError(err);
    }
  };

  /** Loads the rooms again, the room being edited with them (its operators, its SIP account). */
  const reloadEdited = async () => {
    const fresh = await roomsOverview(api);
    setRooms(fresh);
    setEditing((e) => (e?.room ? { room: fresh.find((r) => r.id === e.room?.id) ?? null } : e));
  };

  const changeSip = async (change: () => Promise<void>) => {
    await change();
    await reloadEdited();
  };

  const roomSip = (room: RoomOverview) => (
    <RoomSipAccount
      roomName={room.name}
      account={room.sip}
      onSave={(account) => changeSip(() => setRoomSip(api, room.id, account))}
      onRemove={() => changeSip(() => removeRoomSip(api, room.id))}
    />
  );

  return (
    <section aria-labelledby="rooms-title">
      <h1 id="rooms-title">{t('roomsTitle')}</h1>
      <div className="admin-toolbar">
        <label>
          {t('adminSearch')}
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </label>
        <label>
          {t('roomUnit')}
          <select value={unitId} onChange={(e) => setUnitId(e.target.value)}>
            <option value="">{t('adminAll')}</option>
            {unitOptions(units).map((u) => (
              <option key={u.id} value={u.id}>
                {u.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" onClick={() => setEditing({ room: null })}>
          {t('roomCreate')}
        </button>
        <button type="button" aria-expanded={importing} onClick={() => setImporting((v) => !v)}>
          {t('roomsImportOpen')}
        </button>
      </div>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      {importing && <RoomsImport api={api} />}
      {editing && (
        <RoomForm
          key={editing.room?.id ?? 'new'}
          api={api}
          room={editing.room}
          units={units}
          onSave={save}
          onAssigned={reloadEdited}
          onCancel={() => setEditing(null)}
        >
          {editing.room && roomSip(editing.room)}
        </RoomForm>
      )}
      {rooms === null ? (
        <p className="muted">{t('loading')}</p>
      ) : (
        <table className="admin-table">
          <caption className="muted">{t('roomsCount', { shown: shown.length, total: rooms.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('roomCode')}</th>
              <th scope="col">{t('roomName')}</th>
              <th scope="col">{t('roomUnit')}</th>
              <th scope="col">{t('roomOperators')}</th>
              <th scope="col">{t('roomSipColumn')}</th>
              <th scope="col">{t('roomLastConnection')}</th>
              <th scope="col">{t('roomLastCheck')}</th>
              <th scope="col">{t('adminActions')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id} data-room={r.code} className={r.active ? undefined : 'inactive'}>
                <td>{r.code}</td>
                <td>
                  {r.name}
                  {r.location && <span className="muted"> — {r.location}</span>}
                  {!r.active && <span className="tag"> {t('adminInactive')}</span>}
                </td>
                <td>{r.unit.name}</td>
                <td>{r.operators.map((o) => o.login).join(', ') || '—'}</td>
                <td data-sip={r.sip?.user}>{sipWords(t, r.sip)}</td>
                <td>{r.connectedNow ? t('roomConnectedNow') : when(t, r.lastJoinedAt)}</td>
                <td>{techCheckWords(t, r.techCheck)}</td>
                <td className="actions">
                  <button type="button" onClick={() => setEditing({ room: r })}>
                    {t('edit')}
                  </button>
                  <button type="button" onClick={() => toggle(r)}>
                    {r.active ? t('adminDeactivate') : t('adminReactivate')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
