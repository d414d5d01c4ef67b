// Booking or editing a meeting: title, agenda, invitation number, date and
// times (an evening session may end after midnight), technical check, the
// chairing room and the invited rooms (both from the unit tree), mode, site
// cap. Conflicts show while editing and need an explicit override. Every
// message is the app's own, under the field it is about.
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import type { MeetingMode } from '../../../contract/enums.ts';
import type { Conflict, Meeting, MeetingInput } from '../../../contract/rest/meetings.ts';
import { type ApiClient, ApiError, type UnitTree, type User } from '../../api.ts';
import { DateInput, TimeInput } from '../../components/DateTimeInputs.tsx';
import { FieldError, invalidProps, useFocusFirstInvalid } from '../../components/FieldError.tsx';
import { UnitTreePicker } from '../../components/UnitTreePicker.tsx';
import { type MessageKey, useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';
import { ddmmyyyy, dmyOf, hhmm, localDate, timeRange, weekdayName } from '../../lib/time.ts';
import { type MeetingField, meetingTimes, validateMeetingForm } from './meetingFormRules.ts';

const MODES: { value: MeetingMode; label: MessageKey }[] = [
  { value: 'conference', label: 'modeConference' },
  { value: 'briefing', label: 'modeBriefing' },
  { value: 'discussion', label: 'modeDiscussion' },
];

export function MeetingForm({
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
  const form = useRef<HTMLFormElement>(null);
  const idBase = useId();
  const [title, setTitle] = useState(meeting?.title ?? '');
  const [agenda, setAgenda] = useState(meeting?.agenda ?? '');
  const [number, setNumber] = useState(meeting?.invitationNumber ?? '');
  // Date and times as typed: dd/mm/yyyy and 24-hour HH:mm (meetingFormRules.ts reads them).
  const [date, setDate] = useState(meeting ? ddmmyyyy(meeting.startAt) : dmyOf(defaultDate));
  const [start, setStart] = useState(meeting ? hhmm(meeting.startAt) : '08:00');
  const [end, setEnd] = useState(meeting ? hhmm(meeting.endAt) : '10:00');
  const [techCheck, setTechCheck] = useState(meeting && !meeting.techCheckIsDefault ? hhmm(meeting.techCheckAt) : '');
  const [chairRoomId, setChairRoomId] = useState(meeting?.chairRoom.id ?? user.room?.id ?? '');
  const [mode, setMode] = useState<MeetingMode>(meeting?.mode ?? 'conference');
  const [maxSites, setMaxSites] = useState(String(meeting?.maxSites ?? ''));
  const [autoRecord, setAutoRecord] = useState(meeting?.autoRecord ?? false);
  const [invitees, setInvitees] = useState<Set<string>>(new Set());
  // Editing: the invited rooms arrive after the form opens; sending before would drop them.
  const [inviteesLoaded, setInviteesLoaded] = useState(meeting === null);
  const [conflicts, setConflicts] = useState<Conflict[]>([]);
  const [override, setOverride] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // Field messages show from the first send on, and follow each correction.
  const [attempt, setAttempt] = useState(0);
  const [idemKey] = useState(() => globalThis.crypto?.randomUUID?.() ?? String(Math.random()));
  useFocusFirstInvalid(form, attempt);

  useEffect(() => {
    if (!meeting) return;
    api.meetingInvitations(meeting.id).then((list) => {
      setInvitees(new Set(list.map((i) => i.roomId)));
      setInviteesLoaded(true);
    }, setError);
  }, [api, meeting]);

  const values = { title, date, start, end, techCheck, chairRoomId, maxSites, invitees: invitees.size };
  const times = meetingTimes(values);
  const problems = attempt > 0 ? validateMeetingForm(values) : {};
  const problemCount = Object.keys(problems).length;
  const message = (f: MeetingField) => {
    const key = problems[f];
    return key ? t(key) : undefined;
  };
  const errorId = (f: MeetingField) => `${idBase}-${f}-error`;
  const field = (f: MeetingField) => invalidProps(errorId(f), message(f));

  const roomIds = useMemo(() => [...invitees], [invitees]);
  const chairChoice = useMemo(() => new Set(chairRoomId ? [chairRoomId] : []), [chairRoomId]);
  const inviteeRooms = useMemo(() => tree.rooms.filter((r) => r.id !== chairRoomId), [tree, chairRoomId]);
  const startAt = times?.startAt;
  const endAt = times?.endAt;

  // Conflict warnings while editing (nothing is saved).
  useEffect(() => {
    if (!roomIds.length || !startAt || !endAt || startAt === endAt) {
      setConflicts([]);
      return;
    }
    const timer = setTimeout(() => {
      api
        .checkConflicts({
          startAt,
          endAt,
          roomIds: chairRoomId ? [...roomIds, chairRoomId] : roomIds,
          excludeMeetingId: meeting?.id,
        })
        .then(setConflicts, () => undefined);
    }, 400);
    return () => clearTimeout(timer);
  }, [api, roomIds, startAt, endAt, chairRoomId, meeting]);

  const pickChair = (next: Set<string>) => {
    const id = [...next][0] ?? '';
    setChairRoomId(id);
    // The chairing room takes part as the chair, not as an invited site.
    if (invitees.has(id)) setInvitees(new Set([...invitees].filter((r) => r !== id)));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAttempt((n) => n + 1);
    if (Object.keys(validateMeetingForm(values)).length > 0 || !times) return;
    const input: MeetingInput = {
      title: title.trim(),
      agenda: agenda.trim() || null,
      invitationNumber: number.trim() || null,
      startAt: times.startAt,
      endAt: times.endAt,
      techCheckAt: times.techCheckAt,
      chairRoomId,
      mode,
      maxSites: maxSites.trim() ? Number(maxSites) : undefined,
      autoRecord,
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
    <form
      ref={form}
      noValidate
      className="card meeting-form"
      onSubmit={submit}
      aria-label={meeting ? t('formUpdate') : t('secNewMeeting')}
    >
      <h2>{meeting ? `${t('edit')}: ${meeting.title}` : t('secNewMeeting')}</h2>
      <div className="form-grid">
        <label className="wide">
          {t('formTitle')}
          <input
            value={title}
            onChange={(e) => setTitle(e.target.value)}
            name="title"
            maxLength={300}
            {...field('title')}
          />
          <FieldError id={errorId('title')} message={message('title')} />
        </label>
        <label className="wide">
          {t('formAgenda')}
          <textarea value={agenda} onChange={(e) => setAgenda(e.target.value)} rows={2} name="agenda" />
        </label>
        <label>
          {t('formInvitationNumber')}
          <input value={number} onChange={(e) => setNumber(e.target.value)} name="invitationNumber" maxLength={100} />
        </label>
        <label htmlFor={`${idBase}-date`}>
          {t('formDate')}
          <DateInput value={date} onChange={setDate} id={`${idBase}-date`} name="date" {...field('date')} />
          <FieldError id={errorId('date')} message={message('date')} />
        </label>
        <label htmlFor={`${idBase}-start`}>
          {t('formStart')}
          <TimeInput value={start} onChange={setStart} id={`${idBase}-start`} name="start" {...field('start')} />
          <FieldError id={errorId('start')} message={message('start')} />
        </label>
        <label htmlFor={`${idBase}-end`}>
          {t('formEnd')}
          <TimeInput value={end} onChange={setEnd} id={`${idBase}-end`} name="end" {...field('end')} />
          <FieldError id={errorId('end')} message={message('end')} />
          {times?.endDate && !message('end') && (
            <span className="field-note" data-testid="ends-next-day">
              {t('formEndsNextDay', { date: ddmmyyyy(times.endAt) })}
            </span>
          )}
        </label>
        <label htmlFor={`${idBase}-techCheck`}>
          {t('formTechCheck')}
          <TimeInput
            value={techCheck}
            onChange={setTechCheck}
            id={`${idBase}-techCheck`}
            name="techCheck"
            {...field('techCheck')}
          />
          <FieldError id={errorId('techCheck')} message={message('techCheck')} />
          {times?.checkDate && times.techCheckAt && (
            <span className="field-note">{t('formCheckDayBefore', { date: ddmmyyyy(times.techCheckAt) })}</span>
          )}
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
            inputMode="numeric"
            value={maxSites}
            onChange={(e) => setMaxSites(e.target.value)}
            name="maxSites"
            {...field('maxSites')}
          />
          <FieldError id={errorId('maxSites')} message={message('maxSites')} />
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            name="autoRecord"
            checked={autoRecord}
            onChange={(e) => setAutoRecord(e.target.checked)}
          />{' '}
          {t('meetingAutoRecord')}
        </label>
        <p className="muted form-grid__note">
          {t('formTimeZoneNote')}
          {times && (
            <>
              <br />
              <span data-testid="form-times">
                {weekdayName(localDate(times.startAt), lang)} {ddmmyyyy(times.startAt)},{' '}
                {timeRange(times.startAt, times.endAt)}
              </span>{' '}
              · {t('formDuration', { hours: Math.floor(times.minutes / 60), minutes: times.minutes % 60 })}
            </>
          )}
        </p>
      </div>
      <div className="form-rooms">
        <fieldset data-invalid={message('chairRoom') ? 'true' : undefined}>
          <legend>{t('formChairRoom')}</legend>
          <FieldError id={errorId('chairRoom')} message={message('chairRoom')} />
          <UnitTreePicker
            single
            units={tree.units}
            rooms={tree.rooms}
            selected={chairChoice}
            onChange={pickChair}
            searchLabel={t('formChairSearch')}
            className="tree-picker--compact"
          />
        </fieldset>
        <fieldset data-invalid={message('invitees') ? 'true' : undefined}>
          <legend>{t('formInvitees')}</legend>
          <FieldError id={errorId('invitees')} message={message('invitees')} />
          <UnitTreePicker units={tree.units} rooms={inviteeRooms} selected={invitees} onChange={setInvitees} />
        </fieldset>
      </div>
      {conflicts.length > 0 && (
        <div className="warning" role="alert" data-testid="conflicts">
          <p>{t('formConflicts', { count: conflictRooms })}</p>
          <ul>
            {conflicts.slice(0, 20).map((c) => (
              <li key={`${c.roomId}-${c.meetingId}`}>
                {t('formConflictLine', {
                  room: c.roomName,
                  meeting: c.meetingTitle,
                  time: `${ddmmyyyy(c.startAt)} ${timeRange(c.startAt, c.endAt)}`,
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
      {problemCount > 0 && (
        <p className="error" role="alert" data-testid="form-problems">
          {t('formErrSummary', { count: problemCount })}
        </p>
      )}
      {error !== null && (
        <p className="error" role="alert">
          {errorText(error, lang)}
        </p>
      )}
      <div className="form-actions">
        <button
          type="submit"
          className="primary"
          disabled={busy || !inviteesLoaded || (conflicts.length > 0 && !override)}
        >
          {meeting ? t('formUpdate') : t('formCreate')}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
