// biome-ignore-all lint/a11y/useSemanticElements: a virtualised list of absolutely positioned rows cannot be a <table>; ARIA table roles describe it instead
// biome-ignore-all lint/a11y/useFocusableInteractive: rows and cells are not interactive; their buttons and selects are
// The chair's board: every invited site (300+), with a summary strip whose
// counts are one-click filters (SummaryStrip.tsx), a text filter over site and
// unit names, and two orders: by the unit tree (any depth, counts per group,
// collapse / expand all, the current group kept in a sticky header) or
// problems first (one list, the sites that need the chair on top). A unit
// overview (UnitOverview.tsx) shows one tile per unit of a level; a click
// narrows the board to it. Connection and roll-call are counted apart: a site
// not yet joined is not "absent". Rows have a fixed height (normal, or compact
// for ~25 rows on a laptop) and only those in view are rendered (virtualised).
// The rows themselves are in boardRows.ts and BoardSiteRow.tsx.
import { type CSSProperties, memo, type ReactNode, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { AttendanceMark } from '../../contract/enums.ts';
import type { Unit } from '../api.ts';
import { type Translate, useI18n } from '../i18n/index.tsx';
import { countSites, type SiteStatus } from '../meeting/MeetingStore.ts';
import {
  countFilters,
  matchesFilter,
  problemRank,
  type SiteFilter,
  textMatcher,
  unitTrails,
} from '../meeting/siteFilters.ts';
import { SiteRow } from './BoardSiteRow.tsx';
import { type BoardRow, boardRows, problemRows } from './boardRows.ts';
import { FILTER_LABEL, SummaryStrip } from './SummaryStrip.tsx';
import { UnitOverview } from './UnitOverview.tsx';

export const ROW_HEIGHT = 48;
export const COMPACT_ROW_HEIGHT = 28;
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
  /** The chair's own connection is down: the figures are those from before. */
  stale?: boolean;
}

type Order = 'tree' | 'problems';

export function StatusBoard({
  units,
  sites,
  height,
  onMark,
  renderActions,
  selectedId,
  onSelect,
  stale = false,
}: StatusBoardProps) {
  const { t } = useI18n();
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState<SiteFilter | null>(null);
  const [order, setOrder] = useState<Order>('tree');
  const [compact, setCompact] = useState(false);
  const [overview, setOverview] = useState(false);
  const [scope, setScope] = useState<Unit | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [measured, setMeasured] = useState(0);
  const viewport = useRef<HTMLDivElement>(null);
  const filterId = useId();
  const rowHeight = compact ? COMPACT_ROW_HEIGHT : ROW_HEIGHT;

  useEffect(() => {
    const el = viewport.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setMeasured(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const trails = useMemo(() => unitTrails(units), [units]);
  const match = useMemo(() => {
    const text = textMatcher(trails, filter);
    return (s: SiteStatus) =>
      (!status || matchesFilter(s, status)) &&
      (!scope || (trails.get(s.unitId)?.includes(scope) ?? false)) &&
      (!text || text(s));
  }, [trails, filter, status, scope]);
  const rows = useMemo(
    () =>
      order === 'problems' ? problemRows(sites, match, problemRank, trails) : boardRows(units, sites, collapsed, match),
    [order, units, sites, collapsed, match, trails],
  );
  const totals = useMemo(() => countSites(sites), [sites]);
  const counts = useMemo(() => countFilters(sites), [sites]);

  // A new filter or order shows its results from the top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the dependencies are what resets the scroll
  useEffect(() => {
    if (viewport.current) viewport.current.scrollTop = 0;
    setScrollTop(0);
  }, [filter, status, order, scope]);

  const viewHeight = measured > 0 ? measured : (height ?? DEFAULT_HEIGHT);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + viewHeight) / rowHeight) + OVERSCAN);
  const visible = rows.slice(first, last);
  // The group the top row belongs to stays named above the rows (tree order).
  const top = order === 'tree' ? rows[Math.floor(scrollTop / rowHeight)] : undefined;
  const sticky = top && top.trail.length > 0 && scrollTop > 0 ? top.trail.map((u) => u.name).join(' › ') : null;

  const toggle = (id: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const openUnit = (unit: Unit) => {
    setScope(unit);
    setOverview(false);
    setCollapsed(new Set());
  };

  return (
    <section
      className={`board${height === undefined ? ' board--fill' : ''}${compact ? ' board--compact' : ''}`}
      aria-label={t('boardTitle')}
    >
      <SummaryStrip
        counts={counts}
        totals={totals}
        active={status}
        onToggle={(f) => setStatus((prev) => (prev === f ? null : f))}
        stale={stale}
      />
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
          {t('boardOrder')}{' '}
          <select value={order} onChange={(e) => setOrder(e.target.value as Order)}>
            <option value="tree">{t('boardOrderTree')}</option>
            <option value="problems">{t('boardOrderProblems')}</option>
          </select>
        </label>
        <button type="button" onClick={() => setCollapsed(new Set(units.map((u) => u.id)))}>
          {t('boardCollapseAll')}
        </button>
        <button type="button" onClick={() => setCollapsed(new Set())}>
          {t('boardExpandAll')}
        </button>
        <label>
          <input type="checkbox" checked={compact} onChange={(e) => setCompact(e.target.checked)} /> {t('boardCompact')}
        </label>
        <button type="button" aria-pressed={overview} onClick={() => setOverview(!overview)}>
          {t('boardViewUnits')}
        </button>
        {status && (
          <Chip onClear={() => setStatus(null)} t={t}>
            {t('boardShowing', { filter: t(FILTER_LABEL[status]) })}
          </Chip>
        )}
        {scope && (
          <Chip onClear={() => setScope(null)} t={t}>
            {t('boardUnitScope', { name: scope.name })}
          </Chip>
        )}
      </div>
      {overview ? (
        <UnitOverview units={units} sites={sites} trails={trails} onOpen={openUnit} />
      ) : (
        <>
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
          {sticky && (
            <div className="board__sticky" data-testid="board-sticky">
              {sticky}
            </div>
          )}
          {rows.length === 0 && sites.length > 0 && (
            <p className="board__empty" role="status">
              {t('boardNoMatch')}
            </p>
          )}
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
            <div style={{ height: rows.length * rowHeight, position: 'relative' }} role="rowgroup">
              {visible.map((row, i) => {
                const index = first + i;
                const style = { top: index * rowHeight, height: rowHeight };
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
                    trail={order === 'problems' ? row.trail.map((u) => u.name).join(' › ') : null}
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
        </>
      )}
    </section>
  );
}

function Chip({ children, onClear, t }: { children: ReactNode; onClear: () => void; t: Translate }) {
  return (
    <span className="chip">
      {children}{' '}
      <button type="button" className="icon" aria-label={t('boardClearFilter')} onClick={onClear}>
        ✕
      </button>
    </span>
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
