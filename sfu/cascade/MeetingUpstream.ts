// A meeting's link to a meeting of another deployment (the downstream side:
// deployment B). The chair names the deployment and its meeting; B opens its
// pipe, sends the chosen site of its meeting (the chair by default) into it,
// asks A to relay its meeting, and produces A's chair streams as the site of
// A, put on stage. While live, B syncs the link every few seconds: it sends
// what its chosen site sends now and produces what A's chair sends now (a
// camera turned on later, a chair that re-produced or arrived late). When A
// stops answering (or says the link no longer stands), the link is lost: A's
// site leaves, the meeting goes on, and every site's meeting state (the
// chair's console) says so.
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { LinkableDeployment, UpstreamLink } from '../../contract/cascade.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { Peer } from '../Peer.ts';
import { SignalingError } from '../SignalingError.ts';
import { type CascadeSetup, cascadeSiteId, DialError } from './CascadeSetup.ts';
import { LinkedSite } from './LinkedSite.ts';

interface Link {
  info: UpstreamLink;
  linkId: string;
  site: LinkedSite | null;
  timer: NodeJS.Timeout | null;
  /** When A last confirmed the link. */
  confirmedAt: number;
  /** The site of this meeting sent to A. */
  sendSiteId: string;
}

export class MeetingUpstream {
  private link: Link | null = null;

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
    this.close();
    const link: Link = {
      info: {
        deployment: request.deployment,
        displayName,
        meetingId: request.meetingId,
        state: 'connecting',
        siteId: null,
        sendSiteId: sender.id,
        message: null,
        messageEn: null,
      },
      linkId: randomUUID(),
      site: null,
      timer: null,
      confirmedAt: Date.now(),
      sendSiteId: sender.id,
    };
    this.link = link;
    this.meeting.audience.announceMeeting();
    try {
      await this.connect(link, setup, sender);
    } catch (err) {
      const [vi, en] = reasonOf(err);
      this.lose(link, vi, en);
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
    const streams = await site.send(sender);
    const answer = await setup.dialer.open(deployment, { meetingId, linkId: link.linkId, pipe: site.end, streams });
    await site.connect(answer.pipe);
    await site.receive(answer.streams);
    if (this.link !== link || site.isClosed) throw new DialError(...REPLACED);
    // A's meeting is the main picture here until the chair stages another site.
    this.meeting.moderation.setStage(site.site.id);
    link.info = { ...link.info, state: 'live', siteId: site.site.id };
    link.confirmedAt = Date.now();
    this.watch(link, setup);
    this.meeting.audience.announceMeeting();
    this.log.info({ meetingId: this.meeting.id, deployment, upstreamMeetingId: meetingId }, 'upstream link live');
  }

  /** Syncs with A, one exchange at a time; lost when A says the link no longer stands, or is silent too long. */
  private watch(link: Link, setup: CascadeSetup): void {
    const every = Math.max(300, Math.floor(setup.lostAfterMs / 3));
    const beat = async () => {
      link.timer = null;
      let standing: boolean | null = null;
      try {
        standing = await this.sync(link, setup);
      } catch {
        standing = null; // unreachable: lost only once silent for lostAfterMs
      }
      if (this.link !== link || link.info.state !== 'live') return;
      if (standing) link.confirmedAt = Date.now();
      if (standing === false) return this.lose(link, ...DROPPED);
      if (Date.now() - link.confirmedAt > setup.lostAfterMs) return this.lose(link, ...SILENT);
      link.timer = setTimeout(() => void beat(), every);
      link.timer.unref();
    };
    link.timer = setTimeout(() => void beat(), every);
    link.timer.unref();
  }

  /** One exchange: what the chosen site sends now goes to A, what A's chair sends now comes here. */
  private async sync(link: Link, setup: CascadeSetup): Promise<boolean> {
    const site = link.site;
    if (!site) return false;
    const sender = this.meeting.audience.sites.get(link.sendSiteId) ?? null;
    const streams = await site.send(sender);
    const answer = await setup.dialer.sync(link.info.deployment, { linkId: link.linkId, streams });
    if (answer.standing) await site.receive(answer.streams);
    return answer.standing;
  }

  /** The link is gone: A's site leaves, the meeting goes on, and everyone's state says why. */
  private lose(link: Link, vi: string, en: string): void {
    if (this.link !== link || link.info.state === 'lost') return;
    if (link.timer) clearTimeout(link.timer);
    link.info = { ...link.info, state: 'lost', siteId: null, message: vi, messageEn: en };
    link.site?.close();
    // A may still hold its end (this side failed after A answered): it need not wait for the silence.
    this.setup?.dialer.close(link.info.deployment, link.linkId).catch(() => {});
    this.log.warn({ meetingId: this.meeting.id, deployment: link.info.deployment, reason: en }, 'upstream link lost');
    this.meeting.audience.announceMeeting();
  }

  /** The chair ends the link (or the meeting closes): A is told, its site leaves. */
  close(): void {
    const link = this.link;
    if (!link) return;
    this.link = null;
    if (link.timer) clearTimeout(link.timer);
    const wasOpen = link.info.state !== 'lost';
    link.site?.close();
    if (wasOpen && this.setup) {
      this.setup.dialer.close(link.info.deployment, link.linkId).catch(() => {});
    }
  }

  /** The chair's "unlink": the link ends and the meeting's state says there is none. */
  unlink(): void {
    this.close();
    this.meeting.audience.announceMeeting();
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
  'Liên kết đã được thay bằng liên kết khác.',
  'The link was replaced by another one.',
];

function reasonOf(err: unknown): [string, string] {
  if (err instanceof DialError) return [err.messageVi, err.messageEn];
  if (err instanceof SignalingError) return [err.message, err.messageEn];
  const detail = err instanceof Error ? err.message : String(err);
  return [`Không mở được đường truyền liên kết: ${detail}`, `Could not open the link's media: ${detail}`];
}
