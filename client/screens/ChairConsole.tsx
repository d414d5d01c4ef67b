// The chair (chủ trì / phòng điều khiển): today's meetings it may chair with
// their state, the device check, then the console of the chosen meeting.
import { useCallback, useEffect, useState } from 'react';
import type { Meeting } from '../../contract/rest/meetings.ts';
import type { ApiClient, User } from '../api.ts';
import { CheckAndJoin } from '../components/CheckAndJoin.tsx';
import { useI18n } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';
import { useLive } from '../lib/live.ts';
import { useNow } from '../lib/useNow.ts';
import { chairableMeetings, isForToday } from '../meeting/today.ts';
import { ChairedMeetings } from './chair/ChairedMeetings.tsx';
import { ConsoleSession } from './chair/ConsoleSession.tsx';

export function ChairConsole({ api, user }: { api: ApiClient; user: User }) {
  const { t, lang } = useI18n();
  const now = useNow();
  const [meetings, setMeetings] = useState<Meeting[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [checking, setChecking] = useState<Meeting | null>(null);
  const [joined, setJoined] = useState<{ meeting: Meeting; stream: MediaStream | null } | null>(null);

  const load = useCallback(() => {
    chairableMeetings(api, Date.now()).then((list) => {
      setMeetings(list);
      setError(null);
    }, setError);
  }, [api]);
  useEffect(load, [load]);
  useLive(['meeting:created', 'meeting:updated', 'meeting:cancelled', 'meeting:status'], load);

  if (joined) {
    return (
      <ConsoleSession
        api={api}
        meeting={joined.meeting}
        stream={joined.stream}
        canMark
        onLeft={() => {
          setJoined(null);
          setChecking(null);
          load();
        }}
      />
    );
  }
  const today = meetings?.filter((m) => isForToday(m, now)) ?? null;
  return (
    <div className="chair-home">
      <h1>{t('chairTitle')}</h1>
      <p className="muted">{user.unit?.name}</p>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      <section className="card" aria-labelledby="chair-pick">
        <h2 id="chair-pick">{t('chairSelectMeeting')}</h2>
        {today === null ? (
          <p className="muted">{t('loading')}</p>
        ) : today.length === 0 ? (
          <p className="muted">{t('secNoMeetings')}</p>
        ) : (
          <ChairedMeetings api={api} meetings={today} now={now} activeId={checking?.id ?? null} onOpen={setChecking} />
        )}
      </section>
      {checking && (
        <CheckAndJoin
          key={checking.id}
          meeting={checking}
          now={now}
          onJoin={(stream) => setJoined({ meeting: checking, stream })}
        />
      )}
    </div>
  );
}
