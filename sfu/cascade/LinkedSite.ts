// A site of another deployment in this meeting: a Peer without a socket whose
// media arrives over a cascade pipe instead of a browser's WebRTC transport.
// It is admitted, shown on the chair's board, staged, muted and removed like
// any site; its connection ignores notifications, and a kick (the chair
// removed it, the meeting ended) closes the link. Both ends of a link use it:
// deployment A for the site B sends back, deployment B for A's meeting.
import type { types } from 'mediasoup';
import type { JoinClaims } from '../../contract/joinToken.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { Peer, ProducerAppData } from '../Peer.ts';
import { type PipeAddress, RemotePipe } from '../RemotePipe.ts';
import { SerialQueue } from '../SerialQueue.ts';
import { CASCADE_SOURCES, type CascadeSource, type PipeEnd, type PipeStream } from './wire.ts';

export interface LinkedSiteSpec {
  /** The site's id in this meeting, e.g. "cascade-quocgia". */
  siteId: string;
  displayName: string;
  cascade: 'upstream' | 'downstream';
  address: PipeAddress;
}

export class LinkedSite {
  private closed = false;
  private readonly goneHandlers: (() => void)[] = [];
  /** What goes to the other side: the sending site's producer id → the pipe's consumer of it. */
  private readonly sent = new Map<string, { stream: PipeStream; consumer: types.Consumer }>();
  /** What comes from the other side: its producer id → this site's producer of it. */
  private readonly received = new Map<string, types.Producer<ProducerAppData>>();
  /** Sending and receiving change one at a time (the opening, then each sync). */
  private readonly queue = new SerialQueue();

  private constructor(
    private readonly meeting: MeetingRoom,
    readonly site: Peer,
    private readonly pipe: RemotePipe,
  ) {
    // The pipe closes with its router too (the meeting closed, its worker died).
    pipe.onClose(() => this.close());
  }

  /** Lets the linked site into `meeting` (the meeting's lock and cap apply) and opens its pipe. */
  static async admit(meeting: MeetingRoom, spec: LinkedSiteSpec): Promise<LinkedSite> {
    let link: LinkedSite | undefined;
    const claims: JoinClaims = {
      meetingId: meeting.id,
      roomId: spec.siteId,
      role: 'site',
      displayName: spec.displayName,
      maxSites: meeting.state().maxSites,
      mode: meeting.state().mode,
    };
    const site = await meeting.admission.admit(claims, {
      notify: () => {},
      // After the kick's caller has taken the site out (a replaced site is detached right after).
      disconnect: () => queueMicrotask(() => link?.close()),
    });
    site.cascade = spec.cascade;
    try {
      const { router } = await meeting.planes.of(site);
      link = new LinkedSite(meeting, site, await RemotePipe.open(router, spec.address));
      return link;
    } catch (err) {
      meeting.admission.leave(site, 'left');
      throw err;
    }
  }

  get end(): PipeEnd {
    return this.pipe.endpoint;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  connect(remote: PipeEnd): Promise<void> {
    return this.pipe.connect(remote);
  }

  /**
   * Sends `sender`'s voice and picture as they are now (null: nothing) and
   * stops sending what it no longer produces; answers every stream being sent.
   */
  send(sender: Peer | null): Promise<PipeStream[]> {
    return this.queue.run(async () => {
      const current = new Map<string, { producer: types.Producer<ProducerAppData>; source: CascadeSource }>();
      for (const source of CASCADE_SOURCES) {
        const producer = sender?.producerFor(source);
        if (producer) current.set(producer.id, { producer, source });
      }
      for (const [id, { consumer }] of this.sent) {
        if (current.has(id) && !consumer.closed) continue;
        consumer.close();
        this.sent.delete(id);
      }
      for (const [id, { producer, source }] of current) {
        if (!sender || this.sent.has(id) || this.closed) continue;
        await this.meeting.planes.pipe(id, sender.workerIndex, this.site.workerIndex);
        const { consumer, stream } = await this.pipe.send(producer.id);
        const sent = { consumer, stream: { ...stream, source } };
        this.sent.set(id, sent);
        this.meeting.producers.watchFromAfar(sent.consumer);
      }
      return [...this.sent.values()].map(({ stream }) => stream);
    });
  }

  /** Produces what the other side sends now as this site's microphone and camera, and closes what it stopped sending. */
  receive(streams: PipeStream[]): Promise<void> {
    return this.queue.run(async () => {
      const listed = new Set(streams.map((stream) => stream.producerId));
      for (const [id, producer] of this.received) {
        if (listed.has(id) && !producer.closed) continue;
        producer.close();
        this.received.delete(id);
      }
      for (const stream of streams) {
        if (this.received.has(stream.producerId) || this.closed) continue;
        const appData: ProducerAppData = { peerId: this.site.id, source: stream.source, wanted: true };
        const producer = await this.pipe.receive(stream, appData, true);
        this.received.set(stream.producerId, producer);
        await this.meeting.producers.adopt(this.site, producer);
      }
    });
  }

  /** Runs `then` once when the link closes, whoever closed it. */
  onGone(then: () => void): void {
    if (this.closed) then();
    else this.goneHandlers.push(then);
  }

  /** The site leaves the meeting and its pipe closes (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.meeting.admission.leave(this.site, 'left');
    this.pipe.close();
    for (const then of this.goneHandlers.splice(0)) then();
  }
}
