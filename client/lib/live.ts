// Live scheduler updates (socket.io namespace /live, authenticated by the
// session cookie): meetings created/updated/cancelled, invitation answers,
// attendance changes.
import { useEffect, useRef } from 'react';
import { io, type Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, type LiveEvent, type LiveMessage } from '../../contract/live.ts';

let shared: Socket | null = null;
let users = 0;

function liveSocket(): Socket {
  if (!shared) {
    shared = io(LIVE_NAMESPACE, { path: '/socket.io', transports: ['websocket'], withCredentials: true });
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
export function useLive<E extends LiveEvent>(events: E[], handler: (event: E, payload: LiveMessage<E>) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  const key = events.join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for events
  useEffect(() => {
    if (typeof window === 'undefined' || typeof WebSocket === 'undefined') return;
    const socket = liveSocket();
    const offs = events.map((e) => {
      const name: string = e; // the socket's listener map cannot be narrowed by a generic event name
      const fn = (p: LiveMessage<E>) => ref.current(e, p);
      socket.on(name, fn);
      return () => socket.off(name, fn);
    });
    return () => {
      for (const off of offs) off();
      release();
    };
  }, [key]);
}
