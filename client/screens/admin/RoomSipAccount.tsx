// A room's SIP account on the administrator's rooms screen (docs/sip.md): whether
// the room is a SIP room system, its user name and the address the hub calls it
// at; set or change them (the password typed twice: the hub keeps only its HA1
// and can never show it again), or remove the account after a confirmation.
import { type FormEvent, useId, useState } from 'react';
import type { RoomSipAccount as Account } from '../../../contract/rest/accounts.ts';
import type { RoomSip } from '../../../contract/sip.ts';
import { FieldError, invalidProps } from '../../components/FieldError.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';

export interface RoomSipAccountProps {
  roomName: string;
  /** Null: a browser room. */
  account: Account | null;
  onSave: (sip: RoomSip) => Promise<void>;
  onRemove: () => Promise<void>;
}

export function RoomSipAccount({ roomName, account, onSave, onRemove }: RoomSipAccountProps) {
  const { t, lang } = useI18n();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState('');

  /** Runs a change, showing the hub's refusal (Vietnamese or English) or what was done. */
  const run = async (change: () => Promise<void>, doneText: string): Promise<void> => {
    setError(null);
    setDone('');
    try {
      await change();
      setEditing(false);
      setDone(doneText);
    } catch (err) {
      setError(err);
    }
  };

  const remove = () => {
    if (!window.confirm(t('roomSipRemoveConfirm', { name: roomName }))) return;
    void run(onRemove, t('roomSipRemoved'));
  };

  return (
    <section className="room-sip" aria-labelledby="room-sip-title">
      <h3 id="room-sip-title">{t('roomSipTitle')}</h3>
      {account ? (
        <dl>
          <dt>{t('roomSipUser')}</dt>
          <dd data-sip="user">{account.user}</dd>
          <dt>{t('roomSipUri')}</dt>
          <dd data-sip="uri">{account.uri ? t('roomSipDialOut', { uri: account.uri }) : t('roomSipDialsIn')}</dd>
        </dl>
      ) : (
        <p>{t('roomSipNone')}</p>
      )}
      {done && <p role="status">{done}</p>}
      {editing ? (
        <SipForm
          account={account}
          onSave={(sip) => run(() => onSave(sip), t('roomSipSaved', { user: sip.user }))}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <div className="actions">
          <button type="button" onClick={() => setEditing(true)}>
            {account ? t('roomSipChange') : t('roomSipSet')}
          </button>
          {account && (
            <button type="button" className="danger" onClick={remove}>
              {t('roomSipRemove')}
            </button>
          )}
        </div>
      )}
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
    </section>
  );
}

function SipForm({
  account,
  onSave,
  onCancel,
}: {
  account: Account | null;
  onSave: (sip: RoomSip) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const againId = useId();
  const [user, setUser] = useState(account?.user ?? '');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [uri, setUri] = useState(account?.uri ?? '');
  const [mismatch, setMismatch] = useState(false);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // Only the mismatch is checked here: the hub's refusal names every other problem.
    setMismatch(password !== again);
    if (password !== again) return;
    setBusy(true);
    await onSave({ user: user.trim(), password, uri: uri.trim() || null });
    setBusy(false);
  };

  return (
    <form onSubmit={submit} aria-label={account ? t('roomSipChange') : t('roomSipSet')} noValidate>
      <label>
        {t('roomSipUser')}
        <input name="sipUser" autoComplete="off" value={user} onChange={(e) => setUser(e.target.value)} />
      </label>
      <label>
        {t('roomSipPassword')}
        <input
          name="sipPassword"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      <label>
        {t('roomSipPasswordAgain')}
        <input
          name="sipPasswordAgain"
          type="password"
          autoComplete="new-password"
          {...invalidProps(againId, mismatch ? 'mismatch' : undefined)}
          value={again}
          onChange={(e) => setAgain(e.target.value)}
        />
      </label>
      <FieldError id={againId} message={mismatch ? t('roomSipPasswordMismatch') : undefined} />
      <p className="muted">{t('roomSipPasswordHint')}</p>
      <label>
        {t('roomSipUri')}
        <input name="sipUri" autoComplete="off" value={uri} onChange={(e) => setUri(e.target.value)} />
      </label>
      <p className="muted">{t('roomSipUriHint')}</p>
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {t('roomSipSave')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
