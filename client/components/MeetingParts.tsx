// Pieces shared by the room and the chair screens: the main stage, the
// connection banner, the own link indicator.
import { stageCameras } from '../../contract/receivePlan.ts';
import type { LinkStats } from '../../contract/signaling.ts';
import { type MessageKey, useI18n } from '../i18n/index.tsx';
import type { MeetingConnection } from '../media/MeetingConnection.ts';
import type { ConnectionState } from '../media/Recovery.ts';
import { gradeLink, type LinkGrade } from '../meeting/MeetingStore.ts';
import { VideoTile } from './VideoTile.tsx';

const CONN_LABEL: Record<ConnectionState, MessageKey> = {
  idle: 'connIdle',
  connecting: 'connConnecting',
  online: 'connOnline',
  reconnecting: 'connReconnecting',
  moving: 'connMoving',
  left: 'connLeft',
  failed: 'connFailed',
};

export function ConnectionBanner({ conn }: { conn: MeetingConnection }) {
  const { t, pick } = useI18n();
  const s = conn.state;
  return (
    <div className={`conn-banner conn-banner--${s}`} role="status" data-testid="conn-state" data-state={s}>
      {t(CONN_LABEL[s])}
      {s === 'failed' && conn.lastError && <> — {pick(conn.lastError.message, conn.lastError.messageEn)}</>}
    </div>
  );
}

export const GRADE_LABEL: Record<LinkGrade, MessageKey> = { good: 'linkGood', fair: 'linkFair', poor: 'linkPoor' };

export function LinkIndicator({ link }: { link: LinkStats | null }) {
  const { t } = useI18n();
  if (!link) return <span className="link">{t('linkOwnNone')}</span>;
  const grade = gradeLink(link);
  return (
    <span className={`link link--${grade}`} data-testid="link-quality">
      <span className="link__bars" aria-hidden="true">
        {grade === 'good' ? '▂▄▆' : grade === 'fair' ? '▂▄' : '▂'}
      </span>{' '}
      {t(GRADE_LABEL[grade])} ·{' '}
      {t('linkValue', {
        rtt: Math.round(link.rttMs),
        loss: link.lossPct.toFixed(1),
        kbps: Math.round(link.sendKbps + link.recvKbps),
      })}
    </span>
  );
}

/**
 * The main stage: the site the chair put on stage, else the chair. While a site
 * is staged, the chair stays in view as an inset (the chair's own console shows
 * its preview apart).
 */
export function Stage({ conn, nameOf }: { conn: MeetingConnection; nameOf: (id: string) => string }) {
  const { t } = useI18n();
  const m = conn.meeting;
  const selfId = conn.self?.id ?? null;
  const stagePeer = m?.stageSiteId ?? m?.chairSiteId ?? null;
  const isSelf = stagePeer !== null && stagePeer === selfId;
  const chairId = m?.chairSiteId ?? null;
  // The same decision as the load bench's bots make (contract/receivePlan.ts).
  const chairInset = Boolean(m && selfId && chairId && stageCameras(selfId, m).get(chairId) === 'thumb');
  const label = stagePeer
    ? stagePeer === m?.chairSiteId
      ? `${t('meetingStageChair')}: ${nameOf(stagePeer)}`
      : nameOf(stagePeer)
    : t('meetingStageChair');
  return (
    <section className="stage" aria-label={t('meetingStage')} data-testid="stage" data-stage-peer={stagePeer ?? ''}>
      <VideoTile
        conn={conn}
        peerId={isSelf ? null : stagePeer}
        local={isSelf ? conn.localStream : undefined}
        layer="stage"
        label={label}
        className="tile--stage"
        testId="stage-video"
      >
        {/* Only a site the chair put on stage is told so; the chair is there by default. */}
        {isSelf && m?.stageSiteId === selfId && <div className="stage__self">{t('meetingYouAreOnStage')}</div>}
        {chairInset && chairId && (
          <VideoTile
            conn={conn}
            peerId={chairId}
            layer="thumb"
            label={`${t('meetingStageChair')}: ${nameOf(chairId)}`}
            className="tile--inset"
            testId="chair-inset"
          />
        )}
      </VideoTile>
    </section>
  );
}
