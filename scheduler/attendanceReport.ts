// The attendance report as documents: CSV for Excel (UTF-8 with BOM, CRLF,
// formulas neutralised) and the printable HTML page, both in Vietnamese. The
// printable page ends with the meeting's chat (scheduler/chatTranscript.ts).

import type { ChatMessage } from '../contract/chat.ts';
import { type AttendanceRow, summarize } from './attendance.ts';
import { chatHtml } from './chatTranscript.ts';
import { csvCell, esc } from './documentText.ts';
import { fileDisposition } from './downloads.ts';
import type { MeetingWithRefs } from './meetings.ts';
import { chairNames } from './nameHistory.ts';
import { toLocalIso, toLocalText } from './time.ts';

const COMPUTED_VI: Record<string, string> = {
  present: 'Có mặt',
  late: 'Đến muộn',
  absent: 'Vắng',
  pending: 'Chưa đến giờ',
};
const MARK_VI: Record<string, string> = {
  unmarked: 'Chưa điểm danh',
  present_in_room: 'Có mặt tại phòng',
  present_online: 'Có mặt trực tuyến',
  absent: 'Vắng',
};
const INVITE_VI: Record<string, string> = {
  invited: 'Chưa trả lời',
  accepted: 'Đồng ý',
  declined: 'Từ chối',
  chair: 'Chủ trì',
};

const CSV_HEADER = [
  'STT',
  'Đơn vị',
  'Điểm cầu',
  'Vai trò',
  'Trả lời lời mời',
  'Vào lúc (giờ Việt Nam)',
  'Rời lúc (giờ Việt Nam)',
  'Số phút trực tuyến',
  'Tình trạng',
  'Điểm danh',
  'Lý do / ghi chú',
];

export function attendanceCsv(rows: AttendanceRow[]): string {
  const lines = [CSV_HEADER.map(csvCell).join(',')];
  rows.forEach((r, i) => {
    lines.push(
      [
        i + 1,
        r.unitName,
        r.roomName,
        r.role === 'chair' ? 'Chủ trì' : 'Điểm cầu',
        INVITE_VI[r.invitation] ?? r.invitation,
        r.firstJoinedAt ? toLocalText(new Date(r.firstJoinedAt)) : '',
        r.lastLeftAt ? toLocalText(new Date(r.lastLeftAt)) : '',
        r.onlineMinutes,
        COMPUTED_VI[r.computed] ?? r.computed,
        MARK_VI[r.mark] ?? r.mark,
        r.markReason ?? r.invitationNote ?? '',
      ]
        .map(csvCell)
        .join(','),
    );
  });
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** "start – end": the real end once the meeting ended, with the scheduled one beside it when they differ. */
function timeLine(m: MeetingWithRefs, endedAt: Date | null): string {
  const start = toLocalText(m.startAt);
  const scheduledEnd = toLocalText(m.endAt);
  if (!endedAt || toLocalText(endedAt) === scheduledEnd) return `${start} – ${scheduledEnd} (giờ Việt Nam)`;
  return `${start} – ${toLocalText(endedAt)} (giờ Việt Nam; kết thúc thực tế, theo lịch đến ${scheduledEnd})`;
}

function htmlRow(r: AttendanceRow, i: number): string {
  return `<tr><td>${i + 1}</td><td>${esc(r.unitName)}</td><td>${esc(r.roomName)}</td><td>${
    r.role === 'chair' ? 'Chủ trì' : 'Điểm cầu'
  }</td><td>${esc(INVITE_VI[r.invitation] ?? r.invitation)}</td><td>${
    r.firstJoinedAt ? esc(toLocalText(new Date(r.firstJoinedAt))) : ''
  }</td><td class="n">${r.onlineMinutes}</td><td>${esc(COMPUTED_VI[r.computed] ?? r.computed)}</td><td>${esc(
    MARK_VI[r.mark] ?? r.mark,
  )}</td><td>${esc(r.markReason ?? r.invitationNote ?? '')}</td></tr>`;
}

/** The printable report with the meeting's chat; `endedAt` is when the meeting really ended (null while it has not). */
export function attendanceHtml(
  m: MeetingWithRefs,
  rows: AttendanceRow[],
  endedAt: Date | null,
  chat: ChatMessage[],
): string {
  const s = summarize(rows);
  const chair = chairNames(m);
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Điểm danh – ${esc(m.title)}</title>
<style>
body{font-family:"Times New Roman",serif;margin:2em;color:#000}
h1{font-size:1.3em;text-align:center;text-transform:uppercase}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{border:1px solid #000;padding:.25em .4em;vertical-align:top}
th{background:#eee}td.n{text-align:right}td.text{white-space:pre-wrap;overflow-wrap:anywhere}
h2{font-size:1.1em;margin-top:1.5em}
.meta{margin:.2em 0}
@media print{body{margin:0}button{display:none}th{background:none}}
</style></head><body>
<h1>Báo cáo điểm danh hội nghị trực tuyến</h1>
<p class="meta"><b>Cuộc họp:</b> ${esc(m.title)}</p>
${m.invitationNumber ? `<p class="meta"><b>Số giấy mời:</b> ${esc(m.invitationNumber)}</p>` : ''}
<p class="meta"><b>Thời gian:</b> ${esc(timeLine(m, endedAt))}</p>
<p class="meta"><b>Chủ trì:</b> ${esc(chair.unitName)} – ${esc(chair.roomName)}</p>
<p class="meta"><b>Tổng hợp:</b> ${s.invited} điểm cầu được mời; có mặt ${s.present}, đến muộn ${s.late}, vắng ${s.absent}; điểm danh: tại phòng ${s.marked.present_in_room}, trực tuyến ${s.marked.present_online}, vắng ${s.marked.absent}, chưa điểm danh ${s.marked.unmarked}.</p>
<button onclick="window.print()">In báo cáo</button>
<table><thead><tr><th>STT</th><th>Đơn vị</th><th>Điểm cầu</th><th>Vai trò</th><th>Trả lời</th><th>Vào lúc</th><th>Số phút</th><th>Tình trạng</th><th>Điểm danh</th><th>Lý do / ghi chú</th></tr></thead>
<tbody>
${rows.map(htmlRow).join('\n')}
</tbody></table>
${chatHtml(chat, roomNamesOf(m, rows))}
<p class="meta">Lập lúc ${esc(toLocalText(new Date()))}.</p>
</body></html>
`;
}

/** Room names by id: the invited rooms and the chair's. */
export function roomNamesOf(m: MeetingWithRefs, rows: AttendanceRow[]): (roomId: string) => string {
  const names = new Map(rows.map((r) => [r.roomId, r.roomName]));
  names.set(m.chairRoom.id, chairNames(m).roomName);
  return (roomId) => names.get(roomId) ?? roomId;
}

/** content-disposition for a downloaded report: <prefix>-<local day>-<meeting id>.<ext>. */
export function reportDisposition(
  m: MeetingWithRefs,
  ext: 'csv',
  prefix: 'diem-danh' | 'trao-doi' = 'diem-danh',
): string {
  const day = toLocalIso(m.startAt).slice(0, 10);
  return fileDisposition(`${prefix}-${day}-${m.id}.${ext}`);
}
