// Repairs, with the state visible as 'reconnecting' until done:
// - a transport's ICE path lost for 2 s, or failed → ICE restart on it;
// - the signaling socket lost → socket.io reconnects; we join again with a
//   fresh token naming our kept transports, and the hub either hands our media
//   back (resume: keep everything, restart ICE, since the network path may have
//   changed) or, past its grace period, admits us afresh (media rebuilt);
// - the hub's media worker died (mediaReset) → transports and producers
//   rebuilt in place, on a new device for the new router.
import type { Transport } from 'mediasoup-client/types';
import type { AudioSlotInfo, ProducerInfo } from '../../contract/signaling.ts';
import type { RemoteMedia } from './RemoteMedia.ts';
import { type SignalingChannel, SignalingFailure } from './SignalingChannel.ts';
import type { MediaSetup, Transports } from './Transports.ts';

/** `moving`: a hub of several pointed this site at another hub (MOVE_TO_HUB); it joins there. */
export type ConnectionState = 'idle' | 'connecting' | 'online' | 'reconnecting' | 'moving' | 'left' | 'failed';

/** How long a disconnected ICE path may come back by itself before we restart ICE. */
const ICE_GRACE_MS = 2000;
const REJOIN_FIRST_DELAY_MS = 500;
const REJOIN_MAX_DELAY_MS = 8000;

export interface RecoveryHost {
  signaling: SignalingChannel;
  transports: Transports;
  remote: RemoteMedia;
  state(): ConnectionState;
  setState(state: ConnectionState): void;
  /** In the meeting on the current socket. */
  joined(): boolean;
  /** Left or kicked out: nothing is repaired any more. */
  over(): boolean;
  /** Fetches a fresh token and joins (resuming when transports are kept). */
  join(): Promise<void>;
  closeMedia(): void;
  setUpMedia(setup: MediaSetup, newDevice: boolean): Promise<void>;
}

export class Recovery {
  private iceTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private rejoining: Promise<void> | null = null;

  constructor(private readonly host: RecoveryHost) {}

  // ---------------------------------------------------------------------------
  // Signaling lost and back

  /** The socket dropped (joined is already false). */
  socketLost(reason: string): void {
    if (this.host.over()) return;
    this.host.setState('reconnecting');
    // The server closed the socket on purpose: socket.io will not reconnect by itself.
    if (reason === 'io server disconnect') this.host.signaling.reconnect();
  }

  socketBack(): void {
    if (this.host.state() === 'reconnecting' && !this.host.over()) void this.rejoin();
  }

  /** Joins again until it works, backing off, while the socket is up and the meeting not left. */
  private rejoin(): Promise<void> {
    if (this.rejoining) return this.rejoining;
    this.rejoining = (async () => {
      let delay = REJOIN_FIRST_DELAY_MS;
      while (!this.host.over() && this.host.signaling.connected) {
        try {
          await this.host.join();
          return;
        } catch (err) {
          if (this.host.over() || (err instanceof SignalingFailure && err.code === 'ALREADY_JOINED')) return;
          await new Promise((r) => setTimeout(r, delay));
          delay = Math.min(delay * 2, REJOIN_MAX_DELAY_MS);
        }
      }
    })().finally(() => {
      this.rejoining = null;
    });
    return this.rejoining;
  }

  /**
   * The hub kept our media while the connection was down: keep transports,
   * producers and consumers, drop what closed meanwhile, learn what is new,
   * and restart ICE since the network path may have changed.
   */
  async resume(producers: ProducerInfo[], slots: AudioSlotInfo[]): Promise<void> {
    this.host.remote.resume(producers, slots);
    for (const t of this.host.transports.live()) await this.restartIce(t);
  }

  // ---------------------------------------------------------------------------
  // ICE path

  transportState(t: Transport, state: RTCPeerConnectionState): void {
    this.clearTimer(t.id);
    if (state === 'connected') {
      if (this.host.state() === 'reconnecting' && this.host.joined()) this.host.setState('online');
      return;
    }
    if (this.host.over() || !this.host.joined()) return;
    if (state === 'disconnected') {
      this.host.setState('reconnecting');
      // Give the path a moment to come back on its own, then restart ICE.
      this.iceTimers.set(
        t.id,
        setTimeout(() => void this.restartIce(t), ICE_GRACE_MS),
      );
    } else if (state === 'failed') {
      this.host.setState('reconnecting');
      void this.restartIce(t);
    }
  }

  private async restartIce(t: Transport): Promise<void> {
    if (t.closed || !this.host.joined()) return;
    try {
      const { iceParameters } = await this.host.signaling.request('restartIce', { transportId: t.id });
      await t.restartIce({ iceParameters });
    } catch {
      // Signaling is down too: the socket reconnection path repairs everything.
    }
  }

  // ---------------------------------------------------------------------------
  // Media worker lost

  /** mediaReset: the meeting and our place in it remain; transports and producers are built again. */
  async rebuild(): Promise<void> {
    const host = this.host;
    host.closeMedia();
    if (!host.joined()) return;
    host.setState('reconnecting');
    try {
      const { rtpCapabilities } = await host.signaling.request('getRouterRtpCapabilities', {});
      await host.setUpMedia({ routerRtpCapabilities: rtpCapabilities, iceServers: host.transports.iceServers }, true);
      host.setState('online');
      host.remote.scheduleReconcile();
    } catch {
      host.setState('reconnecting');
    }
  }

  /** Cancels pending ICE restarts (the transports are closing). */
  clearTimers(): void {
    for (const t of this.iceTimers.values()) clearTimeout(t);
    this.iceTimers.clear();
  }

  private clearTimer(transportId: string): void {
    const timer = this.iceTimers.get(transportId);
    if (timer) clearTimeout(timer);
    this.iceTimers.delete(transportId);
  }
}
