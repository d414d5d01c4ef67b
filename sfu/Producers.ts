// What the sites of a meeting send: a microphone and a camera each, opened
// and closed by the site within what the chair allows, and the content of the
// site allowed to present (sfu/Presentation.ts).
//
// A site's requests run one at a time (sfu/signaling.ts), so a second producer
// of a source replaces the first. The chair's decisions can change while a
// request awaits the worker: whatever opens a microphone checks them again
// once the worker answered, and pauses it if the site may not speak any more.
import type { types } from 'mediasoup';
import { type MediaSource, SOURCE_KIND } from '../contract/signaling.ts';
import { type Audience, producerInfo } from './Audience.ts';
import type { AudioSlots } from './AudioSlots.ts';
import type { ChairDecisions } from './ChairDecisions.ts';
import type { MediaDemand } from './MediaDemand.ts';
import type { MediaPlanes } from './MediaPlanes.ts';
import type { Peer, ProducerAppData } from './Peer.ts';
import type { Presentation } from './Presentation.ts';
import { SignalingError } from './SignalingError.ts';

export interface ProduceRequest {
  transportId: string;
  kind: types.MediaKind;
  source: MediaSource;
  rtpParameters: types.RtpParameters;
  paused?: boolean;
}

export class Producers {
  constructor(
    private readonly planes: MediaPlanes,
    private readonly audience: Audience,
    private readonly decisions: ChairDecisions,
    private readonly demand: MediaDemand,
    private readonly slots: AudioSlots,
    private readonly presentation: Presentation,
  ) {}

  /** A site starts sending a source; it replaces the site's previous producer of that source. */
  async produce(site: Peer, request: ProduceRequest): Promise<{ producerId: string; paused: boolean }> {
    const { audioLevels } = await this.planes.of(site);
    const transport = site.transport(request.transportId);
    if (transport.appData.direction !== 'send') {
      throw new SignalingError('BAD_REQUEST', 'Kết nối này chỉ dùng để nhận.', 'That transport is for receiving.');
    }
    const expectedKind = SOURCE_KIND[request.source];
    if (request.kind !== expectedKind) {
      throw new SignalingError(
        'BAD_REQUEST',
        `Nguồn ${request.source} phải là ${expectedKind}.`,
        `Source ${request.source} must be ${expectedKind}.`,
      );
    }
    this.presentation.admit(site, request.source);
    for (const previous of site.producersOf(request.source)) previous.close();
    const producer = await transport.produce<ProducerAppData>({
      kind: request.kind,
      rtpParameters: request.rtpParameters,
      paused: request.paused === true || this.heldMic(site, request.source),
      appData: { peerId: site.id, source: request.source, wanted: true },
    });
    this.track(site, producer);
    // The chair may have ended the presentation while the worker answered.
    this.presentation.confirm(site, producer);
    await this.holdIfSilenced(site, producer);
    await this.announce(site, producer, audioLevels);
    this.audience.span?.produced(site, producer);
    return { producerId: producer.id, paused: producer.paused };
  }

  /**
   * A producer the hub made for a site itself, whose media arrives over a pipe
   * (a site on another hub of the deployment, sfu/span/, or a site linked from
   * another deployment, sfu/cascade/): known, heard and announced like a site's own.
   */
  async adopt(site: Peer, producer: types.Producer<ProducerAppData>): Promise<void> {
    const { audioLevels } = await this.planes.of(site);
    for (const previous of site.producersOf(producer.appData.source)) {
      if (previous !== producer) previous.close();
    }
    this.track(site, producer);
    await this.announce(site, producer, audioLevels);
  }

  /**
   * A consumer that is no site's watches a producer (a cascade pipe sending it
   * to another deployment): its owner keeps sending it while the consumer lives.
   */
  watchFromAfar(consumer: types.Consumer): void {
    this.demand.watch(consumer);
    this.demand.update(consumer.producerId);
    consumer.observer.once('close', () => {
      this.demand.unwatch(consumer);
      this.demand.update(consumer.producerId);
    });
  }

  /** Makes a new producer heard and known: the levels, the slots, the sites told. */
  private async announce(
    site: Peer,
    producer: types.Producer<ProducerAppData>,
    audioLevels: types.AudioLevelObserver,
  ): Promise<void> {
    const { source } = producer.appData;
    if (source === 'mic') {
      await audioLevels.addProducer({ producerId: producer.id });
      // The chair is heard directly by everyone; any other site through the audio slots.
      if (!site.isChair) await this.slots.listen(site, producer);
    }
    this.audience.aboutSite(site, 'newProducer', producerInfo(producer), site);
    this.audience.announceSite(site);
    this.presentation.contentChanged(site, source, true);
    // Nobody consumes it yet: let the owner hold a video source until someone does.
    queueMicrotask(() => this.demand.update(producer.id));
  }

  private track(site: Peer, producer: types.Producer<ProducerAppData>): void {
    site.producers.set(producer.id, producer);
    this.demand.add(site, producer);
    producer.observer.once('close', () => {
      site.producers.delete(producer.id);
      this.demand.forget(producer.id);
      this.planes.forgetProducer(producer.id);
      if (this.audience.isPresent(site)) {
        const payload = { producerId: producer.id, peerId: site.id };
        this.audience.aboutSite(site, 'producerClosed', payload);
        this.presentation.contentChanged(site, producer.appData.source, false);
      }
    });
  }

  /** Whether the site's `source` must be held paused: a microphone while the site may not speak. */
  private heldMic(site: Peer, source: MediaSource): boolean {
    return source === 'mic' && !this.decisions.canSpeak(site);
  }

  /** After an await: a microphone that is open although the chair's decisions say it may not be gets paused. */
  private async holdIfSilenced(site: Peer, producer: types.Producer<ProducerAppData>): Promise<void> {
    if (producer.closed || producer.paused || !this.heldMic(site, producer.appData.source)) return;
    await this.setPaused(site, producer, true);
  }

  async setPaused(site: Peer, producer: types.Producer<ProducerAppData>, paused: boolean): Promise<void> {
    if (producer.closed || producer.paused === paused) return;
    if (paused) await producer.pause();
    else await producer.resume();
    const event = paused ? 'producerPaused' : 'producerResumed';
    this.audience.aboutSite(site, event, { producerId: producer.id, peerId: site.id });
    this.audience.announceSite(site);
    if (!paused) await this.holdIfSilenced(site, producer);
  }

  /** A site asks to open or close its own microphone or camera. */
  async requestPaused(site: Peer, producerId: string, paused: boolean): Promise<void> {
    const producer = site.producer(producerId);
    if (!paused && producer.appData.source === 'mic' && !this.decisions.canSpeak(site)) {
      throw new SignalingError(
        'FORBIDDEN',
        site.mutedByChair
          ? 'Chủ trì đã tắt micro của điểm cầu. Hãy giơ tay xin phát biểu.'
          : 'Chủ trì chưa cho điểm cầu phát biểu. Hãy giơ tay xin phát biểu.',
        site.mutedByChair
          ? 'The chair muted this site. Raise your hand to ask for the floor.'
          : 'The chair has not given this site the floor. Raise your hand to ask for it.',
      );
    }
    await this.setPaused(site, producer, paused);
  }
}
