// What the sites of a meeting receive: a consumer per source in the site's
// receive plan (contract/receivePlan.ts: the chair, the stage, the content,
// the grid, the audio slots; the chair's mosaic), never more than its bound, shown or hidden and layered as the viewing site
// asks, within what its link allows (sfu/LinkGuard.ts decides; a weak link
// drops to lower layers, then to audio), and never the site's own voice back
// through an audio slot it feeds (sfu/AudioSlots.ts).
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import { maxSiteReceiveStreams, receivesDirectly } from '../contract/receivePlan.ts';
import type { ConsumerOptions } from '../contract/signaling.ts';
import type { Audience } from './Audience.ts';
import type { AudioSlots } from './AudioSlots.ts';
import type { LinkDecision } from './LinkGuard.ts';
import type { MediaDemand } from './MediaDemand.ts';
import type { MediaPlanes } from './MediaPlanes.ts';
import type { ConsumerAppData, Peer } from './Peer.ts';
import { SignalingError } from './SignalingError.ts';

/** Simulcast layers the clients send (0 = thumbnail … 2 = main stage). */
export const MAX_SPATIAL_LAYER = 2;

export class Consumers {
  constructor(
    private readonly meetingId: string,
    private readonly planes: MediaPlanes,
    private readonly audience: Audience,
    private readonly demand: MediaDemand,
    private readonly slots: AudioSlots,
    private readonly log: Logger,
  ) {}

  /** A consumer of `producerId` for the site, paused until the site resumes it. */
  async consume(site: Peer, producerId: string): Promise<ConsumerOptions> {
    if (!site.rtpCapabilities) {
      throw new SignalingError(
        'CANNOT_CONSUME',
        'Hãy gửi khả năng thu phát (setRtpCapabilities) trước.',
        'Send setRtpCapabilities first.',
      );
    }
    const slot = this.slots.find(producerId) ?? null;
    const owner = slot === null ? this.demand.find(producerId) : undefined;
    if (slot === null && !owner)
      throw new SignalingError('NOT_FOUND', 'Luồng phát không còn tồn tại.', 'That producer no longer exists.');
    if (
      owner &&
      !receivesDirectly(site, this.audience.planMeeting(), {
        peerId: owner.site.id,
        kind: owner.producer.kind,
        source: owner.producer.appData.source,
      })
    ) {
      throw new SignalingError(
        'FORBIDDEN',
        'Điểm cầu nghe các điểm cầu khác qua các kênh âm thanh chung, không nhận trực tiếp luồng này.',
        'Sites hear other sites through the shared audio slots; this stream is not theirs to receive.',
      );
    }
    // The receive plan's bound (docs/scaling.md): a site frees what its layout no longer shows first.
    if (!site.isChair && site.consumers.size >= maxSiteReceiveStreams(this.slots.count)) {
      throw new SignalingError(
        'FORBIDDEN',
        'Điểm cầu đã nhận đủ số luồng cho phép; hãy đóng luồng không còn hiển thị.',
        'This site already receives as many streams as allowed; close the ones it no longer shows.',
      );
    }
    // One consumer per (site, producer); the site's requests run one at a time, so none is on its way.
    if ([...site.consumers.values()].some((c) => c.producerId === producerId)) {
      throw new SignalingError('ALREADY_CONSUMING');
    }
    await this.planes.pipe(producerId, owner ? owner.site.workerIndex : this.planes.homeIndex, site.workerIndex);
    const { router } = await this.planes.of(site);
    if (!router.canConsume({ producerId, rtpCapabilities: site.rtpCapabilities })) {
      throw new SignalingError('CANNOT_CONSUME');
    }
    const transport = site.recvTransport();
    if (!transport) {
      throw new SignalingError('BAD_REQUEST', 'Hãy tạo kết nối nhận (recv) trước.', 'Create a recv transport first.');
    }
    const consumer = await transport.consume<ConsumerAppData>({
      producerId,
      rtpCapabilities: site.rtpCapabilities,
      paused: true,
      appData: {
        peerId: owner?.site.id ?? null,
        slot,
        clientPaused: true,
        selfExcluded: false,
        serverPaused: true,
        requestedSpatial: MAX_SPATIAL_LAYER,
        content: owner?.producer.appData.source === 'screen',
      },
    });
    this.track(site, consumer);
    // Read after the await: the site may have started feeding this slot meanwhile.
    if (slot !== null) consumer.appData.selfExcluded = this.slots.excludes(site.id, slot);
    return {
      id: consumer.id,
      producerId,
      peerId: owner?.site.id ?? null,
      slot,
      kind: consumer.kind,
      source: owner?.producer.appData.source ?? 'mic',
      rtpParameters: consumer.rtpParameters as ConsumerOptions['rtpParameters'],
      type: consumer.type,
      producerPaused: consumer.producerPaused,
    };
  }

  private track(site: Peer, consumer: types.Consumer<ConsumerAppData>): void {
    const { producerId } = consumer;
    site.consumers.set(consumer.id, consumer);
    this.demand.watch(consumer);
    consumer.observer.once('close', () => {
      site.consumers.delete(consumer.id);
      this.demand.unwatch(consumer);
      this.demand.update(producerId);
    });
    consumer.on('producerclose', () => {
      site.connection.notify('consumerClosed', { consumerId: consumer.id, producerId });
      consumer.close();
    });
    if (consumer.kind === 'video')
      consumer.on('score', ({ score }) => this.applyLink(site, site.linkGuard.sample(score)));
  }

  /** The site shows or hides a tile: its wish, combined with what its link allows. */
  async setPaused(site: Peer, consumerId: string, paused: boolean): Promise<void> {
    const consumer = site.consumer(consumerId);
    consumer.appData.clientPaused = paused;
    await this.apply(site, consumer);
  }

  async setPreferredLayer(site: Peer, consumerId: string, spatialLayer: number, temporalLayer?: number): Promise<void> {
    const consumer = site.consumer(consumerId);
    consumer.appData.requestedSpatial = spatialLayer;
    await this.apply(site, consumer, temporalLayer);
  }

  /** The site no longer receives this stream (it left the site's plan): it is freed. */
  close(site: Peer, consumerId: string): void {
    site.consumer(consumerId).close();
  }

  /** Pauses or resumes the site's consumer of an audio slot it feeds or fed (AudioSlots). */
  async setSelfExcluded(siteId: string, slot: number, excluded: boolean): Promise<void> {
    const site = this.audience.sites.get(siteId);
    if (!site) return;
    await site.connection.excludeSelf?.(slot, excluded);
    for (const consumer of site.consumers.values()) {
      if (consumer.appData.slot !== slot) continue;
      consumer.appData.selfExcluded = excluded;
      await this.apply(site, consumer);
    }
  }

  /** Makes a consumer match the site's wishes within its link's current cap. */
  private async apply(site: Peer, consumer: types.Consumer<ConsumerAppData>, temporalLayer?: number): Promise<void> {
    const { spatialCap } = site.linkGuard.decision;
    const audioOnly = consumer.kind === 'video' && spatialCap === null;
    const paused = consumer.appData.clientPaused || consumer.appData.selfExcluded || audioOnly;
    if (consumer.closed) return;
    // Decided and recorded before the await, so that requests reach the worker
    // in the order of the decisions (consumer.paused changes only on its answer).
    if (paused !== consumer.appData.serverPaused) {
      consumer.appData.serverPaused = paused;
      if (paused) await consumer.pause();
      else await consumer.resume();
    }
    if (consumer.kind === 'video' && spatialCap !== null) {
      const { requestedSpatial, content } = consumer.appData;
      consumer.appData.shownSpatial = content ? requestedSpatial : Math.min(requestedSpatial, spatialCap);
    }
    if (consumer.kind === 'video' && consumer.type === 'simulcast' && spatialCap !== null) {
      const { requestedSpatial, content } = consumer.appData;
      // Content stays readable on a weak link: its full-size layer at its lowest frame rate.
      const capped = spatialCap < MAX_SPATIAL_LAYER;
      await consumer.setPreferredLayers({
        spatialLayer: content ? requestedSpatial : Math.min(requestedSpatial, spatialCap),
        temporalLayer: content && capped ? 0 : temporalLayer,
      });
    }
    this.demand.update(consumer.producerId);
  }

  /** Applies a weak-link decision to every video consumer of the site. */
  private applyLink(site: Peer, decision: LinkDecision | null): void {
    if (!decision || !this.audience.isPresent(site)) return;
    this.log.info({ meetingId: this.meetingId, siteId: site.id, ...decision }, 'site link changed');
    for (const consumer of site.consumers.values()) {
      if (consumer.kind === 'video') this.apply(site, consumer).catch(() => {});
    }
    this.audience.announceSite(site);
  }

  /** Audio-only sites try video again after a while (LinkGuard decides when). */
  probeWeakLinks(): void {
    for (const site of this.audience.sites.values()) this.applyLink(site, site.linkGuard.tick());
  }
}
