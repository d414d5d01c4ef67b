// The room in a meeting: the meeting in the chair's layout (or the one the room
// pinned for itself), its own picture, mic and camera (the mic locked while the
// chair has muted it or the mode gives it no floor), the raised hand, asking to
// present and presenting, and what the chair decided for it.
import { useCallback, useEffect, useState } from 'react';
import type { Meeting } from '../../../contract/rest/meetings.ts';
import type { ApiClient } from '../../api.ts';
import { CallControls, type MicLock } from '../../components/CallControls.tsx';
import { ChatDock } from '../../components/chat/ChatDock.tsx';
import { LayoutPicker } from '../../components/LayoutPicker.tsx';
import { ConnectionBanner, LinkIndicator } from '../../components/MeetingParts.tsx';
import { MeetingView } from '../../components/MeetingView.tsx';
import { PresentControls } from '../../components/PresentControls.tsx';
import { RecordingIndicator } from '../../components/RecordingIndicator.tsx';
import { VideoTile } from '../../components/VideoTile.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';
import { useConnectionEvents } from '../../media/hooks.ts';
import { useMeetingConnection } from '../../media/useMeetingConnection.ts';

export function RoomMeeting({
  api,
  meeting,
  stream,
  onLeft,
}: {
  api: ApiClient;
  meeting: Meeting;
  stream: MediaStream | null;
  onLeft: () => void;
}) {
  const { t, pick, lang } = useI18n();
  const conn = useMeetingConnection(api, meeting.id, stream);
  useConnectionEvents(conn, ['state', 'self', 'meeting', 'link', 'kicked', 'error', 'view']);
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

  if (conn.finished) {
    // One clear state: why the room is out, and the way back. Camera and microphone are already released.
    const why = kick ?? (conn.lastError ? pick(conn.lastError.message, conn.lastError.messageEn) : t('connLeft'));
    return (
      <div className="meeting meeting--room meeting--over" data-testid="room-meeting" data-state="over">
        <h1>{meeting.title}</h1>
        <p className="error" role="alert">
          {why}
        </p>
        <button type="button" onClick={onLeft}>
          {t('back')}
        </button>
      </div>
    );
  }

  return (
    <div className="meeting meeting--room" data-conn-owner={meeting.id} data-testid="room-meeting">
      <header className="meeting__bar">
        <h1>{meeting.title}</h1>
        <ConnectionBanner conn={conn} />
        <RecordingIndicator recording={conn.meeting?.recording} />
        {conn.meeting?.locked && <span className="pill">{t('meetingLocked')}</span>}
        {/* The chair's mute overrides the floor it gave: the status says what holds now. */}
        {self?.mutedByChair ? (
          <span className="pill pill--warn" data-testid="room-status">
            {t('meetingMutedByChair')}
          </span>
        ) : (
          self &&
          conn.meeting?.floor.includes(self.id) && (
            <span className="pill pill--ok" data-testid="room-status">
              {t('meetingFloorGranted')}
            </span>
          )
        )}
        <LinkIndicator link={conn.link} />
        <LayoutPicker scope="room" value={conn.pinnedLayout} onChange={(kind) => conn.pinLayout(kind)} />
        <ChatDock conn={conn} nameOf={names} />
      </header>
      {kick && (
        <p className="error" role="alert">
          {kick}
        </p>
      )}
      <div className="meeting__body">
        <MeetingView conn={conn} nameOf={names} />
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
          <PresentControls
            isChair={false}
            selfId={self?.id ?? null}
            presentation={conn.meeting?.presentation ?? null}
            presenting={conn.presenting.active}
            disabled={conn.state !== 'online'}
            onRequest={(requested) => act(conn.presenting.request(requested))}
            onStart={() => act(conn.presenting.start())}
            onStop={() => act(conn.presenting.stop())}
          />
          {actionError && (
            <p className="error" role="alert">
              {actionError}
            </p>
          )}
          {conn.state === 'failed' && (
            <button type="button" onClick={onLeft}>
              {t('back')}
            </button>
          )}
        </aside>
      </div>
    </div>
  );
}
