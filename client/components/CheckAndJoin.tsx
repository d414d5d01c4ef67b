// The device check before joining, with the join button: it opens at the
// meeting's technical check, and once the capture has been tried (a room may
// join without a working camera or microphone).
import { useCallback, useState } from 'react';
import type { Meeting } from '../../contract/rest/meetings.ts';
import { useI18n } from '../i18n/index.tsx';
import { hhmmOn, localDate } from '../lib/time.ts';
import type { CheckResult } from '../media/devices.ts';
import { PreJoinCheck } from './PreJoinCheck.tsx';

export function CheckAndJoin({
  meeting,
  now,
  onJoin,
  onChecked,
}: {
  meeting: Pick<Meeting, 'techCheckAt'>;
  now: number;
  onJoin: (s: MediaStream | null) => void;
  onChecked?: (r: CheckResult) => void;
}) {
  const { t } = useI18n();
  // settled: the capture has been opened (or has failed).
  const [capture, setCapture] = useState<{ stream: MediaStream | null; settled: boolean }>({
    stream: null,
    settled: false,
  });
  const onStream = useCallback((stream: MediaStream | null) => setCapture({ stream, settled: true }), []);
  const open = now >= Date.parse(meeting.techCheckAt);
  return (
    <PreJoinCheck onStream={onStream} onChecked={onChecked}>
      <button
        type="button"
        className="primary big"
        disabled={!open || !capture.settled}
        onClick={() => onJoin(capture.stream)}
      >
        {t('roomJoin')}
      </button>
      {!open && (
        <p className="muted">{t('roomJoinFrom', { time: hhmmOn(meeting.techCheckAt, localDate(new Date(now))) })}</p>
      )}
    </PreJoinCheck>
  );
}
