// A spreadsheet import for the administrator (rooms, units, accounts): download the
// list, choose an edited file, read what each line would do (a dry run,
// nothing written), then write it — all lines or, if any is wrong, none.
import { type ReactNode, useState } from 'react';
import type { CsvImportResult, ImportOutcome } from '../../../contract/rest/csvImport.ts';
import { ApiError } from '../../api.ts';
import { type MessageKey, useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';

const OUTCOME: Record<ImportOutcome, MessageKey> = {
  create: 'importCreate',
  update: 'importUpdate',
  unchanged: 'importUnchanged',
  error: 'importError',
};

export interface CsvImportText {
  title: string;
  exportLabel: string;
  codeLabel: string;
  summary: (counts: CsvImportResult['counts']) => string;
  applied: (counts: CsvImportResult['counts']) => string;
}

export function CsvImport<R extends CsvImportResult>({
  id,
  text,
  exportHref,
  run,
  afterApply,
}: {
  id: string;
  text: CsvImportText;
  exportHref: string;
  run: (csv: string, apply: boolean) => Promise<R>;
  /** What an applied import adds below its summary (the accounts' one-time passwords). */
  afterApply?: (result: R) => ReactNode;
}) {
  const { t, lang } = useI18n();
  const [csv, setCsv] = useState<string | null>(null);
  const [result, setResult] = useState<R | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async (body: string, apply: boolean) => {
    setBusy(true);
    setError(null);
    try {
      setResult(await run(body, apply));
    } catch (err) {
      // A refused apply carries the same line-by-line list as the dry run.
      const details = err instanceof ApiError ? (err.details as R | undefined) : undefined;
      if (details?.rows) setResult(details);
      setError(errorText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  const choose = async (file: File | undefined) => {
    if (!file) return;
    const body = await file.text();
    setCsv(body);
    setResult(null);
    await send(body, false);
  };

  const wrong = result ? result.counts.error + result.fileErrors.length : 0;
  const shown = result?.rows.filter((r) => r.outcome !== 'unchanged') ?? [];
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{text.title}</h2>
      <p>
        <a href={exportHref} download>
          {text.exportLabel}
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
            {result.applied ? text.applied(result.counts) : text.summary(result.counts)}
            {wrong > 0 && !result.applied ? ` ${t('importHasErrors')}` : ''}
          </p>
          {result.applied && afterApply?.(result)}
          {result.fileErrors.map((e) => (
            <p key={e.line} className="field-error">
              {t('importLine')} {e.line}: {e[lang]}
            </p>
          ))}
          {!result.applied && csv && (
            <button type="button" disabled={busy || wrong > 0} onClick={() => send(csv, true)}>
              {t('importApply')}
            </button>
          )}
          {shown.length > 0 && (
            <table className="import-rows">
              <thead>
                <tr>
                  <th scope="col">{t('importLine')}</th>
                  <th scope="col">{text.codeLabel}</th>
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
