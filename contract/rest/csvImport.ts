// POST /api/rooms/import and /api/units/import: the planned (dry run) or applied
// import of a spreadsheet (scheduler/csv/), shown by client/screens/admin/CsvImport.tsx.

export type ImportOutcome = 'create' | 'update' | 'unchanged' | 'error';

export interface ImportError {
  vi: string;
  en: string;
}

export interface ImportRow {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  code: string;
  outcome: ImportOutcome;
  errors: ImportError[];
}

export interface CsvImportResult {
  applied: boolean;
  counts: Record<ImportOutcome, number>;
  /** Errors of the file itself (header, unclosed quote), with their line. */
  fileErrors: (ImportError & { line: number })[];
  rows: ImportRow[];
}
