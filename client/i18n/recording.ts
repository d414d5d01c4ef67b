// Recording the meeting: the chair's control and indicator, and the booking
// form's choice to record from the start (docs/recording.md).
// Spread into vi.ts and en.ts.
export const recordingVi = {
  recordingOn: 'Đang ghi hình',
  recordingStart: 'Ghi hình',
  recordingStop: 'Dừng ghi hình',
  recordingStopConfirm: 'Dừng ghi hình cuộc họp? Phần đã ghi sẽ được dựng thành một tệp MP4.',
  meetingAutoRecord: 'Ghi hình tự động khi bắt đầu',
} as const;

export const recordingEn = {
  recordingOn: 'Recording',
  recordingStart: 'Record',
  recordingStop: 'Stop recording',
  recordingStopConfirm: 'Stop recording the meeting? What was recorded will be built into one MP4 file.',
  meetingAutoRecord: 'Record automatically at the start',
};
