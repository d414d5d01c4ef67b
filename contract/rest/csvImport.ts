// POST /api/rooms/import, /api/units/import and /api/users/import: the planned
// (dry run) or applied import of a spreadsheet (scheduler/csv/); the accounts'
// import answers the same shape and more (accounts.ts). Shown by
// client/screens/admin/CsvImport.tsx.

export type ImportOutcome = 'create' | 'update' | 'unchanged' | 'error';

export interface ImportError {
  vi: string;
  en: string;
}

export interface ImportRow {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  /** The row's key: a room's code, an account's login. */
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
