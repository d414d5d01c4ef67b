// An edge hub's side of a meeting homed on another hub. The edge's sites
// connect here; the home's chair appears among them as a RemoteSite whose
// streams arrive over the pipe between the hubs (each once for all of this
// hub's sites), so they consume the chair exactly as if it were here; the
// home's K audio slots arrive the same way, and this hub's microphones go up
// the pipe to be tapped for them there (a site never hears itself: the home
// asks this hub to pause its consumer of the slot it feeds). The
// home's decisions are replicated here and enforced on this hub's sites (a
// muted site's microphone is paused here, and the site told); this hub's
// sites are reported to the home, where the chair's board lists them.
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import { featuredSiteIds } from '../../contract/receivePlan.ts';
import type { PeerInfo } from '../../contract/signaling.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { Peer, PeerConnection, ProducerAppData } from '../Peer.ts';
import { type PipeAddress, RemotePipe } from '../RemotePipe.ts';
import { SerialQueue } from '../SerialQueue.ts';
import { HomeSites } from './HomeSites.ts';
import type { HubBus, SpanEnvelope } from './HubBus.ts';
import { sendAcross, setCrossingLayer } from './LayeredCrossing.ts';
import type {
  ChairMessage,
  DemandMessage,
  ExcludeSelfMessage,
  KickMessage,
  LayerMessage,
  OpenAnswer,
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

export class SpanEdge implements SpanSide {
  readonly edge = true;
  private pipe: RemotePipe | null = null;
  private chair: RemoteSite | null = null;
  private total = 0;
  /** This hub's streams go up in the order they were produced. */
  private readonly sending = new SerialQueue();
  /** This hub's streams sent up the pipe, by producer id. */
  private readonly sentUp = new Map<string, types.Consumer>();
  /** The sites other than the chair this hub's sites may show (staged, presenting, in the grid), from the home. */
  private readonly homeSites: HomeSites;

  constructor(
    private readonly meeting: MeetingRoom,
    private readonly bus: HubBus,
    /** The meeting's home hub. */
    readonly homeHubId: string,
    private readonly address: PipeAddress,
    private readonly log: Logger,
    private readonly onClose: () => void,
    /** This hub's end of the pipe died with its worker: the meeting is opened again on the same home. */
    private readonly onPipeLost: () => void,
  ) {
    this.homeSites = new HomeSites(meeting, homeHubId, () => this.homeConnection());
  }

  /** Opens the pipe pair with the home and takes the chair and the decisions from it. */
  async open(): Promise<void> {
    const pipe = await RemotePipe.open(await this.meeting.planes.homeRouter(), this.address);
    this.pipe = pipe;
    const answer = await this.bus.request<OpenAnswer>(this.homeHubId, this.meeting.id, 'open', {
      pipe: pipe.endpoint,
    });
    await pipe.connect(answer.pipe);
    pipe.onClose(() => {
      if (this.pipe === pipe) this.onPipeLost();
    });
    await this.replicate(answer.replica);
    this.setChair(answer.chair);
    for (const stream of answer.streams) await this.receive(stream);
    await this.followSlots(answer.slots);
    // Opened again (a new home, or the home's pipe died with its worker): this hub's sites go up to it.
    for (const site of this.meeting.sites.values()) {
      if (site.remote) continue;
      this.siteJoined(site);
      for (const producer of site.producers.values()) this.produced(site, producer);
    }
    this.log.info({ meetingId: this.meeting.id, home: this.homeHubId }, 'meeting opened as an edge');
  }

  handle(message: SpanEnvelope): Promise<unknown> {
    const { body } = message;
    switch (message.type) {
      case 'chair':
        return Promise.resolve(this.setChair((body as ChairMessage).info));
      case 'stream':
        return this.receive(body as SiteStream);
      case 'streamPaused':
        return this.streamPaused(body as StreamPausedMessage);
      case 'streamClosed':
        return Promise.resolve(this.fromHome((body as StreamClosedMessage).producerId)?.producer.close());
      case 'homeSite':
        return Promise.resolve(this.homeSites.show((body as SiteInfoMessage).info));
      case 'homeSiteLeft':
        return Promise.resolve(this.homeSites.left(body as SiteLeftMessage));
      case 'homeStream':
        return this.pipe ? this.homeSites.receive(this.pipe, body as SiteStream) : Promise.resolve();
      case 'replica':
        return this.replicate(body as Replica);
      case 'kick':
        return Promise.resolve(this.kick(body as KickMessage));
      case 'demand':
        return this.demand(body as DemandMessage);
      case 'layer':
        return this.layer(body as LayerMessage);
      case 'slots':
        return this.followSlots((body as { slots: SlotStreamMessage[] }).slots);
      case 'excludeSelf': {
        const { siteId, slot, excluded } = body as ExcludeSelfMessage;
        return this.meeting.slots.setExcluded(siteId, slot, excluded);
      }
      default:
        throw new Error(`unknown span message ${message.type}`);
    }
  }

  // ------------------------------------------------------------------ the home's chair

  private setChair(info: PeerInfo | null): void {
    const { admission, audience } = this.meeting;
    const current = this.chair && audience.isPresent(this.chair) ? this.chair : null;
    if (!info) {
      if (current) admission.leave(current, 'left');
      this.chair = null;
      return;
    }
    if (current?.id === info.id) {
      current.report(info);
      audience.announceSite(current);
      return;
    }
    if (current) admission.leave(current, 'left');
    this.chair = new RemoteSite(info, this.homeHubId, this.meeting.planes.homeIndex, this.homeConnection());
    admission.enter(this.chair);
  }

  /** What this hub tells the home's chair goes to the home: whether any site here watches its streams, at which layer. */
  private homeConnection(): PeerConnection {
    return {
      layerDemand: (producerId, spatialLayer) => this.tellHome('layer', { producerId, spatialLayer }),
      notify: (event, payload) => {
        if (event === 'mediaDemand') this.bus.tell(this.homeHubId, this.meeting.id, 'demand', payload);
      },
      disconnect: () => {},
    };
  }

  private async receive({ peerId, source, stream }: SiteStream): Promise<void> {
    const site = this.chair;
    if (!this.pipe || site?.id !== peerId) return;
    const producer = await this.pipe.receive<ProducerAppData>(stream, { peerId, source, wanted: true });
    if (!this.meeting.audience.isPresent(site)) {
      producer.close();
      return;
    }
    await this.meeting.producers.adopt(site, producer);
  }

  /** A stream from the home: the chair's, or a featured site's. */
  private fromHome(producerId: string): { site: RemoteSite; producer: types.Producer<ProducerAppData> } | null {
    const producer = this.chair?.producers.get(producerId);
    if (this.chair && producer) return { site: this.chair, producer };
    return this.homeSites.find(producerId);
  }

  private async streamPaused({ producerId, paused }: StreamPausedMessage): Promise<void> {
    const found = this.fromHome(producerId);
    if (found) await this.meeting.producers.setPaused(found.site, found.producer, paused);
  }

  // ------------------------------------------------------------------ the home's decisions

  /** The home's decisions become this hub's, enforced on its sites as the home enforces them on its own. */
  private async replicate(replica: Replica): Promise<void> {
    const { decisions, audience, moderation } = this.meeting;
    if (replica.live.ended) {
      // The chair ended it on the home: this hub's sites are let go and the meeting closes here.
      this.meeting.end(null);
      return;
    }
    const shown = () => JSON.stringify({ ...this.meeting.state(), connectedSites: 0 });
    const before = shown();
    const locals = [...this.meeting.sites.values()].filter((site) => !site.remote && !site.isChair);
    const could = new Map(locals.map((site) => [site.id, decisions.canSpeak(site)]));
    const hadFloor = new Set(decisions.floor);
    const featured = featuredSiteIds(audience.planMeeting());
    const presenter = decisions.presenterSiteId;
    decisions.replicate(replica.live, replica.stageSiteId, replica.floorSince);
    this.total = replica.connectedSites;
    this.meeting.presentation.followHome(presenter, replica.presentRequests);
    this.meeting.recording.follow(replica.recording);
    for (const site of locals) {
      site.mutedByChair = decisions.muted.has(site.id);
      if (decisions.floor.has(site.id) && !hadFloor.has(site.id)) site.handRaisedAt = null;
    }
    // Sites now staged, presenting or in the grid: this hub's sites hear of them (and of what they send).
    for (const id of featuredSiteIds(audience.planMeeting())) {
      const site = featured.has(id) ? undefined : this.meeting.sites.get(id);
      if (site) audience.introduce(site);
    }
    if (shown() !== before) audience.announceMeeting();
    await Promise.all(
      locals.map((site) => moderation.enforceSpeaking(site, !could.get(site.id) && decisions.canSpeak(site))),
    );
  }

  /** The chair removed one of this hub's sites (or the meeting ended). */
  private kick({ siteId, reason }: KickMessage): void {
    const site = this.meeting.sites.get(siteId);
    if (!site || site.remote) return;
    site.kick(reason);
    this.meeting.admission.leave(site, 'removed');
  }

  // ------------------------------------------------------------------ this hub's sites, to the home

  private tellHome(type: string, body: unknown): void {
    this.bus.tell(this.homeHubId, this.meeting.id, type, body);
  }

  siteJoined(site: Peer): void {
    if (!site.remote) this.tellHome('siteJoined', { info: this.meeting.audience.info(site) });
  }

  siteChanged(site: Peer): void {
    if (!site.remote) this.tellHome('siteUpdated', { info: this.meeting.audience.info(site) });
  }

  siteLeft(site: Peer, reason: LeaveReason): void {
    if (!site.remote) this.tellHome('siteLeft', { siteId: site.id, reason });
  }

  /**
   * A stream of this hub's site goes up: a microphone to the home's slots, at
   * once; a camera or content held at this end until a site of the home
   * watches it (`demand`), so that it crosses only when shown there (the
   * chair's mosaic, the stage), a camera at the one layer wanted there
   * (`layer`, sfu/span/LayeredCrossing.ts). Its pauses and its end follow it.
   */
  produced(site: Peer, producer: types.Producer<ProducerAppData>): void {
    if (site.remote) return;
    void this.sending
      .run(() => this.sendUp(site, producer))
      .catch((err: Error) =>
        this.log.warn({ meetingId: this.meeting.id, siteId: site.id, err: err.message }, 'could not send a mic up'),
      );
  }

  private async sendUp(site: Peer, producer: types.Producer<ProducerAppData>): Promise<void> {
    const { pipe } = this;
    if (!pipe || producer.closed) return;
    const { planes } = this.meeting;
    await planes.pipe(producer.id, site.workerIndex, planes.homeIndex);
    const { consumer, stream } = await sendAcross(pipe, await planes.homeRouter(), producer, true);
    const producerId = producer.id;
    this.sentUp.set(producerId, consumer);
    const { demand } = this.meeting;
    if (producer.kind === 'video') {
      await consumer.pause();
      // The home's viewers count as one viewer here: the site sends its camera while anyone watches.
      demand.watch(consumer);
    }
    consumer.observer.once('close', () => {
      this.sentUp.delete(producerId);
      demand.unwatch(consumer);
    });
    consumer.on('producerpause', () => this.tellHome('streamPaused', { producerId, paused: true }));
    consumer.on('producerresume', () => this.tellHome('streamPaused', { producerId, paused: false }));
    consumer.on('producerclose', () => this.tellHome('streamClosed', { producerId }));
    // Paused meanwhile: the consumer was made in the producer's state, which `stream.paused` carries.
    this.tellHome('stream', { peerId: site.id, source: producer.appData.source, stream });
  }

  /** The home's slots, over the pipe, become this hub's (its sites are told to consume them). */
  private async followSlots(streams: SlotStreamMessage[]): Promise<void> {
    const { pipe } = this;
    if (!pipe) return;
    const slots = await Promise.all(
      streams.map(async ({ index, stream }) => ({ index, producer: await pipe.receive(stream, { slot: index }) })),
    );
    this.meeting.slots.followHome(slots);
  }

  /** Whether a site of the home watches one of this hub's streams. */
  private async demand({ producerId, wanted }: DemandMessage): Promise<void> {
    const consumer = this.sentUp.get(producerId);
    if (!consumer || consumer.closed) return;
    if (wanted) await consumer.resume();
    else await consumer.pause();
    this.meeting.demand.update(producerId);
  }

  /** The home's sites want one of this hub's cameras at another layer: it crosses at that one. */
  private async layer({ producerId, spatialLayer }: LayerMessage): Promise<void> {
    const consumer = this.sentUp.get(producerId);
    if (consumer) await setCrossingLayer(consumer, spatialLayer);
  }

  /** The consumer that sends one of this hub's streams up, while it does (tests, docs/performance.md). */
  sentUpBy(producerId: string): types.Consumer | undefined {
    return this.sentUp.get(producerId);
  }

  excludeSelf(): Promise<void> {
    return Promise.resolve(); // the chair is the only site of another hub here, and it feeds no slot
  }

  /** The decisions are the home's: nothing of this hub's to tell. */
  meetingChanged(): void {}

  /** The slots are the home's (`slots` when it makes them again). */
  slotsChanged(): void {}

  connectedSites(): number {
    return this.total;
  }

  /** The home is gone: what came from it (the chair, its streams, the slots) goes with the pipe. */
  leaveHome(): void {
    const { pipe } = this;
    this.pipe = null; // closed here, not lost
    pipe?.close();
    if (this.chair && this.meeting.audience.isPresent(this.chair)) {
      this.meeting.admission.leave(this.chair, 'disconnected');
    }
    this.chair = null;
    this.homeSites.drop();
  }

  close(): void {
    this.tellHome('closed', {});
    const { pipe } = this;
    this.pipe = null; // closed here, not lost
    pipe?.close();
    this.onClose();
  }
}
