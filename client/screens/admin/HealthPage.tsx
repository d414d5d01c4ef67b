// The health page for administrators: each part of the hub, how it is and,
// when wrong, what to do, in the user's language (the words come from the hub).
import { useCallback, useEffect, useState } from 'react';
import type { HealthLevel, HealthReport } from '../../../contract/rest/health.ts';
import type { ApiClient } from '../../api.ts';
import { type MessageKey, useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';

const LEVEL: Record<HealthLevel, MessageKey> = { ok: 'healthOk', warn: 'healthWarn', fail: 'healthFail' };
const SUMMARY: Record<HealthLevel, MessageKey> = { ok: 'healthAllOk', warn: 'healthSomeWarn', fail: 'healthSomeFail' };

export function HealthPage({ api }: { api: ApiClient }) {
  const { t, lang } = useI18n();
  const [report, setReport] = useState<HealthReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [checking, setChecking] = useState(false);

  const check = useCallback(() => {
    setChecking(true);
    api
      .healthReport()
      .then(
        (r) => {
          setReport(r);
          setError(null);
        },
        (err) => setError(errorText(err, lang)),
      )
      .finally(() => setChecking(false));
  }, [api, lang]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: check once on opening; again only on request
  useEffect(check, []);

  return (
    <section aria-labelledby="health-title" className="health">
      <h1 id="health-title">{t('healthTitle')}</h1>
      <p>
        <button type="button" onClick={check} disabled={checking}>
          {checking ? t('healthChecking') : t('healthRefresh')}
        </button>
      </p>
      {error && <p role="alert">{error}</p>}
      {report && (
        <>
          <p className={`health__summary health--${report.level}`} role="status">
            {t(SUMMARY[report.level])}
          </p>
          <ul className="health__list">
            {report.checks.map((c) => (
              <li key={c.key} className={`health__item health--${c.level}`} data-check={c.key}>
                <h2>
                  {c.title[lang]} <span className="health__badge">{t(LEVEL[c.level])}</span>
                </h2>
                <p>{c.state[lang]}</p>
                {c.todo && (
                  <p>
                    <strong>{t('healthTodo')}</strong> {c.todo[lang]}
                  </p>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
