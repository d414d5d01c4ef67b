// Every producer of a meeting with the site that owns it and the consumers
// that watch it. A video producer nobody watches is paused at its source: the
// owner is told to stop sending it (and to start again when a viewer appears),
// which spares the uplink of a site whose tile is off every screen.
import type { types } from 'mediasoup';
import { MAX_SPATIAL_LAYER } from './Consumers.ts';
import type { Peer, ProducerAppData } from './Peer.ts';

export interface OwnedProducer {
  site: Peer;
  producer: types.Producer<ProducerAppData>;
}

export class MediaDemand {
  private readonly producers = new Map<string, OwnedProducer>();
  /** Consumers of each producer, by producer id. */
  private readonly viewers = new Map<string, Set<types.Consumer>>();

  add(site: Peer, producer: types.Producer<ProducerAppData>): void {
    this.producers.set(producer.id, { site, producer });
  }

  /** The producer closed (its consumers close with it). */
  forget(producerId: string): void {
    this.producers.delete(producerId);
    this.viewers.delete(producerId);
  }

  find(producerId: string): OwnedProducer | undefined {
    return this.producers.get(producerId);
  }

  /** A site's consumer, or a cascade pipe's (another deployment watches). */
  watch(consumer: types.Consumer): void {
    let viewers = this.viewers.get(consumer.producerId);
    if (!viewers) {
      viewers = new Set();
      this.viewers.set(consumer.producerId, viewers);
    }
    viewers.add(consumer);
  }

  unwatch(consumer: types.Consumer): void {
    this.viewers.get(consumer.producerId)?.delete(consumer);
  }

  /**
   * Tells the owner of a video producer when it becomes watched or unwatched,
   * and an owner on another hub the highest layer its viewers here want and
   * their links allow (a viewer that names none, a recording or a cascade
   * pipe, wants the top one).
   */
  update(producerId: string): void {
    const owner = this.find(producerId);
    if (owner?.producer.kind !== 'video') return; // audio is never paused at its source
    const watching = [...(this.viewers.get(producerId) ?? [])].filter((consumer) => !consumer.paused);
    const wanted = watching.length > 0;
    const { appData } = owner.producer;
    // The layer first: the owner's hub switches layers before it resumes the crossing.
    const { layerDemand } = owner.site.connection;
    const layer = Math.max(...watching.map((consumer) => wantedLayer(consumer)));
    if (wanted && layerDemand && appData.layer !== layer) {
      appData.layer = layer;
      layerDemand.call(owner.site.connection, producerId, layer);
    }
    if (appData.wanted === wanted) return;
    appData.wanted = wanted;
    owner.site.connection.notify('mediaDemand', { producerId, wanted });
  }
}

/** A site's consumer: the layer it can show now (ConsumerAppData); a crossing's: the other hub's. */
function wantedLayer(consumer: types.Consumer): number {
  const requested = consumer.appData.shownSpatial ?? consumer.appData.requestedSpatial;
  return typeof requested === 'number' ? Math.min(requested, MAX_SPATIAL_LAYER) : MAX_SPATIAL_LAYER;
}
