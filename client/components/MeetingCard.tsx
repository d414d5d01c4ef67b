// One meeting in a home list (a room's invitations, the meetings a chair or a
// chairing room runs): title, date and times (naming the next day when the
// meeting crosses midnight), chairing room, invitation number, the dial code of
// room systems, technical check, its state; the actions that fit that state beside it.
import type { ReactNode } from 'react';
import type { Meeting } from '../../contract/rest/meetings.ts';
import { useI18n } from '../i18n/index.tsx';
import { ddmmyyyy, hhmmOn, localDate, timeRange } from '../lib/time.ts';
import type { MeetingPhase } from '../meeting/phase.ts';
import { DialCode } from './DialCode.tsx';
import { PhaseBadge } from './PhaseBadge.tsx';

export function MeetingCard({
  meeting: m,
  phase,
  active = false,
  badges,
  children,
  footer,
}: {
  meeting: Meeting;
  phase: MeetingPhase;
  active?: boolean;
  /** Shown after the state, e.g. the room's answer. */
  badges?: ReactNode;
  /** The actions. */
  children?: ReactNode;
  footer?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <li className={`inv ${active ? 'is-active' : ''}`} data-meeting-id={m.id}>
      <div className="inv__main">
        <strong className="inv__title">{m.title}</strong>
        <span data-testid="meeting-time">
          {ddmmyyyy(m.startAt)} · {timeRange(m.startAt, m.endAt)} · {m.chairRoom.name}
        </span>
        {m.invitationNumber && (
          <span className="muted">{t('roomInvitationNumber', { number: m.invitationNumber })}</span>
        )}
        <DialCode code={m.dialCode} />
        <span className="muted">{t('roomTechCheck', { time: hhmmOn(m.techCheckAt, localDate(m.startAt)) })}</span>
        {m.status === 'cancelled' && m.cancelReason && (
          <span className="muted">{t('roomCancelReason', { reason: m.cancelReason })}</span>
        )}
        <span className="inv__badges">
          <PhaseBadge phase={phase} />
          {badges}
        </span>
      </div>
      <div className="inv__actions">{children}</div>
      {footer}
    </li>
  );
}
