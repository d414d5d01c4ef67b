// One end of a pipe to a router on another host: a mediasoup PipeTransport
// with SRTP on (the network between hosts is not trusted) and RTX/NACK on
// (packets lost between hosts are sent again). Both ends are created, exchange
// their address and SRTP key over a control channel, then connect to each
// other. A stream crosses by a consumer on the sending end and a producer on
// the receiving end, as `pipeToRouter` does inside one process. Used between
// the hubs of one deployment (sfu/span/) and between deployments (sfu/cascade/).
import type { types } from 'mediasoup';

/** What one end tells the other so that it can connect. */
export interface PipeEndpoint {
  ip: string;
  port: number;
  srtpParameters: types.SrtpParameters;
}

/** A stream on its way across: what the receiving end produces. */
export interface CrossingStream {
  producerId: string;
  kind: types.MediaKind;
  rtpParameters: types.RtpParameters;
  paused: boolean;
}

export interface PipeAddress {
  /** The address the transport binds (RTC_LISTEN_IP). */
  listenIp: string;
  /** The address the other end sends to (HUB_PIPE_ADDRESS, CASCADE_PIPE_ADDRESS). */
  announcedIp: string;
}

export class RemotePipe {
  private constructor(readonly transport: types.PipeTransport) {}

  static async open(router: types.Router, address: PipeAddress): Promise<RemotePipe> {
    const transport = await router.createPipeTransport({
      listenIp: { ip: address.listenIp, announcedIp: address.announcedIp },
      enableSrtp: true,
      enableRtx: true,
      enableSctp: false,
    });
    return new RemotePipe(transport);
  }

  get endpoint(): PipeEndpoint {
    const { tuple, srtpParameters } = this.transport;
    if (!srtpParameters) throw new Error('the pipe transport has no SRTP parameters');
    return { ip: tuple.localIp, port: tuple.localPort, srtpParameters };
  }

  get closed(): boolean {
    return this.transport.closed;
  }

  connect(remote: PipeEndpoint): Promise<void> {
    return this.transport.connect({ ip: remote.ip, port: remote.port, srtpParameters: remote.srtpParameters });
  }

  /** Sends a producer of this router across; the consumer follows its producer's pauses and close. */
  async send(producerId: string): Promise<{ consumer: types.Consumer; stream: CrossingStream }> {
    const consumer = await this.transport.consume({ producerId });
    return {
      consumer,
      stream: {
        producerId,
        kind: consumer.kind,
        rtpParameters: consumer.rtpParameters,
        paused: consumer.producerPaused,
      },
    };
  }

  /**
   * Receives a stream sent from the other end. Within one deployment it keeps
   * the sender's producer id (every hub then speaks of it by one name); from
   * another deployment (`newId`) the id is this router's own, so a stream sent
   * again over a new link never meets its earlier self.
   */
  receive<A extends types.AppData>(stream: CrossingStream, appData: A, newId = false): Promise<types.Producer<A>> {
    return this.transport.produce<A>({
      ...(newId ? {} : { id: stream.producerId }),
      kind: stream.kind,
      rtpParameters: stream.rtpParameters,
      paused: stream.paused,
      appData,
    });
  }

  /** Runs `then` once, when the transport closes (the link, the meeting or its worker ends). */
  onClose(then: () => void): void {
    this.transport.observer.once('close', then);
  }

  close(): void {
    this.transport.close();
  }
}
