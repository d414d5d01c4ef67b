// One error shape for the whole hub: a code, the message in Vietnamese (shown
// first) and in English. Signaling acks carry it as `{ ok: false, error }`,
// REST answers as `{ error }` with the HTTP status; `details` holds what a
// program can act on (the validation issues, the conflicting meetings).

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
  INTERNAL: [
    'Lỗi máy chủ. Hãy thử lại; nếu còn lỗi, báo phòng điều khiển.',
    'Server error. Retry; if it persists, tell the control room.',
  ],
} as const satisfies Record<string, readonly [vi: string, en: string]>;

export type SignalingErrorCode = keyof typeof SIGNALING_ERRORS;

export interface ErrorBody<C extends string = string> {
  code: C;
  /** Vietnamese, shown to the user. */
  message: string;
  messageEn: string;
  details?: unknown;
}
