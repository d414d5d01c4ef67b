// What a bot's send and recv transports share: the settings msc-node needs
// for werift on loopback, the DTLS handshake signalled to the hub, a watchdog
// that recreates a transport not connected in time (`--connect-timeout`, see
// docs/performance.md), and the limit on how often each is created.
import type { Device } from 'msc-node';
import type { Transport } from 'msc-node/lib/Transport.js';
import type { TransportOptions } from '../../../contract/signaling.ts';
import type { BotConfig } from './BotConfig.ts';
import { BotError } from './BotError.ts';
import type { BotSignaling } from './BotSignaling.ts';
import { type DtlsKeys, loopbackSettings } from './media.ts';

export class BotTransports {
  private readonly watchdogs = new Set<NodeJS.Timeout>();
  /** Transports created per direction since the join or the last media reset. */
  private readonly attempts = { send: 0, recv: 0 };
  private closed = false;

  constructor(
    private readonly signaling: BotSignaling,
    private readonly keys: DtlsKeys,
    private readonly config: Pick<BotConfig, 'connectTimeoutMs' | 'maxTransportAttempts'>,
    private readonly onRetry: () => void,
    private readonly onFail: (err: unknown) => void,
  ) {}

  /** Counts one more transport in `direction`; throws when that is past `maxTransportAttempts`. */
  countAttempt(direction: 'send' | 'recv'): void {
    const max = this.config.maxTransportAttempts;
    if (++this.attempts[direction] > max) {
      throw new BotError(`${direction} transport did not connect in ${max} attempts`);
    }
  }

  /** A fresh run of attempts in both directions, after a media reset (the site's worker restarted). */
  resetAttempts(): void {
    this.attempts.send = 0;
    this.attempts.recv = 0;
  }

  /** msc-node's options for a transport the hub created. */
  settings(options: TransportOptions) {
    return {
      id: options.id,
      iceParameters: options.iceParameters,
      iceCandidates: options.iceCandidates,
      dtlsParameters: options.dtlsParameters,
      additionalSettings: loopbackSettings(this.keys),
    } as Parameters<Device['createSendTransport']>[0];
  }

  /** Passes the transport's DTLS parameters to the hub and starts its watchdog, which runs `recreate`. */
  signalConnect(transport: Transport, recreate: () => Promise<void>): void {
    transport.on(
      'connect',
      ({ dtlsParameters }: { dtlsParameters: unknown }, callback: () => void, errback: (e: Error) => void) => {
        this.signaling
          .request('connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never })
          .then(() => callback())
          .catch(errback);
        this.watch(transport, recreate);
      },
    );
  }

  /** Recreates `transport` if it is not connected `config.connectTimeoutMs` after its DTLS started. */
  private watch(transport: Transport, recreate: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.watchdogs.delete(timer);
      if (this.closed || transport.closed || transport.connectionState === 'connected') return;
      this.onRetry();
      recreate().catch((err) => this.onFail(err));
    }, this.config.connectTimeoutMs);
    this.watchdogs.add(timer);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.watchdogs) clearTimeout(timer);
  }
}
