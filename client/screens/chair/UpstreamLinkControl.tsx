// The chair's link to a meeting of another deployment (docs/cascade.md): pick
// the deployment (the hub's CASCADE_LINKS) and its meeting's id, link, and see
// the link's state (connecting, live, lost and why); unlink. Hidden when the
// hub links with no deployment.
import { useState } from 'react';
import type { LinkableDeployment, UpstreamLink } from '../../../contract/cascade.ts';
import { useI18n } from '../../i18n/index.tsx';

export function UpstreamLinkControl({
  upstream,
  linkable,
  disabled,
  onLink,
  onUnlink,
}: {
  upstream: UpstreamLink | null | undefined;
  linkable: readonly LinkableDeployment[];
  disabled: boolean;
  onLink: (deployment: string, meetingId: string) => void;
  onUnlink: () => void;
}) {
  const { t, pick } = useI18n();
  const [deployment, setDeployment] = useState(linkable[0]?.name ?? '');
  const [meetingId, setMeetingId] = useState('');
  if (linkable.length === 0 && !upstream) return null;
  const open = upstream && upstream.state !== 'lost';
  return (
    <fieldset className="upstream-link" data-testid="upstream-link">
      <legend>{t('upstreamTitle')}</legend>
      {upstream && (
        <p role="status" data-state={upstream.state}>
          {upstream.state === 'connecting' && t('upstreamConnecting', { name: upstream.displayName })}
          {upstream.state === 'live' && t('upstreamLive', { name: upstream.displayName })}
          {upstream.state === 'lost' &&
            t('upstreamLost', {
              name: upstream.displayName,
              why: pick(upstream.message ?? '', upstream.messageEn ?? ''),
            })}
        </p>
      )}
      {open ? (
        <button type="button" onClick={onUnlink} disabled={disabled}>
          {t('upstreamUnlink')}
        </button>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (deployment && meetingId.trim()) onLink(deployment, meetingId.trim());
          }}
        >
          <label>
            {t('upstreamDeployment')}
            <select value={deployment} onChange={(e) => setDeployment(e.target.value)}>
              {linkable.map((d) => (
                <option key={d.name} value={d.name}>
                  {d.displayName}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('upstreamMeetingId')}
            <input value={meetingId} onChange={(e) => setMeetingId(e.target.value)} maxLength={64} required />
          </label>
          <button type="submit" disabled={disabled || !deployment || !meetingId.trim()}>
            {t('upstreamLink')}
          </button>
        </form>
      )}
    </fieldset>
  );
}
