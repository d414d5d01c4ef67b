// The reference province (shared/PRODUCT.md) as units and endpoint rooms: one
// province with 6 halls, 16 departments (2 rooms each), 13 district-level units
// (3 rooms each; the first with 19 communes, so 22 rooms), 225 communes (1 room
// each): 302 rooms. Names are invented; ids are stable (hbx, hbx-s01, hbx-h01,
// hbx-h01-x01, …, rooms <unit>-r<n>).
import type { Prisma } from '../generated/prisma/client.ts';

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

export function demoProvince(): { units: Prisma.UnitCreateManyInput[]; rooms: Prisma.EndpointRoomCreateManyInput[] } {
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
  return { units, rooms };
}
