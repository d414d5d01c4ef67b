// A meeting's connection for a screen: made once per meeting and seat (a room
// joins as its own site; the chair's console passes the chairing room), started
// with the checked capture, left when the screen goes away.
import { useEffect, useMemo } from 'react';
import type { ApiClient } from '../api.ts';
import { MeetingConnection } from './MeetingConnection.ts';

export function useMeetingConnection(
  api: ApiClient,
  meetingId: string,
  stream: MediaStream | null,
  roomId?: string,
): MeetingConnection {
  const conn = useMemo(
    () => new MeetingConnection({ getToken: async () => (await api.joinToken(meetingId, roomId)).token }),
    [api, meetingId, roomId],
  );
  useEffect(() => {
    conn.start(stream).catch(() => undefined);
    return () => void conn.leave();
  }, [conn, stream]);
  return conn;
}
