// A site of another deployment in this meeting: a Peer without a socket whose
// media arrives over a cascade pipe instead of a browser's WebRTC transport.
// It is admitted, shown on the chair's board, staged, muted and removed like
// any site; its connection ignores notifications, and a kick (the chair
// removed it, the meeting ended) closes the link. Both ends of a link use it:
// deployment A for the site B sends back, deployment B for A's meeting.
// A stream paused or resumed on one side is paused or resumed on the other
// (within what the chair here allows); the upstream meeting's audio slots
// arrive as voices for this meeting's own slots, not as the site's microphone.
import type { types } from 'mediasoup';
import type { JoinClaims } from '../../contract/joinToken.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { Peer, ProducerAppData } from '../Peer.ts';
import { type PipeAddress, RemotePipe } from '../RemotePipe.ts';
import { SerialQueue } from '../SerialQueue.ts';
import { relayedSpeakerId } from './CascadeSetup.ts';
import type { Outgoing } from './outgoing.ts';
import type { PipeEnd, PipeStream } from './wire.ts';

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
  /** What goes to the other side: the sending producer's id → the pipe's consumer of it, as last told. */
  private readonly sent = new Map<string, { stream: PipeStream; consumer: types.Consumer }>();
  /** What the other side was last told, to see whether anything changed since. */
  private sentSignature = '';
  /** What comes from the other side: its producer id → this side's producer of it. */
  private readonly received = new Map<string, types.Producer<ProducerAppData>>();
  /** The audio slots of this meeting the linked site feeds now: they do not go back to it. */
  private readonly fedSlots = new Set<number>();
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
      // Its voice holds one of this meeting's slots: that slot must not carry it back.
      excludeSelf: async (slot, excluded) => link?.excludeSlot(slot, excluded),
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

  /** Whether `outgoing` is not what the other side was last told (a stream added, gone, paused or resumed). */
  differs(outgoing: readonly Outgoing[]): boolean {
    return signatureOf(outgoing) !== this.sentSignature;
  }

  /** Sends `outgoing` as it is now and stops sending the rest; answers every stream being sent. */
  send(outgoing: readonly Outgoing[]): Promise<PipeStream[]> {
    return this.queue.run(async () => {
      const wanted = new Map(outgoing.map((stream) => [stream.producerId, stream]));
      for (const [id, { consumer }] of this.sent) {
        if (wanted.has(id) && !consumer.closed) continue;
        consumer.close();
        this.sent.delete(id);
      }
      for (const out of outgoing) {
        const known = this.sent.get(out.producerId);
        if (known) {
          known.stream = { ...known.stream, paused: out.paused };
          continue;
        }
        if (this.closed) break;
        await this.meeting.planes.pipe(out.producerId, out.fromWorker, this.site.workerIndex);
        const { consumer, stream } = await this.pipe.send(out.producerId);
        this.sent.set(out.producerId, { consumer, stream: { ...stream, source: out.source, paused: out.paused } });
        if (out.source !== 'slot') this.meeting.producers.watchFromAfar(consumer);
        else if (this.fedSlots.has(this.meeting.slots.find(out.producerId) ?? -1)) await consumer.pause();
      }
      this.sentSignature = signatureOf(outgoing);
      return [...this.sent.values()].map(({ stream }) => stream);
    });
  }

  /** While the linked site feeds audio slot `slot`, the slot's stream to the other side is held. */
  private async excludeSlot(slot: number, excluded: boolean): Promise<void> {
    if (excluded) this.fedSlots.add(slot);
    else this.fedSlots.delete(slot);
    const producerId = this.meeting.slots.info().find((s) => s.index === slot)?.producerId;
    const consumer = producerId ? this.sent.get(producerId)?.consumer : undefined;
    if (!consumer || consumer.closed) return;
    if (excluded) await consumer.pause();
    else await consumer.resume();
  }

  /**
   * Produces what the other side sends now (its site's voice and picture as
   * this site's, its slots as voices for this meeting's slots), follows its
   * pauses, and closes what it stopped sending.
   */
  receive(streams: PipeStream[]): Promise<void> {
    return this.queue.run(async () => {
      const listed = new Set(streams.map((stream) => stream.producerId));
      for (const [id, producer] of this.received) {
        if (listed.has(id) && !producer.closed) continue;
        producer.close();
        this.received.delete(id);
      }
      for (const stream of streams) {
        const known = this.received.get(stream.producerId);
        if (known) await this.follow(known, stream.paused);
        else if (!this.closed) await this.produce(stream);
      }
    });
  }

  private async produce(stream: PipeStream): Promise<void> {
    const source = stream.source === 'slot' ? 'mic' : stream.source;
    const appData: ProducerAppData = { peerId: this.site.id, source, wanted: true };
    const producer = await this.pipe.receive(stream, appData, true);
    this.received.set(stream.producerId, producer);
    if (stream.source === 'slot') {
      await this.meeting.slots.listen(this.site, producer, relayedSpeakerId(this.site.id, producer.id));
    } else {
      await this.meeting.producers.adopt(this.site, producer);
    }
  }

  /** The other side paused or resumed a stream; a voice the chair here holds stays paused. */
  private async follow(producer: types.Producer<ProducerAppData>, paused: boolean): Promise<void> {
    if (producer.closed || producer.paused === paused) return;
    if (!this.site.producers.has(producer.id)) {
      // A relayed slot: only this meeting's slots hear it.
      if (paused) await producer.pause();
      else await producer.resume();
      return;
    }
    if (!paused && producer.appData.source === 'mic' && !this.meeting.decisions.canSpeak(this.site)) return;
    await this.meeting.producers.setPaused(this.site, producer, paused);
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

function signatureOf(outgoing: readonly Outgoing[]): string {
  return outgoing
    .map((stream) => `${stream.producerId}:${stream.paused}`)
    .sort()
    .join(',');
}
