// A page's own presentation controls. The chair presents at once; a site asks
// first, waits for the chair, then presents (the browser's picker needs the
// room's click, so the chair's answer does not open it by itself).
import type { PresentationState } from '../../contract/presentation.ts';
import { useI18n } from '../i18n/index.tsx';

export interface PresentControlsProps {
  isChair: boolean;
  selfId: string | null;
  presentation: PresentationState | null;
  /** This page is sending its content. */
  presenting: boolean;
  onRequest: (requested: boolean) => void;
  onStart: () => void;
  onStop: () => void;
  disabled?: boolean;
}

export function PresentControls(p: PresentControlsProps) {
  const { t } = useI18n();
  if (typeof navigator !== 'undefined' && !navigator.mediaDevices?.getDisplayMedia) return null;
  const allowed = p.presentation?.presenterSiteId === p.selfId && p.selfId !== null;
  const asked = Boolean(p.selfId && p.presentation?.requests.includes(p.selfId));
  return (
    <div className="present-controls" data-testid="present-controls">
      {p.presenting ? (
        <>
          <span className="pill pill--ok">{t('presentYouPresent')}</span>
          <button type="button" className="ctl" onClick={p.onStop} disabled={p.disabled}>
            {t('presentStop')}
          </button>
        </>
      ) : p.isChair || allowed ? (
        <>
          {allowed && !p.isChair && <span className="pill pill--ok">{t('presentAllowed')}</span>}
          <button type="button" className="ctl" onClick={p.onStart} disabled={p.disabled}>
            {t('presentStart')}
          </button>
        </>
      ) : (
        <>
          {asked && (
            <span className="pill" role="status">
              {t('presentWaiting')}
            </span>
          )}
          <button type="button" className="ctl" onClick={() => p.onRequest(!asked)} disabled={p.disabled}>
            {asked ? t('presentWithdraw') : t('presentRequest')}
          </button>
        </>
      )}
    </div>
  );
}
