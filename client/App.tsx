// The shell: restores the session, shows the login, then (after a required
// password change) the home screen of the user's role (administrator,
// secretariat, chair console, endpoint room).
import { useCallback, useEffect, useState } from 'react';
import type { UserRole } from '../contract/enums.ts';
import { type ApiClient, api as defaultApi, type User } from './api.ts';
import { type MessageKey, useI18n } from './i18n/index.tsx';
import { errorText } from './lib/errors.ts';
import { Administrator } from './screens/Administrator.tsx';
import { ChairConsole } from './screens/ChairConsole.tsx';
import { ChangePassword } from './screens/ChangePassword.tsx';
import { EndpointRoom } from './screens/EndpointRoom.tsx';
import { Login } from './screens/Login.tsx';
import { Secretariat } from './screens/Secretariat.tsx';

const ROLE_LABEL: Record<UserRole, MessageKey> = {
  admin: 'roleAdmin',
  secretariat: 'roleSecretariat',
  chair: 'roleChair',
  room_operator: 'roleRoomOperator',
};

export function App({ api = defaultApi }: { api?: ApiClient }) {
  const { t, lang } = useI18n();
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [bootError, setBootError] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: restore the session once, at start
  useEffect(() => {
    api.me().then(setUser, (err) => {
      setBootError(errorText(err, lang));
      setUser(null);
    });
  }, []);

  const logout = useCallback(async () => {
    await api.logout().catch(() => undefined);
    setUser(null);
  }, [api]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        {t('skipToMain')}
      </a>
      <Header user={user ?? null} onLogout={logout} roleLabel={user ? t(ROLE_LABEL[user.role]) : ''} />
      <main id="main" tabIndex={-1}>
        {user === undefined ? (
          <p className="muted">{t('loading')}</p>
        ) : user === null ? (
          <Login api={api} onLoggedIn={setUser} initialError={bootError} />
        ) : user.mustChangePassword ? (
          <ChangePassword api={api} onChanged={setUser} />
        ) : (
          <Home user={user} api={api} />
        )}
      </main>
    </div>
  );
}

function Home({ user, api }: { user: User; api: ApiClient }) {
  switch (user.role) {
    case 'admin':
      return <Administrator api={api} user={user} />;
    case 'secretariat':
      return <Secretariat api={api} user={user} />;
    case 'chair':
      return <ChairConsole api={api} user={user} />;
    case 'room_operator':
      return <EndpointRoom api={api} user={user} />;
  }
}

function Header({ user, onLogout, roleLabel }: { user: User | null; onLogout: () => void; roleLabel: string }) {
  const { t, lang, setLang } = useI18n();
  return (
    <header className="app-header">
      <div className="brand">
        <strong>{t('appName')}</strong> <span className="muted">{t('appTagline')}</span>
      </div>
      <nav className="app-header__right" aria-label={t('language')}>
        <button
          type="button"
          className="link-button"
          lang={lang === 'vi' ? 'en' : 'vi'}
          onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
        >
          {t('switchToOther')}
        </button>
        {user && (
          <>
            <span className="user-chip" title={roleLabel}>
              {t('signedInAs', { name: user.name })} · {roleLabel}
            </span>
            <button type="button" onClick={onLogout}>
              {t('logout')}
            </button>
          </>
        )}
      </nav>
    </header>
  );
}
