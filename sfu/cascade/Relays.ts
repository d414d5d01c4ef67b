// The upstream side of cascade links (deployment A): every link through which
// another deployment relays one of this hub's meetings. For each, what the
// meeting relays (its chair's voice, its stage's picture, its audio slots:
// sfu/cascade/outgoing.ts) is sent into a pipe and the site the other
// deployment sends back joins the meeting (sfu/cascade/LinkedSite.ts). The
// other side syncs the link continually: A holds each sync's answer until what
// it relays changes (a mute, another site staged) or a moment passes, so a
// change crosses at once; a link not synced for `lostAfterMs` closes, and so
// does one whose meeting closes.
import type { Logger } from 'pino';
import type { MeetingRegistry } from '../MeetingRegistry.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { PipeAddress } from '../RemotePipe.ts';
import { SignalingError } from '../SignalingError.ts';
import { cascadeSiteId } from './CascadeSetup.ts';
import { LinkedSite } from './LinkedSite.ts';
import { meetingStreams } from './outgoing.ts';
import type { PipeStream, RelayAnswer, RelayRequest, SyncAnswer, SyncRequest } from './wire.ts';

/** How often a held sync looks whether what the meeting relays changed. */
const CHANGE_LOOK_MS = 100;

/** The deployment asking, as this one's CASCADE_LINKS knows it. */
export interface Caller {
  name: string;
  displayName: string;
}

interface Relay {
  caller: string;
  meeting: MeetingRoom;
  site: LinkedSite;
  confirmedAt: number;
  timer: NodeJS.Timeout;
}

export interface RelaysOptions {
  meetings: MeetingRegistry;
  address: PipeAddress;
  lostAfterMs: number;
  log: Logger;
}

export class Relays {
  private readonly relays = new Map<string, Relay>();
  /** Links being opened: the same link id asked twice at once opens once. */
  private readonly opening = new Set<string>();

  constructor(private readonly options: RelaysOptions) {}

  get size(): number {
    return this.relays.size;
  }

  /** Relays the meeting the caller names; its site joins the meeting. NOT_FOUND when the meeting is not live here. */
  async open(caller: Caller, request: RelayRequest): Promise<RelayAnswer> {
    const meeting = this.options.meetings.get(request.meetingId);
    if (!meeting) {
      throw new SignalingError(
        'NOT_FOUND',
        `Cuộc họp "${request.meetingId}" không diễn ra trên hệ thống này lúc này.`,
        `Meeting "${request.meetingId}" is not live on this deployment now.`,
      );
    }
    const { linkId } = request;
    if (this.relays.has(linkId) || this.opening.has(linkId)) {
      throw new SignalingError('BAD_REQUEST', 'Liên kết này đã được mở.', 'This link is already open.');
    }
    this.opening.add(linkId);
    try {
      return await this.relay(meeting, caller, request);
    } finally {
      this.opening.delete(linkId);
    }
  }

  private async relay(meeting: MeetingRoom, caller: Caller, request: RelayRequest): Promise<RelayAnswer> {
    const site = await LinkedSite.admit(meeting, {
      siteId: cascadeSiteId(caller.name),
      displayName: caller.displayName,
      cascade: 'downstream',
      address: this.options.address,
    });
    try {
      await site.connect(request.pipe);
      const streams = await this.sendMeeting(meeting, site);
      await site.receive(request.streams);
      this.keep(request.linkId, caller, meeting, site);
      this.options.log.info(
        { meetingId: meeting.id, deployment: caller.name, streams: streams.length },
        'meeting relayed to a linked deployment',
      );
      return { linkId: request.linkId, pipe: site.end, streams };
    } catch (err) {
      site.close();
      throw err;
    }
  }

  /** What the meeting relays now (its chair not on air yet: its slots only). */
  private sendMeeting(meeting: MeetingRoom, site: LinkedSite): Promise<PipeStream[]> {
    return site.send(meetingStreams(meeting, site.site.id));
  }

  private keep(linkId: string, caller: Caller, meeting: MeetingRoom, site: LinkedSite): void {
    const { lostAfterMs } = this.options;
    const timer = setInterval(
      () => {
        const relay = this.relays.get(linkId);
        if (relay && Date.now() - relay.confirmedAt > lostAfterMs) {
          this.options.log.warn({ deployment: caller.name }, 'linked deployment silent; its relay closes');
          site.close();
        }
      },
      Math.max(300, Math.floor(lostAfterMs / 3)),
    );
    timer.unref();
    this.relays.set(linkId, { caller: caller.name, meeting, site, confirmedAt: Date.now(), timer });
    const change = { deployment: caller.name, displayName: caller.displayName, upstreamMeetingId: null, reason: null };
    meeting.cascadeChanged({ ...change, kind: 'downstream.opened' });
    site.onGone(() => {
      clearInterval(timer);
      this.relays.delete(linkId);
      meeting.cascadeChanged({ ...change, kind: 'downstream.closed' });
    });
  }

  /**
   * The caller syncs its link: its streams as they are now in; what the
   * meeting relays out, as soon as that changes or after `waitMs` (within a
   * third of this side's silence limit). Not standing when there is no such
   * link of its own (closed, or this hub restarted).
   */
  async sync(caller: Caller, request: SyncRequest): Promise<SyncAnswer> {
    const relay = this.relays.get(request.linkId);
    if (!relay || relay.caller !== caller.name) return { standing: false, streams: [] };
    relay.confirmedAt = Date.now();
    await relay.site.receive(request.streams);
    const until = Date.now() + Math.min(request.waitMs, Math.floor(this.options.lostAfterMs / 3));
    const { meeting, site } = relay;
    while (Date.now() < until && !site.isClosed && !site.differs(meetingStreams(meeting, site.site.id))) {
      await new Promise((resolve) => setTimeout(resolve, CHANGE_LOOK_MS));
    }
    relay.confirmedAt = Date.now();
    const streams = await this.sendMeeting(meeting, site);
    return { standing: !site.isClosed, streams };
  }

  /** The caller ends its link; its site leaves the meeting. */
  close(caller: Caller, linkId: string): boolean {
    const relay = this.relays.get(linkId);
    if (!relay || relay.caller !== caller.name) return false;
    relay.site.close();
    return true;
  }

  closeAll(): void {
    for (const relay of [...this.relays.values()]) relay.site.close();
  }
}
