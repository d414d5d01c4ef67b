// One edge hub of a meeting, as its home sees it: the pipe to it and the
// streams sent down it (the chair's, the audio slots, the sites its sites may
// show: sfu/span/FeaturedSites.ts), each once whatever the number of the
// edge's sites.
import type { types } from 'mediasoup';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { Peer, ProducerAppData } from '../Peer.ts';
import type { RemotePipe } from '../RemotePipe.ts';
import { SerialQueue } from '../SerialQueue.ts';
import type { HubBus } from './HubBus.ts';
import type { SiteStream } from './messages.ts';

export class EdgeLink {
  readonly sent = new Map<string, types.Consumer>();
  /** Streams are sent in the order they were produced. */
  readonly queue = new SerialQueue();
  /** Sites of the home (other than the chair) the edge was told of and has not been told gone. */
  readonly known = new Set<string>();
  /** Of those, the ones its sites may show now (staged, presenting, in the grid). */
  readonly featured = new Set<string>();
  /** The featured sites' streams sent down (the others in `sent` are the chair's and the slots). */
  readonly featuredStreams = new Set<string>();
  closed = false;

  constructor(
    readonly hubId: string,
    readonly pipe: RemotePipe,
    private readonly meeting: MeetingRoom,
    private readonly bus: HubBus,
  ) {}

  tell(type: string, body: unknown): void {
    if (!this.closed) this.bus.tell(this.hubId, this.meeting.id, type, body);
  }

  /**
   * Sends a producer down the pipe; its pauses and its end follow it there.
   * A `held` stream crosses only while a site of the edge watches it (`demand`).
   */
  async send(site: Peer, producer: types.Producer<ProducerAppData>, held = false): Promise<SiteStream> {
    const { planes, demand } = this.meeting;
    await planes.pipe(producer.id, site.workerIndex, planes.homeIndex);
    const { consumer, stream } = await this.pipe.send(producer.id);
    this.sent.set(producer.id, consumer);
    if (held) await consumer.pause();
    // The edge's viewers count as one: it says when none of them watches (`demand`).
    demand.watch(consumer);
    consumer.on('producerpause', () => this.tell('streamPaused', { producerId: producer.id, paused: true }));
    consumer.on('producerresume', () => this.tell('streamPaused', { producerId: producer.id, paused: false }));
    consumer.observer.once('close', () => {
      this.sent.delete(producer.id);
      demand.unwatch(consumer);
      demand.update(producer.id);
      this.tell('streamClosed', { producerId: producer.id });
    });
    return { peerId: site.id, source: producer.appData.source, stream };
  }

  close(): void {
    this.closed = true;
    this.pipe.close();
  }
}
