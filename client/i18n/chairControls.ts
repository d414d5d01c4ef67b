// The chair's console, its meeting-wide controls and the mosaic: remove a
// site, lock, end the meeting, the mosaic's pages, the site chosen, the main stage.
// Spread into vi.ts and en.ts.
export const chairControlsVi = {
  chairRemove: 'Mời rời cuộc họp',
  chairRemoveConfirm: 'Mời {name} rời cuộc họp?',
  chairLock: 'Khóa cuộc họp',
  chairUnlock: 'Mở khóa cuộc họp',
  chairEnd: 'Kết thúc cuộc họp',
  chairEndConfirm: 'Kết thúc cuộc họp cho mọi điểm cầu?',
  chairMosaic: 'Hình ảnh các điểm cầu',
  chairMosaicPage: 'Trang {page}/{pages}',
  chairPrevPage: 'Trang trước',
  chairNextPage: 'Trang sau',
  chairSelected: 'Điểm cầu đang chọn: {name}',
  chairOnStageNow: 'Đang trên màn hình chính: {name}',
} as const;

export const chairControlsEn = {
  chairRemove: 'Remove from meeting',
  chairRemoveConfirm: 'Remove {name} from the meeting?',
  chairLock: 'Lock meeting',
  chairUnlock: 'Unlock meeting',
  chairEnd: 'End meeting',
  chairEndConfirm: 'End the meeting for every site?',
  chairMosaic: 'Site pictures',
  chairMosaicPage: 'Page {page}/{pages}',
  chairPrevPage: 'Previous page',
  chairNextPage: 'Next page',
  chairSelected: 'Selected site: {name}',
  chairOnStageNow: 'On the main stage: {name}',
};
