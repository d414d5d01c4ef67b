// Signing in, the shell around every screen (roles, sign-out) and the password
// change.
// Spread into vi.ts and en.ts.
export const signInVi = {
  // Login / shell
  loginTitle: 'Đăng nhập',
  loginUser: 'Tên đăng nhập',
  loginPassword: 'Mật khẩu',
  loginSubmit: 'Đăng nhập',
  loginWithProvince: 'Đăng nhập bằng tài khoản của tỉnh',
  loginOr: 'hoặc',
  loginDirectoryHint:
    'Cán bộ dùng tên đăng nhập và mật khẩu của hệ thống tài khoản của tỉnh; mật khẩu được đổi ở hệ thống đó.',
  loginBusy: 'Đang đăng nhập…',
  loginErrUser: 'Hãy nhập tên đăng nhập.',
  loginErrPassword: 'Hãy nhập mật khẩu.',
  logout: 'Đăng xuất',
  signedInAs: 'Đăng nhập: {name}',
  roleAdmin: 'Quản trị',
  roleSecretariat: 'Văn phòng / thư ký',
  roleChair: 'Chủ trì / phòng điều khiển',
  roleRoomOperator: 'Cán bộ kỹ thuật điểm cầu',
  skipToMain: 'Chuyển tới nội dung chính',
  passwordTitle: 'Đặt mật khẩu mới',
  passwordIntro:
    'Tài khoản này đang dùng mật khẩu được cấp tự động. Hãy đặt mật khẩu của riêng bạn (ít nhất {min} ký tự) trước khi tiếp tục.',
  passwordCurrent: 'Mật khẩu hiện tại',
  passwordNew: 'Mật khẩu mới',
  passwordRepeat: 'Nhập lại mật khẩu mới',
  passwordMismatch: 'Hai lần nhập mật khẩu mới không khớp.',
  passwordCurrentMissing: 'Hãy nhập mật khẩu hiện tại.',
  passwordTooShort: 'Mật khẩu mới cần ít nhất {min} ký tự.',
  passwordSubmit: 'Đổi mật khẩu',
  passwordBusy: 'Đang đổi mật khẩu…',
} as const;

export const signInEn: { readonly [K in keyof typeof signInVi]: string } = {
  loginTitle: 'Sign in',
  loginUser: 'User name',
  loginPassword: 'Password',
  loginSubmit: 'Sign in',
  loginErrUser: 'Enter your user name.',
  loginErrPassword: 'Enter your password.',
  loginWithProvince: 'Sign in with the province account',
  loginOr: 'or',
  loginDirectoryHint:
    'Officials use the login and password of the province account system; passwords are changed there.',
  loginBusy: 'Signing in…',
  logout: 'Sign out',
  signedInAs: 'Signed in: {name}',
  roleAdmin: 'Administrator',
  roleSecretariat: 'Secretariat',
  roleChair: 'Chair / control room',
  roleRoomOperator: 'Endpoint room operator',
  skipToMain: 'Skip to main content',
  passwordTitle: 'Choose a new password',
  passwordIntro:
    'This account still has its generated password. Choose your own (at least {min} characters) before going on.',
  passwordCurrent: 'Current password',
  passwordNew: 'New password',
  passwordRepeat: 'Repeat the new password',
  passwordMismatch: 'The two new passwords differ.',
  passwordCurrentMissing: 'Enter your current password.',
  passwordTooShort: 'The new password needs at least {min} characters.',
  passwordSubmit: 'Change password',
  passwordBusy: 'Changing the password…',
};
