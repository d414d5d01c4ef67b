// What each audited action means, in words (Vietnamese, English). Families
// written by the hub with a variable tail (chair.*, presentation.*,
// invitation.*) are named by their family; an action unknown here shows as is.

type Words = { vi: string; en: string };

const ACTIONS: Record<string, Words> = {
  'auth.login': { vi: 'Đăng nhập', en: 'Signed in' },
  'auth.login_failed': { vi: 'Đăng nhập sai', en: 'Failed sign-in' },
  'auth.logout': { vi: 'Đăng xuất', en: 'Signed out' },
  'auth.password_changed': { vi: 'Đổi mật khẩu', en: 'Changed password' },
  'user.create': { vi: 'Tạo tài khoản', en: 'Created an account' },
  'user.update': { vi: 'Sửa tài khoản', en: 'Changed an account' },
  'user.deactivate': { vi: 'Khóa tài khoản', en: 'Deactivated an account' },
  'user.password_reset': { vi: 'Đặt lại mật khẩu', en: 'Reset a password' },
  'unit.create': { vi: 'Thêm đơn vị', en: 'Added a unit' },
  'unit.update': { vi: 'Sửa, chuyển đơn vị', en: 'Renamed or moved a unit' },
  'unit.delete': { vi: 'Xóa đơn vị', en: 'Deleted a unit' },
  'unit.deactivate': { vi: 'Ngừng hoạt động đơn vị', en: 'Deactivated a unit' },
  'unit.reactivate': { vi: 'Cho đơn vị hoạt động lại', en: 'Reactivated a unit' },
  'unit.merge': { vi: 'Sáp nhập đơn vị', en: 'Merged units' },
  'unit.import': { vi: 'Nhập danh sách đơn vị', en: 'Imported units' },
  'room.create': { vi: 'Thêm điểm cầu', en: 'Added a room' },
  'room.update': { vi: 'Sửa điểm cầu', en: 'Changed a room' },
  'room.delete': { vi: 'Xóa điểm cầu', en: 'Deleted a room' },
  'room.import': { vi: 'Nhập danh sách điểm cầu', en: 'Imported rooms' },
  'room.feed_rotated': { vi: 'Đổi liên kết lịch của điểm cầu', en: 'Replaced a room’s calendar link' },
  'meeting.create': { vi: 'Tạo cuộc họp', en: 'Booked a meeting' },
  'meeting.update': { vi: 'Sửa cuộc họp', en: 'Changed a meeting' },
  'meeting.cancel': { vi: 'Hủy cuộc họp', en: 'Cancelled a meeting' },
  'meeting.live': { vi: 'Cuộc họp bắt đầu', en: 'Meeting went live' },
  'meeting.end': { vi: 'Kết thúc cuộc họp', en: 'Ended a meeting' },
  'meeting.invite': { vi: 'Mời điểm cầu', en: 'Invited rooms' },
  'meeting.uninvite': { vi: 'Bỏ mời điểm cầu', en: 'Uninvited rooms' },
  'meeting.join_token': { vi: 'Cấp quyền vào họp', en: 'Issued a join token' },
  'attendance.mark': { vi: 'Điểm danh', en: 'Roll-call mark' },
  'cascade.upstream.live': { vi: 'Liên kết với cuộc họp cấp trên đã thông', en: 'Linked to the upstream meeting' },
  'cascade.upstream.lost': { vi: 'Mất liên kết với cuộc họp cấp trên', en: 'Lost the upstream link' },
  'cascade.upstream.closed': { vi: 'Đóng liên kết với cuộc họp cấp trên', en: 'Closed the upstream link' },
  'cascade.downstream.opened': { vi: 'Hệ thống cấp dưới bắt đầu tiếp sóng', en: 'A downstream deployment relays it' },
  'cascade.downstream.closed': {
    vi: 'Hệ thống cấp dưới ngừng tiếp sóng',
    en: 'A downstream deployment stopped relaying',
  },
  'seed.demo': { vi: 'Nạp dữ liệu mẫu', en: 'Loaded the demo data' },
};

const FAMILIES: Record<string, Words> = {
  'chair.': { vi: 'Chủ trì điều hành', en: 'Chair action' },
  'presentation.': { vi: 'Trình chiếu', en: 'Presentation' },
  'invitation.': { vi: 'Trả lời giấy mời', en: 'Answered an invitation' },
  'recording.': { vi: 'Ghi hình', en: 'Recording' },
};

export function actionLabel(action: string, lang: 'vi' | 'en'): string {
  const exact = ACTIONS[action];
  if (exact) return exact[lang];
  const family = Object.keys(FAMILIES).find((prefix) => action.startsWith(prefix));
  return family ? `${(FAMILIES[family] as Words)[lang]} (${action.slice(family.length)})` : action;
}
