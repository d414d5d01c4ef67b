// What the chair does to one site from its row on the board: mute, give the
// floor, put it on the main stage, in or out of the grid, remove it.
import { MAX_GRID_SITES } from '../../../contract/layout.ts';
import { Icon } from '../../components/Icon.tsx';
import { type MessageKey, useI18n } from '../../i18n/index.tsx';
import type { MeetingConnection } from '../../media/MeetingConnection.ts';
import { gridToggled } from '../../meeting/gridPicks.ts';
import type { SiteStatus } from '../../meeting/MeetingStore.ts';

export function SiteActions({
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
