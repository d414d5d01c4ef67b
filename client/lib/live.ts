// Live scheduler updates (socket.io namespace /live, authenticated by the
// session cookie): meetings created/updated/cancelled, invitation answers,
// attendance changes.
import { useEffect, useRef } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { LiveEvent } from '../../scheduler/live.ts';

export type { LiveEvent };

export interface LivePayload {
  meetingId?: string;
  roomId?: string;
  roomIds?: string[];
  status?: string;
  change?: string;
  at?: string;
  [k: string]: unknown;
}

let shared: Socket | null = null;
let users = 0;

function liveSocket(): Socket {
  if (!shared) {
    shared = io('/live', { path: '/socket.io', transports: ['websocket'], withCredentials: true });
  }
  users++;
  return shared;
}

function release(): void {
  users--;
  if (users <= 0 && shared) {
    shared.disconnect();
    shared = null;
    users = 0;
  }
}

/** Calls handler on each of the events; (re)connects while mounted. */
export function useLive(events: LiveEvent[], handler: (event: LiveEvent, payload: LivePayload) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  const key = events.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for events
  useEffect(() => {
    if (typeof window === 'undefined' || typeof WebSocket === 'undefined') return;
    const socket = liveSocket();
    const offs = events.map((e) => {
      const fn = (p: LivePayload) => ref.current(e, p);
      socket.on(e, fn);
      return () => socket.off(e, fn);
    });
    return () => {
      for (const off of offs) off();
      release();
    };
  }, [key]);
}
