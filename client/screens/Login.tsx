import { type FormEvent, useState } from 'react';
import type { ApiClient, User } from '../api.ts';
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

  const submit = async (e: FormEvent) => {
    e.preventDefault();
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
    <form className="card login" onSubmit={submit} aria-labelledby="login-title">
      <h1 id="login-title">{t('loginTitle')}</h1>
      <label>
        {t('loginUser')}
        <input
          name="login"
          autoComplete="username"
          required
          // biome-ignore lint/a11y/noAutofocus: the only field on the page
          autoFocus
          value={login}
          onChange={(e) => setLogin(e.target.value)}
        />
      </label>
      <label>
        {t('loginPassword')}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
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
