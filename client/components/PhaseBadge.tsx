// A meeting's state as a badge: booked, technical check, in session, ended, cancelled.
import { useI18n } from '../i18n/index.tsx';
import { type MeetingPhase, PHASE_LABEL } from '../meeting/phase.ts';

export function PhaseBadge({ phase }: { phase: MeetingPhase }) {
  const { t } = useI18n();
  return (
    <span className={`phase phase--${phase}`} data-testid="meeting-phase" data-phase={phase}>
      {t(PHASE_LABEL[phase])}
    </span>
  );
}
