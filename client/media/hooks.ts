// React bindings for MeetingConnection and MeetingStore.
import { useEffect, useReducer, useSyncExternalStore } from 'react';
import type { MeetingSnapshot, MeetingStore } from '../meeting/MeetingStore.ts';
import type { MeetingConnection, MeetingConnectionEvents } from './MeetingConnection.ts';

/** Re-renders when any of the given connection events fire. */
export function useConnectionEvents(
  conn: MeetingConnection | null,
  events: (keyof MeetingConnectionEvents)[] = ['state', 'self', 'meeting', 'link'],
): void {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  const key = events.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for events
  useEffect(() => {
    if (!conn) return;
    const offs = events.map((e) => conn.on(e, () => bump()));
    return () => {
      for (const off of offs) off();
    };
  }, [conn, key]);
}

export function useMeetingSnapshot(store: MeetingStore): MeetingSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
