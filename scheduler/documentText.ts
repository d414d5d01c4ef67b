// Text as it goes into the downloaded documents: a CSV cell Excel will not run
// as a formula, and HTML text that cannot become markup.

export function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  // Neutralize spreadsheet formulas and quote everything that needs it.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function esc(s: string | number | null): string {
  return String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
}
