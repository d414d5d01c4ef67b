// The home's sites (other than the chair, piped down on its own) that an
// edge's sites may show: the staged site, the presenter, the grid's sites
// (contract/receivePlan.ts `featuredSiteIds`). Each edge is told of them (`homeSite`,
// `homeSiteLeft`) and gets the streams its sites may receive directly
// (`receivesDirectly`: the staged camera, the content, the grid's cameras),
// each once whatever the number of its sites. A camera or content is held at
// the home until a site of the edge watches it (`demand`) and closes when it is
// no longer featured, so an edge pays for what its sites show and nothing
// else. A site of another edge counts as the home's: its streams come up the
// pipe from its hub (held there until watched) and go down from here.
import type { Logger } from 'pino';
import { featuredSiteIds, type PlanMeeting, type Receiver, receivesDirectly } from '../../contract/receivePlan.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { Peer } from '../Peer.ts';
import type { EdgeLink } from './EdgeLink.ts';
import { RemoteSite } from './RemoteSite.ts';
import type { LeaveReason } from './SpanSide.ts';

/** Any site of an edge other than the chair: what the plan lets such a site receive directly. */
const EDGE_SITE: Receiver = { id: '', role: 'site' };

export class FeaturedSites {
  private due = false;

  constructor(
    private readonly meeting: MeetingRoom,
    private readonly edges: () => Iterable<EdgeLink>,
    private readonly log: Logger,
  ) {}

  /** The stage, the presenter, the grid or a featured site's streams may have changed: every edge follows, once. */
  refresh(): void {
    if (this.due) return;
    this.due = true;
    queueMicrotask(() => {
      this.due = false;
      for (const link of this.edges()) this.follow(link);
    });
  }

  /** Brings one edge in line, after what is already on its way down its pipe. */
  follow(link: EdgeLink): void {
    void link.queue
      .run(() => this.sync(link))
      .catch((err: Error) =>
        this.log.warn({ meetingId: this.meeting.id, edge: link.hubId, err: err.message }, 'could not pipe a site down'),
      );
  }

  /** A featured site's state changed (camera, hand, link): the edges showing it are told. */
  changed(site: Peer): void {
    for (const link of this.edges()) {
      if (link.featured.has(site.id)) link.tell('homeSite', { info: this.meeting.audience.info(site) });
    }
  }

  /** A site left the home: the edges that know it see it go (one replaced is told again when featured). */
  left(site: Peer, reason: LeaveReason): void {
    for (const link of this.edges()) {
      if (!link.known.delete(site.id)) continue;
      link.featured.delete(site.id);
      if (reason !== 'replaced') link.tell('homeSiteLeft', { siteId: site.id, reason });
    }
    this.refresh();
  }

  /** The sites an edge's sites may show, present here and not the edge's own. */
  private featured(plan: PlanMeeting, hubId: string): Peer[] {
    const sites: Peer[] = [];
    for (const id of featuredSiteIds(plan)) {
      const site = this.meeting.sites.get(id);
      if (!site || (site instanceof RemoteSite && site.hubId === hubId)) continue;
      sites.push(site);
    }
    return sites;
  }

  private async sync(link: EdgeLink): Promise<void> {
    if (link.closed) return;
    const plan = this.meeting.audience.planMeeting();
    const sites = this.featured(plan, link.hubId);
    const streams = new Map(
      sites.flatMap((site) =>
        [...site.producers.values()]
          .filter((producer) =>
            receivesDirectly(EDGE_SITE, plan, {
              peerId: site.id,
              kind: producer.kind,
              source: producer.appData.source,
            }),
          )
          .map((producer) => [producer.id, { site, producer }] as const),
      ),
    );
    // Told before its streams (the edge's sites hear of a site, then of what it sends).
    for (const site of sites) {
      if (link.featured.has(site.id)) continue;
      link.tell('homeSite', { info: this.meeting.audience.info(site) });
      link.known.add(site.id);
    }
    link.featured.clear();
    for (const site of sites) link.featured.add(site.id);
    for (const producerId of link.featuredStreams) {
      if (!streams.has(producerId)) link.sent.get(producerId)?.close();
    }
    for (const [producerId, { site, producer }] of streams) {
      if (link.sent.has(producerId) || producer.closed) continue;
      // Audio is never paused at its source (sfu/MediaDemand.ts): the content's sound crosses at once.
      const stream = await link.send(site, producer, producer.kind === 'video');
      const consumer = link.sent.get(producerId);
      if (!consumer || consumer.closed) continue;
      link.featuredStreams.add(producerId);
      consumer.observer.once('close', () => link.featuredStreams.delete(producerId));
      link.tell('homeStream', stream);
    }
  }
}
