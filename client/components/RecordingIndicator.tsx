// "Đang ghi hình" with a red dot and the time since the recording started, on
// every page of a meeting while it is recorded (MeetingState.recording); a site
// that joins later sees it from its first meeting state.
import { useEffect, useState } from 'react';
import type { LiveRecording } from '../../contract/liveRecording.ts';
import { useI18n } from '../i18n/index.tsx';

function elapsed(since: string, now: number): string {
  const total = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  const [h, m, s] = [Math.floor(total / 3600), Math.floor(total / 60) % 60, total % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

export function RecordingIndicator({ recording }: { recording: LiveRecording | null | undefined }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!recording) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [recording]);
  if (!recording) return null;
  return (
    <span className="pill pill--recording" role="status" data-testid="recording-indicator">
      <span className="recording-dot" aria-hidden="true" />
      {t('recordingOn')} <time>{elapsed(recording.startedAt, now)}</time>
    </span>
  );
}
