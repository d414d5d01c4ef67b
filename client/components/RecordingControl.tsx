// The chair's start and stop of the meeting's recording (stopping asks first).
import type { LiveRecording } from '../../contract/liveRecording.ts';
import { useI18n } from '../i18n/index.tsx';

export function RecordingControl({
  recording,
  disabled,
  onStart,
  onStop,
}: {
  recording: LiveRecording | null | undefined;
  disabled: boolean;
  onStart: () => void;
  onStop: () => void;
}) {
  const { t } = useI18n();
  if (!recording) {
    return (
      <button type="button" onClick={onStart} disabled={disabled} data-testid="recording-start">
        <span className="recording-dot" aria-hidden="true" /> {t('recordingStart')}
      </button>
    );
  }
  return (
    <button
      type="button"
      className="danger"
      data-testid="recording-stop"
      disabled={disabled}
      onClick={() => {
        if (window.confirm(t('recordingStopConfirm'))) onStop();
      }}
    >
      {t('recordingStop')}
    </button>
  );
}
