// The number a room system's remote control dials to join a meeting
// (sip:<code>@hub, docs/sip.md): shown wherever the meeting's details are, so
// the secretariat can pass it on and a room's staff can key it in. Nothing
// once the meeting is over (its code is released).
import { useI18n } from '../i18n/index.tsx';

export function DialCode({ code }: { code: string | null }) {
  const { t } = useI18n();
  if (!code) return null;
  return (
    <span className="muted" data-testid="dial-code" title={t('roomDialCodeHint', { code })}>
      {t('roomDialCode', { code })}
    </span>
  );
}
