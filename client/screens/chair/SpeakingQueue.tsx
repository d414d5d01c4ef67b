// The speaking queue: who holds the floor and for how long, then the raised
// hands in the order they went up (the hub's clock), "give floor to next"
// (the first hand; the hub takes the floor from the current speaker). Kept
// short enough to read without scrolling: one line a site.
import { useMemo } from 'react';
import { Icon } from '../../components/Icon.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { hhmm } from '../../lib/time.ts';
import { useNow } from '../../lib/useNow.ts';
import type { SiteStatus } from '../../meeting/MeetingStore.ts';

/** m:ss, or h:mm:ss past an hour. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The raised hands of the sites in the meeting, first raised first. */
export function queueOrder(sites: readonly SiteStatus[]): SiteStatus[] {
  return sites
    .filter((s) => !s.isChair && s.handRaised && (s.state === 'online' || s.state === 'connecting'))
    .sort((a, b) => (a.handRaisedAt ?? '').localeCompare(b.handRaisedAt ?? '') || a.name.localeCompare(b.name, 'vi'));
}

export function SpeakingQueue({
  sites,
  disabled,
  onNext,
  onFloor,
}: {
  sites: readonly SiteStatus[];
  disabled: boolean;
  onNext: () => void;
  onFloor: (siteId: string, granted: boolean) => void;
}) {
  const { t } = useI18n();
  const now = useNow(1000);
  const holders = useMemo(() => sites.filter((s) => s.hasFloor && !s.isChair), [sites]);
  const queue = useMemo(() => queueOrder(sites), [sites]);
  return (
    <section className="queue" aria-label={t('queueTitle')} data-testid="speaking-queue">
      <div className="queue__bar">
        <h2>{t('queueTitle')}</h2>
        <button type="button" onClick={onNext} disabled={disabled || queue.length === 0}>
          {t('queueNext')}
        </button>
      </div>
      {holders.length === 0 ? (
        <p className="muted">{t('queueNobodySpeaking')}</p>
      ) : (
        <ul className="queue__list" aria-label={t('queueSpeaking')}>
          {holders.map((s) => (
            <li key={s.id} className="queue__holder" data-site-id={s.id}>
              <Icon name="floor" />
              <span className="queue__name" title={s.name}>
                {s.name}
              </span>
              <span className="queue__time" data-testid="floor-time">
                {s.floorSince ? t('queueFloorTime', { time: formatDuration(now - Date.parse(s.floorSince)) }) : ''}
              </span>
              <button
                type="button"
                className="icon"
                title={t('chairTakeFloor')}
                aria-label={`${t('chairTakeFloor')}: ${s.name}`}
                onClick={() => onFloor(s.id, false)}
                disabled={disabled}
              >
                <Icon name="close" />
              </button>
            </li>
          ))}
        </ul>
      )}
      {queue.length === 0 ? (
        <p className="muted">{t('queueEmpty')}</p>
      ) : (
        <ol className="queue__list queue__hands" aria-label={t('boardHands')}>
          {queue.map((s) => (
            <li key={s.id} data-site-id={s.id}>
              <span className="queue__name" title={s.name}>
                {s.name}
              </span>
              <span className="queue__time">
                {s.handRaisedAt ? t('queueWaiting', { time: hhmm(s.handRaisedAt) }) : ''}
              </span>
              <button
                type="button"
                className="icon"
                title={t('chairGiveFloor')}
                aria-label={`${t('chairGiveFloor')}: ${s.name}`}
                onClick={() => onFloor(s.id, true)}
                disabled={disabled}
              >
                <Icon name="floor" />
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
