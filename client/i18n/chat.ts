// The meeting's chat (client/components/chat/).
// Spread into vi.ts and en.ts.
export const chatVi = {
  chatTitle: 'Trao đổi',
  chatUnread: 'Trao đổi ({count} tin chưa đọc)',
  chatEmpty: 'Chưa có tin nhắn.',
  chatPlaceholder: 'Nhập tin nhắn (Enter để gửi, Shift+Enter xuống dòng)',
  chatSend: 'Gửi',
  chatTo: 'Gửi tới',
  chatToAll: 'Cả cuộc họp',
  chatPrivateWith: 'Riêng với {name}',
  chatPrivateChair: 'Riêng với chủ trì',
  chatChairTag: 'chủ trì',
  chatSound: 'Âm báo',
  chatAllowSites: 'Cho phép điểm cầu trao đổi chung',
  chatOffNotice: 'Chủ trì đã tắt trao đổi chung; bạn vẫn nhắn riêng được cho chủ trì.',
  chatTooLong: 'Tin nhắn dài {count} ký tự, vượt quá giới hạn {max} ký tự. Hãy rút ngắn hoặc chia thành nhiều tin.',
} as const;

export const chatEn: { readonly [K in keyof typeof chatVi]: string } = {
  chatTitle: 'Chat',
  chatUnread: 'Chat ({count} unread)',
  chatEmpty: 'No messages yet.',
  chatPlaceholder: 'Type a message (Enter sends, Shift+Enter for a new line)',
  chatSend: 'Send',
  chatTo: 'To',
  chatToAll: 'Everyone',
  chatPrivateWith: 'Private with {name}',
  chatPrivateChair: 'Private with the chair',
  chatChairTag: 'chair',
  chatSound: 'Sound',
  chatAllowSites: 'Sites may write to everyone',
  chatOffNotice: 'The chair turned the meeting chat off; you can still write to the chair privately.',
  chatTooLong: 'The message has {count} characters, over the limit of {max}. Shorten it or split it.',
};
