// The chair's mosaic of the sites' pictures, paged: only the tiles of the
// current page exist, so only their thumbnails are consumed. The chair picks
// the page size, up to the receive plan's largest (contract/receivePlan.ts);
// this browser remembers it.
import { useMemo, useState } from 'react';
import {
  DEFAULT_MOSAIC_PAGE_SIZE,
  MOSAIC_PAGE_SIZES,
  type MosaicPageSize,
  mosaicPage,
} from '../../../contract/receivePlan.ts';
import { Icon } from '../../components/Icon.tsx';
import { VideoTile } from '../../components/VideoTile.tsx';
import { useI18n } from '../../i18n/index.tsx';
import type { MeetingConnection } from '../../media/MeetingConnection.ts';
import type { SiteStatus } from '../../meeting/MeetingStore.ts';

const PAGE_SIZE_KEY = 'diemcau.mosaicPageSize';

function storedPageSize(): MosaicPageSize {
  const stored = Number(globalThis.localStorage?.getItem(PAGE_SIZE_KEY));
  return MOSAIC_PAGE_SIZES.find((n) => n === stored) ?? DEFAULT_MOSAIC_PAGE_SIZE;
}

export function Mosaic({
  conn,
  sites,
  producers,
  selected,
  onSelect,
}: {
  conn: MeetingConnection;
  sites: SiteStatus[];
  producers: ReadonlyMap<string, { peerId: string; source: string }>;
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  const { t } = useI18n();
  const [page, setPage] = useState(0);
  const [pageSize, setPageSize] = useState<MosaicPageSize>(storedPageSize);
  const withVideo = useMemo(() => {
    const ids = new Set<string>();
    for (const p of producers.values()) if (p.source === 'camera') ids.add(p.peerId);
    return sites.filter((s) => !s.isChair && ids.has(s.id) && s.state === 'online');
  }, [sites, producers]);
  // The same paging as the load bench's chair bot (contract/receivePlan.ts).
  const { shown, pages } = mosaicPage(withVideo, page, pageSize);
  const current = Math.min(page, pages - 1);
  return (
    <section className="mosaic" aria-label={t('chairMosaic')} data-testid="mosaic">
      <div className="mosaic__bar">
        <h2>{t('chairMosaic')}</h2>
        <label className="mosaic__size">
          {t('mosaicPageSize')}{' '}
          <select
            value={pageSize}
            onChange={(e) => {
              const size = Number(e.target.value) as MosaicPageSize;
              setPageSize(size);
              setPage(0);
              globalThis.localStorage?.setItem(PAGE_SIZE_KEY, String(size));
            }}
          >
            {MOSAIC_PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <span className="mosaic__pager">
          <button type="button" onClick={() => setPage(current - 1)} disabled={current === 0}>
            {t('chairPrevPage')}
          </button>
          <span>{t('chairMosaicPage', { page: current + 1, pages })}</span>
          <button type="button" onClick={() => setPage(current + 1)} disabled={current >= pages - 1}>
            {t('chairNextPage')}
          </button>
        </span>
      </div>
      <div className={`mosaic__grid mosaic__grid--${pageSize > 12 ? 'dense' : 'normal'}`}>
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
