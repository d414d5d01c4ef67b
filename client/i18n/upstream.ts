// Relaying an upstream meeting (a cascade link, docs/cascade.md): the chair's
// control to link this meeting to one on another deployment, and its state.
// Spread into vi.ts and en.ts.
export const upstreamVi = {
  upstreamTitle: 'Tiếp sóng cuộc họp cấp trên',
  upstreamDeployment: 'Hệ thống cấp trên',
  upstreamMeetingId: 'Mã cuộc họp bên đó',
  upstreamLink: 'Liên kết',
  upstreamUnlink: 'Ngắt liên kết',
  upstreamConnecting: 'Đang kết nối với {name}…',
  upstreamLive: 'Đang tiếp sóng từ {name}; điểm cầu chủ trì được gửi lên.',
  upstreamLost: 'Mất liên kết với {name}: {why}',
} as const;

export const upstreamEn = {
  upstreamTitle: 'Relay an upstream meeting',
  upstreamDeployment: 'Upstream deployment',
  upstreamMeetingId: 'Its meeting id',
  upstreamLink: 'Link',
  upstreamUnlink: 'Unlink',
  upstreamConnecting: 'Connecting to {name}…',
  upstreamLive: 'Relaying {name}; the chair site is sent up.',
  upstreamLost: 'Link to {name} lost: {why}',
};
