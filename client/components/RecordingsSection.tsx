// A meeting's recordings, for anyone who may see the meeting: each with its
// start, length, size and state; a build's progress that moves by itself (the
// list is re-read every few seconds while something is built or recorded);
// playing in the page, downloading, and deleting for those who may.
import { useCallback, useEffect, useState } from 'react';
import type { Recording } from '../../contract/rest/recordings.ts';
import { type ApiClient, ROUTES } from '../api.ts';
import { type Translate, useI18n } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';
import { ddmmyyyy, hhmm } from '../lib/time.ts';

/** How often the list is re-read while a recording is built (its progress bar moves). */
const BUILDING_POLL_MS = 3000;
/** …and while one is being made (its length grows; a meeting may run for hours). */
const RECORDING_POLL_MS = 15_000;

function when(iso: string): string {
  return `${hhmm(iso)} ${ddmmyyyy(iso)}`;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  const hms = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60];
  return hms[0]
    ? `${hms[0]}:${String(hms[1]).padStart(2, '0')}:${String(hms[2]).padStart(2, '0')}`
    : `${hms[1]}:${String(hms[2]).padStart(2, '0')}`;
}

function size(bytes: number, lang: 'vi' | 'en'): string {
  const fmt = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 });
  return bytes >= 1024 ** 3 ? `${fmt.format(bytes / 1024 ** 3)} GB` : `${fmt.format(bytes / 1024 ** 2)} MB`;
}

function statusText(r: Recording, t: Translate): string {
  switch (r.status) {
    case 'recording':
      return t('recStatusRecording');
    case 'building':
      return t('recStatusBuilding', { percent: Math.round(r.buildProgress * 100) });
    case 'ready':
      return t('recStatusReady');
    case 'failed':
      return t('recStatusFailed', { error: r.error ?? '' });
    case 'deleted':
      return t('recStatusDeleted', {
        when: r.deletedAt ? when(r.deletedAt) : '',
        who: r.deletedBy?.name ?? t('recDeletedBySweep'),
      });
  }
}

const PILL: Record<Recording['status'], string> = {
  recording: 'pill--warn',
  building: 'pill--warn',
  ready: 'pill--ok',
  failed: 'pill--declined',
  deleted: '',
};

const STOP_WORDS = {
  chair: 'recStopChair',
  meeting_ended: 'recStopMeetingEnded',
  hub_restart: 'recStopHubRestart',
  recorder_died: 'recStopRecorderDied',
  disk_full: 'recStopDiskFull',
} as const;

function stopText(r: Recording, t: Translate): string | null {
  if (!r.stopReason || !(r.stopReason in STOP_WORDS)) return null;
  return t(STOP_WORDS[r.stopReason as keyof typeof STOP_WORDS]);
}

function RecordingItem({ r, api, onChanged }: { r: Recording; api: ApiClient; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const [playing, setPlaying] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const stop = stopText(r, t);
  const interrupted =
    r.stopReason === 'hub_restart' || r.stopReason === 'recorder_died' || r.stopReason === 'disk_full';
  const remove = () =>
    api.deleteRecording(r.id).then(() => {
      setConfirming(false);
      onChanged();
    }, setError);
  return (
    <li className={`recording recording--${r.status}`} data-recording-id={r.id} data-status={r.status}>
      <p>
        <strong>{t('recStarted', { when: when(r.startedAt) })}</strong>{' '}
        <span className="muted">
          {r.startedBy ? t('recStartedBy', { name: r.startedBy.name }) : t('recStartedAuto')}
          {r.durationMs !== null && <> · {t('recDuration', { duration: duration(r.durationMs) })}</>}
          {r.sizeBytes !== null && <> · {size(r.sizeBytes, lang)}</>}
        </span>
      </p>
      <p>
        <span className={`pill ${PILL[r.status]}`}>{statusText(r, t)}</span>
        {stop && r.status !== 'deleted' && (
          <span className={interrupted ? 'recording__interrupted' : 'muted'}> {stop}</span>
        )}
      </p>
      {r.status === 'building' && (
        <progress className="recording__progress" max={1} value={r.buildProgress} aria-label={statusText(r, t)} />
      )}
      {r.status === 'ready' && (
        <p className="form-actions">
          <button type="button" onClick={() => setPlaying(!playing)}>
            {playing ? t('recClosePlayer') : t('recPlay')}
          </button>
          <a className="button" href={ROUTES.recordingFile(r.id)} download>
            {t('recDownload')}
          </a>
          {r.canDelete && !confirming && (
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              {t('recDelete')}
            </button>
          )}
        </p>
      )}
      {confirming && (
        <p className="inline-form">
          <span role="alert">{t('recDeleteConfirm')}</span>
          <button type="button" className="danger" onClick={remove}>
            {t('recDeleteYes')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('cancel')}
          </button>
        </p>
      )}
      {r.status === 'failed' && r.canDelete && !confirming && (
        <p className="form-actions">
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {t('recDelete')}
          </button>
        </p>
      )}
      {playing && r.status === 'ready' && (
        // biome-ignore lint/a11y/useMediaCaption: a meeting's recording has no caption track to offer
        <video
          className="recording__player"
          controls
          preload="metadata"
          src={ROUTES.recordingFile(r.id, true)}
          aria-label={t('recPlayerLabel', { when: when(r.startedAt) })}
        />
      )}
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
    </li>
  );
}

export function RecordingsSection({ api, meetingId }: { api: ApiClient; meetingId: string }) {
  const { t, lang } = useI18n();
  const [recordings, setRecordings] = useState<Recording[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api.recordings(meetingId).then((list) => {
      setRecordings(list);
      setError(null);
    }, setError);
  }, [api, meetingId]);
  useEffect(load, [load]);
  const pollMs = recordings?.some((r) => r.status === 'building')
    ? BUILDING_POLL_MS
    : recordings?.some((r) => r.status === 'recording')
      ? RECORDING_POLL_MS
      : null;
  useEffect(() => {
    if (pollMs === null) return;
    const timer = setInterval(load, pollMs);
    return () => clearInterval(timer);
  }, [pollMs, load]);

  return (
    <section className="recordings" aria-label={t('recTitle')} data-testid="recordings">
      <h3>{t('recTitle')}</h3>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      {recordings?.length === 0 && <p className="muted">{t('recNone')}</p>}
      <ul className="recordings__list">
        {(recordings ?? []).map((r) => (
          <RecordingItem key={r.id} r={r} api={api} onChanged={load} />
        ))}
      </ul>
    </section>
  );
}

/** In a list of meetings: the recordings behind a button, read only when asked for. */
export function RecordingsDisclosure({ api, meetingId }: { api: ApiClient; meetingId: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <div className="recordings-disclosure">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? t('recHide') : t('recShow')}
      </button>
      {open && <RecordingsSection api={api} meetingId={meetingId} />}
    </div>
  );
}
