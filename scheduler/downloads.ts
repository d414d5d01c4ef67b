// How a downloaded file is named: in Vietnamese for browsers that read RFC 8187
// (filename*), with a plain-ASCII fallback for the rest. Room codes and titles
// carry Vietnamese letters and may carry quotes; the header must survive both.
import { create } from 'content-disposition';

/** "Lịch Tân Phú.ics" → "Lich-Tan-Phu.ics" */
function asciiName(filename: string): string {
  return filename
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^A-Za-z0-9._-]+/g, '-');
}

export function fileDisposition(filename: string, type: 'attachment' | 'inline' = 'attachment'): string {
  return create(filename, { type, fallback: asciiName(filename) });
}
