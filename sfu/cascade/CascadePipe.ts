// One end of a cascade link's media: a mediasoup PipeTransport with SRTP on a
// meeting's router, connected to the other deployment's end. What one side
// consumes into it, the other produces from it with the same RTP parameters
// (what router.pipeToRouter does inside one process, here across two
// deployments; docs/scaling.md, "Across hosts").
import type { types } from 'mediasoup';
import type { ProducerAppData } from '../Peer.ts';
import type { CascadeSource, PipeEnd, PipeStream } from './wire.ts';

/** Where this hub's cascade pipes listen and what address they give the other side. */
export interface PipeAddress {
  listenIp: string;
  announcedIp: string;
}

export class CascadePipe {
  private constructor(private readonly transport: types.PipeTransport) {}

  static async open(router: types.Router, address: PipeAddress): Promise<CascadePipe> {
    const transport = await router.createPipeTransport({
      listenIp: { ip: address.listenIp, announcedIp: address.announcedIp },
      enableSrtp: true,
      // Across networks packets get lost: both ends retransmit (NACK/RTX).
      enableRtx: true,
    });
    return new CascadePipe(transport);
  }

  /** What the other side needs to send here. */
  get end(): PipeEnd {
    const { tuple, srtpParameters } = this.transport;
    if (!srtpParameters) throw new Error('cascade pipe without SRTP');
    return { ip: tuple.localIp, port: tuple.localPort, srtpParameters };
  }

  get closed(): boolean {
    return this.transport.closed;
  }

  connect(remote: PipeEnd): Promise<void> {
    return this.transport.connect({ ip: remote.ip, port: remote.port, srtpParameters: remote.srtpParameters });
  }

  /** Sends `producer` to the other side: the stream describes it for the other side's `receive`. */
  async send(
    producer: types.Producer,
    source: CascadeSource,
  ): Promise<{ stream: PipeStream; consumer: types.Consumer }> {
    const consumer = await this.transport.consume({ producerId: producer.id });
    const { kind, rtpParameters, producerPaused: paused } = consumer;
    return { stream: { producerId: producer.id, source, kind, rtpParameters, paused }, consumer };
  }

  /** A producer of what the other side sends, owned by the linked site `peerId`. */
  receive(stream: PipeStream, peerId: string): Promise<types.Producer<ProducerAppData>> {
    return this.transport.produce<ProducerAppData>({
      kind: stream.kind,
      rtpParameters: stream.rtpParameters,
      paused: stream.paused,
      appData: { peerId, source: stream.source, wanted: true },
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
