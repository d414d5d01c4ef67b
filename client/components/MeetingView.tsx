// What a page shows of the meeting, in the layout the chair chose for every
// site (contract/layout.ts) or the one the room pinned for itself:
//   speaker      the main stage (MeetingParts' Stage: the staged site, the chair inset)
//   sideBySide   the chair and the staged site, side by side
//   content      the shared content as the main picture, the speaker inset
//   grid         the chair, the grid's sites and the room's own picture, up to nine tiles
// The content layout needs someone presenting; until then the speaker layout shows.
import type { LayoutKind } from '../../contract/layout.ts';
import { useI18n } from '../i18n/index.tsx';
import type { MeetingConnection } from '../media/MeetingConnection.ts';
import { Stage } from './MeetingParts.tsx';
import { VideoTile } from './VideoTile.tsx';

interface ViewProps {
  conn: MeetingConnection;
  nameOf: (id: string) => string;
}

/** The arrangement actually drawn for `layout` (content falls back to the speaker while nobody presents). */
export function drawnLayout(conn: MeetingConnection): LayoutKind {
  const kind = conn.layout;
  return kind === 'content' && !conn.meeting?.presentation.presenterSiteId ? 'speaker' : kind;
}

export function MeetingView({ conn, nameOf }: ViewProps) {
  const kind = drawnLayout(conn);
  return (
    <div className={`meeting-view meeting-view--${kind}`} data-testid="meeting-view" data-layout={kind}>
      {kind === 'speaker' && <Stage conn={conn} nameOf={nameOf} />}
      {kind === 'sideBySide' && <SideBySide conn={conn} nameOf={nameOf} />}
      {kind === 'content' && <ContentStage conn={conn} nameOf={nameOf} />}
      {kind === 'grid' && <Grid conn={conn} nameOf={nameOf} />}
    </div>
  );
}

/** A site's camera, or the room's own preview when it is this site. */
function SiteTile({
  conn,
  siteId,
  label,
  layer,
  className,
  testId,
}: {
  conn: MeetingConnection;
  siteId: string;
  label: string;
  layer: 'thumb' | 'stage';
  className?: string;
  testId?: string;
}) {
  const self = siteId === conn.self?.id;
  return (
    <VideoTile
      conn={conn}
      peerId={self ? null : siteId}
      local={self ? conn.localStream : undefined}
      layer={layer}
      label={label}
      className={className}
      testId={testId}
    />
  );
}

function SideBySide({ conn, nameOf }: ViewProps) {
  const { t } = useI18n();
  const m = conn.meeting;
  const chairId = m?.chairSiteId ?? null;
  const stageId = m?.stageSiteId && m.stageSiteId !== chairId ? m.stageSiteId : null;
  return (
    <section className="side-by-side" aria-label={t('layoutSideBySide')}>
      {chairId && (
        <SiteTile
          conn={conn}
          siteId={chairId}
          layer="stage"
          label={`${t('meetingStageChair')}: ${nameOf(chairId)}`}
          testId="side-chair"
        />
      )}
      {stageId && <SiteTile conn={conn} siteId={stageId} layer="stage" label={nameOf(stageId)} testId="side-stage" />}
    </section>
  );
}

function ContentStage({ conn, nameOf }: ViewProps) {
  const { t } = useI18n();
  const m = conn.meeting;
  const presenter = m?.presentation.presenterSiteId ?? null;
  const speaker = m?.stageSiteId ?? m?.chairSiteId ?? null;
  const own = presenter !== null && presenter === conn.self?.id;
  const label = presenter ? t('presentingBy', { name: nameOf(presenter) }) : t('layoutContent');
  return (
    <section className="stage" aria-label={t('layoutContent')} data-testid="content-stage" data-presenter={presenter}>
      <VideoTile
        conn={conn}
        peerId={own ? null : presenter}
        local={own ? conn.presenting.stream : undefined}
        source="screen"
        layer="stage"
        label={label}
        className="tile--stage tile--content"
        testId="content-video"
      >
        {speaker && speaker !== conn.self?.id && (
          <SiteTile
            conn={conn}
            siteId={speaker}
            layer="thumb"
            label={speaker === m?.chairSiteId ? `${t('meetingStageChair')}: ${nameOf(speaker)}` : nameOf(speaker)}
            className="tile--inset"
            testId="speaker-inset"
          />
        )}
      </VideoTile>
    </section>
  );
}

function Grid({ conn, nameOf }: ViewProps) {
  const { t } = useI18n();
  const m = conn.meeting;
  const selfId = conn.self?.id ?? null;
  const ids = [m?.chairSiteId, ...(m?.layout.grid ?? [])].filter((id): id is string => Boolean(id) && id !== selfId);
  const tiles = selfId ? [...ids, selfId] : ids;
  return (
    <section className="grid-view" aria-label={t('layoutGrid')} data-testid="grid-view" data-tiles={tiles.length}>
      {tiles.map((id) => (
        <SiteTile
          key={id}
          conn={conn}
          siteId={id}
          layer="thumb"
          label={
            id === selfId
              ? t('meetingOwnPreview')
              : id === m?.chairSiteId
                ? `${t('meetingStageChair')}: ${nameOf(id)}`
                : nameOf(id)
          }
          testId="grid-tile"
        />
      ))}
    </section>
  );
}
