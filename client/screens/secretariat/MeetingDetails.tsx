// One meeting as the secretariat follows it: its state, times, chairing room
// and invitation number, edit and cancel while it is still ahead, the
// attendance report, its recordings, and the rooms' answers arriving live.
import { useCallback, useEffect, useState } from 'react';
import type { MeetingInvitation } from '../../../contract/rest/invitations.ts';
import type { Meeting } from '../../../contract/rest/meetings.ts';
import { type ApiClient, ROUTES } from '../../api.ts';
import { DialCode } from '../../components/DialCode.tsx';
import { PhaseBadge } from '../../components/PhaseBadge.tsx';
import { RecordingsSection } from '../../components/RecordingsSection.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';
import { useLive } from '../../lib/live.ts';
import { ddmmyyyy, hhmmOn, localDate, timeRange, weekdayName } from '../../lib/time.ts';
import { isClosed, meetingPhase } from '../../meeting/phase.ts';
import { MailDeliveries } from './MailDeliveries.tsx';

export function MeetingDetails({
  api,
  meeting,
  now,
  onEdit,
  onChanged,
}: {
  api: ApiClient;
  meeting: Meeting;
  now: number;
  onEdit: () => void;
  onChanged: () => void;
}) {
  const { t, lang } = useI18n();
  const [invitations, setInvitations] = useState<MeetingInvitation[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [cancelReason, setCancelReason] = useState('');
  const [cancelling, setCancelling] = useState(false);
  /** Bumped by every change of the meeting's rooms: new letters may be queued. */
  const [version, setVersion] = useState(0);

  const load = useCallback(() => {
    api.meetingInvitations(meeting.id).then(setInvitations, setError);
    setVersion((v) => v + 1);
  }, [api, meeting.id]);
  useEffect(load, [load]);
  useLive(['invitation:changed'], (_e, p) => {
    if (p.meetingId === meeting.id) load();
  });

  const counts = { accepted: 0, declined: 0, pending: 0 };
  for (const i of invitations ?? []) {
    if (i.status === 'accepted') counts.accepted++;
    else if (i.status === 'declined') counts.declined++;
    else counts.pending++;
  }
  const statusText = (s: string) =>
    s === 'accepted' ? t('secAccepted') : s === 'declined' ? t('secDeclined') : t('secPending');
  const phase = meetingPhase(meeting, now);
  const day = localDate(meeting.startAt);

  return (
    <aside className="card details" aria-label={meeting.title} data-testid="meeting-details">
      <h2>{meeting.title}</h2>
      <p>
        <PhaseBadge phase={phase} />
      </p>
      <p data-testid="meeting-time">
        {weekdayName(day, lang)} {ddmmyyyy(meeting.startAt)} · {timeRange(meeting.startAt, meeting.endAt)} ·{' '}
        {t('roomTechCheck', { time: hhmmOn(meeting.techCheckAt, day) })}
      </p>
      <p>
        {meeting.chairRoom.name}
        {meeting.invitationNumber && <> · {t('roomInvitationNumber', { number: meeting.invitationNumber })}</>}
      </p>
      {meeting.dialCode && (
        <p>
          <DialCode code={meeting.dialCode} />
        </p>
      )}
      {meeting.status === 'cancelled' && meeting.cancelReason && (
        <p className="muted">{t('roomCancelReason', { reason: meeting.cancelReason })}</p>
      )}
      {meeting.agenda && <p className="pre">{meeting.agenda}</p>}
      {meeting.canManage !== false && !isClosed(phase) && (
        <div className="form-actions">
          <button type="button" onClick={onEdit}>
            {t('edit')}
          </button>
          <button type="button" className="danger" onClick={() => setCancelling(!cancelling)}>
            {t('secCancelMeeting')}
          </button>
        </div>
      )}
      {cancelling && !isClosed(phase) && (
        <div className="inline-form">
          <input
            aria-label={t('secCancelReason')}
            placeholder={t('secCancelReason')}
            value={cancelReason}
            onChange={(e) => setCancelReason(e.target.value)}
          />
          <button
            type="button"
            className="danger"
            disabled={cancelReason.trim().length < 3}
            onClick={() =>
              api.cancelMeeting(meeting.id, cancelReason.trim()).then(() => {
                setCancelling(false);
                onChanged();
              }, setError)
            }
          >
            {t('secCancelMeeting')}
          </button>
        </div>
      )}
      <h3>{t('secAttendance')}</h3>
      <p className="links">
        <a href={ROUTES.attendanceCsv(meeting.id)} download>
          {t('secDownloadCsv')}
        </a>{' '}
        ·{' '}
        <a href={ROUTES.chatCsv(meeting.id)} download>
          {t('secDownloadChatCsv')}
        </a>{' '}
        ·{' '}
        <a href={ROUTES.ics(meeting.id)} download>
          {t('secDownloadIcs')}
        </a>{' '}
        ·{' '}
        <a href={ROUTES.attendanceHtml(meeting.id)} target="_blank" rel="noreferrer">
          {t('secPrintable')}
        </a>
      </p>
      {phase !== 'draft' && phase !== 'cancelled' && <RecordingsSection api={api} meetingId={meeting.id} />}
      <h3>{t('secInvitations')}</h3>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      <p data-testid="invitation-summary" aria-live="polite">
        {t('secInvitationSummary', counts)}
      </p>
      <ul className="answers">
        {(invitations ?? []).map((i) => (
          <li key={i.id} className={`answer answer--${i.status}`} data-room-id={i.roomId}>
            <span>{i.roomName}</span> <span className={`pill pill--${i.status}`}>{statusText(i.status)}</span>
            {i.note && <span className="muted"> — {i.note}</span>}
          </li>
        ))}
      </ul>
      {meeting.canManage !== false && (
        <MailDeliveries api={api} meetingId={meeting.id} version={`${version}:${meeting.updatedAt}`} />
      )}
    </aside>
  );
}
