// The chair's alarm list: every site in the meeting with an alarm on, as the
// hub measures it (loss, jitter, low video bitrate; a floor holder silent or
// without video), with the time each started; the oldest first. An alarm
// leaves the list when the hub sees the site recover. A click selects the
// site on the board and the mosaic.
import { useMemo } from 'react';
import type { AlarmKind, SiteAlarm } from '../../../contract/signaling.ts';
import { type MessageKey, useI18n } from '../../i18n/index.tsx';
import { hhmmss } from '../../lib/time.ts';
import type { SiteStatus } from '../../meeting/MeetingStore.ts';

const ALARM_LABEL: Record<AlarmKind, MessageKey> = {
  loss: 'alarmLoss',
  jitter: 'alarmJitter',
  bitrate: 'alarmBitrate',
  floorSilent: 'alarmFloorSilent',
  floorNoVideo: 'alarmFloorNoVideo',
};

const firstSince = (s: SiteStatus) => s.alarms.reduce((min, a) => (a.since < min ? a.since : min), '9');

export function AlarmList({ sites, onSelect }: { sites: readonly SiteStatus[]; onSelect: (siteId: string) => void }) {
  const { t } = useI18n();
  const alarmed = useMemo(
    () =>
      sites
        .filter((s) => s.alarms.length > 0 && (s.state === 'online' || s.state === 'connecting'))
        .sort((a, b) => firstSince(a).localeCompare(firstSince(b))),
    [sites],
  );
  const text = (a: SiteAlarm) => t(ALARM_LABEL[a.kind], { value: a.value ?? '' });
  return (
    <section className="alarms" aria-label={t('alarmsTitle')} data-testid="alarm-list">
      <h2>
        {t('alarmsTitle')} {alarmed.length > 0 && <span className="badge badge--warn">{alarmed.length}</span>}
      </h2>
      {alarmed.length === 0 ? (
        <p className="muted">{t('alarmsNone')}</p>
      ) : (
        <ul className="alarms__list">
          {alarmed.map((s) => (
            <li key={s.id} data-site-id={s.id}>
              <button type="button" className="link-button alarms__site" title={s.name} onClick={() => onSelect(s.id)}>
                {s.name}
              </button>
              {s.alarms.map((a) => (
                <span key={a.kind} className="alarms__item" data-kind={a.kind}>
                  {text(a)} · {t('alarmSince', { time: hhmmss(a.since) })}
                </span>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
