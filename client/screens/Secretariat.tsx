// The secretariat (văn phòng, thư ký): meetings by day or week, booking and
// editing with the unit-tree picker, conflict warnings with an explicit
// override, invitation answers arriving live, attendance report downloads.
import { type FormEvent, useCallback, useEffect, useMemo, useState } from 'react';
import type { MeetingMode } from '../../contract/enums.ts';
import type { MeetingInvitation } from '../../contract/rest/invitations.ts';
import type { Conflict, Meeting, MeetingInput } from '../../contract/rest/meetings.ts';
import { type ApiClient, ApiError, ROUTES, type UnitTree, type User } from '../api.ts';
import { UnitTreePicker } from '../components/UnitTreePicker.tsx';
import { type MessageKey, useI18n } from '../i18n/index.tsx';
import { errorText } from '../lib/errors.ts';
import { useLive } from '../lib/live.ts';
import { addDays, ddmmyyyy, hhmm, localDate, mondayOf, toIso, weekdayName } from '../lib/time.ts';

type Span = 'day' | 'week';

export function Secretariat({ api, user }: { api: ApiClient; user: User }) {
  const { t, lang } = useI18n();
  const [span, setSpan] = useState<Span>('week');
  const [date, setDate] = useState(localDate());
  const [meetings, setMeetings] = useState<Meeting[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [editing, setEditing] = useState<Meeting | 'new' | null>(null);
  const [tree, setTree] = useState<UnitTree | null>(null);

  const load = useCallback(async () => {
    try {
      setMeetings(await api.meetings(date, span));
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
        <span className="muted">
          {span === 'day'
            ? ddmmyyyy(`${date}T12:00:00+07:00`)
            : `${ddmmyyyy(`${days[0]}T12:00:00+07:00`)} – ${ddmmyyyy(`${days[6]}T12:00:00+07:00`)}`}
        </span>
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
        <section className="agenda" aria-label={t('secTitle')}>
          {meetings === null ? (
            <p className="muted">{t('loading')}</p>
          ) : (
            days.map((d) => {
              const list = meetings.filter((m) => localDate(m.startAt) === d);
              if (span === 'week' && list.length === 0) return null;
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
                        <li key={m.id}>
                          <button
                            type="button"
                            className={`agenda__item status--${m.status} ${selectedId === m.id ? 'is-selected' : ''}`}
                            onClick={() => setSelectedId(m.id)}
                            aria-current={selectedId === m.id}
                          >
                            <span className="agenda__time">
                              {hhmm(m.startAt)}–{hhmm(m.endAt)}
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
          {meetings?.length === 0 && span === 'week' && <p className="muted">{t('secNoMeetings')}</p>}
        </section>
        {selected && (
          <MeetingDetails
            api={api}
            meeting={selected}
            onEdit={() => setEditing(selected)}
            onChanged={() => void load()}
          />
        )}
      </div>
    </div>
  );
}

const MODES: { value: MeetingMode; label: MessageKey }[] = [
  { value: 'conference', label: 'modeConference' },
  { value: 'briefing', label: 'modeBriefing' },
  { value: 'discussion', label: 'modeDiscussion' },
];

function MeetingForm({
  api,
  tree,
  user,
  meeting,
  defaultDate,
  onDone,
}: {
  api: ApiClient;
  tree: UnitTree;
  user: User;
  meeting: Meeting | null;
  defaultDate: string;
  onDone: (m: Meeting | null) => void;
}) {
  const { t, lang } = useI18n();
  const [title, setTitle] = useState(meeting?.title ?? '');
  const [agenda, setAgenda] = useState(meeting?.agenda ?? '');
  const [number, setNumber] = useState(meeting?.invitationNumber ?? '');
  const [date, setDate] = useState(meeting ? localDate(meeting.startAt) : defaultDate);
  const [start, setStart] = useState(meeting ? hhmm(meeting.startAt) : '08:00');
  const [end, setEnd] = useState(meeting ? hhmm(meeting.endAt) : '10:00');
  const [techCheck, setTechCheck] = useState(meeting && !meeting.techCheckIsDefault ? hhmm(meeting.techCheckAt) : '');
  const [chairRoomId, setChairRoomId] = useState(meeting?.chairRoom.id ?? user.room?.id ?? '');
  const [mode, setMode] = useState<MeetingMode>(meeting?.mode ?? 'conference');
  const [maxSites, setMaxSites] = useState(String(meeting?.maxSites ?? ''));
  const [invitees, setInvitees] = useState<Set<string>>(new Set());
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [override, setOverride] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [idemKey] = useState(() => globalThis.crypto?.randomUUID?.() ?? String(Math.random()));

  useEffect(() => {
    if (!meeting) return;
    api.meetingInvitations(meeting.id).then((list) => setInvitees(new Set(list.map((i) => i.roomId))), setError);
  }, [api, meeting]);

  const startIso = toIso(date, start);
  const endIso = toIso(date, end);
  const roomIds = useMemo(() => [...invitees], [invitees]);

  // Conflict warnings while editing (nothing is saved).
  useEffect(() => {
    if (!roomIds.length || endIso <= startIso) {
      setConflicts([]);
      return;
    }
    const timer = setTimeout(() => {
      api
        .checkConflicts({
          startAt: startIso,
          endAt: endIso,
          roomIds: chairRoomId ? [...roomIds, chairRoomId] : roomIds,
          excludeMeetingId: meeting?.id,
        })
        .then(setConflicts, () => undefined);
    }, 400);
    return () => clearTimeout(timer);
  }, [api, roomIds, startIso, endIso, chairRoomId, meeting]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (end <= start) return setError({ message: t('formEndBeforeStart') });
    if (!roomIds.length) return setError({ message: t('formNeedInvitees') });
    const input: MeetingInput = {
      title: title.trim(),
      agenda: agenda.trim() || null,
      invitationNumber: number.trim() || null,
      startAt: startIso,
      endAt: endIso,
      techCheckAt: techCheck ? toIso(date, techCheck) : null,
      chairRoomId,
      mode,
      maxSites: maxSites ? Number(maxSites) : undefined,
    };
    setBusy(true);
    setError(null);
    try {
      const saved = meeting
        ? await api.updateMeeting(meeting.id, input, roomIds, override)
        : await api.createMeeting(input, roomIds, override, idemKey);
      onDone(saved);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'CONFLICT') {
        const list = (err.details as { conflicts?: Conflict[] } | undefined)?.conflicts;
        if (list) setConflicts(list);
      }
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const conflictRooms = new Set(conflicts.map((c) => c.roomId)).size;
  return (
    <form className="card meeting-form" onSubmit={submit} aria-label={meeting ? t('formUpdate') : t('secNewMeeting')}>
      <h2>{meeting ? `${t('edit')}: ${meeting.title}` : t('secNewMeeting')}</h2>
      <div className="form-grid">
        <label className="wide">
          {t('formTitle')}
          <input required minLength={3} value={title} onChange={(e) => setTitle(e.target.value)} name="title" />
        </label>
        <label className="wide">
          {t('formAgenda')}
          <textarea value={agenda} onChange={(e) => setAgenda(e.target.value)} rows={2} name="agenda" />
        </label>
        <label>
          {t('formInvitationNumber')}
          <input value={number} onChange={(e) => setNumber(e.target.value)} name="invitationNumber" />
        </label>
        <label>
          {t('formDate')}
          <input type="date" required value={date} onChange={(e) => setDate(e.target.value)} name="date" />
        </label>
        <label>
          {t('formStart')}
          <input type="time" required value={start} onChange={(e) => setStart(e.target.value)} name="start" />
        </label>
        <label>
          {t('formEnd')}
          <input type="time" required value={end} onChange={(e) => setEnd(e.target.value)} name="end" />
        </label>
        <label>
          {t('formTechCheck')}
          <input type="time" value={techCheck} onChange={(e) => setTechCheck(e.target.value)} name="techCheck" />
        </label>
        <p className="muted">{t('formTimeZoneNote')}</p>
        <label>
          {t('formChairRoom')}
          <select required value={chairRoomId} onChange={(e) => setChairRoomId(e.target.value)} name="chairRoom">
            <option value="">—</option>
            {tree.rooms.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('formMode')}
          <select value={mode} onChange={(e) => setMode(e.target.value as MeetingMode)} name="mode">
            {MODES.map((m) => (
              <option key={m.value} value={m.value}>
                {t(m.label)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('formMaxSites')}
          <input
            type="number"
            min={1}
            max={5000}
            value={maxSites}
            onChange={(e) => setMaxSites(e.target.value)}
            name="maxSites"
          />
        </label>
      </div>
      <fieldset>
        <legend>{t('formInvitees')}</legend>
        <UnitTreePicker
          units={tree.units}
          rooms={tree.rooms.filter((r) => r.id !== chairRoomId)}
          selected={invitees}
          onChange={setInvitees}
        />
      </fieldset>
      {conflicts.length > 0 && (
        <div className="warning" role="alert" data-testid="conflicts">
          <p>{t('formConflicts', { count: conflictRooms })}</p>
          <ul>
            {conflicts.slice(0, 20).map((c) => (
              <li key={`${c.roomId}-${c.meetingId}`}>
                {t('formConflictLine', {
                  room: c.roomName,
                  meeting: c.meetingTitle,
                  time: `${hhmm(c.startAt)}–${hhmm(c.endAt)} ${ddmmyyyy(c.startAt)}`,
                })}
              </li>
            ))}
            {conflicts.length > 20 && <li>…</li>}
          </ul>
          <label>
            <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} />{' '}
            {t('formOverride')}
          </label>
        </div>
      )}
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy || (conflicts.length > 0 && !override)}>
          {meeting ? t('formUpdate') : t('formCreate')}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

function MeetingDetails({
  api,
  meeting,
  onEdit,
  onChanged,
}: {
  api: ApiClient;
  meeting: Meeting;
  onEdit: () => void;
  onChanged: () => void;
}) {
  const { t, lang } = useI18n();
  const [invitations, setInvitations] = useState<MeetingInvitation[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [cancelReason, setCancelReason] = useState('');
  const [cancelling, setCancelling] = useState(false);

  const load = useCallback(() => {
    api.meetingInvitations(meeting.id).then(setInvitations, setError);
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

  return (
    <aside className="card details" aria-label={meeting.title} data-testid="meeting-details">
      <h2>{meeting.title}</h2>
      <p>
        {weekdayName(localDate(meeting.startAt), lang)} {ddmmyyyy(meeting.startAt)} · {hhmm(meeting.startAt)}–
        {hhmm(meeting.endAt)} · {t('roomTechCheck', { time: hhmm(meeting.techCheckAt) })}
      </p>
      <p>
        {meeting.chairRoom.name}
        {meeting.invitationNumber && <> · Số {meeting.invitationNumber}</>}
      </p>
      {meeting.agenda && <p className="pre">{meeting.agenda}</p>}
      <div className="form-actions">
        {meeting.canManage !== false && meeting.status !== 'cancelled' && meeting.status !== 'ended' && (
          <>
            <button type="button" onClick={onEdit}>
              {t('edit')}
            </button>
            <button type="button" className="danger" onClick={() => setCancelling(!cancelling)}>
              {t('secCancelMeeting')}
            </button>
          </>
        )}
      </div>
      {cancelling && (
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
        <a href={ROUTES.ics(meeting.id)} download>
          {t('secDownloadIcs')}
        </a>{' '}
        ·{' '}
        <a href={ROUTES.attendanceHtml(meeting.id)} target="_blank" rel="noreferrer">
          {t('secPrintable')}
        </a>
      </p>
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
    </aside>
  );
}
