import { describe, expect, it } from 'vitest';
import { type MeetingFormValues, meetingTimes, validateMeetingForm } from './meetingFormRules.ts';

const ok: MeetingFormValues = {
  title: 'Họp giao ban',
  date: '29/11/2025',
  start: '08:00',
  end: '10:00',
  techCheck: '',
  chairRoomId: 'hbx-r1',
  maxSites: '',
  invitees: 3,
};

describe('meeting form rules', () => {
  it('reads an end at or before the start as the next day (evening sessions cross midnight)', () => {
    const t = meetingTimes({ date: '29/11/2025', start: '23:16', end: '00:16', techCheck: '' });
    expect(t).toMatchObject({
      startAt: '2025-11-29T23:16:00+07:00',
      endAt: '2025-11-30T00:16:00+07:00',
      endDate: '2025-11-30',
      minutes: 60,
      techCheckAt: null,
    });
    const demo = meetingTimes({ date: '29/11/2025', start: '22:35', end: '01:35', techCheck: '21:35' });
    expect(demo).toMatchObject({ endAt: '2025-11-30T01:35:00+07:00', techCheckAt: '2025-11-29T21:35:00+07:00' });
    expect(demo?.checkDate).toBeNull();
    expect(meetingTimes({ ...ok, end: '10:00' })?.endDate).toBeNull();
  });

  it('puts a technical check after the start on the day before', () => {
    const t = meetingTimes({ date: '30/11/2025', start: '00:30', end: '02:00', techCheck: '23:30' });
    expect(t?.techCheckAt).toBe('2025-11-29T23:30:00+07:00');
    expect(t?.checkDate).toBe('2025-11-29');
  });

  it('names each field that is not ready, and nothing when all are', () => {
    expect(validateMeetingForm(ok)).toEqual({});
    expect(
      validateMeetingForm({
        ...ok,
        title: '  ',
        date: '',
        start: '',
        techCheck: '7:5',
        chairRoomId: '',
        maxSites: '0',
        invitees: 0,
      }),
    ).toEqual({
      title: 'formErrTitleEmpty',
      date: 'formErrDate',
      start: 'formErrStart',
      techCheck: 'formErrTechCheck',
      chairRoom: 'formErrChairRoom',
      maxSites: 'formErrMaxSites',
      invitees: 'formNeedInvitees',
    });
    expect(validateMeetingForm({ ...ok, title: 'ab' }).title).toBe('formErrTitleShort');
    expect(validateMeetingForm({ ...ok, end: '08:00' }).end).toBe('formErrEndSameAsStart');
    expect(validateMeetingForm({ ...ok, maxSites: '5001' }).maxSites).toBe('formErrMaxSites');
  });

  it('reads dates as day/month/year and times as 24-hour hours:minutes, whatever the browser’s locale', () => {
    expect(meetingTimes({ date: '1/2/2026', start: '8h', end: '14:30', techCheck: '0745' })).toMatchObject({
      startAt: '2026-02-01T08:00:00+07:00',
      endAt: '2026-02-01T14:30:00+07:00',
      techCheckAt: '2026-02-01T07:45:00+07:00',
    });
    // ISO, and the US order an English-locale browser would show (29 is no month), are refused.
    for (const date of ['2026-02-01', '11/29/2026', '31/04/2026', '29/02/2027']) {
      expect(validateMeetingForm({ ...ok, date }).date).toBe('formErrDate');
    }
    expect(validateMeetingForm({ ...ok, date: '29/02/2028' }).date).toBeUndefined();
    for (const time of ['8:00 AM', '24:00', '12:60', '8', '']) {
      expect(validateMeetingForm({ ...ok, start: time }).start).toBe('formErrStart');
    }
  });
});
