// The meeting's chat as it goes with the attendance report: a CSV for Excel
// (UTF-8 with BOM, CRLF) and a section of the printable page, both in
// Vietnamese, private conversations marked with the site they belong to.
import type { ChatMessage } from '../contract/chat.ts';
import { csvCell, esc } from './documentText.ts';
import { toLocalText } from './time.ts';

/** A room's name by its id (the attendance rows know every invited room). */
export type RoomNames = (roomId: string) => string;

function audience(m: ChatMessage, nameOf: RoomNames): string {
  return m.privateSiteId === null ? 'Cả cuộc họp' : `Riêng: chủ trì – ${nameOf(m.privateSiteId)}`;
}

function sender(m: ChatMessage): string {
  return m.fromChair ? `${m.siteName} (chủ trì)` : m.siteName;
}

export function chatCsv(messages: ChatMessage[], nameOf: RoomNames): string {
  const header = ['STT', 'Lúc (giờ Việt Nam)', 'Điểm cầu gửi', 'Gửi tới', 'Nội dung'];
  const lines = [header.map(csvCell).join(',')];
  for (const m of messages) {
    lines.push([m.seq, toLocalText(new Date(m.at)), sender(m), audience(m, nameOf), m.text].map(csvCell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The printable page's chat section (empty when nobody wrote). */
export function chatHtml(messages: ChatMessage[], nameOf: RoomNames): string {
  if (messages.length === 0) return '';
  const rows = messages
    .map(
      (m) =>
        `<tr><td class="n">${m.seq}</td><td>${esc(toLocalText(new Date(m.at)))}</td><td>${esc(sender(m))}</td><td>${esc(
          audience(m, nameOf),
        )}</td><td class="text">${esc(m.text)}</td></tr>`,
    )
    .join('\n');
  return `<h2>Nội dung trao đổi (${messages.length} tin nhắn)</h2>
<table><thead><tr><th>STT</th><th>Lúc</th><th>Điểm cầu gửi</th><th>Gửi tới</th><th>Nội dung</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
}
