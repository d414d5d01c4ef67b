// Strings of a room's SIP account on the administrator's rooms screen
// (client/screens/admin/RoomSipAccount.tsx), spread into vi.ts and en.ts.
export const roomSipVi = {
  roomSipColumn: 'SIP',
  roomSipTitle: 'Thiết bị hội nghị phòng họp (SIP)',
  roomSipNone: 'Chưa có tài khoản SIP: điểm cầu họp bằng trình duyệt.',
  roomSipUser: 'Tên SIP',
  roomSipPassword: 'Mật khẩu SIP',
  roomSipPasswordAgain: 'Nhập lại mật khẩu SIP',
  roomSipPasswordHint:
    'Ít nhất 8 ký tự. Hệ thống không lưu mật khẩu (chỉ lưu mã băm HA1) và không hiện lại: hãy cài nó vào thiết bị.',
  roomSipPasswordMismatch: 'Hai lần nhập mật khẩu không khớp nhau.',
  roomSipUri: 'Địa chỉ hệ thống gọi tới thiết bị',
  roomSipUriHint: 'Ví dụ sip:phonghop@10.1.2.3:5060. Để trống nếu thiết bị tự gọi vào cuộc họp.',
  roomSipDialsIn: 'Thiết bị tự gọi vào',
  roomSipDialOut: 'Hệ thống gọi tới {uri}',
  roomSipSet: 'Đặt tài khoản SIP',
  roomSipChange: 'Đổi tài khoản SIP',
  roomSipSave: 'Lưu tài khoản SIP',
  roomSipRemove: 'Gỡ tài khoản SIP',
  roomSipRemoveConfirm:
    'Gỡ tài khoản SIP của {name}? Thiết bị của điểm cầu sẽ không gọi vào được nữa; điểm cầu họp bằng trình duyệt.',
  roomSipSaved: 'Đã lưu tài khoản SIP {user}.',
  roomSipRemoved: 'Đã gỡ tài khoản SIP.',
} as const;

export const roomSipEn: { readonly [K in keyof typeof roomSipVi]: string } = {
  roomSipColumn: 'SIP',
  roomSipTitle: 'Room system (SIP)',
  roomSipNone: 'No SIP account: the room joins from a browser.',
  roomSipUser: 'SIP user name',
  roomSipPassword: 'SIP password',
  roomSipPasswordAgain: 'SIP password again',
  roomSipPasswordHint:
    'At least 8 characters. The hub does not keep the password (only its HA1 digest) and never shows it again: set it on the room system.',
  roomSipPasswordMismatch: 'The two passwords differ.',
  roomSipUri: 'Dial-out address',
  roomSipUriHint: 'E.g. sip:room@10.1.2.3:5060. Leave it empty if the room system dials in.',
  roomSipDialsIn: 'Dials in',
  roomSipDialOut: 'The hub calls {uri}',
  roomSipSet: 'Set a SIP account',
  roomSipChange: 'Change the SIP account',
  roomSipSave: 'Save the SIP account',
  roomSipRemove: 'Remove the SIP account',
  roomSipRemoveConfirm:
    'Remove the SIP account of {name}? Its room system can no longer call in; the room joins from a browser.',
  roomSipSaved: 'SIP account {user} saved.',
  roomSipRemoved: 'SIP account removed.',
};
