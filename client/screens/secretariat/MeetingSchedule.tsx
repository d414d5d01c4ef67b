// The secretariat's schedule: the meetings of a day or a week, each with its
// times (naming the other day when it crosses midnight), its state, the
// chairing room and the invitation answers so far.
import type { Meeting } from '../../../contract/rest/meetings.ts';
import { PhaseBadge } from '../../components/PhaseBadge.tsx';
import { useI18n } from '../../i18n/index.tsx';
import { ddmmyyyy, localDate, timeRange, weekdayName } from '../../lib/time.ts';
import { meetingPhase } from '../../meeting/phase.ts';

export function MeetingSchedule({
  meetings,
  days,
  selectedId,
  now,
  onSelect,
}: {
  meetings: Meeting[] | null;
  /** The local dates shown: one (day view) or seven (week view). */
  days: string[];
  selectedId: string | null;
  now: number;
  onSelect: (id: string) => void;
}) {
  const { t, lang } = useI18n();
  const week = days.length > 1;
  // A day lists what runs on it; a week lists each meeting once, on the day it starts (or the week's first).
  const onDay = (m: Meeting, d: string) => (week ? maxDate(localDate(m.startAt), days[0] ?? d) === d : true);
  return (
    <section className="agenda" aria-label={t('secTitle')}>
      {meetings === null ? (
        <p className="muted">{t('loading')}</p>
      ) : (
        days.map((d) => {
          const list = meetings.filter((m) => onDay(m, d));
          if (week && list.length === 0) return null;
          return (
            <div key={d} className="agenda__day">
              <h2>
                {weekdayName(d, lang)} {ddmmyyyy(`${d}T12:00:00+07:00`)}
              </h2>
              {list.length === 0 ? (
                <p className="muted">{t('secNoMeetings')}</p>
              ) : (
                <ul>
                  {list.map((m) => (
                    <li key={m.id} data-meeting-id={m.id}>
                      <button
                        type="button"
                        className={`agenda__item status--${m.status} ${selectedId === m.id ? 'is-selected' : ''}`}
                        onClick={() => onSelect(m.id)}
                        aria-current={selectedId === m.id}
                      >
                        <span className="agenda__when">
                          <span className="agenda__time">{timeRange(m.startAt, m.endAt, d)}</span>
                          <PhaseBadge phase={meetingPhase(m, now)} />
                        </span>
                        <span className="agenda__title">{m.title}</span>
                        <span className="muted">{m.chairRoom.name}</span>
                        {m.invitations && (
                          <span className="muted">
                            {t('secInvitationSummary', {
                              accepted: m.invitations.accepted,
                              declined: m.invitations.declined,
                              pending: m.invitations.invited,
                            })}
                          </span>
                        )}
                      </button>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          );
        })
      )}
      {meetings?.length === 0 && week && <p className="muted">{t('secNoMeetings')}</p>}
    </section>
  );
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
