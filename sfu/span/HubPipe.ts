// One end of the pipe between two hubs carrying a meeting: a mediasoup
// PipeTransport on the meeting's router, SRTP on (the hubs' LAN is not
// trusted), RTX and NACK on (packets lost between hosts are sent again).
// Both ends are created, exchange their address and SRTP key over the hubs'
// control channel, then connect to each other. A stream crosses by a consumer
// on the sending end and a producer of the same id on the receiving end, as
// `pipeToRouter` does inside one process.
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
  /** The address the other hub sends to (HUB_PIPE_ADDRESS). */
  announcedIp: string;
}

export class HubPipe {
  private constructor(readonly transport: types.PipeTransport) {}

  static async open(router: types.Router, address: PipeAddress): Promise<HubPipe> {
    const transport = await router.createPipeTransport({
      listenIp: { ip: address.listenIp, announcedIp: address.announcedIp },
      enableSrtp: true,
      enableRtx: true,
      enableSctp: false,
    });
    return new HubPipe(transport);
  }

  get endpoint(): PipeEndpoint {
    const { tuple, srtpParameters } = this.transport;
    if (!srtpParameters) throw new Error('the pipe transport has no SRTP parameters');
    return { ip: tuple.localIp, port: tuple.localPort, srtpParameters };
  }

  connect(remote: PipeEndpoint): Promise<void> {
    return this.transport.connect(remote);
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

  /** Receives a stream sent from the other end, as a producer with the same id. */
  receive<A extends types.AppData>(stream: CrossingStream, appData: A): Promise<types.Producer<A>> {
    return this.transport.produce<A>({
      id: stream.producerId,
      kind: stream.kind,
      rtpParameters: stream.rtpParameters,
      paused: stream.paused,
      appData,
    });
  }

  close(): void {
    this.transport.close();
  }
}
