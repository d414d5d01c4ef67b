// Sign-in: user name and password, each checked here with the app's own
// message before anything is sent.
import { type FormEvent, useId, useRef, useState } from 'react';
import type { ApiClient, User } from '../api.ts';
import { FieldError, invalidProps, useFocusFirstInvalid } from '../components/FieldError.tsx';
import { PasswordField } from '../components/PasswordField.tsx';
import { useI18n } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';

export function Login({
  api,
  onLoggedIn,
  initialError,
}: {
  api: ApiClient;
  onLoggedIn: (u: User) => void;
  initialError?: string | null;
}) {
  const { t, lang } = useI18n();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(initialError ? { message: initialError } : null);
  const [attempt, setAttempt] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const ids = useId();
  useFocusFirstInvalid(form, attempt);
  const userError = attempt > 0 && !login.trim() ? t('loginErrUser') : undefined;
  const passwordError = attempt > 0 && !password ? t('loginErrPassword') : undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAttempt((n) => n + 1);
    if (!login.trim() || !password) return;
    setBusy(true);
    setError(null);
    try {
      const user = await api.login(login.trim(), password);
      // Load the CSRF token and the full user through /me.
      onLoggedIn((await api.me()) ?? user);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={form} noValidate className="card login" onSubmit={submit} aria-labelledby="login-title">
      <h1 id="login-title">{t('loginTitle')}</h1>
      <label>
        {t('loginUser')}
        <input
          name="login"
          autoComplete="username"
          {...invalidProps(`${ids}-user`, userError)}
          // biome-ignore lint/a11y/noAutofocus: the only field on the page
          autoFocus
          value={login}
          onChange={(e) => setLogin(e.target.value)}
        />
        <FieldError id={`${ids}-user`} message={userError} />
      </label>
      <PasswordField
        label={t('loginPassword')}
        name="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        error={passwordError}
      />
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('loginBusy') : t('loginSubmit')}
      </button>
    </form>
  );
}
