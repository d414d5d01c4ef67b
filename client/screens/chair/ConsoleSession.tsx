// The chair's console for one meeting (the chair's leaders, or the chairing
// room's technician): every invited site's status on the board, the roll-call
// (for the chair and the secretariat; the technician sees it), the meeting's
// mode, mute one or all, give the floor, put a site on the main stage,
// remove, lock, end; the layout every site shows; presenting, and the sites'
// requests to present; and the mosaic of the sites' pictures.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AttendanceMark, MeetingMode } from '../../../contract/enums.ts';
import { type LayoutKind, MAX_GRID_SITES } from '../../../contract/layout.ts';
import type { Meeting } from '../../../contract/rest/meetings.ts';
import type { ApiClient, Unit } from '../../api.ts';
import { CallControls } from '../../components/CallControls.tsx';
import { ChatDock } from '../../components/chat/ChatDock.tsx';
import { Icon } from '../../components/Icon.tsx';
import { LayoutPicker } from '../../components/LayoutPicker.tsx';
import { ConnectionBanner, LinkIndicator } from '../../components/MeetingParts.tsx';
import { MeetingView } from '../../components/MeetingView.tsx';
import { PresentationPanel } from '../../components/PresentationPanel.tsx';
import { PresentControls } from '../../components/PresentControls.tsx';
import { RecordingControl } from '../../components/RecordingControl.tsx';
import { RecordingIndicator } from '../../components/RecordingIndicator.tsx';
import { StatusBoard } from '../../components/StatusBoard.tsx';
import { VideoTile } from '../../components/VideoTile.tsx';
import { type MessageKey, useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';
import { useConnectionEvents, useMeetingSnapshot } from '../../media/hooks.ts';
import type { MeetingConnection } from '../../media/MeetingConnection.ts';
import { gridOnTurningOn, gridToggled } from '../../meeting/gridPicks.ts';
import type { SiteStatus } from '../../meeting/MeetingStore.ts';
import { useMeetingConnection } from '../../meeting/useMeetingConnection.ts';
import { AlarmList } from './AlarmList.tsx';
import { Mosaic } from './Mosaic.tsx';
import { RoomCallButton, useRoomCalls } from './RoomCall.tsx';
import { SpeakingQueue } from './SpeakingQueue.tsx';
import { UpstreamLinkControl } from './UpstreamLinkControl.tsx';

const MODES: { value: MeetingMode; label: MessageKey }[] = [
  { value: 'discussion', label: 'modeDiscussion' },
  { value: 'briefing', label: 'modeBriefing' },
  { value: 'conference', label: 'modeConference' },
];

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
  const { t, pick, lang } = useI18n();
  const conn = useMeetingConnection(api, meeting.id, stream, meeting.chairRoom.id);
  useConnectionEvents(conn, ['state', 'self', 'meeting', 'link', 'kicked', 'error', 'view']);
  const snap = useMeetingSnapshot(conn.store);
  const [units, setUnits] = useState<Unit[]>([]);
  const [error, setError] = useState<string | null>(null);
  // The schedule can take the meeting away (cancelled, the chair room deactivated): say why.
  useEffect(() => conn.on('kicked', (e) => setError(pick(e.message, e.messageEn))), [conn, pick]);
  // The recording stopped by itself (the recorder died, the disk is full): say so; the meeting goes on.
  useEffect(() => conn.on('recordingFault', (e) => setError(pick(e.message, e.messageEn))), [conn, pick]);
  const [selected, setSelected] = useState<string | null>(null);
  // SIP rooms the hub can call (a dial-out address): their rows offer "Call" while they are away.
  const [callable, setCallable] = useState<ReadonlySet<string>>(new Set());
  const roomCalls = useRoomCalls(conn);

  useEffect(() => {
    let cancelled = false;
    // The attendance report lists every invited room with its mark, for everyone
    // who may chair (the invitation list shows a room's operator only its own row).
    Promise.all([api.attendance(meeting.id), api.unitTree()])
      .then(([rows, tree]) => {
        if (cancelled) return;
        setUnits(tree.units);
        const sites = rows.filter((r) => r.roomId !== meeting.chairRoom.id);
        conn.store.setInvited(sites.map((r) => ({ id: r.roomId, name: r.roomName, unitId: r.unitId ?? '' })));
        conn.store.setMarks(sites);
        setCallable(new Set(sites.filter((r) => r.sipDialOut).map((r) => r.roomId)));
      })
      .catch((err) => setError(errorText(err, lang)));
    return () => {
      cancelled = true;
    };
  }, [api, meeting.id, meeting.chairRoom.id, conn, lang]);

  const run = useCallback(
    (p: Promise<unknown>) =>
      p.then(
        () => setError(null),
        (err) => setError(errorText(err, lang)),
      ),
    [lang],
  );

  const onMark = useCallback(
    (siteId: string, mark: AttendanceMark, reason: string | null) => {
      conn.store.setMark(siteId, mark, reason);
      // "Absent" is saved once its reason is typed (the row shows the reason field).
      if (mark === 'absent' && !reason) return;
      void run(api.setMark(meeting.id, siteId, mark, reason));
    },
    [api, conn, meeting.id, run],
  );

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
  const chooseLayout = (kind: LayoutKind | null) => {
    if (!kind) return;
    if (kind !== 'grid') return void run(conn.chair('setLayout', { kind }));
    // The chair is always in the grid; the sites are picked on the board's rows afterwards.
    const online = snap.sites.filter((s) => s.state === 'online' && !s.isChair).map((s) => s.id);
    void run(conn.chair('setLayout', { kind, grid: gridOnTurningOn(m?.layout.grid ?? [], online) }));
  };
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
        <label className="inline-form">
          {t('modeLabel')}{' '}
          <select
            value={m?.mode ?? meeting.mode}
            onChange={(e) => run(conn.chair('setMode', { mode: e.target.value as MeetingMode }))}
            disabled={conn.state !== 'online'}
          >
            {MODES.map((x) => (
              <option key={x.value} value={x.value}>
                {t(x.label)}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          aria-pressed={Boolean(m?.muteNewSites)}
          onClick={() => run(conn.chair('muteAll', {}))}
          disabled={conn.state !== 'online'}
        >
          {t('chairMuteAll')}
        </button>
        <button type="button" onClick={() => run(conn.chair('unmuteAll', {}))} disabled={conn.state !== 'online'}>
          {t('chairUnmuteAll')}
        </button>
        <button
          type="button"
          aria-pressed={Boolean(m?.locked)}
          onClick={() => run(conn.chair('setLocked', { locked: !m?.locked }))}
          disabled={conn.state !== 'online'}
        >
          {m?.locked ? t('chairUnlock') : t('chairLock')}
        </button>
        <LayoutPicker
          scope="chair"
          value={m?.layout.kind ?? 'speaker'}
          onChange={chooseLayout}
          disabled={conn.state !== 'online'}
        />
        {m?.stageSiteId && (
          <button type="button" onClick={() => run(conn.chair('setStage', { siteId: null }))}>
            {t('chairUnstage')}
          </button>
        )}
        <UpstreamLinkControl
          upstream={m?.upstream}
          linkable={m?.linkable ?? []}
          disabled={conn.state !== 'online'}
          onLink={(deployment, meetingId) => void run(conn.chair('linkUpstream', { deployment, meetingId }))}
          onUnlink={() => void run(conn.chair('unlinkUpstream', {}))}
        />
        <RecordingControl
          recording={m?.recording}
          disabled={conn.state !== 'online'}
          onStart={() => void run(conn.chair('startRecording', {}))}
          onStop={() => void run(conn.chair('stopRecording', {}))}
        />
        <button
          type="button"
          className="danger"
          onClick={() => {
            if (!window.confirm(t('chairEndConfirm'))) return;
            // The schedule's end (status, audit, live event) also closes the media for every site.
            void run(
              api
                .endMeeting(meeting.id)
                .then(() => conn.leave())
                .then(onLeft),
            );
          }}
          disabled={conn.state !== 'online'}
        >
          {t('chairEnd')}
        </button>
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

function SiteActions({
  site,
  conn,
  run,
  grid,
}: {
  site: SiteStatus;
  conn: MeetingConnection;
  run: (p: Promise<unknown>) => void;
  /** The grid's picks when the layout is the grid. */
  grid: readonly string[] | null;
}) {
  const { t } = useI18n();
  const here = site.state === 'online' || site.state === 'connecting';
  if (!here) return null;
  const label = (k: MessageKey) => `${t(k)}: ${site.name}`;
  return (
    <span className="site-actions">
      <button
        type="button"
        className="icon"
        title={site.mutedByChair ? t('chairUnmute') : t('chairMute')}
        aria-label={label(site.mutedByChair ? 'chairUnmute' : 'chairMute')}
        onClick={() => run(conn.chair('setSiteMuted', { siteId: site.id, muted: !site.mutedByChair }))}
      >
        <Icon name={site.mutedByChair ? 'mic' : 'micOff'} />
      </button>
      <button
        type="button"
        className={`icon ${site.hasFloor ? 'is-on' : ''}`}
        title={site.hasFloor ? t('chairTakeFloor') : t('chairGiveFloor')}
        aria-label={label(site.hasFloor ? 'chairTakeFloor' : 'chairGiveFloor')}
        onClick={() => run(conn.chair('setFloor', { siteId: site.id, granted: !site.hasFloor }))}
      >
        <Icon name="floor" />
      </button>
      <button
        type="button"
        className={`icon ${site.onStage ? 'is-on' : ''}`}
        title={site.onStage ? t('chairUnstage') : t('chairStage')}
        aria-label={label(site.onStage ? 'chairUnstage' : 'chairStage')}
        onClick={() => run(conn.chair('setStage', { siteId: site.onStage ? null : site.id }))}
      >
        <Icon name="star" />
      </button>
      {grid && !site.isChair && <GridToggle site={site} grid={grid} conn={conn} run={run} />}
      <button
        type="button"
        className="icon danger"
        title={t('chairRemove')}
        aria-label={label('chairRemove')}
        onClick={() => {
          if (window.confirm(t('chairRemoveConfirm', { name: site.name })))
            run(conn.chair('removeSite', { siteId: site.id }));
        }}
      >
        <Icon name="close" />
      </button>
    </span>
  );
}

/** Adds the site to the grid every site shows, or takes it out; disabled when the grid is full. */
function GridToggle({
  site,
  grid,
  conn,
  run,
}: {
  site: SiteStatus;
  grid: readonly string[];
  conn: MeetingConnection;
  run: (p: Promise<unknown>) => void;
}) {
  const { t } = useI18n();
  const inGrid = grid.includes(site.id);
  const next = gridToggled(grid, site.id);
  const title =
    next === null ? t('chairGridFull', { max: MAX_GRID_SITES }) : t(inGrid ? 'chairGridOut' : 'chairGridIn');
  return (
    <button
      type="button"
      className={`icon ${inGrid ? 'is-on' : ''}`}
      aria-pressed={inGrid}
      title={title}
      aria-label={`${title}: ${site.name}`}
      disabled={next === null}
      onClick={() => next && run(conn.chair('setLayout', { kind: 'grid', grid: next }))}
    >
      <Icon name="grid" />
    </button>
  );
}
