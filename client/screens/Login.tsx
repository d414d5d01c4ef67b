// Sign-in: user name and password, each checked here with the app's own
// message before anything is sent; where the hub has the province's single
// sign-on (OIDC), a button that goes through it. A sign-in the provider sent
// back refused arrives as ?signin_error=CODE and is shown in words.
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { API_ERRORS, type ApiErrorCode } from '../../contract/errors.ts';
import { type ApiClient, ROUTES, type SignInMethods, type User } from '../api.ts';
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
  const [error, setError] = useState<unknown>(
    () => signInErrorOfUrl() ?? (initialError ? { message: initialError } : null),
  );
  const [methods, setMethods] = useState<SignInMethods | null>(null);
  const [attempt, setAttempt] = useState(0);
  const form = useRef<HTMLFormElement>(null);
  const ids = useId();
  useFocusFirstInvalid(form, attempt);
  // biome-ignore lint/correctness/useExhaustiveDependencies: asked once; without an answer only the password form shows
  useEffect(() => {
    api.signInMethods().then(setMethods, () => setMethods(null));
    forgetSignInError();
  }, []);
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
      {methods?.ldap && <p className="muted">{t('loginDirectoryHint')}</p>}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('loginBusy') : t('loginSubmit')}
      </button>
      {methods?.oidc && (
        <>
          <p className="muted login__or">{t('loginOr')}</p>
          <button type="button" className="big" onClick={() => window.location.assign(ROUTES.oidcStart)}>
            {t('loginWithProvince')}
          </button>
        </>
      )}
    </form>
  );
}

/** The refusal the hub's single sign-on sent back (?signin_error=CODE). */
function signInErrorOfUrl(): { message: string; messageEn: string } | null {
  const code = new URL(window.location.href).searchParams.get('signin_error');
  if (!code) return null;
  const known = Object.hasOwn(API_ERRORS, code) ? API_ERRORS[code as ApiErrorCode] : API_ERRORS.SSO_FAILED;
  return { message: known[0], messageEn: known[1] };
}

/** Takes the refusal off the address bar once shown: a reload must not show it again. */
function forgetSignInError(): void {
  const url = new URL(window.location.href);
  if (!url.searchParams.has('signin_error')) return;
  url.searchParams.delete('signin_error');
  window.history.replaceState(null, '', url.pathname + url.search + url.hash);
}
