// Strings every screen shares: the app's name, the language switch, the common
// buttons and errors.
// Spread into vi.ts and en.ts.
export const commonVi = {
  appName: 'Điểm cầu',
  appTagline: 'Hội nghị truyền hình trực tuyến',
  language: 'Ngôn ngữ',
  switchToOther: 'English',
  loading: 'Đang tải…',
  save: 'Lưu',
  cancel: 'Hủy',
  close: 'Đóng',
  edit: 'Sửa',
  back: 'Quay lại',
  retry: 'Thử lại',
  yes: 'Có',
  no: 'Không',
  errorGeneric: 'Đã xảy ra lỗi. Hãy thử lại.',
  errorNetwork: 'Không kết nối được tới máy chủ. Kiểm tra mạng rồi thử lại.',
} as const;

export const commonEn: { readonly [K in keyof typeof commonVi]: string } = {
  appName: 'Diemcau',
  appTagline: 'Online video conferencing',
  language: 'Language',
  switchToOther: 'Tiếng Việt',
  loading: 'Loading…',
  save: 'Save',
  cancel: 'Cancel',
  close: 'Close',
  edit: 'Edit',
  back: 'Back',
  retry: 'Retry',
  yes: 'Yes',
  no: 'No',
  errorGeneric: 'Something went wrong. Please retry.',
  errorNetwork: 'Cannot reach the server. Check the network and retry.',
};
