// Who gets into a meeting and how they leave: admission within the chair's
// decisions and the meeting's cap, a second window replacing the first, a
// dropped connection kept for a resume, and the goodbye that frees a site's
// media and its place on its worker.
import type { JoinClaims, RevocationReason } from '../contract/joinToken.ts';
import type { Audience } from './Audience.ts';
import type { ChairDecisions } from './ChairDecisions.ts';
import type { LinkGuardOptions } from './LinkGuard.ts';
import { Peer, type PeerConnection } from './Peer.ts';
import { SignalingError } from './SignalingError.ts';
import type { WorkerPool } from './WorkerPool.ts';

type LeaveReason = 'left' | 'disconnected' | 'removed';

export interface AdmissionOptions {
  maxSites: number;
  /** How long a site whose connection dropped keeps its media, waiting for it to resume. */
  resumeGraceMs: number;
  pool: WorkerPool;
  linkGuard?: LinkGuardOptions;
  /** `at` when the event happened earlier than now (a site that never came back left when its link dropped). */
  onPresence(siteId: string, event: 'joined' | 'left', at?: Date): void;
  /** Whether the meeting has no site left (an edge hub counts its own sites only). */
  isEmpty(): boolean;
  /** The last site left (the meeting closes). */
  onEmpty(): void;
}

export class Admission {
  constructor(
    private readonly options: AdmissionOptions,
    private readonly decisions: ChairDecisions,
    private readonly audience: Audience,
  ) {}

  /** Admits a site with a verified token; a second connection of the same room replaces the first. */
  async admit(claims: JoinClaims, connection: PeerConnection): Promise<Peer> {
    // Place first (it may wait for a restarting worker), then check and insert
    // without yielding, so concurrent joins cannot overshoot the cap.
    const worker = await this.options.pool.placeSite();
    try {
      this.check(claims);
    } catch (err) {
      this.options.pool.releaseSite(worker.index);
      throw err;
    }
    const site = new Peer(
      claims.roomId,
      claims.displayName,
      claims.role,
      connection,
      worker.index,
      this.options.linkGuard,
    );
    site.userId = claims.userId ?? null;
    this.enter(site);
    return site;
  }

  /**
   * The site takes its place: it replaces an earlier connection of its room,
   * the chair's mutes hold it, the sites that hear of it are told. A site of
   * another hub (sfu/span/) enters here too; its attendance is its hub's.
   */
  enter(site: Peer): void {
    const previous = this.audience.sites.get(site.id);
    if (previous) {
      previous.kick('replaced');
      this.detach(previous, 'replaced');
    }
    const { decisions } = this;
    site.mutedByChair = !site.isChair && decisions.mutesOnJoin(site.id);
    this.audience.add(site);
    if (!decisions.admitted.has(site.id)) {
      decisions.admitted.add(site.id);
      // Under the "mute all" rule the newcomer is muted by name, so it stays muted when it comes back.
      if (site.mutedByChair) decisions.muted.add(site.id);
      if (decisions.locked || site.mutedByChair) decisions.save();
    }
    this.audience.aboutSite(site, 'peerJoined', { peer: this.audience.info(site) }, site);
    if (site.isChair) this.audience.announceMeeting();
    this.audience.span?.siteJoined(site);
    if (!site.remote) this.options.onPresence(site.id, 'joined');
  }

  /** The chair always gets in; a reconnecting site takes its own place back. */
  private check(claims: JoinClaims): void {
    const { decisions } = this;
    if (decisions.ended) throw new SignalingError('MEETING_ENDED');
    if (decisions.removed.has(claims.roomId)) throw new SignalingError('REMOVED');
    if (claims.role === 'chair' || this.audience.sites.has(claims.roomId)) return;
    // A lock keeps new sites out, not a site whose link dropped for a moment.
    if (decisions.locked && !decisions.admitted.has(claims.roomId)) throw new SignalingError('MEETING_LOCKED');
    const { maxSites } = this.options;
    if (this.audience.sites.size >= maxSites) {
      throw new SignalingError(
        'MEETING_FULL',
        `Cuộc họp đã đủ ${maxSites} điểm cầu tối đa. Liên hệ phòng điều khiển.`,
        `The meeting already has its maximum of ${maxSites} sites. Contact the control room.`,
      );
    }
  }

  /**
   * The site's connection dropped without a goodbye: keep its transports,
   * producers and consumers for the grace period so it can resume with an ICE
   * restart instead of rebuilding everything; the chair sees it reconnecting.
   * Events meanwhile are not sent; the resume answer carries a fresh snapshot.
   */
  suspend(site: Peer): void {
    if (!this.audience.isPresent(site) || site.away) return;
    site.goAway(this.options.resumeGraceMs, () => this.leave(site, 'disconnected'));
    this.audience.announceSite(site);
  }

  /**
   * The same site is back over a new connection and names its kept transports:
   * it takes its media back. Null when there is nothing to resume (the grace
   * period ran out, a worker restart took the transports): the caller admits it afresh.
   */
  resume(claims: JoinClaims, connection: PeerConnection, transportIds: string[]): Peer | null {
    const site = this.audience.sites.get(claims.roomId);
    if (!site || site.role !== claims.role || this.decisions.ended) return null;
    if (!transportIds.every((id) => site.transports.has(id))) return null;
    site.userId = claims.userId ?? null;
    site.comeBack(connection);
    this.audience.announceSite(site);
    return site;
  }

  /** The schedule withdrew the site's place (contract/joinToken.ts SiteRevocation): it is told why and let go. */
  revoke(site: Peer, reason: RevocationReason): void {
    site.kick(reason);
    this.leave(site, 'removed');
  }

  /** Removes a site and its media; the meeting closes when the last one leaves. */
  leave(site: Peer, reason: LeaveReason): void {
    if (!this.audience.isPresent(site)) return;
    this.detach(site, reason);
    if (this.options.isEmpty() && !this.decisions.ended) this.options.onEmpty();
  }

  /** Takes a site out of the meeting, telling the others why. */
  detach(site: Peer, reason: LeaveReason | 'replaced'): void {
    this.release(site);
    this.audience.remove(site);
    const { decisions } = this;
    // The floor survives a dropped link; leaving or being removed gives it up.
    if ((reason === 'left' || reason === 'removed') && decisions.floor.delete(site.id)) decisions.save();
    const stageChanged = decisions.isOnStage(site.id);
    if (stageChanged) decisions.stageSiteId = null;
    this.audience.aboutSite(site, 'peerLeft', { peerId: site.id, reason });
    if (stageChanged || site.isChair) this.audience.announceMeeting();
    this.audience.span?.siteLeft(site, reason);
    if (reason !== 'replaced' && !site.remote) this.options.onPresence(site.id, 'left', site.awaySince ?? undefined);
  }

  /** Drops every site (the meeting closes): all media first, while every site still hears of producers closing. */
  dropAll(): void {
    const sites = [...this.audience.sites.values()];
    for (const site of sites) this.release(site);
    for (const site of sites) this.audience.remove(site);
  }

  /** Frees the site's media and its place on its worker. */
  private release(site: Peer): void {
    site.stopWaiting();
    site.closeMedia();
    if (!site.remote) this.options.pool.releaseSite(site.workerIndex);
  }
}
