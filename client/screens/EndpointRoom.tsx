// The endpoint room (điểm cầu): today's invitations with accept/decline, the
// device and network check, joining from the technical-check time, and the
// meeting itself.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { RoomInvitation } from '../../contract/rest/invitations.ts';
import type { ApiClient, User } from '../api.ts';
import { CallControls, type MicLock } from '../components/CallControls.tsx';
import { ConnectionBanner, LinkIndicator, Stage } from '../components/MeetingParts.tsx';
import { PreJoinCheck } from '../components/PreJoinCheck.tsx';
import { VideoTile } from '../components/VideoTile.tsx';
import { useI18n } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';
import { useLive } from '../lib/live.ts';
import { ddmmyyyy, hhmm, localDate } from '../lib/time.ts';
import { useConnectionEvents } from '../media/hooks.ts';
import { MeetingConnection } from '../media/MeetingConnection.ts';

export function EndpointRoom({ api, user }: { api: ApiClient; user: User }) {
  const { t, lang } = useI18n();
  const [invitations, setInvitations] = useState<RoomInvitation[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [checking, setChecking] = useState<RoomInvitation | null>(null);
  const [inMeeting, setInMeeting] = useState<{ inv: RoomInvitation; stream: MediaStream | null } | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const roomId = user.room?.id ?? '';

  const load = useCallback(async () => {
    try {
      setInvitations(await api.roomInvitations(localDate()));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [api]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, [load]);

  useLive(['invitation:changed', 'meeting:created', 'meeting:updated', 'meeting:cancelled', 'meeting:status'], () => {
    void load();
  });

  if (inMeeting) {
    return (
      <RoomMeeting
        api={api}
        inv={inMeeting.inv}
        stream={inMeeting.stream}
        onLeft={() => {
          setInMeeting(null);
          setChecking(null);
          void load();
        }}
      />
    );
  }

  return (
    <div className="room-home">
      <h1>{t('roomTitle', { name: user.room?.name ?? user.name })}</h1>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      <section aria-labelledby="inv-title" className="card">
        <h2 id="inv-title">{t('roomInvitationsToday')}</h2>
        {invitations === null ? (
          <p className="muted">{t('loading')}</p>
        ) : invitations.length === 0 ? (
          <p className="muted">{t('roomNoInvitations')}</p>
        ) : (
          <ul className="inv-list">
            {invitations.map((inv) => (
              <InvitationCard
                key={inv.id}
                inv={inv}
                api={api}
                roomId={roomId}
                now={now}
                onChanged={load}
                onCheck={() => setChecking(inv)}
                active={checking?.id === inv.id}
              />
            ))}
          </ul>
        )}
      </section>
      {checking && (
        <CheckAndJoin inv={checking} now={now} onJoin={(stream) => setInMeeting({ inv: checking, stream })} />
      )}
    </div>
  );
}

function InvitationCard({
  inv,
  api,
  roomId,
  now,
  onChanged,
  onCheck,
  active,
}: {
  inv: RoomInvitation;
  api: ApiClient;
  roomId: string;
  now: number;
  onChanged: () => void;
  onCheck: () => void;
  active: boolean;
}) {
  const { t, lang } = useI18n();
  const [note, setNote] = useState('');
  const [declining, setDeclining] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const m = inv.meeting;
  const answer = async (status: 'accepted' | 'declined') => {
    try {
      await api.respond(m.id, roomId, status, status === 'declined' ? note : undefined);
      setDeclining(false);
      setError(null);
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  const statusLabel =
    inv.status === 'accepted'
      ? t('roomStatusAccepted')
      : inv.status === 'declined'
        ? t('roomStatusDeclined')
        : t('roomStatusInvited');
  const open = now >= Date.parse(m.techCheckAt) && now < Date.parse(m.endAt) && m.status !== 'cancelled';
  return (
    <li className={`inv ${active ? 'is-active' : ''}`} data-meeting-id={m.id}>
      <div className="inv__main">
        <strong className="inv__title">{m.title}</strong>
        <span>
          {hhmm(m.startAt)}–{hhmm(m.endAt)} {ddmmyyyy(m.startAt)} · {m.chairRoom.name}
        </span>
        {m.invitationNumber && <span className="muted">Số {m.invitationNumber}</span>}
        <span className="muted">{t('roomTechCheck', { time: hhmm(m.techCheckAt) })}</span>
        <span className={`pill pill--${inv.status}`}>{statusLabel}</span>
      </div>
      <div className="inv__actions">
        {inv.status !== 'accepted' && (
          <button type="button" onClick={() => answer('accepted')}>
            {t('roomAccept')}
          </button>
        )}
        {inv.status !== 'declined' &&
          (declining ? (
            <span className="inline-form">
              <input
                aria-label={t('markReason')}
                placeholder={t('markReason')}
                value={note}
                onChange={(e) => setNote(e.target.value)}
              />
              <button type="button" onClick={() => answer('declined')} disabled={!note.trim()}>
                {t('roomDecline')}
              </button>
            </span>
          ) : (
            <button type="button" onClick={() => setDeclining(true)}>
              {t('roomDecline')}
            </button>
          ))}
        <button type="button" className="primary" onClick={onCheck} disabled={!open && now >= Date.parse(m.endAt)}>
          {t('roomCheck')}
        </button>
        {!open && now < Date.parse(m.techCheckAt) && (
          <span className="muted">{t('roomJoinFrom', { time: hhmm(m.techCheckAt) })}</span>
        )}
      </div>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
    </li>
  );
}

function CheckAndJoin({
  inv,
  now,
  onJoin,
}: {
  inv: RoomInvitation;
  now: number;
  onJoin: (s: MediaStream | null) => void;
}) {
  const { t } = useI18n();
  // settled: the capture has been opened (or has failed: the room may still join without it).
  const [capture, setCapture] = useState<{ stream: MediaStream | null; settled: boolean }>({
    stream: null,
    settled: false,
  });
  const onStream = useCallback((stream: MediaStream | null) => setCapture({ stream, settled: true }), []);
  const open = now >= Date.parse(inv.meeting.techCheckAt);
  return (
    <PreJoinCheck onStream={onStream}>
      <button
        type="button"
        className="primary big"
        disabled={!open || !capture.settled}
        onClick={() => onJoin(capture.stream)}
      >
        {t('roomJoin')}
      </button>
      {!open && <p className="muted">{t('roomJoinFrom', { time: hhmm(inv.meeting.techCheckAt) })}</p>}
    </PreJoinCheck>
  );
}

export function useMeetingConnection(
  api: ApiClient,
  meetingId: string,
  stream: MediaStream | null,
  roomId?: string,
): MeetingConnection {
  const conn = useMemo(
    () => new MeetingConnection({ getToken: async () => (await api.joinToken(meetingId, roomId)).token }),
    [api, meetingId, roomId],
  );
  useEffect(() => {
    conn.start(stream).catch(() => undefined);
    return () => void conn.leave();
  }, [conn, stream]);
  return conn;
}

function RoomMeeting({
  api,
  inv,
  stream,
  onLeft,
}: {
  api: ApiClient;
  inv: RoomInvitation;
  stream: MediaStream | null;
  onLeft: () => void;
}) {
  const { t, pick, lang } = useI18n();
  const conn = useMeetingConnection(api, inv.meeting.id, stream);
  useConnectionEvents(conn, ['state', 'self', 'meeting', 'link', 'kicked', 'error']);
  const [kick, setKick] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  useEffect(() => conn.on('kicked', (e) => setKick(pick(e.message, e.messageEn))), [conn, pick]);

  const self = conn.self;
  const micLock: MicLock = self?.mutedByChair ? 'chair' : self && !self.canSpeak ? 'no-floor' : null;
  const names = useCallback(
    (id: string) => conn.store.peer(id)?.displayName ?? (id === self?.id ? (self?.displayName ?? id) : id),
    [conn, self],
  );
  const act = (p: Promise<unknown>) =>
    p.then(
      () => setActionError(null),
      (err) => setActionError(errorText(err, lang)),
    );

  return (
    <div className="meeting meeting--room" data-conn-owner={inv.meeting.id} data-testid="room-meeting">
      <header className="meeting__bar">
        <h1>{inv.meeting.title}</h1>
        <ConnectionBanner conn={conn} />
        {conn.meeting?.locked && <span className="pill">{t('meetingLocked')}</span>}
        {self && conn.meeting?.floor.includes(self.id) && (
          <span className="pill pill--ok">{t('meetingFloorGranted')}</span>
        )}
        <LinkIndicator link={conn.link} />
      </header>
      {kick && (
        <p className="error" role="alert">
          {kick}
        </p>
      )}
      <div className="meeting__body">
        <Stage conn={conn} nameOf={names} />
        <aside className="meeting__side">
          <VideoTile
            conn={conn}
            peerId={null}
            local={conn.localStream}
            layer="thumb"
            label={`${t('meetingOwnPreview')}: ${self?.displayName ?? ''}`}
            testId="own-preview"
          />
          <CallControls
            micOn={Boolean(self?.micOn)}
            cameraOn={conn.cameraOn}
            handRaised={Boolean(self?.handRaised)}
            micLock={micLock}
            disabled={conn.state !== 'online' && conn.state !== 'reconnecting'}
            onToggleMic={() => act(conn.setMicEnabled(!self?.micOn))}
            onToggleCamera={() => act(conn.setCameraEnabled(!conn.cameraOn))}
            onToggleHand={() => act(conn.raiseHand(!self?.handRaised))}
            onLeave={() => {
              void conn.leave().then(onLeft);
            }}
          />
          {actionError && (
            <p className="error" role="alert">
              {actionError}
            </p>
          )}
          {(conn.state === 'left' || conn.state === 'failed') && (
            <button type="button" onClick={onLeft}>
              {t('back')}
            </button>
          )}
        </aside>
      </div>
    </div>
  );
}
