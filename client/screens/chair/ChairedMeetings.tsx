// The meetings a chair (or a chairing room's technician) runs today, each with
// its state and, while it is neither over nor cancelled, the way into the
// console; once over, its recordings.
import type { Meeting } from '../../../contract/rest/meetings.ts';
import type { ApiClient } from '../../api.ts';
import { MeetingCard } from '../../components/MeetingCard.tsx';
import { RecordingsDisclosure } from '../../components/RecordingsSection.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { isClosed, meetingPhase } from '../../meeting/phase.ts';

export function ChairedMeetings({
  api,
  meetings,
  now,
  activeId,
  onOpen,
}: {
  api: ApiClient;
  meetings: Meeting[];
  now: number;
  activeId: string | null;
  onOpen: (m: Meeting) => void;
}) {
  const { t } = useI18n();
  return (
    <ul className="inv-list">
      {meetings.map((m) => {
        const phase = meetingPhase(m, now);
        return (
          <MeetingCard
            key={m.id}
            meeting={m}
            phase={phase}
            active={activeId === m.id}
            footer={phase === 'ended' && <RecordingsDisclosure api={api} meetingId={m.id} />}
          >
            {!isClosed(phase) && (
              <button type="button" className="primary" onClick={() => onOpen(m)}>
                {t('chairOpen')}
              </button>
            )}
          </MeetingCard>
        );
      })}
    </ul>
  );
}
