// biome-ignore-all lint/a11y/useSemanticElements: a virtualised list of absolutely positioned rows cannot be a <table>; ARIA table roles describe it instead
// biome-ignore-all lint/a11y/useFocusableInteractive: rows and cells are not interactive; their buttons and selects are
// The chair's board: every invited site (300+) grouped by the unit tree (any
// depth) with counts per group, and per site its connection state, mic,
// camera, raised hand, link quality and roll-call mark. Connection and
// roll-call are counted apart: a site not yet joined is not "absent". Rows have
// a fixed height and only those in view are rendered (virtualised); rows are
// memoised on the site object, which the store keeps identical while nothing
// changed. Columns have fixed widths except the site's name, which grows with
// the screen (up to a cap) and wraps to a second line, so rows line up with
// the header whatever a cell holds. Without a `height`, the board fills its
// container. The grouping itself is in boardRows.ts.
import { type CSSProperties, memo, type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { AttendanceMark } from '../../contract/enums.ts';
import type { Unit } from '../api.ts';
import { type MessageKey, type Translate, useI18n } from '../i18n/index.tsx';
import { fold } from '../lib/tree.ts';
import { countSites, gradeLink, type SiteState, type SiteStatus } from '../meeting/MeetingStore.ts';
import { type BoardRow, boardRows } from './boardRows.ts';
import { Icon } from './Icon.tsx';
import { GRADE_LABEL } from './MeetingParts.tsx';

export const ROW_HEIGHT = 48;
/** Viewport height until the board has measured itself (and in tests without layout). */
const DEFAULT_HEIGHT = 520;
const OVERSCAN = 6;

export interface StatusBoardProps {
  units: Unit[];
  sites: SiteStatus[];
  /** Fixed height of the scrolling viewport in pixels; without it the board fills its container. */
  height?: number;
  onMark?: (siteId: string, mark: AttendanceMark, reason: string | null) => void;
  renderActions?: (site: SiteStatus) => ReactNode;
  selectedId?: string | null;
  onSelect?: (siteId: string) => void;
}

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

export function StatusBoard({ units, sites, height, onMark, renderActions, selectedId, onSelect }: StatusBoardProps) {
  const { t } = useI18n();
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [filter, setFilter] = useState('');
  const [onlyHands, setOnlyHands] = useState(false);
  const [scrollTop, setScrollTop] = useState(0);
  const [measured, setMeasured] = useState(0);
  const viewport = useRef<HTMLDivElement>(null);
  const filterId = useId();

  useEffect(() => {
    const el = viewport.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setMeasured(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const rows = useMemo(
    () => boardRows(units, sites, collapsed, filter.trim() ? fold(filter.trim()) : '', onlyHands),
    [units, sites, collapsed, filter, onlyHands],
  );
  const totals = useMemo(() => countSites(sites), [sites]);

  const viewHeight = measured > 0 ? measured : (height ?? DEFAULT_HEIGHT);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT) + OVERSCAN);
  const visible = rows.slice(first, last);

  const toggle = (id: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <section className={`board${height === undefined ? ' board--fill' : ''}`} aria-label={t('boardTitle')}>
      <div className="board__summary" data-testid="board-counts">
        <Count label={t('boardInvited')} value={totals.invited} id="invited" />
        <Count label={t('boardHands')} value={totals.hands} highlight={totals.hands > 0} id="hands" />
        <CountGroup label={t('boardState')}>
          <Count label={t('boardOnline')} value={totals.online} id="online" />
          {totals.reconnecting > 0 && (
            <Count label={t('stateReconnecting')} value={totals.reconnecting} id="reconnecting" />
          )}
          <Count label={t('boardNotJoined')} value={totals.notJoined} id="not-joined" />
          <Count label={t('boardLeft')} value={totals.left} id="left" />
        </CountGroup>
        <CountGroup label={t('boardRollCall')}>
          <Count label={t('boardPresent')} value={totals.present} id="present" />
          <Count label={t('boardMarkedAbsent')} value={totals.absent} id="absent" />
          <Count label={t('boardUnmarked')} value={totals.unmarked} id="unmarked" />
        </CountGroup>
      </div>
      <div className="board__filters">
        <label htmlFor={filterId} className="visually-hidden">
          {t('boardFilter')}
        </label>
        <input
          id={filterId}
          type="search"
          placeholder={t('boardFilter')}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <label>
          <input type="checkbox" checked={onlyHands} onChange={(e) => setOnlyHands(e.target.checked)} />{' '}
          {t('boardOnlyHands')}
        </label>
      </div>
      <div className="board__head" aria-hidden="true" data-testid="board-head">
        <span>{t('boardSite')}</span>
        <span>{t('boardState')}</span>
        <span className="board__icon-col">{t('boardMic')}</span>
        <span className="board__icon-col">{t('boardCamera')}</span>
        <span className="board__icon-col">{t('boardHand')}</span>
        <span>{t('boardLink')}</span>
        <span>{t('boardRollCall')}</span>
        <span>{t('boardActions')}</span>
      </div>
      <div
        ref={viewport}
        className="board__viewport"
        style={height === undefined ? undefined : { height }}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        role="table"
        aria-label={t('boardTitle')}
        aria-rowcount={rows.length}
        tabIndex={-1}
      >
        <div style={{ height: rows.length * ROW_HEIGHT, position: 'relative' }} role="rowgroup">
          {visible.map((row, i) => {
            const index = first + i;
            const style = { top: index * ROW_HEIGHT, height: ROW_HEIGHT };
            return row.kind === 'group' ? (
              <GroupRow
                key={row.key}
                row={row}
                index={index}
                style={style}
                collapsed={collapsed.has(row.unit.id)}
                onToggle={toggle}
                t={t}
              />
            ) : (
              <SiteRow
                key={row.key}
                site={row.site}
                depth={row.depth}
                index={index}
                style={style}
                onMark={onMark}
                renderActions={renderActions}
                selected={selectedId === row.site.id}
                onSelect={onSelect}
              />
            );
          })}
        </div>
      </div>
    </section>
  );
}

function Count({ label, value, highlight, id }: { label: string; value: number; highlight?: boolean; id: string }) {
  return (
    <div className={`count${highlight ? ' count--hot' : ''}`} data-testid={`count-${id}`}>
      <span className="count__value">{value}</span> <span className="count__label">{label}</span>
    </div>
  );
}

function CountGroup({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="count-group" role="group" aria-label={label}>
      <span className="count-group__label" aria-hidden="true">
        {label}
      </span>
      {children}
    </div>
  );
}

const GroupRow = memo(function GroupRow({
  row,
  index,
  style,
  collapsed,
  onToggle,
  t,
}: {
  row: Extract<BoardRow, { kind: 'group' }>;
  index: number;
  style: CSSProperties;
  collapsed: boolean;
  onToggle: (id: string) => void;
  t: Translate;
}) {
  const c = row.counts;
  return (
    <div className="board__row board__row--group" role="row" aria-rowindex={index + 1} style={style}>
      <span role="rowheader" style={{ paddingLeft: row.depth * 16 }}>
        <button type="button" className="link-button" aria-expanded={!collapsed} onClick={() => onToggle(row.unit.id)}>
          {collapsed ? '▸' : '▾'} {row.unit.name}
        </button>
      </span>
      <span role="cell" className="board__group-counts">
        {t('boardGroupCounts', { online: c.online, invited: c.invited, hands: c.hands })}
      </span>
    </div>
  );
});

const SiteRow = memo(function SiteRow({
  site,
  depth,
  index,
  style,
  onMark,
  renderActions,
  selected,
  onSelect,
}: {
  site: SiteStatus;
  depth: number;
  index: number;
  style: CSSProperties;
  onMark?: StatusBoardProps['onMark'];
  renderActions?: StatusBoardProps['renderActions'];
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
        className={`board__icon-col ${site.speaking ? 'on speaking' : site.micOn ? 'on' : 'off'}`}
      >
        <Icon name={site.mutedByChair ? 'lock' : site.micOn ? 'mic' : 'micOff'} />
      </span>
      <span
        role="cell"
        title={site.cameraOn ? t('cameraOn') : t('cameraOff')}
        aria-label={site.cameraOn ? t('cameraOn') : t('cameraOff')}
        className={`board__icon-col ${site.cameraOn ? 'on' : 'off'}`}
      >
        <Icon name={site.cameraOn ? 'camera' : 'cameraOff'} />
      </span>
      <span role="cell" className="board__icon-col" aria-label={site.handRaised ? t('handRaised') : t('handDown')}>
        {site.handRaised ? <Icon name="hand" /> : null}
      </span>
      <span role="cell" className={grade ? `board__link link link--${grade}` : 'board__link link'} title={linkText}>
        {site.linkState === 'degraded' || site.linkState === 'audio-only' ? (
          <span className="badge badge--warn">
            {t(site.linkState === 'degraded' ? 'linkDegraded' : 'linkAudioOnly')}
          </span>
        ) : null}
        <span>
          {link && grade
            ? `${t(GRADE_LABEL[grade])} · ${t('linkShort', { rtt: Math.round(link.rttMs), loss: link.lossPct.toFixed(1) })}`
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
