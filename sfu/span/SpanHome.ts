// The home hub's side of a meeting that spans hubs. The home runs the meeting
// (the chair, the audio slots, the decisions saved to the schedule); for each
// edge hub it holds one pipe (sfu/span/RemotePipe.ts) and sends down it the
// chair's streams and the K audio slots, each once whatever the number of the
// edge's sites; up it come the edge's microphones, tapped for the slots like
// this hub's own. The staged, presenting and grid sites go down too, to the
// edges whose sites show them (FeaturedSites.ts). It lists the edge's sites
// (RemoteSite) so the chair's board shows them and the chair's controls act
// on them; every change of the decisions is told to every edge.
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { KickReason } from '../../contract/signaling.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { Peer, PeerConnection, ProducerAppData } from '../Peer.ts';
import { type PipeAddress, RemotePipe } from '../RemotePipe.ts';
import { EdgeLink } from './EdgeLink.ts';
import { FeaturedSites } from './FeaturedSites.ts';
import type { HubBus, SpanEnvelope } from './HubBus.ts';
import { setCrossingLayer } from './LayeredCrossing.ts';
import type {
  DemandMessage,
  LayerMessage,
  OpenAnswer,
  OpenRequest,
  Replica,
  SiteInfoMessage,
  SiteLeftMessage,
  SiteStream,
  SlotStreamMessage,
  StreamClosedMessage,
  StreamPausedMessage,
} from './messages.ts';
import { RemoteSite } from './RemoteSite.ts';
import type { LeaveReason, SpanSide } from './SpanSide.ts';

export class SpanHome implements SpanSide {
  readonly edge = false;
  private readonly edges = new Map<string, EdgeLink>();
  private replicaDue = false;
  /** The staged, presenting and grid sites, down to the edges whose sites may show them. */
  private readonly featured: FeaturedSites;

  constructor(
    private readonly meeting: MeetingRoom,
    private readonly bus: HubBus,
    private readonly address: PipeAddress,
    private readonly log: Logger,
    private readonly onClose: () => void,
  ) {
    this.featured = new FeaturedSites(meeting, () => this.edges.values(), log);
  }

  handle(message: SpanEnvelope): Promise<unknown> {
    const { from, body } = message;
    switch (message.type) {
      case 'open':
        return this.open(from, body as OpenRequest);
      case 'siteJoined':
        return Promise.resolve(this.remoteJoined(from, (body as SiteInfoMessage).info));
      case 'siteUpdated':
        return Promise.resolve(this.remoteUpdated(from, body as SiteInfoMessage));
      case 'siteLeft':
        return Promise.resolve(this.remoteLeft(from, body as SiteLeftMessage));
      case 'demand':
        return this.demand(from, body as DemandMessage);
      case 'layer':
        return this.layer(from, body as LayerMessage);
      case 'stream':
        return this.receive(from, body as SiteStream);
      case 'streamPaused':
        return this.streamPaused(from, body as StreamPausedMessage);
      case 'streamClosed':
        return Promise.resolve(this.streamClosed(from, body as StreamClosedMessage));
      case 'closed':
        return Promise.resolve(this.edgeClosed(from));
      default:
        throw new Error(`unknown span message ${message.type}`);
    }
  }

  /** An edge hub opened the meeting: the pipe pair, and what it needs to show the chair. */
  private async open(hubId: string, request: OpenRequest): Promise<OpenAnswer> {
    this.edgeClosed(hubId); // an edge that restarted opens afresh
    const pipe = await RemotePipe.open(await this.meeting.planes.homeRouter(), this.address);
    await pipe.connect(request.pipe);
    const link = new EdgeLink(hubId, pipe, this.meeting, this.bus);
    this.edges.set(hubId, link);
    // The pipe died with this hub's worker: the edge opens the meeting again (a new pipe, the same home).
    pipe.transport.observer.once('close', () => {
      if (link.closed) return;
      link.closed = true;
      this.bus.tell(hubId, this.meeting.id, 'homeClosed', {});
    });
    const chair = this.chair();
    const streams = chair
      ? await Promise.all([...chair.producers.values()].map((producer) => link.send(chair, producer)))
      : [];
    const slots = await Promise.all(this.meeting.slots.info().map((slot) => this.sendSlot(link, slot)));
    this.featured.follow(link);
    this.log.info({ meetingId: this.meeting.id, edge: hubId }, 'meeting piped to an edge hub');
    return {
      pipe: pipe.endpoint,
      chair: chair ? this.meeting.audience.info(chair) : null,
      streams,
      slots,
      replica: this.replica(),
    };
  }

  /** The chair connected to this hub (a chair elsewhere is not piped from here). */
  private chair(): Peer | undefined {
    return [...this.meeting.sites.values()].find((site) => site.isChair && !site.remote);
  }

  /** An audio slot down the pipe: it lives on this router (sfu/AudioSlots.ts), it never pauses. */
  private async sendSlot(link: EdgeLink, slot: { index: number; producerId: string }): Promise<SlotStreamMessage> {
    const { consumer, stream } = await link.pipe.send(slot.producerId);
    link.sent.set(slot.producerId, consumer);
    consumer.observer.once('close', () => link.sent.delete(slot.producerId));
    return { index: slot.index, stream };
  }

  private tellEdges(type: string, body: unknown): void {
    for (const link of this.edges.values()) this.bus.tell(link.hubId, this.meeting.id, type, body);
  }

  private replica(): Replica {
    const { decisions } = this.meeting;
    return {
      live: decisions.snapshot(),
      stageSiteId: decisions.stageSiteId,
      floorSince: decisions.floorTimes(),
      connectedSites: this.meeting.sites.size,
      presentRequests: [...decisions.presentRequests],
      recording: this.meeting.recording.state(),
    };
  }

  /** Decisions often change several times in one step: the edges get the result once. */
  private replicate(): void {
    if (this.replicaDue || this.edges.size === 0) return;
    this.replicaDue = true;
    queueMicrotask(() => {
      this.replicaDue = false;
      this.tellEdges('replica', this.replica());
    });
  }

  // ------------------------------------------------------------------ this hub's meeting changes

  siteJoined(site: Peer): void {
    if (site.isChair && !site.remote) this.tellEdges('chair', { info: this.meeting.audience.info(site) });
    this.replicate();
    this.featured.refresh();
  }

  siteChanged(site: Peer): void {
    if (site.isChair && !site.remote) this.tellEdges('chair', { info: this.meeting.audience.info(site) });
    this.featured.changed(site);
  }

  siteLeft(site: Peer, reason: LeaveReason): void {
    if (site.isChair && !site.remote) this.tellEdges('chair', { info: null });
    this.replicate();
    this.featured.left(site, reason);
  }

  produced(site: Peer, producer: types.Producer<ProducerAppData>): void {
    if (!site.isChair || site.remote) {
      this.featured.refresh();
      return;
    }
    for (const link of this.edges.values()) {
      void link.queue
        .run(async () => {
          if (link.closed || producer.closed) return;
          link.tell('stream', await link.send(site, producer));
        })
        .catch((err: Error) => this.log.warn({ edge: link.hubId, err: err.message }, 'could not pipe a stream'));
    }
  }

  meetingChanged(): void {
    this.replicate();
    this.featured.refresh();
  }

  slotsChanged(): void {
    for (const link of this.edges.values()) {
      void link.queue
        .run(async () => {
          const slots = await Promise.all(this.meeting.slots.info().map((slot) => this.sendSlot(link, slot)));
          if (!link.closed) this.bus.tell(link.hubId, this.meeting.id, 'slots', { slots });
        })
        .catch((err: Error) => this.log.warn({ edge: link.hubId, err: err.message }, 'could not pipe the slots'));
    }
  }

  connectedSites(): number {
    return this.meeting.sites.size;
  }

  // ------------------------------------------------------------------ the edges' sites

  private remoteJoined(hubId: string, info: SiteInfoMessage['info']): void {
    const known = this.meeting.sites.get(info.id);
    if (known instanceof RemoteSite && known.hubId === hubId) {
      known.report(info);
      this.meeting.audience.announceSite(known);
      return;
    }
    const site = new RemoteSite(info, hubId, this.meeting.planes.homeIndex, this.connectionTo(hubId, info.id));
    this.meeting.admission.enter(site);
  }

  private remoteSite(hubId: string, siteId: string): RemoteSite | null {
    const site = this.meeting.sites.get(siteId);
    return site instanceof RemoteSite && site.hubId === hubId ? site : null;
  }

  private remoteUpdated(hubId: string, { info }: SiteInfoMessage): void {
    const site = this.remoteSite(hubId, info.id);
    if (!site) return;
    site.report(info);
    this.meeting.audience.announceSite(site);
  }

  private remoteLeft(hubId: string, { siteId, reason }: SiteLeftMessage): void {
    const site = this.remoteSite(hubId, siteId);
    // A site replaced on its hub comes back at once (`siteJoined`): it keeps the floor meanwhile.
    if (site) this.meeting.admission.leave(site, reason === 'replaced' ? 'disconnected' : reason);
  }

  /**
   * What the home tells a site of an edge goes to its hub when it matters
   * there: its removal, and whether a site here watches its camera (which
   * then crosses the pipe) and at which layer.
   */
  private connectionTo(hubId: string, siteId: string): PeerConnection {
    return {
      layerDemand: (producerId, spatialLayer) =>
        this.bus.tell(hubId, this.meeting.id, 'layer', { producerId, spatialLayer }),
      notify: (event, payload) => {
        if (event === 'mediaDemand') this.bus.tell(hubId, this.meeting.id, 'demand', payload);
        if (event !== 'kicked') return;
        const { reason } = payload as { reason: KickReason };
        this.bus.tell(hubId, this.meeting.id, 'kick', { siteId, reason });
      },
      disconnect: () => {},
    };
  }

  /**
   * A stream of an edge's site, up the pipe: a microphone tapped for the slots
   * and heard by the chair's level meters; a camera shown where it is watched.
   */
  private async receive(hubId: string, { peerId, source, stream }: SiteStream): Promise<void> {
    const link = this.edges.get(hubId);
    const site = this.remoteSite(hubId, peerId);
    if (!link || !site) return;
    const producer = await link.pipe.receive<ProducerAppData>(stream, { peerId, source, wanted: true });
    if (!this.meeting.audience.isPresent(site)) {
      producer.close();
      return;
    }
    await this.meeting.producers.adopt(site, producer);
    this.featured.refresh(); // a staged site's camera goes on down to the other edges
    // The chair's decisions may have changed while it crossed: they hold it here as on its hub.
    if (source === 'mic') await this.meeting.moderation.enforceSpeaking(site, false);
  }

  private remoteProducer(hubId: string, producerId: string): [RemoteSite, types.Producer<ProducerAppData>] | null {
    for (const site of this.meeting.sites.values()) {
      if (!(site instanceof RemoteSite) || site.hubId !== hubId) continue;
      const producer = site.producers.get(producerId);
      if (producer) return [site, producer];
    }
    return null;
  }

  private async streamPaused(hubId: string, { producerId, paused }: StreamPausedMessage): Promise<void> {
    const found = this.remoteProducer(hubId, producerId);
    if (found) await this.meeting.producers.setPaused(found[0], found[1], paused);
  }

  private streamClosed(hubId: string, { producerId }: StreamClosedMessage): void {
    this.remoteProducer(hubId, producerId)?.[1].close();
  }

  /** The site feeds a slot: its hub pauses its consumer of it before a packet of it goes out. */
  excludeSelf(site: Peer, slot: number, excluded: boolean): Promise<void> {
    if (!(site instanceof RemoteSite)) return Promise.resolve();
    return this.bus.request(site.hubId, this.meeting.id, 'excludeSelf', { siteId: site.id, slot, excluded });
  }

  private async demand(hubId: string, { producerId, wanted }: DemandMessage): Promise<void> {
    const consumer = this.edges.get(hubId)?.sent.get(producerId);
    if (!consumer || consumer.closed) return;
    if (wanted) await consumer.resume();
    else await consumer.pause();
    this.meeting.demand.update(producerId);
  }

  /**
   * The edge's sites want a featured camera at another layer. It goes down
   * whole, but a camera of another edge crosses up to here at the highest
   * layer wanted, its viewers down this pipe counting at theirs.
   */
  private async layer(hubId: string, { producerId, spatialLayer }: LayerMessage): Promise<void> {
    const consumer = this.edges.get(hubId)?.sent.get(producerId);
    if (!consumer) return;
    await setCrossingLayer(consumer, spatialLayer);
    this.meeting.demand.update(producerId); // a camera of another edge: its hub is told in turn
  }

  /** The edge closed the meeting (or opens it afresh): its pipe closes, its sites leave. */
  private edgeClosed(hubId: string): void {
    this.edges.get(hubId)?.close();
    this.edges.delete(hubId);
    for (const site of [...this.meeting.sites.values()]) {
      if (site instanceof RemoteSite && site.hubId === hubId) this.meeting.admission.leave(site, 'disconnected');
    }
  }

  /** What each edge's pipe carries now, in bits per second (docs/performance.md). */
  async pipeBitrates(): Promise<{ hubId: string; down: number; up: number }[]> {
    return Promise.all(
      [...this.edges.values()].map(async (link) => {
        const [stats] = await link.pipe.transport.getStats();
        return { hubId: link.hubId, down: stats?.sendBitrate ?? 0, up: stats?.recvBitrate ?? 0 };
      }),
    );
  }

  /**
   * How many consumers of `producerId` each edge's pipe holds, as its worker
   * counts them (a stream crosses once per edge, whatever the number of the
   * edge's sites watching it), and whether it crosses now (not held).
   */
  async pipedDown(producerId: string): Promise<Record<string, { consumers: number; crossing: boolean }>> {
    const router = await this.meeting.planes.homeRouter();
    // mediasoup 3.12's dumps: the router maps each consumer to its producer, a transport lists its consumers.
    const { mapConsumerIdProducerId } = (await router.dump()) as { mapConsumerIdProducerId: Record<string, string> };
    const piped: Record<string, { consumers: number; crossing: boolean }> = {};
    for (const link of this.edges.values()) {
      const { consumerIds } = (await link.pipe.transport.dump()) as { consumerIds: string[] };
      const consumer = link.sent.get(producerId);
      piped[link.hubId] = {
        consumers: consumerIds.filter((id) => mapConsumerIdProducerId[id] === producerId).length,
        crossing: consumer !== undefined && !consumer.closed && !consumer.paused && !consumer.producerPaused,
      };
    }
    return piped;
  }

  close(): void {
    // An ended meeting ends on the edges too; otherwise they take it over at once,
    // rather than when this hub's claim runs out.
    if (this.meeting.decisions.ended) this.tellEdges('replica', this.replica());
    else this.tellEdges('homeClosed', {});
    for (const link of this.edges.values()) link.close();
    this.edges.clear();
    this.onClose();
  }
}
