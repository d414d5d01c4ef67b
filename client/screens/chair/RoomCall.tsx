// The chair calls an invited SIP room that is away (docs/sip.md): a "Call"
// button on its board row, and how the hub's call goes (the `roomCall`
// events: calling, a redial, not answered with the room's SIP answer, waiting
// to call again) — also for the calls the hub places by itself (the meeting
// opening, redials after a dropped call).
import { useEffect, useState } from 'react';
import type { RoomCallProgress } from '../../../contract/sip.ts';
import { useI18n } from '../../i18n/index.tsx';
import type { MeetingConnection } from '../../media/MeetingConnection.ts';
import type { SiteStatus } from '../../meeting/MeetingStore.ts';

/** The latest progress of the hub's call to each SIP room, by site id. */
export function useRoomCalls(conn: MeetingConnection): ReadonlyMap<string, RoomCallProgress> {
  const [calls, setCalls] = useState<ReadonlyMap<string, RoomCallProgress>>(new Map());
  useEffect(
    () => conn.on('roomCall', (progress) => setCalls((prev) => new Map(prev).set(progress.siteId, progress))),
    [conn],
  );
  return calls;
}

export function RoomCallButton({
  site,
  progress,
  disabled,
  onCall,
}: {
  site: SiteStatus;
  progress: RoomCallProgress | undefined;
  disabled: boolean;
  /** Sends `callRoom`; resolves with the ack (its refusal is shown by the console). */
  onCall: () => Promise<unknown>;
}) {
  const { t, pick } = useI18n();
  const [asking, setAsking] = useState(false);
  const ringing = asking || progress?.state === 'calling';
  let status: string | null = null;
  let title: string | undefined;
  if (ringing)
    status =
      progress && progress.attempt > 1 && !asking
        ? t('roomCallRedialling', { attempt: progress.attempt - 1 })
        : t('roomCallCalling');
  else if (progress?.state === 'failed') {
    status = t('roomCallFailed', { answer: `${progress.sipStatus ?? ''} ${progress.sipReason ?? ''}`.trim() });
    title = progress.error ? pick(progress.error.message, progress.error.messageEn) : undefined;
  } else if (progress?.state === 'waiting' && progress.nextAt)
    status = t('roomCallWaiting', { time: new Date(progress.nextAt).toLocaleTimeString() });
  return (
    <span className="site-actions" data-testid="room-call">
      <button
        type="button"
        title={t('roomCallTitle')}
        aria-label={`${t('roomCall')}: ${site.name}`}
        disabled={disabled || ringing}
        onClick={() => {
          setAsking(true);
          void onCall().finally(() => setAsking(false));
        }}
      >
        {t('roomCall')}
      </button>
      {status && (
        <span className="muted" role="status" title={title} data-state={ringing ? 'calling' : progress?.state}>
          {status}
        </span>
      )}
    </span>
  );
}
