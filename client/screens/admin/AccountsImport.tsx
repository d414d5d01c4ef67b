// Accounts as a spreadsheet, for the administrator (CsvImport.tsx). An applied
// import lists its new accounts' one-time passwords once, to hand over, with a
// file of them to download: the hub keeps no readable copy.
import { useEffect, useMemo } from 'react';
import type { AccountImportResult, OneTimePassword } from '../../../contract/rest/accounts.ts';
import { importAccounts } from '../../admin/adminApi.ts';
import { type ApiClient, ROUTES } from '../../api.ts';
import { useI18n } from '../../i18n/index.tsx';
import { CsvImport } from './CsvImport.tsx';

const quote = (field: string) => (/[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field);

/** The passwords as a CSV file for Excel (UTF-8 with a byte-order mark). */
function passwordsFile(header: string[], list: OneTimePassword[]): string {
  const rows = [header, ...list.map((p) => [p.login, p.name, p.password])];
  const text = `\uFEFF${rows.map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`;
  return URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
}

function OneTimePasswords({ list }: { list: OneTimePassword[] }) {
  const { t } = useI18n();
  const header = useMemo(() => [t('accountLogin'), t('accountName'), t('accountOneTimePassword')], [t]);
  const href = useMemo(() => passwordsFile(header, list), [header, list]);
  useEffect(() => () => URL.revokeObjectURL(href), [href]);
  if (list.length === 0) return null;
  return (
    <div className="notice" data-testid="one-time-passwords">
      <p>{t('importPasswordsIntro', { count: list.length })}</p>
      <p>
        <a href={href} download="mat-khau-mot-lan.csv">
          {t('importPasswordsDownload')}
        </a>
      </p>
      <table>
        <thead>
          <tr>
            {header.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {list.map((p) => (
            <tr key={p.login}>
              <td>{p.login}</td>
              <td>{p.name}</td>
              <td>
                <code>{p.password}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function AccountsImport({ api }: { api: ApiClient }) {
  const { t } = useI18n();
  return (
    <CsvImport<AccountImportResult>
      id="accounts-import"
      exportHref={ROUTES.usersCsv}
      run={(csv, apply) => importAccounts(api, csv, apply)}
      afterApply={(result) => <OneTimePasswords list={result.oneTimePasswords} />}
      text={{
        title: t('accountsImportTitle'),
        exportLabel: t('accountsImportExport'),
        codeLabel: t('accountLogin'),
        summary: (counts) => t('accountsImportSummary', counts),
        applied: (counts) => t('accountsImportApplied', counts),
      }}
    />
  );
}
