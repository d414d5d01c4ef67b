// The endpoint room (điểm cầu): the meetings the room chairs today (its
// technician runs the technical check and the console from here), today's
// invitations with accept/decline, the device and network check, joining from
// the technical-check time, and the meeting itself.
import { useCallback, useEffect, useState } from 'react';
import type { RoomInvitation } from '../../contract/rest/invitations.ts';
import type { Meeting } from '../../contract/rest/meetings.ts';
import { reportTechCheck } from '../admin/adminApi.ts';
import type { ApiClient, User } from '../api.ts';
import { CheckAndJoin } from '../components/CheckAndJoin.tsx';
import { useI18n } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';
import { useLive } from '../lib/live.ts';
import { useNow } from '../lib/useNow.ts';
import { type CheckResult, techCheckOf } from '../media/devices.ts';
import { chairableMeetings, isForToday } from '../meeting/today.ts';
import { ChairedMeetings } from './chair/ChairedMeetings.tsx';
import { ConsoleSession } from './chair/ConsoleSession.tsx';
import { InvitationCard } from './room/InvitationCard.tsx';
import { RoomMeeting } from './room/RoomMeeting.tsx';

/** The room's seat in a meeting: its chairing room, or an invited site. */
type Seat = 'chair' | 'site';

export function EndpointRoom({ api, user }: { api: ApiClient; user: User }) {
  const { t, lang } = useI18n();
  const now = useNow();
  const [invitations, setInvitations] = useState<RoomInvitation[] | null>(null);
  const [chaired, setChaired] = useState<Meeting[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [checking, setChecking] = useState<{ meeting: Meeting; seat: Seat } | null>(null);
  const [joined, setJoined] = useState<{ meeting: Meeting; seat: Seat; stream: MediaStream | null } | null>(null);
  const roomId = user.room?.id ?? '';

  const load = useCallback(async () => {
    try {
      // From today on: a meeting after midnight is checked the evening before.
      const [invs, chairs] = await Promise.all([api.roomInvitations(), chairableMeetings(api, Date.now())]);
      setInvitations(invs);
      setChaired(chairs);
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);

  // For the administrator's rooms screen; a report that fails must not stand in the way of joining.
  const reportCheck = useCallback(
    (r: CheckResult) => {
      if (roomId) reportTechCheck(api, roomId, techCheckOf(r)).catch(() => undefined);
    },
    [api, roomId],
  );

  useLive(['invitation:changed', 'meeting:created', 'meeting:updated', 'meeting:cancelled', 'meeting:status'], () => {
    void load();
  });

  if (joined) {
    const onLeft = () => {
      setJoined(null);
      setChecking(null);
      void load();
    };
    return joined.seat === 'chair' ? (
      <ConsoleSession api={api} meeting={joined.meeting} stream={joined.stream} canMark={false} onLeft={onLeft} />
    ) : (
      <RoomMeeting api={api} meeting={joined.meeting} stream={joined.stream} onLeft={onLeft} />
    );
  }

  const todaysInvitations = invitations?.filter((i) => isForToday(i.meeting, now)) ?? null;
  const todaysChaired = chaired.filter((m) => isForToday(m, now));
  const activeId = checking?.meeting.id ?? null;
  return (
    <div className="room-home">
      <h1>{t('roomTitle', { name: user.room?.name ?? user.name })}</h1>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      {todaysChaired.length > 0 && (
        <section aria-labelledby="chaired-title" className="card" data-testid="chaired-meetings">
          <h2 id="chaired-title">{t('roomChaired')}</h2>
          <ChairedMeetings
            api={api}
            meetings={todaysChaired}
            now={now}
            activeId={checking?.seat === 'chair' ? activeId : null}
            onOpen={(meeting) => setChecking({ meeting, seat: 'chair' })}
          />
        </section>
      )}
      <section aria-labelledby="inv-title" className="card">
        <h2 id="inv-title">{t('roomInvitationsToday')}</h2>
        {todaysInvitations === null ? (
          <p className="muted">{t('loading')}</p>
        ) : todaysInvitations.length === 0 ? (
          <p className="muted">{todaysChaired.length > 0 ? t('roomNoInvitationsOnly') : t('roomNoInvitations')}</p>
        ) : (
          <ul className="inv-list">
            {todaysInvitations.map((inv) => (
              <InvitationCard
                key={inv.id}
                inv={inv}
                api={api}
                roomId={roomId}
                now={now}
                onChanged={load}
                onCheck={() => setChecking({ meeting: inv.meeting, seat: 'site' })}
                active={checking?.seat === 'site' && activeId === inv.meeting.id}
              />
            ))}
          </ul>
        )}
      </section>
      {checking && (
        <CheckAndJoin
          key={`${checking.seat}:${checking.meeting.id}`}
          meeting={checking.meeting}
          now={now}
          onJoin={(stream) => setJoined({ ...checking, stream })}
          onChecked={reportCheck}
        />
      )}
    </div>
  );
}
