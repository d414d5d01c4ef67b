// Shown instead of the home screen while the signed-in account still has a
// generated password (user.mustChangePassword): the API answers everything else
// with PASSWORD_CHANGE_REQUIRED until a new password is chosen here.
import { type FormEvent, useRef, useState } from 'react';
import type { ApiClient, User } from '../api.ts';
import { useFocusFirstInvalid } from '../components/FieldError.tsx';
import { PasswordField } from '../components/PasswordField.tsx';
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
  const [attempt, setAttempt] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(form, attempt);
  // The app's own messages, in the user's language, rather than the browser's validation bubbles.
  const shown = attempt > 0;
  const currentError = shown && !current ? t('passwordCurrentMissing') : undefined;
  const nextError = shown && next.length < MIN_LENGTH ? t('passwordTooShort', { min: MIN_LENGTH }) : undefined;
  const repeatError = shown && !nextError && next !== repeat ? t('passwordMismatch') : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAttempt((n) => n + 1);
    if (!current || next.length < MIN_LENGTH || next !== repeat) return;
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
    <form ref={form} className="card login" onSubmit={submit} aria-labelledby="password-title" noValidate>
      <h1 id="password-title">{t('passwordTitle')}</h1>
      <p>{t('passwordIntro', { min: MIN_LENGTH })}</p>
      <PasswordField
        label={t('passwordCurrent')}
        name="currentPassword"
        autoComplete="current-password"
        autoFocus
        value={current}
        onChange={setCurrent}
        error={currentError}
      />
      <PasswordField
        label={t('passwordNew')}
        name="newPassword"
        autoComplete="new-password"
        value={next}
        onChange={setNext}
        error={nextError}
      />
      <PasswordField
        label={t('passwordRepeat')}
        name="repeatPassword"
        autoComplete="new-password"
        value={repeat}
        onChange={setRepeat}
        error={repeatError}
      />
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
