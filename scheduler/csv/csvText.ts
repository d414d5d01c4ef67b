// CSV as Excel reads and writes it: UTF-8 with a byte-order mark (without it
// Excel shows Vietnamese as mojibake), CRLF line ends, fields quoted when they
// hold a comma, a quote or a line break. Parsing keeps, for each record, the
// line of the file it starts on, so errors can name it.

const BOM = '\uFEFF';

export interface CsvRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  fields: string[];
}

export function formatCsv(rows: readonly (readonly string[])[]): string {
  const quote = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);
  const lines = rows.map((row) => row.map(quote).join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/** Records of `text` (a leading BOM and blank lines skipped), or the line of a quote never closed. */
export function parseCsv(text: string): CsvRecord[] | { unclosedQuoteAt: number } {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let quoteLine = 0;
  const endRecord = () => {
    fields.push(field);
    if (fields.length > 1 || fields[0] !== '') records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      quoteLine = line;
    } else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else field += c;
  }
  if (quoted) return { unclosedQuoteAt: quoteLine };
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}
