// Demo meetings around `now`: one that can be joined right away, one later
// today, one this week, a weekly series, one ended yesterday with its
// attendance, and a draft.
import type { Prisma } from '../generated/prisma/client.ts';
import { localDate, localMidnight } from '../time.ts';

const DEMO_CHAIR_ROOM_ID = 'hbx-r1';
const DEMO_LIVE_MEETING_ID = 'demo-live';
/** Ended yesterday; its attendance is seeded too. */
export const DEMO_PAST_MEETING_ID = 'demo-giao-ban-thang';

export type MeetingSeed = Prisma.MeetingCreateManyInput & { invite: string[]; accepted?: number; declined?: number };

/** UTC instant of a local (UTC+7) wall-clock time on the local date of `base` plus `days`. */
function localAt(base: Date, days: number, hh: number, mm: number): Date {
  return new Date(localMidnight(localDate(base)).getTime() + days * 86_400_000 + (hh * 60 + mm) * 60_000);
}

export function demoMeetings(now: Date, rooms: Prisma.EndpointRoomCreateManyInput[]): MeetingSeed[] {
  const step = 5 * 60_000;
  const liveStart = new Date(Math.floor((now.getTime() - 30 * 60_000) / step) * step);
  const liveEnd = new Date(liveStart.getTime() + 3 * 3600_000);
  // Later today if that is still office hours (local), else tomorrow 08:00.
  const candidate = new Date(liveEnd.getTime() + 60 * 60_000);
  const candidateHour = new Date(candidate.getTime() + 7 * 3600_000).getUTCHours();
  const laterToday =
    localDate(candidate) === localDate(now) && candidateHour >= 7 && candidateHour <= 17
      ? candidate
      : localAt(now, 1, 8, 0);
  const districtHalls = rooms.filter((r) => /^hbx-h\d\d-r\d$/.test(r.id as string)).map((r) => r.id as string);
  const bigDistrictCommunes = rooms.filter((r) => (r.id as string).startsWith('hbx-h01-x')).map((r) => r.id as string);
  const departmentRooms = rooms.filter((r) => /^hbx-s\d\d-r1$/.test(r.id as string)).map((r) => r.id as string);

  const meetings: MeetingSeed[] = [
    {
      id: DEMO_LIVE_MEETING_ID,
      title: 'Hội nghị trực tuyến chỉ đạo, điều hành phòng, chống dịch bệnh',
      agenda:
        '1. Báo cáo tình hình dịch bệnh trên địa bàn.\n2. Ý kiến các địa phương.\n3. Kết luận của Chủ tịch UBND tỉnh.',
      invitationNumber: '125/GM-UBND',
      startAt: liveStart,
      endAt: liveEnd,
      techCheckAt: new Date(liveStart.getTime() - 60 * 60_000),
      chairUnitId: 'hbx',
      chairRoomId: DEMO_CHAIR_ROOM_ID,
      status: 'scheduled',
      mode: 'briefing',
      maxSites: 500,
      invite: [...districtHalls.filter((id) => id.endsWith('-r1')), ...bigDistrictCommunes],
      accepted: 8,
      declined: 1,
    },
    {
      id: 'demo-tiep-xuc-cu-tri',
      title: 'Hội nghị tiếp xúc cử tri trước kỳ họp HĐND huyện',
      agenda: 'Đại biểu HĐND huyện tiếp xúc cử tri các xã, thị trấn.',
      invitationNumber: '48/GM-UBND',
      startAt: laterToday,
      endAt: new Date(laterToday.getTime() + 2 * 3600_000),
      chairUnitId: 'hbx-h01',
      chairRoomId: 'hbx-h01-r1',
      status: 'scheduled',
      mode: 'conference',
      maxSites: 50,
      invite: bigDistrictCommunes,
      accepted: 3,
    },
    {
      id: 'demo-hoc-tap-nghi-quyet',
      title: 'Hội nghị học tập, quán triệt Nghị quyết của Tỉnh ủy',
      agenda: 'Quán triệt Nghị quyết; thảo luận kế hoạch thực hiện.',
      invitationNumber: '131/GM-UBND',
      startAt: localAt(now, 2, 14, 0),
      endAt: localAt(now, 2, 16, 30),
      chairUnitId: 'hbx',
      chairRoomId: 'hbx-r2',
      status: 'scheduled',
      mode: 'briefing',
      maxSites: 500,
      invite: [...districtHalls.filter((id) => id.endsWith('-r1')), ...departmentRooms],
    },
    {
      id: DEMO_PAST_MEETING_ID,
      title: 'Giao ban công tác tháng của UBND huyện Tân Phong',
      invitationNumber: '45/GM-UBND',
      startAt: localAt(now, -1, 14, 0),
      endAt: localAt(now, -1, 16, 0),
      chairUnitId: 'hbx-h01',
      chairRoomId: 'hbx-h01-r1',
      status: 'ended',
      mode: 'discussion',
      maxSites: 50,
      invite: bigDistrictCommunes,
      accepted: 17,
      declined: 1,
    },
    {
      id: 'demo-nhap',
      title: 'Hội nghị sơ kết 6 tháng (dự thảo)',
      startAt: localAt(now, 5, 8, 0),
      endAt: localAt(now, 5, 11, 0),
      chairUnitId: 'hbx',
      chairRoomId: 'hbx-r1',
      status: 'draft',
      mode: 'conference',
      maxSites: 500,
      invite: [],
    },
  ];
  // A weekly series on the next four Mondays, 07:30–09:00 local.
  const dow = new Date(Date.parse(`${localDate(now)}T00:00:00Z`)).getUTCDay();
  const toMonday = ((8 - dow) % 7) + (dow === 1 ? 7 : 0);
  for (let i = 0; i < 4; i++) {
    meetings.push({
      id: `demo-giao-ban-tuan-${i + 1}`,
      title: 'Giao ban trực tuyến đầu tuần với các huyện, thị xã, thành phố',
      startAt: localAt(now, toMonday + 7 * i, 7, 30),
      endAt: localAt(now, toMonday + 7 * i, 9, 0),
      chairUnitId: 'hbx',
      chairRoomId: 'hbx-r4',
      status: 'scheduled',
      mode: 'discussion',
      maxSites: 100,
      seriesId: 'demo-series-giao-ban-tuan',
      seriesIndex: i,
      recurrenceRule: 'FREQ=WEEKLY;COUNT=4',
      invite: districtHalls.filter((id) => id.endsWith('-r1')),
    });
  }
  return meetings;
}

/** Yesterday's meeting: most rooms joined on time and stayed, two came late, two were marked absent. */
export function demoPastAttendance(past: MeetingSeed): Prisma.AttendanceUncheckedCreateInput[] {
  const meetingId = past.id as string;
  const start = (past.startAt as Date).getTime();
  return [...past.invite, past.chairRoomId].map((roomId, i) => {
    if (i === 5 || i === 11) {
      return {
        meetingId,
        roomId,
        mark: 'absent',
        markReason: i === 5 ? 'Mất điện' : 'Đường truyền gián đoạn',
        markedById: 'user-chutri.tanphong',
        markedAt: new Date(start + 20 * 60_000),
      };
    }
    const joined = new Date(start - 20 * 60_000 + (i === 3 || i === 9 ? 35 * 60_000 : i * 60_000));
    const left = new Date(start + 120 * 60_000);
    return {
      meetingId,
      roomId,
      firstJoinedAt: joined,
      lastLeftAt: left,
      mark: i % 2 ? 'present_online' : 'present_in_room',
      markedById: 'user-chutri.tanphong',
      markedAt: new Date(start + 10 * 60_000),
      intervals: { create: [{ joinedAt: joined, leftAt: left }] },
    };
  });
}
