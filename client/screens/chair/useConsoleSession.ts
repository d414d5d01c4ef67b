// The console's session with the meeting: the chairing room's connection, the
// invited sites with their roll-call marks and units (from the attendance report),
// which of them the hub can call (SIP rooms with a dial-out address), and the
// last error to show: a refused control, the meeting taken away by the schedule,
// the recording stopped by itself.
import { useCallback, useEffect, useState } from 'react';
import type { AttendanceMark } from '../../../contract/enums.ts';
import type { Meeting } from '../../../contract/rest/meetings.ts';
import type { ApiClient, Unit } from '../../api.ts';
import { useI18n } from '../../i18n/index.tsx';
import { errorText } from '../../lib/errors.ts';
import { useMeetingConnection } from '../../media/useMeetingConnection.ts';

export function useConsoleSession(api: ApiClient, meeting: Meeting, stream: MediaStream | null) {
  const { pick, lang } = useI18n();
  const conn = useMeetingConnection(api, meeting.id, stream, meeting.chairRoom.id);
  const [units, setUnits] = useState<Unit[]>([]);
  const [error, setError] = useState<string | null>(null);
  // The schedule can take the meeting away (cancelled, the chair room deactivated): say why.
  useEffect(() => conn.on('kicked', (e) => setError(pick(e.message, e.messageEn))), [conn, pick]);
  // The recording stopped by itself (the recorder died, the disk is full): say so; the meeting goes on.
  useEffect(() => conn.on('recordingFault', (e) => setError(pick(e.message, e.messageEn))), [conn, pick]);
  // SIP rooms the hub can call (a dial-out address): their rows offer "Call" while they are away.
  const [callable, setCallable] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    let cancelled = false;
    // The attendance report lists every invited room with its mark, for everyone
    // who may chair (the invitation list shows a room's operator only its own row).
    Promise.all([api.attendance(meeting.id), api.unitTree()])
      .then(([rows, tree]) => {
        if (cancelled) return;
        setUnits(tree.units);
        const sites = rows.filter((r) => r.roomId !== meeting.chairRoom.id);
        conn.store.setInvited(sites.map((r) => ({ id: r.roomId, name: r.roomName, unitId: r.unitId ?? '' })));
        conn.store.setMarks(sites);
        setCallable(new Set(sites.filter((r) => r.sipDialOut).map((r) => r.roomId)));
      })
      .catch((err) => setError(errorText(err, lang)));
    return () => {
      cancelled = true;
    };
  }, [api, meeting.id, meeting.chairRoom.id, conn, lang]);

  /** Runs a control: its refusal is the error shown, its success clears it. */
  const run = useCallback(
    (p: Promise<unknown>) =>
      p.then(
        () => setError(null),
        (err) => setError(errorText(err, lang)),
      ),
    [lang],
  );

  const onMark = useCallback(
    (siteId: string, mark: AttendanceMark, reason: string | null) => {
      conn.store.setMark(siteId, mark, reason);
      // "Absent" is saved once its reason is typed (the row shows the reason field).
      if (mark === 'absent' && !reason) return;
      void run(api.setMark(meeting.id, siteId, mark, reason));
    },
    [api, conn, meeting.id, run],
  );

  return { conn, units, callable, error, run, onMark };
}
