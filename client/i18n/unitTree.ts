// The unit tree picker (client/components/UnitTreePicker.tsx) and the kinds of
// unit.
// Spread into vi.ts and en.ts.
export const unitTreeVi = {
  // Unit tree picker
  treeSearch: 'Tìm đơn vị hoặc điểm cầu',
  treeSelected: 'Đã chọn {selected}/{total} điểm cầu',
  treeRooms: '{selected}/{total} điểm cầu',
  treeExpand: 'Mở {name}',
  treeCollapse: 'Thu gọn {name}',
  treeSelectUnit: 'Chọn toàn bộ {name}',
  treeNoMatch: 'Không có đơn vị hay điểm cầu nào khớp.',
  treeClear: 'Bỏ chọn tất cả',
  treeChosen: 'Đã chọn: {name}',
  treeNoneChosen: 'Chưa chọn điểm cầu nào',

  // Unit kinds
  kindProvince: 'Tỉnh',
  kindDepartment: 'Sở, ngành',
  kindDistrict: 'Huyện',
  kindCommune: 'Xã',
  kindOther: 'Khác',
} as const;

export const unitTreeEn: { readonly [K in keyof typeof unitTreeVi]: string } = {
  treeSearch: 'Search units or rooms',
  treeSelected: '{selected}/{total} rooms selected',
  treeRooms: '{selected}/{total} rooms',
  treeExpand: 'Expand {name}',
  treeCollapse: 'Collapse {name}',
  treeSelectUnit: 'Select all of {name}',
  treeChosen: 'Chosen: {name}',
  treeNoneChosen: 'No room chosen',
  treeNoMatch: 'No unit or room matches.',
  treeClear: 'Clear selection',

  kindProvince: 'Province',
  kindDepartment: 'Department',
  kindDistrict: 'District',
  kindCommune: 'Commune',
  kindOther: 'Other',
};
