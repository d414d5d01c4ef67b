// What one simulated site is told to do: where to join, what to send and receive, its timeouts.
import type { VideoProfile } from './media.ts';

export interface BotConfig {
  /** Signaling URL (http://127.0.0.1:port). */
  url: string;
  token: string;
  label: string;
  sendAudio: boolean;
  /** Blank VP8 to send, or null for audio only. */
  sendVideo: VideoProfile | null;
  /** Consume the chair's producers (sites); the chair bot consumes nothing. */
  consumeChair: boolean;
  /** Watchdog: a transport not connected this long after its DTLS start is recreated. */
  connectTimeoutMs: number;
  /** Give up on a transport after this many attempts. */
  maxTransportAttempts: number;
  /** Ack timeout for signaling requests. */
  requestTimeoutMs: number;
}
