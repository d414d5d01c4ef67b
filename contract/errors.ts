// One error shape for the whole hub: a code, the message in Vietnamese (shown
// first) and in English. Signaling acks carry it as `{ ok: false, error }`,
// REST answers (the scheduler's and the hub's own) as `{ error }` with the HTTP
// status; `details` holds what a program can act on (the validation issues,
// the conflicting meetings). Every code either side can answer is listed here.

/** Codes a signaling request can be refused with, each with its default message [vi, en]. */
export const SIGNALING_ERRORS = {
  BAD_REQUEST: ['Yêu cầu không hợp lệ.', 'Malformed request.'],
  UNKNOWN_EVENT: ['Yêu cầu không được hỗ trợ.', 'Unknown request.'],
  PAYLOAD_TOO_LARGE: ['Yêu cầu quá lớn.', 'Request too large.'],
  TOKEN_INVALID: [
    'Mã tham gia không hợp lệ. Hãy mở lại cuộc họp từ danh sách giấy mời.',
    'Invalid join token. Open the meeting again from the invitation list.',
  ],
  TOKEN_EXPIRED: [
    'Mã tham gia đã hết hạn. Hãy mở lại cuộc họp để nhận mã mới.',
    'Join token expired. Open the meeting again to get a new one.',
  ],
  TOKEN_REVOKED: [
    'Mã tham gia không còn hiệu lực: lịch họp đã thay đổi. Hãy mở lại cuộc họp từ danh sách giấy mời.',
    'This join token no longer holds: the schedule changed. Open the meeting again from the invitation list.',
  ],
  NOT_JOINED: ['Điểm cầu chưa vào cuộc họp.', 'Join the meeting first.'],
  ALREADY_JOINED: ['Kết nối này đã vào một cuộc họp.', 'This connection already joined a meeting.'],
  MEETING_FULL: [
    'Cuộc họp đã đủ số điểm cầu tối đa. Liên hệ phòng điều khiển.',
    'The meeting has reached its maximum number of sites. Contact the control room.',
  ],
  MEETING_LOCKED: [
    'Chủ trì đã khóa cuộc họp. Liên hệ phòng điều khiển.',
    'The chair locked the meeting. Contact the control room.',
  ],
  MEETING_ENDED: ['Cuộc họp đã kết thúc.', 'The meeting has ended.'],
  REMOVED: ['Chủ trì đã mời điểm cầu rời cuộc họp.', 'The chair removed this site from the meeting.'],
  FORBIDDEN: ['Điểm cầu không có quyền thực hiện thao tác này.', 'This site is not allowed to do that.'],
  NOT_FOUND: ['Không tìm thấy đối tượng được yêu cầu.', 'Not found.'],
  ALREADY_CONSUMING: [
    'Điểm cầu đã nhận luồng này rồi: mỗi luồng chỉ nhận một lần.',
    'This site already receives that stream: one consumer per stream.',
  ],
  RATE_LIMITED: [
    'Điểm cầu gửi quá nhiều yêu cầu trong thời gian ngắn. Hãy chờ vài giây rồi thử lại.',
    'This site sent too many requests in a short time. Wait a few seconds and retry.',
  ],
  CANNOT_CONSUME: [
    'Trình duyệt không nhận được luồng này. Hãy tải lại trang.',
    'This browser cannot receive that stream. Reload the page.',
  ],
  MEDIA_UNAVAILABLE: [
    'Máy chủ truyền hình đang khởi động lại, hãy thử lại sau vài giây.',
    'The media server is restarting; try again in a few seconds.',
  ],
  CHAT_EMPTY: ['Tin nhắn trống.', 'The message is empty.'],
  CHAT_TOO_LONG: ['Tin nhắn quá dài.', 'The message is too long.'],
  CHAT_RATE_LIMITED: [
    'Điểm cầu gửi tin nhắn quá nhanh. Hãy chờ vài giây rồi gửi lại.',
    'This site is sending messages too fast. Wait a few seconds and send again.',
  ],
  CHAT_OFF: [
    'Chủ trì đã tắt trao đổi chung. Bạn vẫn có thể nhắn riêng cho chủ trì.',
    'The chair turned the meeting chat off. You can still message the chair privately.',
  ],
  CHAT_NOT_SAVED: [
    'Máy chủ chưa lưu được tin nhắn nên chưa gửi. Hãy gửi lại.',
    'The server could not save the message, so it was not sent. Send it again.',
  ],
  RECORDING_ALREADY: ['Cuộc họp đang được ghi hình.', 'The meeting is already being recorded.'],
  RECORDING_NOT_RUNNING: ['Cuộc họp không đang ghi hình.', 'The meeting is not being recorded.'],
  RECORDING_FAILED: [
    'Không bắt đầu ghi hình được. Hãy thử lại hoặc báo phòng điều khiển.',
    'Recording could not start. Try again or tell the control room.',
  ],
  UPSTREAM_FAILED: [
    'Không kết nối được với cuộc họp cấp trên. Hãy thử lại hoặc báo phòng điều khiển.',
    'Could not link to the upstream meeting. Try again or tell the control room.',
  ],
  NOT_SIP_ROOM: [
    'Điểm cầu này không phải điểm cầu SIP có địa chỉ gọi ra nên máy chủ không gọi được. Quản trị viên đặt địa chỉ SIP (uri) cho phòng, hoặc để thiết bị của phòng tự gọi vào cuộc họp.',
    'This room is not a SIP room with a dial-out address, so the hub cannot call it. An administrator sets the room’s SIP address (uri), or the room system dials the meeting itself.',
  ],
  NOT_INVITED: [
    'Điểm cầu không được mời dự cuộc họp này. Văn thư thêm điểm cầu vào giấy mời rồi gọi lại.',
    'This room is not invited to the meeting. The secretariat adds it to the invitation, then call again.',
  ],
  ALREADY_IN_MEETING: [
    'Điểm cầu đang ở trong cuộc họp, không cần gọi.',
    'This site is already in the meeting; there is nothing to call.',
  ],
  CALL_FAILED: [
    'Không gọi được điểm cầu SIP. Kiểm tra thiết bị của phòng đã bật, nối mạng và tự trả lời cuộc gọi, rồi bấm Gọi lại.',
    'The SIP room could not be called. Check that the room system is on, connected and answers calls automatically, then press Call again.',
  ],
  MOVE_TO_HUB: [
    'Đang chuyển sang máy chủ khác của hệ thống hội nghị…',
    'Moving to another server of the conference system…',
  ],
  INTERNAL: [
    'Lỗi máy chủ. Hãy thử lại; nếu còn lỗi, báo phòng điều khiển.',
    'Server error. Retry; if it persists, tell the control room.',
  ],
} as const satisfies Record<string, readonly [vi: string, en: string]>;

export type SignalingErrorCode = keyof typeof SIGNALING_ERRORS;

/**
 * Codes a REST request can be refused with, each with its default message [vi, en].
 * Most answers say more (which room, which field); the default is for when there is nothing to add.
 */
export const API_ERRORS = {
  // 400
  BAD_REQUEST: ['Yêu cầu không hợp lệ.', 'Bad request.'],
  VALIDATION_ERROR: ['Dữ liệu nhập chưa đúng.', 'Some of the input is not valid.'],
  WEAK_PASSWORD: ['Mật khẩu mới chưa đủ mạnh.', 'The new password is too weak.'],
  // 401
  UNAUTHENTICATED: ['Bạn cần đăng nhập.', 'You need to log in.'],
  BAD_CREDENTIALS: ['Sai tên đăng nhập hoặc mật khẩu.', 'Wrong login or password.'],
  BAD_FEED_TOKEN: ['Liên kết lịch không hợp lệ.', 'Invalid calendar feed link.'],
  // 403
  FORBIDDEN: ['Bạn không có quyền thực hiện thao tác này.', 'You are not allowed to do this.'],
  CSRF: [
    'Thiếu hoặc sai mã chống giả mạo (x-csrf-token). Hãy tải lại trang.',
    'Missing or wrong x-csrf-token header (CSRF protection). Reload the page.',
  ],
  OUT_OF_SCOPE: ['Việc này ngoài phạm vi đơn vị bạn quản lý.', 'This is outside the units you manage.'],
  NOT_INVITED: ['Điểm cầu không được mời dự cuộc họp này.', 'This room is not invited to the meeting.'],
  TOO_EARLY: ['Chưa đến giờ kiểm tra kỹ thuật.', 'The technical check has not opened yet.'],
  MEETING_OVER: ['Cuộc họp đã kết thúc.', 'The meeting is over.'],
  PASSWORD_CHANGE_REQUIRED: ['Hãy đặt mật khẩu mới trước khi tiếp tục.', 'Choose a new password before you go on.'],
  WRONG_PASSWORD: ['Mật khẩu hiện tại không đúng.', 'The current password is wrong.'],
  // Directory sign-in (scheduler/directory/)
  DIRECTORY_NO_ROLE: [
    'Tài khoản của bạn trong hệ thống tài khoản của tỉnh chưa được gán vai trò trong hệ thống họp trực tuyến. Hãy đề nghị bộ phận quản trị tài khoản của tỉnh thêm bạn vào nhóm tương ứng.',
    'Your account in the province directory has no role in the meeting system. Ask the province account administrators to add you to the right group.',
  ],
  DIRECTORY_NO_UNIT: [
    'Tài khoản của bạn trong hệ thống tài khoản của tỉnh chưa gắn với đơn vị (hoặc điểm cầu) nào có trong hệ thống họp trực tuyến. Hãy báo quản trị viên kiểm tra mã đơn vị của bạn.',
    'Your account in the province directory is not tied to a unit (or room) known to the meeting system. Ask an administrator to check your unit code.',
  ],
  ACCOUNT_DISABLED: [
    'Tài khoản đã bị khoá. Hãy liên hệ quản trị viên nếu bạn cần dùng lại.',
    'This account is disabled. Contact an administrator if you need it again.',
  ],
  DIRECTORY_ACCOUNT: [
    'Tài khoản này đăng nhập qua hệ thống tài khoản của tỉnh: mật khẩu được đổi ở đó, không đổi ở đây.',
    'This account signs in through the province directory: change its password there, not here.',
  ],
  SSO_FAILED: [
    'Đăng nhập bằng tài khoản của tỉnh không thành công. Hãy thử lại; nếu vẫn lỗi, báo quản trị viên.',
    'Signing in with the province account failed. Try again; if it keeps failing, tell an administrator.',
  ],
  // 404
  NOT_FOUND: ['Không tìm thấy đối tượng được yêu cầu.', 'Not found.'],
  // 409
  CONFLICT: ['Điểm cầu đã có cuộc họp khác trùng thời gian.', 'A room is already booked in an overlapping meeting.'],
  DUPLICATE: ['Đã tồn tại.', 'Already exists.'],
  LOGIN_TAKEN: [
    'Tên đăng nhập này đã là một tài khoản riêng của hệ thống họp. Hãy báo quản trị viên đổi tên hoặc xoá tài khoản đó rồi đăng nhập lại.',
    'This login already belongs to a local account of the meeting system. Ask an administrator to rename or remove it, then sign in again.',
  ],
  INVALID_STATE: ['Cuộc họp chưa diễn ra hoặc đã hủy.', 'The meeting is not held.'],
  MEETING_CANCELLED: ['Cuộc họp đã bị hủy.', 'The meeting has been cancelled.'],
  MEETING_ENDED: ['Cuộc họp đã kết thúc.', 'The meeting has ended.'],
  MEETING_DRAFT: ['Cuộc họp còn là bản nháp, chưa được lên lịch.', 'The meeting is still a draft.'],
  MEETING_LIVE: ['Cuộc họp đang diễn ra.', 'The meeting is live.'],
  NOT_EMPTY: ['Đơn vị còn dữ liệu nên không thể xóa.', 'The unit is not empty; it cannot be deleted.'],
  IN_USE: ['Đang được sử dụng nên không thể xóa.', 'In use; it cannot be deleted.'],
  LAST_ADMIN: [
    'Phải còn ít nhất một tài khoản quản trị đang hoạt động.',
    'At least one active administrator account must remain.',
  ],
  PASSWORD_CHANGED_MEANWHILE: [
    'Mật khẩu vừa được đổi ở nơi khác. Hãy đăng nhập lại.',
    'The password was changed elsewhere meanwhile. Log in again.',
  ],
  RECORDING_NOT_READY: [
    'Bản ghi hình chưa sẵn sàng (đang ghi, đang dựng, lỗi hoặc đã xoá).',
    'The recording is not ready (still recording, building, failed or deleted).',
  ],
  // 413, 415, 416, 429
  PAYLOAD_TOO_LARGE: ['Dữ liệu gửi lên quá lớn.', 'Request body is too large.'],
  UNSUPPORTED_MEDIA_TYPE: ['Chỉ chấp nhận dữ liệu JSON.', 'Only application/json bodies are accepted.'],
  RANGE_NOT_SATISFIABLE: [
    'Đoạn tệp được yêu cầu nằm ngoài kích thước tệp.',
    'The requested range lies outside the file.',
  ],
  RATE_LIMITED: ['Quá nhiều yêu cầu, vui lòng thử lại sau.', 'Too many requests, retry later.'],
  // 500, 503
  INTERNAL: ['Lỗi hệ thống, vui lòng thử lại.', 'Internal error, please retry.'],
  DIRECTORY_UNAVAILABLE: [
    'Không kết nối được hệ thống tài khoản của tỉnh. Hãy thử lại sau ít phút; nếu vẫn lỗi, báo quản trị viên.',
    'The province directory cannot be reached. Try again in a few minutes; if it keeps failing, tell an administrator.',
  ],
  STORAGE_UNAVAILABLE: [
    'Máy chủ chưa lưu được dữ liệu. Không có gì bị lưu dở; hãy thử lại sau ít giây.',
    'The server could not save, so nothing was saved. Try again in a few seconds.',
  ],
} as const satisfies Record<string, readonly [vi: string, en: string]>;

export type ApiErrorCode = keyof typeof API_ERRORS;

/** Every code the hub answers with, over the socket or REST. */
export type ErrorCode = SignalingErrorCode | ApiErrorCode;

export interface ErrorBody<C extends string = ErrorCode> {
  code: C;
  /** Vietnamese, shown to the user. */
  message: string;
  messageEn: string;
  details?: unknown;
}
