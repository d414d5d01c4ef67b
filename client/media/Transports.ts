// The mediasoup-client Device and this site's two WebRTC transports: one sends
// our mic and camera, one receives the other sites. Their DTLS connect and
// produce callbacks are answered through signaling; their connection state is
// handed to whoever repairs it (Recovery).
import { Device } from 'mediasoup-client';
import type { RtpCapabilities, Transport } from 'mediasoup-client/types';
import type { IceServer, MediaSource, TransportOptions } from '../../contract/signaling.ts';
import type { SignalingChannel } from './SignalingChannel.ts';

/** localStorage key an operator (or a test) sets to 'relay' to send media only through TURN (strict NAT). */
const ICE_POLICY_KEY = 'diemcau.iceTransportPolicy';

function storedIcePolicy(): RTCIceTransportPolicy {
  try {
    return globalThis.localStorage?.getItem(ICE_POLICY_KEY) === 'relay' ? 'relay' : 'all';
  } catch {
    return 'all';
  }
}

/** What building the transports takes: the router's capabilities and the TURN servers (both from the join). */
export interface MediaSetup {
  routerRtpCapabilities: RtpCapabilities;
  iceServers: IceServer[];
}

/**
 * A producer's appData, through which the produce callback tells its owner
 * that the hub holds it paused (a mic while the site may not speak). A type,
 * not an interface, so it fits mediasoup's index-signature AppData.
 */
export type ProduceAppData = {
  source: MediaSource;
  heldByHub?: boolean;
};

export class Transports {
  send: Transport | null = null;
  recv: Transport | null = null;
  private device: Device | null = null;
  private iceServersKept: IceServer[] = [];

  constructor(
    private readonly signaling: SignalingChannel,
    private readonly onState: (transport: Transport, state: RTCPeerConnectionState) => void,
  ) {}

  /** TURN servers from the last join, for transports re-created after a worker loss. */
  get iceServers(): IceServer[] {
    return this.iceServersKept;
  }

  /**
   * Loads the device and creates both transports. After a worker loss the
   * media is on a new router, so a new device learns its capabilities.
   */
  async open(setup: MediaSetup, newDevice: boolean): Promise<void> {
    if (newDevice || !this.device) this.device = new Device();
    const device = this.device;
    if (!device.loaded) await device.load({ routerRtpCapabilities: setup.routerRtpCapabilities });
    await this.signaling.request('setRtpCapabilities', { rtpCapabilities: device.rtpCapabilities });
    this.iceServersKept = setup.iceServers;
    const sendOpts = await this.signaling.request('createTransport', { direction: 'send' });
    this.send = this.create(device, sendOpts, setup.iceServers);
    const recvOpts = await this.signaling.request('createTransport', { direction: 'recv' });
    this.recv = this.create(device, recvOpts, setup.iceServers);
  }

  /** Transports still open: their ids prove to the hub that the media it kept for us is ours. */
  live(): Transport[] {
    return [this.send, this.recv].filter((t): t is Transport => t !== null && !t.closed);
  }

  close(): void {
    this.send?.close();
    this.recv?.close();
    this.send = null;
    this.recv = null;
  }

  private create(device: Device, o: TransportOptions, iceServers: IceServer[]): Transport {
    const args = {
      id: o.id,
      iceParameters: o.iceParameters,
      iceCandidates: o.iceCandidates,
      dtlsParameters: o.dtlsParameters,
      iceServers,
      iceTransportPolicy: storedIcePolicy(),
    };
    const t = o.direction === 'send' ? device.createSendTransport(args) : device.createRecvTransport(args);
    t.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.signaling.request('connectTransport', { transportId: t.id, dtlsParameters }).then(() => callback(), errback);
    });
    if (o.direction === 'send') {
      t.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        const data = appData as ProduceAppData;
        this.signaling
          .request('produce', { transportId: t.id, kind, source: data.source, rtpParameters })
          .then(({ producerId, paused }) => {
            data.heldByHub = paused;
            callback({ id: producerId });
          })
          .catch(errback);
      });
    }
    t.on('connectionstatechange', (state) => this.onState(t, state));
    return t;
  }
}
