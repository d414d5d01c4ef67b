// A list (endpoint rooms, units) as a spreadsheet, for the administrator:
// download it, choose an edited file, read what each line would do (a dry run,
// nothing written), then write it — all lines or, if any is wrong, none.
import { useId, useState } from 'react';
import type { CsvImportResult, ImportOutcome } from '../../../contract/rest/csvImport.ts';
import { type ApiClient, ApiError, ROUTES } from '../../api.ts';
import { type MessageKey, useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';

const OUTCOME: Record<ImportOutcome, MessageKey> = {
  create: 'importCreate',
  update: 'importUpdate',
  unchanged: 'importUnchanged',
  error: 'importError',
};

export interface CsvImportTexts {
  title: MessageKey;
  exportLink: MessageKey;
  summary: MessageKey;
  applied: MessageKey;
  code: MessageKey;
}

const ROOMS: CsvImportTexts = {
  title: 'importTitle',
  exportLink: 'importExport',
  summary: 'importSummary',
  applied: 'importApplied',
  code: 'importCode',
};

export function RoomsImport({ api }: { api: ApiClient }) {
  return <CsvImport texts={ROOMS} exportHref={ROUTES.roomsCsv} send={(csv, apply) => api.importRooms(csv, apply)} />;
}

export function CsvImport({
  texts,
  exportHref,
  send,
}: {
  texts: CsvImportTexts;
  exportHref: string;
  send: (csv: string, apply: boolean) => Promise<CsvImportResult>;
}) {
  const { t, lang } = useI18n();
  const [csv, setCsv] = useState<string | null>(null);
  const [result, setResult] = useState<CsvImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();

  const run = async (text: string, apply: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setResult(await send(text, apply));
    } catch (err) {
      // A refused apply carries the same line-by-line list as the dry run.
      const details = err instanceof ApiError ? (err.details as CsvImportResult | undefined) : undefined;
      if (details?.rows) setResult(details);
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const choose = async (file: File | undefined) => {
    if (!file) return;
    const text = await file.text();
    setCsv(text);
    setResult(null);
    await run(text, false);
  };

  const wrong = result ? result.counts.error + result.fileErrors.length : 0;
  const shown = result?.rows.filter((r) => r.outcome !== 'unchanged') ?? [];
  return (
    <section aria-labelledby={titleId}>
      <h1 id={titleId}>{t(texts.title)}</h1>
      <p>
        <a href={exportHref} download>
          {t(texts.exportLink)}
        </a>
      </p>
      <p className="muted">{t('importHint')}</p>
      <label>
        {t('importChoose')}{' '}
        <input type="file" accept=".csv,text/csv" disabled={busy} onChange={(e) => choose(e.target.files?.[0])} />
      </label>
      {error && <p role="alert">{error}</p>}
      {result && (
        <>
          <p role="status">
            {result.applied ? t(texts.applied, result.counts) : t(texts.summary, result.counts)}
            {wrong > 0 && !result.applied ? ` ${t('importHasErrors')}` : ''}
          </p>
          {result.fileErrors.map((e) => (
            <p key={e.line} className="field-error">
              {t('importLine')} {e.line}: {e[lang]}
            </p>
          ))}
          {!result.applied && csv && (
            <button type="button" disabled={busy || wrong > 0} onClick={() => run(csv, true)}>
              {t('importApply')}
            </button>
          )}
          {shown.length > 0 && (
            <table className="import-rows">
              <thead>
                <tr>
                  <th scope="col">{t('importLine')}</th>
                  <th scope="col">{t(texts.code)}</th>
                  <th scope="col">{t('importOutcome')}</th>
                  <th scope="col">{t('importErrors')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.line} data-line={r.line} data-outcome={r.outcome}>
                    <td>{r.line}</td>
                    <td>{r.code}</td>
                    <td>{t(OUTCOME[r.outcome])}</td>
                    <td>{r.errors.map((e) => e[lang]).join(' ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
