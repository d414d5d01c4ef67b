// Demo data shaped like the reference province (shared/PRODUCT.md): one province,
// 16 departments, 13 district-level units (the first with 19 communes and 22
// endpoint sites), 225 communes, 302 endpoint rooms, one account per role and a
// few meetings around `now`. Deterministic: the same `now` gives the same data.
import type { Logger } from 'pino';
import { hashPassword } from './auth.ts';
import type { Db } from './db.ts';
import type { Prisma } from './generated/prisma/client.ts';
import { localDate, localMidnight } from './time.ts';

export const DEMO_PROVINCE_ID = 'hbx';
/** The district with 19 communes (22 endpoint rooms with its 3 halls). */
export const DEMO_BIG_DISTRICT_ID = 'hbx-h01';
export const DEMO_CHAIR_ROOM_ID = 'hbx-r1';
export const DEMO_LIVE_MEETING_ID = 'demo-live';

export interface DemoAccount {
  login: string;
  password: string;
  role: string;
  name: string;
  unitId: string | null;
  roomId: string | null;
  note: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  {
    login: 'admin',
    password: 'admin123',
    role: 'admin',
    name: 'Quản trị hệ thống',
    unitId: null,
    roomId: null,
    note: 'everything',
  },
  {
    login: 'vanphong.tinh',
    password: 'vanphong123',
    role: 'secretariat',
    name: 'Văn phòng UBND tỉnh',
    unitId: 'hbx',
    roomId: null,
    note: 'books meetings for the whole province',
  },
  {
    login: 'vanphong.tanphong',
    password: 'vanphong123',
    role: 'secretariat',
    name: 'Văn phòng UBND huyện Tân Phong',
    unitId: 'hbx-h01',
    roomId: null,
    note: 'books meetings inside Huyện Tân Phong only',
  },
  {
    login: 'chutri.tinh',
    password: 'chutri123',
    role: 'chair',
    name: 'Chủ trì – Lãnh đạo UBND tỉnh',
    unitId: 'hbx',
    roomId: null,
    note: 'chairs province meetings, roll-call',
  },
  {
    login: 'chutri.tanphong',
    password: 'chutri123',
    role: 'chair',
    name: 'Chủ trì – Lãnh đạo UBND huyện Tân Phong',
    unitId: 'hbx-h01',
    roomId: null,
    note: 'chairs Huyện Tân Phong meetings',
  },
  {
    login: 'dc.tinh',
    password: 'diemcau123',
    role: 'room_operator',
    name: 'Kỹ thuật – Hội trường UBND tỉnh',
    unitId: 'hbx',
    roomId: 'hbx-r1',
    note: 'operator of the province hall (chair room of the live demo meeting)',
  },
  {
    login: 'dc.h01',
    password: 'diemcau123',
    role: 'room_operator',
    name: 'Kỹ thuật – Hội trường UBND huyện Tân Phong',
    unitId: 'hbx-h01',
    roomId: 'hbx-h01-r1',
    note: 'district hall, invited to the live demo meeting',
  },
  ...[1, 2, 3].map((i) => ({
    login: `dc.h01.x0${i}`,
    password: 'diemcau123',
    role: 'room_operator',
    name: `Kỹ thuật – điểm cầu xã ${i} huyện Tân Phong`,
    unitId: `hbx-h01-x0${i}`,
    roomId: `hbx-h01-x0${i}-r1`,
    note: 'commune room, invited to the live demo meeting',
  })),
  {
    login: 'dc.h02.x01',
    password: 'diemcau123',
    role: 'room_operator',
    name: 'Kỹ thuật – điểm cầu xã 1 huyện Lạc An',
    unitId: 'hbx-h02-x01',
    roomId: 'hbx-h02-x01-r1',
    note: 'commune room in another district (not invited to the district meetings)',
  },
];

const DEPARTMENTS = [
  'Sở Nội vụ',
  'Sở Tài chính',
  'Sở Y tế',
  'Sở Giáo dục và Đào tạo',
  'Sở Nông nghiệp và Môi trường',
  'Sở Xây dựng',
  'Sở Khoa học và Công nghệ',
  'Sở Văn hóa, Thể thao và Du lịch',
  'Sở Công Thương',
  'Sở Tư pháp',
  'Sở Dân tộc và Tôn giáo',
  'Sở Ngoại vụ',
  'Thanh tra tỉnh',
  'Công an tỉnh',
  'Bộ Chỉ huy Quân sự tỉnh',
  'Ban Quản lý các khu công nghiệp',
];

const DISTRICTS: Array<[string, number]> = [
  ['Huyện Tân Phong', 19],
  ['Huyện Lạc An', 17],
  ['Thành phố Bình Xanh', 17],
  ['Thị xã Đông Sơn', 17],
  ['Huyện Kim Thủy', 17],
  ['Huyện Mai Lâm', 17],
  ['Huyện Lương Điền', 17],
  ['Huyện Cao Phú', 17],
  ['Huyện Yên Hòa', 17],
  ['Huyện Đà Giang', 17],
  ['Huyện Kỳ Lộc', 17],
  ['Huyện Vạn Xuân', 18],
  ['Huyện Ngọc Lâm', 18],
];

const FIRST = [
  'Tân',
  'Phú',
  'An',
  'Bình',
  'Hòa',
  'Thạnh',
  'Long',
  'Phước',
  'Vĩnh',
  'Thuận',
  'Đông',
  'Tây',
  'Nam',
  'Bắc',
  'Trung',
  'Hưng',
  'Mỹ',
  'Lộc',
  'Thái',
  'Quang',
];
const SECOND = [
  'Lợi',
  'Thịnh',
  'Thành',
  'Sơn',
  'Lâm',
  'Điền',
  'Hiệp',
  'Khánh',
  'Phong',
  'Tiến',
  'Xuân',
  'Minh',
  'Nghĩa',
  'Đức',
  'Cường',
  'Trạch',
];

/** The n-th invented commune name (distinct for n < 320). */
function communeName(n: number): string {
  const a = FIRST[n % FIRST.length] as string;
  const b = SECOND[(Math.floor(n / FIRST.length) + n) % SECOND.length] as string;
  return a === b ? `${a} Mới` : `${a} ${b}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** UTC instant of a local (UTC+7) wall-clock time on the local date of `base` plus `days`. */
function localAt(base: Date, days: number, hh: number, mm: number): Date {
  return new Date(localMidnight(localDate(base)).getTime() + days * 86_400_000 + (hh * 60 + mm) * 60_000);
}

export async function seedDemoData(
  db: Db,
  opts: { now: Date; log?: Logger },
): Promise<{ units: number; rooms: number; users: number; meetings: number }> {
  const now = opts.now;
  const units: Prisma.UnitCreateManyInput[] = [];
  const rooms: Prisma.EndpointRoomCreateManyInput[] = [];
  const addUnit = (
    id: string,
    name: string,
    kind: string,
    parent: { id: string; path: string; depth: number } | null,
    sortOrder: number,
  ) => {
    const u = {
      id,
      name,
      kind,
      code: id.toUpperCase(),
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
      sortOrder,
    };
    units.push(u);
    return u;
  };
  const addRoom = (unitId: string, n: number, name: string) => {
    rooms.push({ id: `${unitId}-r${n}`, unitId, name, code: `${unitId}-r${n}`.toUpperCase(), active: true });
  };

  const province = addUnit('hbx', 'Tỉnh Hòa Bình Xanh', 'province', null, 0);
  [
    'Hội trường UBND tỉnh',
    'Phòng họp trực tuyến Tỉnh ủy',
    'Phòng họp HĐND tỉnh',
    'Phòng họp Văn phòng UBND tỉnh',
    'Trung tâm Điều hành thông minh tỉnh',
    'Phòng họp Ủy ban MTTQ tỉnh',
  ].forEach((name, i) => {
    rooms.push({ id: `hbx-r${i + 1}`, unitId: 'hbx', name, code: `HBX-R${i + 1}`, active: true });
  });
  DEPARTMENTS.forEach((name, i) => {
    const d = addUnit(`hbx-s${pad(i + 1)}`, name, 'department', province, 10 + i);
    addRoom(d.id, 1, `Phòng họp trực tuyến ${name}`);
    addRoom(d.id, 2, `Phòng họp giao ban ${name}`);
  });
  let communeNo = 0;
  DISTRICTS.forEach(([name, communes], i) => {
    const d = addUnit(`hbx-h${pad(i + 1)}`, name, 'district', province, 100 + i);
    const short = name.replace(/^(Huyện|Thành phố|Thị xã) /, '');
    const level = name.startsWith('Huyện') ? 'huyện' : name.startsWith('Thị xã') ? 'thị xã' : 'thành phố';
    addRoom(d.id, 1, `Hội trường UBND ${level} ${short}`);
    addRoom(d.id, 2, `Phòng họp ${level === 'huyện' ? 'Huyện' : level === 'thị xã' ? 'Thị' : 'Thành'} ủy ${short}`);
    addRoom(d.id, 3, `Trung tâm Văn hóa – Thông tin ${short}`);
    for (let c = 1; c <= communes; c++) {
      const cname = communeName(communeNo++);
      const prefix = level === 'huyện' ? (c === 1 ? 'Thị trấn' : 'Xã') : c <= 3 ? 'Phường' : 'Xã';
      const unit = addUnit(`${d.id}-x${pad(c)}`, `${prefix} ${cname}`, 'commune', d, c);
      addRoom(unit.id, 1, `UBND ${prefix.toLowerCase()} ${cname} (${short})`);
    }
  });

  const users: Prisma.UserCreateManyInput[] = [];
  for (const a of DEMO_ACCOUNTS) {
    users.push({
      id: `user-${a.login}`,
      login: a.login,
      name: a.name,
      role: a.role,
      unitId: a.unitId,
      roomId: a.roomId,
      passwordHash: await hashPassword(a.password),
    });
  }

  // Meetings: one live-able now, one later today, one this week, a weekly series, one ended yesterday, a draft.
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

  type MeetingSeed = Prisma.MeetingCreateManyInput & { invite: string[]; accepted?: number; declined?: number };
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
      id: 'demo-giao-ban-thang',
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

  await db.$transaction(async (tx) => {
    // Parents before children: units are pushed in tree order.
    await tx.unit.createMany({ data: units });
    await tx.endpointRoom.createMany({ data: rooms });
    await tx.user.createMany({ data: users });
    for (const { invite, accepted = 0, declined = 0, ...m } of meetings) {
      await tx.meeting.create({ data: { ...m, createdById: 'user-vanphong.tinh' } });
      await tx.invitation.createMany({
        data: invite.map((roomId, i) => ({
          meetingId: m.id as string,
          roomId,
          status: i < accepted ? 'accepted' : i < accepted + declined ? 'declined' : 'invited',
          note: i >= accepted && i < accepted + declined ? 'Trùng lịch tiếp dân' : null,
          respondedAt: i < accepted + declined ? new Date((m.startAt as Date).getTime() - 86_400_000) : null,
        })),
      });
    }
    // Attendance for yesterday's meeting: most joined on time, two late, two absent.
    const past = meetings.find((m) => m.id === 'demo-giao-ban-thang') as MeetingSeed;
    const start = (past.startAt as Date).getTime();
    for (const [i, roomId] of [...past.invite, past.chairRoomId].entries()) {
      if (i === 5 || i === 11) {
        await tx.attendance.create({
          data: {
            meetingId: past.id as string,
            roomId,
            mark: 'absent',
            markReason: i === 5 ? 'Mất điện' : 'Đường truyền gián đoạn',
            markedById: 'user-chutri.tanphong',
            markedAt: new Date(start + 20 * 60_000),
          },
        });
        continue;
      }
      const joined = new Date(start - 20 * 60_000 + (i === 3 || i === 9 ? 35 * 60_000 : i * 60_000));
      const left = new Date(start + 120 * 60_000);
      await tx.attendance.create({
        data: {
          meetingId: past.id as string,
          roomId,
          firstJoinedAt: joined,
          lastLeftAt: left,
          mark: i % 2 ? 'present_online' : 'present_in_room',
          markedById: 'user-chutri.tanphong',
          markedAt: new Date(start + 10 * 60_000),
          intervals: { create: [{ joinedAt: joined, leftAt: left }] },
        },
      });
    }
    await tx.auditLog.create({
      data: {
        action: 'seed.demo',
        entity: 'system',
        details: JSON.stringify({ units: units.length, rooms: rooms.length }),
      },
    });
  });
  opts.log?.debug({ units: units.length, rooms: rooms.length }, 'demo data');
  return { units: units.length, rooms: rooms.length, users: users.length, meetings: meetings.length };
}
