// One invitation of the room: the meeting, its state, the room's answer, and
// what the room can still do — accept, decline (with a reason), check its
// devices — while the meeting is neither over nor cancelled; once it is over,
// its recordings.
import { useState } from 'react';
import type { RoomInvitation } from '../../../contract/rest/invitations.ts';
import type { ApiClient } from '../../api.ts';
import { MeetingCard } from '../../components/MeetingCard.tsx';
import { RecordingsDisclosure } from '../../components/RecordingsSection.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';
import { hhmmOn, localDate } from '../../lib/time.ts';
import { isClosed, meetingPhase } from '../../meeting/phase.ts';

export function InvitationCard({
  inv,
  api,
  roomId,
  now,
  onChanged,
  onCheck,
  active,
}: {
  inv: RoomInvitation;
  api: ApiClient;
  roomId: string;
  now: number;
  onChanged: () => void;
  onCheck: () => void;
  active: boolean;
}) {
  const { t, lang } = useI18n();
  const [note, setNote] = useState('');
  const [declining, setDeclining] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const m = inv.meeting;
  const phase = meetingPhase(m, now);
  const answer = async (status: 'accepted' | 'declined') => {
    try {
      await api.respond(m.id, roomId, status, status === 'declined' ? note : undefined);
      setDeclining(false);
      setError(null);
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  const statusLabel =
    inv.status === 'accepted'
      ? t('roomStatusAccepted')
      : inv.status === 'declined'
        ? t('roomStatusDeclined')
        : t('roomStatusInvited');
  return (
    <MeetingCard
      meeting={m}
      phase={phase}
      active={active}
      badges={<span className={`pill pill--${inv.status}`}>{statusLabel}</span>}
      footer={
        <>
          {error !== null && (
            <p className="error" role="alert">
              {errorText(error, lang)}
            </p>
          )}
          {phase === 'ended' && <RecordingsDisclosure api={api} meetingId={m.id} />}
        </>
      }
    >
      {!isClosed(phase) && (
        <>
          {inv.status !== 'accepted' && (
            <button type="button" onClick={() => answer('accepted')}>
              {t('roomAccept')}
            </button>
          )}
          {inv.status !== 'declined' &&
            (declining ? (
              <span className="inline-form">
                <input
                  aria-label={t('markReason')}
                  placeholder={t('markReason')}
                  value={note}
                  onChange={(e) => setNote(e.target.value)}
                />
                <button type="button" onClick={() => answer('declined')} disabled={!note.trim()}>
                  {t('roomDecline')}
                </button>
              </span>
            ) : (
              <button type="button" onClick={() => setDeclining(true)}>
                {t('roomDecline')}
              </button>
            ))}
          <button type="button" className="primary" onClick={onCheck}>
            {t('roomCheck')}
          </button>
          {phase === 'scheduled' && (
            <span className="muted">
              {t('roomJoinFrom', { time: hhmmOn(m.techCheckAt, localDate(new Date(now))) })}
            </span>
          )}
        </>
      )}
    </MeetingCard>
  );
}
