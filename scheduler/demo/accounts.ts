// The demo accounts: one per role and scope, with the passwords the README and
// the tests log in with.
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
