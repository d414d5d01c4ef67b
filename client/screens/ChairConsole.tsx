// The chair console (chủ trì / phòng điều khiển): every invited site's status,
// roll-call, the meeting's mode, mute one or all, give the floor, put a site on
// the main stage, remove, lock, end; and a paged mosaic of the sites' pictures
// that consumes only the thumbnails on screen.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { MeetingMode } from '../../contract/enums.ts';
import type { Meeting } from '../../contract/rest/meetings.ts';
import type { ApiClient, AttendanceMark, Unit, User } from '../api.ts';
import { CallControls } from '../components/CallControls.tsx';
import { Icon } from '../components/Icon.tsx';
import { ConnectionBanner, LinkIndicator, Stage } from '../components/MeetingParts.tsx';
import { PreJoinCheck } from '../components/PreJoinCheck.tsx';
import { StatusBoard } from '../components/StatusBoard.tsx';
import { VideoTile } from '../components/VideoTile.tsx';
import { type MessageKey, useI18n } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';
import { hhmm, localDate } from '../lib/time.ts';
import { useConnectionEvents, useMeetingSnapshot } from '../media/hooks.ts';
import type { MeetingConnection } from '../media/MeetingConnection.ts';
import type { SiteStatus } from '../meeting/MeetingStore.ts';
import { useMeetingConnection } from './EndpointRoom.tsx';

export const MOSAIC_PAGE_SIZE = 12;

const MODES: { value: MeetingMode; label: MessageKey }[] = [
  { value: 'discussion', label: 'modeDiscussion' },
  { value: 'briefing', label: 'modeBriefing' },
  { value: 'conference', label: 'modeConference' },
];

export function ChairConsole({ api, user }: { api: ApiClient; user: User }) {
  const { t, lang } = useI18n();
  const [meetings, setMeetings] = useState<Meeting[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [checking, setChecking] = useState<Meeting | null>(null);
  const [joined, setJoined] = useState<{ meeting: Meeting; stream: MediaStream | null } | null>(null);
  const [capture, setCapture] = useState<{ stream: MediaStream | null; settled: boolean }>({
    stream: null,
    settled: false,
  });
  const onStream = useCallback((stream: MediaStream | null) => setCapture({ stream, settled: true }), []);

  useEffect(() => {
    api
      .meetings(localDate(), 'day')
      .then((list) => setMeetings(list.filter((m) => m.canChair !== false && m.status !== 'cancelled')), setError);
  }, [api]);

  if (joined) {
    return <ConsoleSession api={api} meeting={joined.meeting} stream={joined.stream} onLeft={() => setJoined(null)} />;
  }
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
        {meetings === null ? (
          <p className="muted">{t('loading')}</p>
        ) : meetings.length === 0 ? (
          <p className="muted">{t('secNoMeetings')}</p>
        ) : (
          <ul className="inv-list">
            {meetings.map((m) => (
              <li key={m.id} className={`inv ${checking?.id === m.id ? 'is-active' : ''}`} data-meeting-id={m.id}>
                <div className="inv__main">
                  <strong className="inv__title">{m.title}</strong>
                  <span>
                    {hhmm(m.startAt)}–{hhmm(m.endAt)} · {m.chairRoom.name}
                  </span>
                  <span className="muted">{t('roomTechCheck', { time: hhmm(m.techCheckAt) })}</span>
                </div>
                <div className="inv__actions">
                  <button type="button" className="primary" onClick={() => setChecking(m)}>
                    {t('chairOpen')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      {checking && (
        <PreJoinCheck onStream={onStream}>
          <button
            type="button"
            className="primary big"
            onClick={() => setJoined({ meeting: checking, stream: capture.stream })}
            disabled={!capture.settled || Date.now() < Date.parse(checking.techCheckAt)}
          >
            {t('roomJoin')}
          </button>
        </PreJoinCheck>
      )}
    </div>
  );
}

function ConsoleSession({
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
  const conn = useMeetingConnection(api, meeting.id, stream, meeting.chairRoom.id);
  useConnectionEvents(conn, ['state', 'self', 'meeting', 'link', 'kicked', 'error']);
  const snap = useMeetingSnapshot(conn.store);
  const [units, setUnits] = useState<Unit[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  // The schedule can take the meeting away (cancelled, the chair room deactivated): say why.
  useEffect(() => conn.on('kicked', (e) => setError(pick(e.message, e.messageEn))), [conn, pick]);

  useEffect(() => {
    let cancelled = false;
    Promise.all([api.meetingInvitations(meeting.id), api.unitTree()])
      .then(([invs, tree]) => {
        if (cancelled) return;
        setUnits(tree.units);
        conn.store.setInvited(invs.map((i) => ({ id: i.roomId, name: i.roomName, unitId: i.unit.id })));
      })
      .catch((err) => setError(errorText(err, lang)));
    api
      .attendance(meeting.id)
      .then((rows) => !cancelled && conn.store.setMarks(rows))
      .catch(() => undefined); // the report may not exist before the meeting
    return () => {
      cancelled = true;
    };
  }, [api, meeting.id, conn, lang]);

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
  const renderActions = useCallback((s: SiteStatus) => <SiteActions site={s} conn={conn} run={run} />, [conn, run]);
  const nameOf = useCallback(
    (id: string) => snap.byId.get(id)?.name ?? conn.store.peer(id)?.displayName ?? id,
    [snap, conn],
  );
  const self = conn.self;

  return (
    <div className="meeting meeting--chair" data-testid="chair-console">
      <header className="meeting__bar">
        <h1>{meeting.title}</h1>
        <ConnectionBanner conn={conn} />
        <LinkIndicator link={conn.link} />
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
        <button type="button" onClick={() => run(conn.chair('muteAll', {}))} disabled={conn.state !== 'online'}>
          {t('chairMuteAll')}
        </button>
        <button
          type="button"
          aria-pressed={Boolean(m?.locked)}
          onClick={() => run(conn.chair('setLocked', { locked: !m?.locked }))}
          disabled={conn.state !== 'online'}
        >
          {m?.locked ? t('chairUnlock') : t('chairLock')}
        </button>
        {m?.stageSiteId && (
          <button type="button" onClick={() => run(conn.chair('setStage', { siteId: null }))}>
            {t('chairUnstage')}
          </button>
        )}
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
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="console">
        <div className="console__media">
          <Stage conn={conn} nameOf={nameOf} />
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
          </div>
          <Mosaic
            conn={conn}
            sites={snap.sites}
            producers={snap.producers}
            onSelect={setSelected}
            selected={selected}
          />
        </div>
        <div className="console__board">
          <StatusBoard
            units={units}
            sites={snap.sites}
            height={560}
            onMark={onMark}
            renderActions={renderActions}
            selectedId={selected}
            onSelect={setSelected}
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
}: {
  site: SiteStatus;
  conn: MeetingConnection;
  run: (p: Promise<unknown>) => void;
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

/** Paged thumbnails: only the tiles of the current page exist, so only they are consumed. */
function Mosaic({
  conn,
  sites,
  producers,
  selected,
  onSelect,
}: {
  conn: MeetingConnection;
  sites: SiteStatus[];
  producers: ReadonlyMap<string, { peerId: string; kind: string }>;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const { t } = useI18n();
  const [page, setPage] = useState(0);
  const withVideo = useMemo(() => {
    const ids = new Set<string>();
    for (const p of producers.values()) if (p.kind === 'video') ids.add(p.peerId);
    return sites.filter((s) => !s.isChair && ids.has(s.id) && s.state === 'online');
  }, [sites, producers]);
  const pages = Math.max(1, Math.ceil(withVideo.length / MOSAIC_PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = withVideo.slice(current * MOSAIC_PAGE_SIZE, (current + 1) * MOSAIC_PAGE_SIZE);
  return (
    <section className="mosaic" aria-label={t('chairMosaic')} data-testid="mosaic">
      <div className="mosaic__bar">
        <h2>{t('chairMosaic')}</h2>
        <button type="button" onClick={() => setPage(current - 1)} disabled={current === 0}>
          {t('chairPrevPage')}
        </button>
        <span>{t('chairMosaicPage', { page: current + 1, pages })}</span>
        <button type="button" onClick={() => setPage(current + 1)} disabled={current >= pages - 1}>
          {t('chairNextPage')}
        </button>
      </div>
      <div className="mosaic__grid">
        {shown.map((s) => (
          <button
            type="button"
            key={s.id}
            className={`mosaic__cell ${selected === s.id ? 'is-selected' : ''} ${s.handRaised ? 'has-hand' : ''}`}
            onClick={() => onSelect(s.id)}
            aria-label={s.name}
          >
            <VideoTile conn={conn} peerId={s.id} layer="thumb" label={s.name}>
              {s.handRaised && (
                <span className="tile__hand">
                  <Icon name="hand" title={t('handRaised')} />
                </span>
              )}
            </VideoTile>
          </button>
        ))}
      </div>
    </section>
  );
}
