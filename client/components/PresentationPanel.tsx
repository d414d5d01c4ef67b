// The chair's view of the presentation: who presents (or is allowed to), the
// sites asking to, in order, with Allow and Deny, and Stop for any presentation.
import type { PresentationState } from '../../contract/presentation.ts';
import { useI18n } from '../i18n/index.tsx';

export interface PresentationPanelProps {
  presentation: PresentationState | null;
  nameOf: (id: string) => string;
  onAnswer: (siteId: string, allowed: boolean) => void;
  onStop: () => void;
  disabled?: boolean;
}

export function PresentationPanel({ presentation, nameOf, onAnswer, onStop, disabled }: PresentationPanelProps) {
  const { t } = useI18n();
  const presenter = presentation?.presenterSiteId ?? null;
  const requests = presentation?.requests ?? [];
  return (
    <section className="presentation-panel card" aria-labelledby="presentation-title" data-testid="presentation-panel">
      <h2 id="presentation-title">{t('presentPanelTitle')}</h2>
      {presenter ? (
        <p data-testid="presenter" data-presenter={presenter} data-live={String(Boolean(presentation?.live))}>
          {t(presentation?.live ? 'presentNow' : 'presentAllowedWaiting', { name: nameOf(presenter) })}{' '}
          <button type="button" onClick={onStop} disabled={disabled}>
            {t('presentStopOther', { name: nameOf(presenter) })}
          </button>
        </p>
      ) : (
        <p className="muted">{t('presentNobody')}</p>
      )}
      {requests.length > 0 && (
        <ul aria-label={t('presentRequest')}>
          {requests.map((id) => (
            <li key={id} data-testid="present-request" data-site-id={id}>
              {t('presentAsks', { name: nameOf(id) })}
              <button type="button" onClick={() => onAnswer(id, true)} disabled={disabled}>
                {t('presentAllow')}
              </button>
              <button type="button" onClick={() => onAnswer(id, false)} disabled={disabled}>
                {t('presentDeny')}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
