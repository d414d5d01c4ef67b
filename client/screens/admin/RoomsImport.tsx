// Endpoint rooms as a spreadsheet, for the administrator (CsvImport.tsx).
import { type ApiClient, ROUTES } from '../../api.ts';
import { useI18n } from '../../i18n/index.tsx';
import { CsvImport } from './CsvImport.tsx';

export function RoomsImport({ api }: { api: ApiClient }) {
  const { t } = useI18n();
  return (
    <CsvImport
      id="rooms-import"
      exportHref={ROUTES.roomsCsv}
      run={(csv, apply) => api.importRooms(csv, apply)}
      text={{
        title: t('importTitle'),
        exportLabel: t('importExport'),
        codeLabel: t('importCode'),
        summary: (counts) => t('importSummary', counts),
        applied: (counts) => t('importApplied', counts),
      }}
    />
  );
}
