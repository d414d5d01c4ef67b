// A meeting's link to a meeting of another deployment (the downstream side:
// deployment B). The chair names the deployment and its meeting; B opens its
// pipe, sends the chosen site of its meeting (the chair by default) into it,
// asks A to relay its meeting, and produces what A relays (its chair's voice,
// its stage's picture, its audio slots) as the site of A, put on stage. While
// live, B keeps one sync with A on its way (sfu/cascade/UpstreamSync.ts): A
// answers as soon as what it relays changes, B pushes its own changes at once.
// When A stops answering (or says the link no longer stands), the link is
// lost: A's site leaves, the meeting goes on, and every site's meeting state
// (the chair's console) and the meeting's audit trail say so.
//
// Links open one at a time: a second request for the link that is live gets
// it (two chair tabs, a double click); an unlink while a link opens closes it,
// and A is told even when its answer arrives after the unlink.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { LinkableDeployment, UpstreamLink } from '../../contract/cascade.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { Peer } from '../Peer.ts';
import { SerialQueue } from '../SerialQueue.ts';
import { SignalingError } from '../SignalingError.ts';
import { type CascadeSetup, cascadeSiteId, DialError } from './CascadeSetup.ts';
import { LinkedSite } from './LinkedSite.ts';
import { siteStreams } from './outgoing.ts';
import { UpstreamSync } from './UpstreamSync.ts';

interface Link {
  info: UpstreamLink;
  linkId: string;
  site: LinkedSite | null;
  sync: UpstreamSync | null;
}

export class MeetingUpstream {
  private link: Link | null = null;
  private readonly opening = new SerialQueue();

  constructor(
    private readonly meeting: MeetingRoom,
    private readonly setup: CascadeSetup | undefined,
    private readonly log: Logger,
  ) {}

  info(): UpstreamLink | null {
    return this.link?.info ?? null;
  }

  /** The deployments this meeting may be linked to. */
  linkable(): LinkableDeployment[] {
    const peers = this.setup?.dialer.peers ?? new Map<string, string>();
    return [...peers].map(([name, displayName]) => ({ name, displayName }));
  }

  /** Links the meeting to `meetingId` of `deployment`; resolves when A's media is produced here. */
  async open(
    chair: Peer,
    request: { deployment: string; meetingId: string; sendSiteId?: string },
  ): Promise<UpstreamLink> {
    const { setup } = this;
    const displayName = setup?.dialer.peers.get(request.deployment);
    if (!setup || displayName === undefined) {
      throw new SignalingError(
        'BAD_REQUEST',
        `Hệ thống này chưa được cấu hình liên kết với "${request.deployment}" (CASCADE_LINKS).`,
        `This deployment is not configured to link with "${request.deployment}" (CASCADE_LINKS).`,
      );
    }
    const sender = request.sendSiteId ? this.meeting.audience.site(request.sendSiteId) : chair;
    return this.opening.run(async () => {
      const current = this.link?.info;
      // The previous open has settled (one at a time): live to the same meeting, it is this link.
      if (
        current?.state === 'live' &&
        current.deployment === request.deployment &&
        current.meetingId === request.meetingId &&
        current.sendSiteId === sender.id
      ) {
        return current;
      }
      return this.replace(setup, sender, { ...request, displayName });
    });
  }

  private async replace(
    setup: CascadeSetup,
    sender: Peer,
    target: { deployment: string; meetingId: string; displayName: string },
  ): Promise<UpstreamLink> {
    this.close();
    const link: Link = {
      info: {
        ...target,
        state: 'connecting',
        siteId: null,
        sendSiteId: sender.id,
        message: null,
        messageEn: null,
      },
      linkId: randomUUID(),
      site: null,
      sync: null,
    };
    this.link = link;
    this.meeting.audience.announceMeeting();
    try {
      await this.connect(link, setup, sender);
    } catch (err) {
      const [vi, en] = reasonOf(err);
      this.lose(link, vi, en);
      // Unlinked or replaced while its site was being admitted: lose() no longer sees it.
      link.site?.close();
      throw new SignalingError('UPSTREAM_FAILED', vi, en);
    }
    return link.info;
  }

  private async connect(link: Link, setup: CascadeSetup, sender: Peer): Promise<void> {
    const { deployment, meetingId, displayName } = link.info;
    const site = await LinkedSite.admit(this.meeting, {
      siteId: cascadeSiteId(deployment),
      displayName,
      cascade: 'upstream',
      address: setup.address,
    });
    link.site = site;
    site.onGone(() => this.lose(link, ...LEFT));
    const streams = await site.send(siteStreams(sender));
    const answer = await setup.dialer.open(deployment, { meetingId, linkId: link.linkId, pipe: site.end, streams });
    if (this.link !== link || site.isClosed) {
      // Unlinked or replaced while A opened it: A holds it now, and must let it go.
      setup.dialer.close(deployment, link.linkId).catch(() => {});
      throw new DialError(...REPLACED);
    }
    await site.connect(answer.pipe);
    await site.receive(answer.streams);
    if (this.link !== link || site.isClosed) throw new DialError(...REPLACED);
    // A's meeting is the main picture here until the chair stages another site.
    this.meeting.moderation.setStage(site.site.id);
    link.info = { ...link.info, state: 'live', siteId: site.site.id };
    link.sync = new UpstreamSync({
      site,
      dialer: setup.dialer,
      deployment,
      linkId: link.linkId,
      lostAfterMs: setup.lostAfterMs,
      outgoing: () => siteStreams(this.meeting.audience.sites.get(link.info.sendSiteId) ?? null),
      onDropped: () => this.lose(link, ...DROPPED),
      onSilent: () => this.lose(link, ...SILENT),
    });
    this.meeting.audience.announceMeeting();
    this.record(link, 'upstream.live');
    this.log.info({ meetingId: this.meeting.id, deployment, upstreamMeetingId: meetingId }, 'upstream link live');
  }

  /** The link is gone: A's site leaves, the meeting goes on, and everyone's state says why. */
  private lose(link: Link, vi: string, en: string): void {
    if (this.link !== link || link.info.state === 'lost') return;
    link.sync?.stop();
    link.info = { ...link.info, state: 'lost', siteId: null, message: vi, messageEn: en };
    link.site?.close();
    // A may still hold its end (this side failed after A answered): it need not wait for the silence.
    this.setup?.dialer.close(link.info.deployment, link.linkId).catch(() => {});
    this.log.warn({ meetingId: this.meeting.id, deployment: link.info.deployment, reason: en }, 'upstream link lost');
    this.record(link, 'upstream.lost', [vi, en]);
    this.meeting.audience.announceMeeting();
  }

  /** The chair ends the link (or the meeting closes, or a new link replaces it): A is told, its site leaves. */
  close(): void {
    const link = this.link;
    if (!link) return;
    this.link = null;
    link.sync?.stop();
    const wasOpen = link.info.state !== 'lost';
    link.site?.close();
    if (wasOpen && this.setup) {
      this.setup.dialer.close(link.info.deployment, link.linkId).catch(() => {});
    }
    if (link.info.state === 'live') this.record(link, 'upstream.closed');
  }

  /** The chair's "unlink": the link ends and the meeting's state says there is none. */
  unlink(): void {
    this.close();
    this.meeting.audience.announceMeeting();
  }

  private record(
    link: Link,
    kind: 'upstream.live' | 'upstream.lost' | 'upstream.closed',
    reason: [string, string] | null = null,
  ): void {
    const { deployment, displayName, meetingId } = link.info;
    this.meeting.cascadeChanged({ kind, deployment, displayName, upstreamMeetingId: meetingId, reason });
  }
}

const LEFT: [string, string] = [
  'Điểm cầu cấp trên đã rời cuộc họp (bị mời ra hoặc liên kết bị đóng).',
  'The upstream site left the meeting (removed, or its link closed).',
];
const DROPPED: [string, string] = [
  'Hệ thống cấp trên đã đóng liên kết (cuộc họp bên đó kết thúc hoặc khởi động lại).',
  'The upstream deployment closed the link (its meeting ended or it restarted).',
];
const SILENT: [string, string] = [
  'Mất liên lạc với hệ thống cấp trên. Cuộc họp vẫn tiếp tục; có thể liên kết lại.',
  'Lost contact with the upstream deployment. The meeting goes on; you can link again.',
];
const REPLACED: [string, string] = [
  'Liên kết đã được đóng hoặc thay bằng liên kết khác trước khi mở xong.',
  'The link was closed or replaced by another one before it opened.',
];

function reasonOf(err: unknown): [string, string] {
  if (err instanceof DialError) return [err.messageVi, err.messageEn];
  if (err instanceof SignalingError) return [err.message, err.messageEn];
  const detail = err instanceof Error ? err.message : String(err);
  return [`Không mở được đường truyền liên kết: ${detail}`, `Could not open the link's media: ${detail}`];
}
