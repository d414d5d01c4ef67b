// Shown instead of the home screen while the signed-in account still has a
// generated password (user.mustChangePassword): the API answers everything else
// with PASSWORD_CHANGE_REQUIRED until a new password is chosen here.
import { type FormEvent, useState } from 'react';
import type { ApiClient, User } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';

/** The server's rule (scheduler/routes/auth.ts), checked here too so the form can say so at once. */
const MIN_LENGTH = 10;

export function ChangePassword({ api, onChanged }: { api: ApiClient; onChanged: (u: User) => void }) {
  const { t, lang } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    // The app's own messages, in the user's language, rather than the browser's validation bubbles.
    if (!current) {
      setError({ message: t('passwordCurrentMissing') });
      return;
    }
    if (next.length < MIN_LENGTH) {
      setError({ message: t('passwordTooShort', { min: MIN_LENGTH }) });
      return;
    }
    if (next !== repeat) {
      setError({ message: t('passwordMismatch') });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onChanged(await api.changePassword(current, next));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card login" onSubmit={submit} aria-labelledby="password-title" noValidate>
      <h1 id="password-title">{t('passwordTitle')}</h1>
      <p>{t('passwordIntro', { min: MIN_LENGTH })}</p>
      <label>
        {t('passwordCurrent')}
        <input
          name="currentPassword"
          type="password"
          autoComplete="current-password"
          required
          // biome-ignore lint/a11y/noAutofocus: the first field of the only form on the page
          autoFocus
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
        />
      </label>
      <label>
        {t('passwordNew')}
        <input
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_LENGTH}
          value={next}
          onChange={(e) => setNext(e.target.value)}
        />
      </label>
      <label>
        {t('passwordRepeat')}
        <input
          name="repeatPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_LENGTH}
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
        />
      </label>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('passwordBusy') : t('passwordSubmit')}
      </button>
    </form>
  );
}
