// Test data shaped like the reference province: a province with departments,
// districts (one with 19 communes), communes each with one room.
import type { Room, Unit } from '../api.ts';

export interface DemoTree {
  units: Unit[];
  rooms: Room[];
}

export function demoProvince(opts: { districts?: number; communesPerDistrict?: number } = {}): DemoTree {
  const districts = opts.districts ?? 3;
  const communes = opts.communesPerDistrict ?? 19;
  const units: Unit[] = [{ id: 'p', name: 'Tỉnh Bình Minh', kind: 'province', parentId: null }];
  const rooms: Room[] = [{ id: 'r-p', unitId: 'p', name: 'Phòng họp UBND tỉnh' }];
  units.push({ id: 'dep-1', name: 'Sở Y tế', kind: 'department', parentId: 'p' });
  rooms.push({ id: 'r-dep-1', unitId: 'dep-1', name: 'Phòng họp Sở Y tế' });
  const districtNames = ['Huyện Tân Phú', 'Huyện Long Hải', 'Huyện Đông Sơn', 'Huyện Hòa An', 'Huyện Kim Bôi'];
  for (let d = 1; d <= districts; d++) {
    const did = `d${d}`;
    const dname = districtNames[(d - 1) % districtNames.length] + (d > districtNames.length ? ` ${d}` : '');
    units.push({ id: did, name: dname, kind: 'district', parentId: 'p', sortOrder: d });
    rooms.push({ id: `r-${did}`, unitId: did, name: `Hội trường UBND ${dname.replace('Huyện ', 'huyện ')}` });
    for (let c = 1; c <= communes; c++) {
      const cid = `${did}-c${c}`;
      units.push({ id: cid, name: `Xã Phú ${d}-${c}`, kind: 'commune', parentId: did, sortOrder: c });
      rooms.push({ id: `r-${cid}`, unitId: cid, name: `UBND xã Phú ${d}-${c}` });
    }
  }
  return { units, rooms };
}
