// biome-ignore-all lint/a11y/useSemanticElements: a virtualised list of absolutely positioned rows cannot be a <table>; ARIA table roles describe it instead
// biome-ignore-all lint/a11y/useFocusableInteractive: rows and cells are not interactive; their buttons and selects are
// One site's row on the chair's board: connection state, mic, camera, hand,
// link quality and roll-call mark, and the chair's actions. Memoised on the
// site object, which the store keeps identical while nothing changed.
import { type CSSProperties, memo, type ReactNode, useEffect, useState } from 'react';
import type { AttendanceMark } from '../../contract/enums.ts';
import { type MessageKey, useI18n } from '../i18n/index.tsx';
import { gradeLink, type SiteState, type SiteStatus } from '../meeting/MeetingStore.ts';
import { Icon } from './Icon.tsx';
import { GRADE_LABEL } from './MeetingParts.tsx';

export const STATE_LABEL: Record<SiteState, MessageKey> = {
  not_joined: 'stateNotJoined',
  connecting: 'stateConnecting',
  online: 'stateOnline',
  reconnecting: 'stateReconnecting',
  left: 'stateLeft',
};

const MARKS: { value: AttendanceMark; label: MessageKey }[] = [
  { value: 'unmarked', label: 'markUnmarked' },
  { value: 'present_in_room', label: 'markPresentInRoom' },
  { value: 'present_online', label: 'markPresentOnline' },
  { value: 'absent', label: 'markAbsent' },
];

export const SiteRow = memo(function SiteRow({
  site,
  depth,
  trail,
  index,
  style,
  onMark,
  renderActions,
  selected,
  onSelect,
}: {
  site: SiteStatus;
  depth: number;
  /** The units above the site, shown beside its name when no group row precedes it (problems first). */
  trail: string | null;
  index: number;
  style: CSSProperties;
  onMark?: (siteId: string, mark: AttendanceMark, reason: string | null) => void;
  renderActions?: (site: SiteStatus) => ReactNode;
  selected: boolean;
  onSelect?: (id: string) => void;
}) {
  const { t } = useI18n();
  const [reason, setReason] = useState(site.markReason ?? '');
  useEffect(() => setReason(site.markReason ?? ''), [site.markReason]);
  const mic = site.mutedByChair
    ? t('micMutedByChair')
    : site.speaking
      ? t('micSpeaking')
      : site.micOn
        ? t('micOn')
        : t('micOff');
  const link = site.link;
  const grade = link ? gradeLink(link) : null;
  // A reconnecting site's figures are the last it sent: greyed, not graded green.
  const stale = site.state === 'reconnecting';
  const linkText = link
    ? t('linkValue', {
        rtt: Math.round(link.rttMs),
        loss: link.lossPct.toFixed(1),
        kbps: Math.round(link.recvKbps + link.sendKbps),
      })
    : undefined;
  return (
    <div
      className={`board__row board__row--site state--${site.state}${selected ? ' is-selected' : ''}${site.handRaised ? ' has-hand' : ''}${site.activeSpeaker ? ' is-speaker' : ''}`}
      role="row"
      aria-rowindex={index + 1}
      aria-selected={selected}
      data-site-id={site.id}
      style={style}
    >
      <span role="rowheader" className="board__site" style={{ paddingLeft: depth * 16 }}>
        {onSelect ? (
          <button type="button" className="link-button board__name" title={site.name} onClick={() => onSelect(site.id)}>
            {site.name}
          </button>
        ) : (
          <span className="board__name" title={site.name}>
            {site.name}
          </span>
        )}
        {trail && (
          <span className="board__trail" title={trail}>
            {trail}
          </span>
        )}
        {site.activeSpeaker && (
          <span className="badge badge--speaker" title={t('activeSpeaker')}>
            {t('activeSpeaker')}
          </span>
        )}
        {site.onStage && (
          <span className="badge">
            <Icon name="star" />
          </span>
        )}
      </span>
      <span role="cell" className={`state-pill state-pill--${site.state}`}>
        {t(STATE_LABEL[site.state])}
      </span>
      <span
        role="cell"
        title={mic}
        aria-label={mic}
        className={`board__icon-col ${stale ? 'stale' : site.speaking ? 'on speaking' : site.micOn ? 'on' : 'off'}`}
      >
        <Icon name={site.mutedByChair ? 'lock' : site.micOn ? 'mic' : 'micOff'} />
      </span>
      <span
        role="cell"
        title={site.cameraOn ? t('cameraOn') : t('cameraOff')}
        aria-label={site.cameraOn ? t('cameraOn') : t('cameraOff')}
        className={`board__icon-col ${stale ? 'stale' : site.cameraOn ? 'on' : 'off'}`}
      >
        <Icon name={site.cameraOn ? 'camera' : 'cameraOff'} />
      </span>
      <span role="cell" className="board__icon-col" aria-label={site.handRaised ? t('handRaised') : t('handDown')}>
        {site.handRaised ? <Icon name="hand" /> : null}
      </span>
      <span
        role="cell"
        className={
          stale ? 'board__link link link--stale' : grade ? `board__link link link--${grade}` : 'board__link link'
        }
        title={stale && linkText ? `${t('boardLastKnown')}: ${linkText}` : linkText}
      >
        {site.linkState === 'degraded' || site.linkState === 'audio-only' ? (
          <span className="badge badge--warn">
            {t(site.linkState === 'degraded' ? 'linkDegraded' : 'linkAudioOnly')}
          </span>
        ) : null}
        <span>
          {link && grade
            ? `${stale ? '' : `${t(GRADE_LABEL[grade])} · `}${t('linkShort', { rtt: Math.round(link.rttMs), loss: link.lossPct.toFixed(1) })}`
            : t('linkNone')}
        </span>
      </span>
      <span role="cell" className="board__mark">
        <select
          aria-label={`${t('boardRollCall')}: ${site.name}`}
          title={onMark ? undefined : t('boardMarkReadOnly')}
          value={site.mark}
          disabled={!onMark}
          onChange={(e) => onMark?.(site.id, e.target.value as AttendanceMark, null)}
        >
          {MARKS.map((m) => (
            <option key={m.value} value={m.value}>
              {t(m.label)}
            </option>
          ))}
        </select>
        {site.mark === 'absent' && onMark && (
          <input
            aria-label={t('markReasonPrompt', { name: site.name })}
            placeholder={t('markReason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            onBlur={() => reason !== (site.markReason ?? '') && onMark(site.id, 'absent', reason || null)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') e.currentTarget.blur();
            }}
          />
        )}
      </span>
      <span role="cell" className="board__actions">
        {renderActions?.(site)}
      </span>
    </div>
  );
});
