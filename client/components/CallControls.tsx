// Mic and camera toggles, raise hand, leave. The mic is locked (disabled, with
// the reason shown) while the chair has muted the site or the meeting's mode
// does not give it the floor.
import { useId } from 'react';
import { useI18n } from '../i18n/index.tsx';
import { Icon } from './Icon.tsx';

export type MicLock = null | 'chair' | 'no-floor';

export interface CallControlsProps {
  micOn: boolean;
  cameraOn: boolean;
  handRaised: boolean;
  micLock: MicLock;
  onToggleMic: () => void;
  onToggleCamera: () => void;
  onToggleHand: () => void;
  onLeave?: () => void;
  /** Hides the hand button (the chair does not raise hands). */
  hideHand?: boolean;
  disabled?: boolean;
}

export function CallControls(p: CallControlsProps) {
  const { t } = useI18n();
  const reasonId = useId();
  const locked = p.micLock !== null;
  const reason = p.micLock === 'chair' ? t('micLockedReason') : p.micLock === 'no-floor' ? t('micNoFloorReason') : '';
  return (
    <div className="call-controls" role="toolbar" aria-label={t('meetingOwnPreview')}>
      <button
        type="button"
        className={`ctl ${p.micOn && !locked ? 'ctl--on' : 'ctl--off'}`}
        aria-pressed={p.micOn && !locked}
        disabled={p.disabled || locked}
        aria-describedby={locked ? reasonId : undefined}
        onClick={p.onToggleMic}
      >
        <Icon name={locked ? 'lock' : p.micOn ? 'mic' : 'micOff'} />{' '}
        {p.micOn && !locked ? t('micTurnOff') : t('micTurnOn')}
      </button>
      <button
        type="button"
        className={`ctl ${p.cameraOn ? 'ctl--on' : 'ctl--off'}`}
        aria-pressed={p.cameraOn}
        disabled={p.disabled}
        onClick={p.onToggleCamera}
      >
        <Icon name={p.cameraOn ? 'camera' : 'cameraOff'} /> {p.cameraOn ? t('cameraTurnOff') : t('cameraTurnOn')}
      </button>
      {!p.hideHand && (
        <button
          type="button"
          className={`ctl ${p.handRaised ? 'ctl--hand' : ''}`}
          aria-pressed={p.handRaised}
          disabled={p.disabled}
          onClick={p.onToggleHand}
        >
          <Icon name="hand" /> {p.handRaised ? t('lowerHand') : t('raiseHand')}
        </button>
      )}
      {p.onLeave && (
        <button type="button" className="ctl ctl--danger" onClick={p.onLeave}>
          {t('leaveMeeting')}
        </button>
      )}
      {locked && (
        <p id={reasonId} className="call-controls__reason" role="status">
          {reason}
        </p>
      )}
    </div>
  );
}
