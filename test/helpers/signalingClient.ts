// A typed socket.io client for tests: `request` sends a protocol request and
// resolves with its ack; `next` waits for a server-pushed event.
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientEvents,
  RequestName,
  RequestPayload,
  ResponseMap,
  ServerEvents,
} from '../../contract/signaling.ts';

export class SignalingClient {
  readonly socket: Socket<ServerEvents, ClientEvents>;
  private readonly events: { event: string; payload: unknown }[] = [];
  private readonly waiters: { event: string; resolve: (payload: unknown) => void }[] = [];

  constructor(url: string) {
    this.socket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
    this.socket.onAny((event: string, payload: unknown) => {
      const waiter = this.waiters.findIndex((w) => w.event === event);
      if (waiter >= 0) this.waiters.splice(waiter, 1)[0]?.resolve(payload);
      else this.events.push({ event, payload });
    });
  }

  connected(): Promise<void> {
    if (this.socket.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
  }

  request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<Ack<ResponseMap[N]>> {
    return this.raw(name, payload) as Promise<Ack<ResponseMap[N]>>;
  }

  /** Sends anything, for malformed-input tests. */
  raw(name: string, ...args: unknown[]): Promise<unknown> {
    return new Promise((resolve) => {
      (this.socket.emit as (...a: unknown[]) => void)(name, ...args, resolve);
    });
  }

  async ok<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    const ack = await this.request(name, payload);
    if (!ack.ok) throw new Error(`${name} refused: ${ack.error.code} ${ack.error.messageEn}`);
    return ack.data;
  }

  /** The next `event` (already received or yet to come). */
  next<E extends keyof ServerEvents>(event: E, timeoutMs = 5000): Promise<Parameters<ServerEvents[E]>[0]> {
    const index = this.events.findIndex((e) => e.event === event);
    if (index >= 0) return Promise.resolve(this.events.splice(index, 1)[0]?.payload as Parameters<ServerEvents[E]>[0]);
    return new Promise((resolve, reject) => {
      const waiter = {
        event,
        resolve: (payload: unknown) => {
          clearTimeout(timer);
          resolve(payload as Parameters<ServerEvents[E]>[0]);
        },
      };
      // A waiter that timed out must not swallow the event when it comes later.
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no ${event} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** RTP parameters a browser would send for a VP8 camera, enough for the router to accept. */
export function vp8RtpParameters(ssrc: number) {
  return {
    mid: '0',
    codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [] }],
    headerExtensions: [],
    encodings: [{ ssrc }],
    rtcp: { cname: `test-${ssrc}`, reducedSize: true },
  };
}

export function opusRtpParameters(ssrc: number) {
  return {
    mid: '1',
    codecs: [
      { mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2, parameters: {}, rtcpFeedback: [] },
    ],
    headerExtensions: [],
    encodings: [{ ssrc }],
    rtcp: { cname: `test-${ssrc}`, reducedSize: true },
  };
}
