// A meeting as every site's screen names it: the call controls, the meeting
// modes, the connection's states, the meeting's phases.
// Spread into vi.ts and en.ts.
export const meetingVi = {
  // Call controls
  micTurnOn: 'Bật micrô',
  micTurnOff: 'Tắt micrô',
  micLockedReason: 'Chủ trì đã tắt micrô của điểm cầu. Hãy xin phát biểu để được mở.',
  micNoFloorReason: 'Chưa được chủ trì cho phát biểu. Hãy xin phát biểu.',
  cameraTurnOn: 'Bật camera',
  cameraTurnOff: 'Tắt camera',
  raiseHand: 'Xin phát biểu',
  lowerHand: 'Hủy xin phát biểu',
  leaveMeeting: 'Rời cuộc họp',

  // Meeting modes
  modeDiscussion: 'Thảo luận (mọi điểm cầu được phát biểu)',
  modeBriefing: 'Chỉ đạo (chỉ chủ trì phát biểu)',
  modeConference: 'Hội nghị (chủ trì cho phép phát biểu)',
  modeLabel: 'Chế độ cuộc họp',

  // Meeting connection
  connIdle: 'Chưa kết nối',
  connConnecting: 'Đang kết nối…',
  connOnline: 'Đã kết nối',
  connReconnecting: 'Mất kết nối — đang tự động kết nối lại…',
  connMoving: 'Đang chuyển sang máy chủ khác của hệ thống…',
  connLeft: 'Đã rời cuộc họp',
  connFailed: 'Không kết nối được',
  kickedRemoved: 'Chủ trì đã mời điểm cầu rời cuộc họp.',
  kickedEnded: 'Cuộc họp đã kết thúc.',
  kickedReplaced: 'Điểm cầu đã vào cuộc họp từ một cửa sổ khác.',

  // Meeting states
  phaseDraft: 'Bản nháp',
  phaseScheduled: 'Đã lên lịch',
  phaseCheck: 'Đang kiểm tra kỹ thuật',
  phaseLive: 'Đang họp',
  phaseEnded: 'Đã kết thúc',
  phaseCancelled: 'Đã hủy',
} as const;

export const meetingEn: { readonly [K in keyof typeof meetingVi]: string } = {
  micTurnOn: 'Turn mic on',
  micTurnOff: 'Turn mic off',
  micLockedReason: 'The chair muted this site. Raise your hand to be given the floor.',
  micNoFloorReason: 'The chair has not given you the floor. Raise your hand.',
  cameraTurnOn: 'Turn camera on',
  cameraTurnOff: 'Turn camera off',
  raiseHand: 'Raise hand',
  lowerHand: 'Lower hand',
  leaveMeeting: 'Leave meeting',

  modeDiscussion: 'Discussion (every site may speak)',
  modeBriefing: 'Briefing (only the chair speaks)',
  modeConference: 'Conference (the chair grants the floor)',
  modeLabel: 'Meeting mode',

  connIdle: 'Not connected',
  connConnecting: 'Connecting…',
  connOnline: 'Connected',
  connReconnecting: 'Connection lost — reconnecting automatically…',
  connMoving: 'Moving to another server of the system…',
  connLeft: 'Left the meeting',
  connFailed: 'Could not connect',
  kickedRemoved: 'The chair removed this site from the meeting.',
  kickedEnded: 'The meeting has ended.',
  kickedReplaced: 'This site joined the meeting from another window.',

  phaseDraft: 'Draft',
  phaseScheduled: 'Scheduled',
  phaseCheck: 'Technical check',
  phaseLive: 'Live',
  phaseEnded: 'Ended',
  phaseCancelled: 'Cancelled',
};
