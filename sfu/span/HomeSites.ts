// On an edge hub: the sites of the meeting other than the chair that this
// hub's sites may show while they live elsewhere (on the home, or on another
// edge through the home): the staged site, the presenter, the grid's sites
// (sfu/span/FeaturedSites.ts decides on the home). Each is a RemoteSite here,
// so this hub's sites hear of it and consume its streams through the unchanged
// Consumers / receivePlan code; its streams arrive over the pipe held at the
// home, and cross only while a site here watches them (its `mediaDemand` goes
// to the home as `demand`).
import type { types } from 'mediasoup';
import type { PeerInfo } from '../../contract/signaling.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { PeerConnection, ProducerAppData } from '../Peer.ts';
import type { RemotePipe } from '../RemotePipe.ts';
import type { SiteLeftMessage, SiteStream } from './messages.ts';
import { RemoteSite } from './RemoteSite.ts';

export class HomeSites {
  private readonly sites = new Map<string, RemoteSite>();

  constructor(
    private readonly meeting: MeetingRoom,
    private readonly homeHubId: string,
    /** How such a site tells the home whether a site here watches its streams. */
    private readonly connection: () => PeerConnection,
  ) {}

  private present(siteId: string): RemoteSite | null {
    const site = this.sites.get(siteId);
    return site && this.meeting.audience.isPresent(site) ? site : null;
  }

  /** A site of the home is featured (or its state changed while it is). */
  show(info: PeerInfo): void {
    const known = this.present(info.id);
    if (known) {
      known.report(info);
      this.meeting.audience.announceSite(known);
      return;
    }
    // A site of this hub (it moved here meanwhile) is not the home's to show.
    if (this.meeting.sites.get(info.id)?.remote === false) return;
    const site = new RemoteSite(info, this.homeHubId, this.meeting.planes.homeIndex, this.connection());
    this.sites.set(info.id, site);
    this.meeting.admission.enter(site);
  }

  /** The site left the meeting on its hub. */
  left({ siteId, reason }: SiteLeftMessage): void {
    const site = this.present(siteId);
    this.sites.delete(siteId);
    if (site) this.meeting.admission.leave(site, reason === 'replaced' ? 'disconnected' : reason);
  }

  /** One of its streams, down the pipe: held at the home until a site here wants it. */
  async receive(pipe: RemotePipe, { peerId, source, stream }: SiteStream): Promise<void> {
    const site = this.present(peerId);
    if (!site) return;
    // Not wanted yet: the first site here to watch it tells the home (sfu/MediaDemand.ts).
    const wanted = stream.kind === 'audio';
    const producer = await pipe.receive<ProducerAppData>(stream, { peerId, source, wanted });
    if (!this.meeting.audience.isPresent(site)) {
      producer.close();
      return;
    }
    await this.meeting.producers.adopt(site, producer);
  }

  /** A stream of one of these sites, by its producer id. */
  find(producerId: string): { site: RemoteSite; producer: types.Producer<ProducerAppData> } | null {
    for (const site of this.sites.values()) {
      const producer = site.producers.get(producerId);
      if (producer) return { site, producer };
    }
    return null;
  }

  /** The home is gone: its sites leave with the pipe their streams crossed. */
  drop(): void {
    for (const site of this.sites.values()) {
      if (this.meeting.audience.isPresent(site)) this.meeting.admission.leave(site, 'disconnected');
    }
    this.sites.clear();
  }
}
