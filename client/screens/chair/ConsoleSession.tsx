// The chair's console for one meeting (the chair's leaders, or the chairing
// room's technician): every invited site's status on the board, the roll-call
// (for the chair and the secretariat; the technician sees it), the meeting's
// mode, mute one or all, give the floor, put a site on the main stage,
// remove, lock, end; the layout every site shows; presenting, and the sites'
// requests to present; and the mosaic of the sites' pictures. Its session
// (connection, invited sites, errors) is useConsoleSession; the bar's controls
// over the whole meeting are MeetingControls; a row's are SiteActions.
import { useCallback, useMemo, useState } from 'react';
import type { Meeting } from '../../../contract/rest/meetings.ts';
import type { ApiClient } from '../../api.ts';
import { CallControls } from '../../components/CallControls.tsx';
import { ChatDock } from '../../components/chat/ChatDock.tsx';
import { ConnectionBanner, LinkIndicator } from '../../components/MeetingParts.tsx';
import { MeetingView } from '../../components/MeetingView.tsx';
import { PresentationPanel } from '../../components/PresentationPanel.tsx';
import { PresentControls } from '../../components/PresentControls.tsx';
import { RecordingIndicator } from '../../components/RecordingIndicator.tsx';
import { StatusBoard } from '../../components/StatusBoard.tsx';
import { VideoTile } from '../../components/VideoTile.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { useConnectionEvents, useMeetingSnapshot } from '../../media/hooks.ts';
import type { SiteStatus } from '../../meeting/MeetingStore.ts';
import { AlarmList } from './AlarmList.tsx';
import { MeetingControls } from './MeetingControls.tsx';
import { Mosaic } from './Mosaic.tsx';
import { RoomCallButton, useRoomCalls } from './RoomCall.tsx';
import { SiteActions } from './SiteActions.tsx';
import { SpeakingQueue } from './SpeakingQueue.tsx';
import { useConsoleSession } from './useConsoleSession.ts';

export function ConsoleSession({
  api,
  meeting,
  stream,
  canMark,
  onLeft,
}: {
  api: ApiClient;
  meeting: Meeting;
  stream: MediaStream | null;
  /** Takes the roll-call (the chair, the secretariat); the room's technician sees it only. */
  canMark: boolean;
  onLeft: () => void;
}) {
  const { t } = useI18n();
  const { conn, units, callable, error, run, onMark } = useConsoleSession(api, meeting, stream);
  useConnectionEvents(conn, ['state', 'self', 'meeting', 'link', 'kicked', 'error', 'view']);
  const snap = useMeetingSnapshot(conn.store);
  const [selected, setSelected] = useState<string | null>(null);
  const roomCalls = useRoomCalls(conn);

  const m = conn.meeting;
  // The grid's picks while the grid is what every site shows; null otherwise (no grid toggle on the rows).
  const grid = m?.layout.kind === 'grid' ? m.layout.grid : null;
  const online = conn.state === 'online';
  const renderActions = useCallback(
    (s: SiteStatus) =>
      callable.has(s.id) && s.state !== 'online' && s.state !== 'connecting' ? (
        <RoomCallButton
          site={s}
          progress={roomCalls.get(s.id)}
          disabled={!online}
          onCall={() => run(conn.chair('callRoom', { siteId: s.id }))}
        />
      ) : (
        <SiteActions site={s} conn={conn} run={run} grid={grid} />
      ),
    [conn, run, grid, callable, roomCalls, online],
  );
  const nameOf = useCallback(
    (id: string) => snap.byId.get(id)?.name ?? conn.store.peer(id)?.displayName ?? id,
    [snap, conn],
  );
  const self = conn.self;
  // Private messages go to sites that have been in the meeting (the hub refuses the others).
  const chatSites = useMemo(
    () => snap.sites.filter((s) => !s.isChair && s.state !== 'not_joined').map((s) => ({ id: s.id, name: s.name })),
    [snap.sites],
  );

  return (
    <div className="meeting meeting--chair" data-testid="chair-console">
      <header className="meeting__bar">
        <h1>{meeting.title}</h1>
        <ConnectionBanner conn={conn} />
        <RecordingIndicator recording={m?.recording} />
        <LinkIndicator link={conn.link} />
        <ChatDock conn={conn} sites={chatSites} nameOf={nameOf} />
        <MeetingControls api={api} meeting={meeting} conn={conn} sites={snap.sites} run={run} onLeft={onLeft} />
      </header>
      {m?.muteNewSites && (
        <p className="rule-banner" data-testid="mute-rule">
          {t('boardMuteRule')}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="console">
        <div className="console__media">
          <MeetingView conn={conn} nameOf={nameOf} />
          {m?.layout.kind === 'grid' && m.presentation.live && <p className="muted">{t('layoutGridHidesContent')}</p>}
          {m?.stageSiteId && <p className="muted">{t('chairOnStageNow', { name: nameOf(m.stageSiteId) })}</p>}
          <div className="console__self">
            <VideoTile
              conn={conn}
              peerId={null}
              local={conn.localStream}
              layer="thumb"
              label={`${t('meetingOwnPreview')}: ${self?.displayName ?? meeting.chairRoom.name}`}
              testId="own-preview"
            />
            <CallControls
              micOn={Boolean(self?.micOn)}
              cameraOn={conn.cameraOn}
              handRaised={false}
              hideHand
              micLock={null}
              disabled={conn.state !== 'online'}
              onToggleMic={() => run(conn.setMicEnabled(!self?.micOn))}
              onToggleCamera={() => run(conn.setCameraEnabled(!conn.cameraOn))}
              onToggleHand={() => {}}
            />
            <PresentControls
              isChair
              selfId={self?.id ?? null}
              presentation={m?.presentation ?? null}
              presenting={conn.presenting.active}
              disabled={conn.state !== 'online'}
              onRequest={() => {}}
              onStart={() => run(conn.presenting.start())}
              onStop={() => run(conn.presenting.stop())}
            />
          </div>
          <SpeakingQueue
            sites={snap.sites}
            disabled={conn.state !== 'online'}
            onNext={() => run(conn.chair('giveFloorToNext', {}))}
            onFloor={(siteId, granted) => run(conn.chair('setFloor', { siteId, granted }))}
          />
          <AlarmList sites={snap.sites} onSelect={setSelected} />
          <Mosaic
            conn={conn}
            sites={snap.sites}
            producers={snap.producers}
            onSelect={setSelected}
            selected={selected}
          />
        </div>
        <div className="console__board">
          <PresentationPanel
            presentation={m?.presentation ?? null}
            nameOf={nameOf}
            disabled={conn.state !== 'online'}
            onAnswer={(siteId, allowed) => run(conn.chair('answerPresentation', { siteId, allowed }))}
            onStop={() => run(conn.presenting.stop())}
          />
          <StatusBoard
            units={units}
            sites={snap.sites}
            onMark={canMark ? onMark : undefined}
            renderActions={renderActions}
            selectedId={selected}
            onSelect={setSelected}
            stale={conn.state !== 'online'}
          />
        </div>
      </div>
    </div>
  );
}
