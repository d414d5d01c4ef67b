// The board's summary strip: a count for every state a chair acts on (online,
// reconnecting, not joined, left, muted, hands, poor link, no video, no
// sound), each a one-click filter of the board, and the roll-call apart. While
// the chair's own connection is down its figures are greyed: they stop at the
// moment it dropped.
import type { ReactNode } from 'react';
import { type MessageKey, useI18n } from '../i18n/index.tsx';
import type { SiteCounts } from '../meeting/MeetingStore.ts';
import { type FilterCounts, SITE_FILTERS, type SiteFilter } from '../meeting/siteFilters.ts';

export const FILTER_LABEL: Record<SiteFilter, MessageKey> = {
  online: 'filterOnline',
  reconnecting: 'filterReconnecting',
  not_joined: 'filterNotJoined',
  left: 'filterLeft',
  muted: 'filterMuted',
  hands: 'filterHands',
  poor_link: 'filterPoorLink',
  no_video: 'filterNoVideo',
  no_sound: 'filterNoSound',
};

/** States that call for the chair when any site is in them: their count stands out. */
const HOT: ReadonlySet<SiteFilter> = new Set(['reconnecting', 'hands', 'poor_link', 'no_video', 'no_sound']);

export function SummaryStrip({
  counts,
  totals,
  active,
  onToggle,
  stale,
}: {
  counts: FilterCounts;
  totals: SiteCounts;
  active: SiteFilter | null;
  onToggle: (filter: SiteFilter) => void;
  stale: boolean;
}) {
  const { t } = useI18n();
  return (
    <div
      className={`board__summary${stale ? ' is-stale' : ''}`}
      data-testid="board-counts"
      title={stale ? t('boardStale') : undefined}
    >
      <Count label={t('boardInvited')} value={totals.invited} id="invited" />
      {/* biome-ignore lint/a11y/useSemanticElements: a row of counts, not a form: a fieldset's frame and legend do not fit */}
      <div className="count-group" role="group" aria-label={t('boardStrip')}>
        {SITE_FILTERS.map((f) => (
          <button
            type="button"
            key={f}
            className={`count count--filter${HOT.has(f) && counts[f] > 0 ? ' count--hot' : ''}`}
            aria-pressed={active === f}
            data-testid={`count-${f.replace('_', '-')}`}
            onClick={() => onToggle(f)}
          >
            <span className="count__value">{counts[f]}</span> <span className="count__label">{t(FILTER_LABEL[f])}</span>
          </button>
        ))}
      </div>
      <CountGroup label={t('boardRollCall')}>
        <Count label={t('boardPresent')} value={totals.present} id="present" />
        <Count label={t('boardMarkedAbsent')} value={totals.absent} id="absent" />
        <Count label={t('boardUnmarked')} value={totals.unmarked} id="unmarked" />
      </CountGroup>
    </div>
  );
}

function Count({ label, value, id }: { label: string; value: number; id: string }) {
  return (
    <div className="count" data-testid={`count-${id}`}>
      <span className="count__value">{value}</span> <span className="count__label">{label}</span>
    </div>
  );
}

function CountGroup({ label, children }: { label: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a row of counts, not a form: a fieldset's frame and legend do not fit
    <div className="count-group" role="group" aria-label={label}>
      <span className="count-group__label" aria-hidden="true">
        {label}
      </span>
      {children}
    </div>
  );
}
