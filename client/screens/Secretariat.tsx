// The secretariat (văn phòng, thư ký): meetings by day or week with their
// state, booking and editing, the invitation answers arriving live, the
// attendance report downloads. Cancelled meetings stay listed, marked so.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Meeting } from '../../contract/rest/meetings.ts';
import type { ApiClient, UnitTree, User } from '../api.ts';
import { useI18n } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';
import { useLive } from '../lib/live.ts';
import { addDays, ddmmyyyy, localDate, mondayOf } from '../lib/time.ts';
import { useNow } from '../lib/useNow.ts';
import { MeetingDetails } from './secretariat/MeetingDetails.tsx';
import { MeetingForm } from './secretariat/MeetingForm.tsx';
import { MeetingSchedule } from './secretariat/MeetingSchedule.tsx';

type Span = 'day' | 'week';

export function Secretariat({ api, user }: { api: ApiClient; user: User }) {
  const { t, lang } = useI18n();
  const now = useNow();
  const [span, setSpan] = useState<Span>('week');
  const [date, setDate] = useState(localDate());
  const [meetings, setMeetings] = useState<Meeting[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<Meeting | 'new' | null>(null);
  const [tree, setTree] = useState<UnitTree | null>(null);

  const load = useCallback(async () => {
    try {
      setMeetings(await api.meetings(date, span, { includeCancelled: 'true' }));
      setError(null);
    } catch (err) {
      setError(err);
    }
  }, [api, date, span]);

  useEffect(() => {
    void load();
  }, [load]);

  useEffect(() => {
    api.unitTree().then(setTree, setError);
  }, [api]);

  useLive(['meeting:created', 'meeting:updated', 'meeting:cancelled', 'meeting:status', 'invitation:changed'], () => {
    void load();
  });

  const days = useMemo(() => {
    if (span === 'day') return [date];
    const monday = mondayOf(date);
    return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  }, [date, span]);

  const selected = meetings?.find((m) => m.id === selectedId) ?? null;
  const dayText = (d: string | undefined) => ddmmyyyy(`${d}T12:00:00+07:00`);

  return (
    <div className="secretariat">
      <div className="toolbar">
        <h1>{t('secTitle')}</h1>
        <div className="segmented">
          <button type="button" aria-pressed={span === 'day'} onClick={() => setSpan('day')}>
            {t('secDay')}
          </button>
          <button type="button" aria-pressed={span === 'week'} onClick={() => setSpan('week')}>
            {t('secWeek')}
          </button>
        </div>
        <button type="button" onClick={() => setDate(addDays(date, span === 'day' ? -1 : -7))}>
          ‹ {t('secPrev')}
        </button>
        <button type="button" onClick={() => setDate(localDate())}>
          {t('secToday')}
        </button>
        <button type="button" onClick={() => setDate(addDays(date, span === 'day' ? 1 : 7))}>
          {t('secNext')} ›
        </button>
        <span className="muted">{span === 'day' ? dayText(date) : `${dayText(days[0])} – ${dayText(days[6])}`}</span>
        <button type="button" className="primary" onClick={() => setEditing('new')}>
          + {t('secNewMeeting')}
        </button>
      </div>
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      {editing && tree && (
        <MeetingForm
          api={api}
          tree={tree}
          user={user}
          meeting={editing === 'new' ? null : editing}
          defaultDate={date}
          onDone={(m) => {
            setEditing(null);
            if (m) {
              setSelectedId(m.id);
              setDate(localDate(m.startAt));
            }
            void load();
          }}
        />
      )}
      <div className="secretariat__body">
        <MeetingSchedule meetings={meetings} days={days} selectedId={selectedId} now={now} onSelect={setSelectedId} />
        {selected && (
          <MeetingDetails
            key={selected.id}
            api={api}
            meeting={selected}
            now={now}
            onEdit={() => setEditing(selected)}
            onChanged={() => void load()}
          />
        )}
      </div>
    </div>
  );
}
