// The hub calling a SIP room system from the chair's board (docs/sip.md): the
// row's Call button and how the call goes.
// Spread into vi.ts and en.ts.
export const roomCallVi = {
  roomCall: 'Gọi',
  roomCallTitle: 'Máy chủ gọi điểm cầu SIP này',
  roomCallCalling: 'Đang gọi…',
  roomCallRedialling: 'Đang gọi lại (lần {attempt})…',
  roomCallFailed: 'Không trả lời: {answer}',
  roomCallWaiting: 'Cuộc gọi bị ngắt; gọi lại lúc {time}',
} as const;

export const roomCallEn = {
  roomCall: 'Call',
  roomCallTitle: 'The hub calls this SIP room',
  roomCallCalling: 'Calling…',
  roomCallRedialling: 'Calling again ({attempt})…',
  roomCallFailed: 'Not answered: {answer}',
  roomCallWaiting: 'Call dropped; calling again at {time}',
};
