// The upstream side of cascade links (deployment A): every link through which
// another deployment relays one of this hub's meetings. For each, the
// meeting's chair is sent into a pipe and the site the other deployment sends
// back joins the meeting (sfu/cascade/LinkedSite.ts). The other side confirms
// the link every few seconds; a link it has not confirmed for `lostAfterMs`
// closes, and so does one whose meeting closes.
import type { Logger } from 'pino';
import type { MeetingRegistry } from '../MeetingRegistry.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import { SignalingError } from '../SignalingError.ts';
import type { PipeAddress } from './CascadePipe.ts';
import { cascadeSiteId } from './CascadeSetup.ts';
import { LinkedSite } from './LinkedSite.ts';
import type { RelayAnswer, RelayRequest } from './wire.ts';

/** The deployment asking, as this one's CASCADE_LINKS knows it. */
export interface Caller {
  name: string;
  displayName: string;
}

interface Relay {
  caller: string;
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
      const chair = [...meeting.sites.values()].find((s) => s.isChair);
      const streams = chair ? await site.sendFrom(chair) : [];
      await site.receive(request.streams);
      this.keep(request.linkId, caller.name, site);
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

  private keep(linkId: string, caller: string, site: LinkedSite): void {
    const { lostAfterMs } = this.options;
    const timer = setInterval(
      () => {
        const relay = this.relays.get(linkId);
        if (relay && Date.now() - relay.confirmedAt > lostAfterMs) {
          this.options.log.warn({ deployment: caller }, 'linked deployment silent; its relay closes');
          site.close();
        }
      },
      Math.max(300, Math.floor(lostAfterMs / 3)),
    );
    timer.unref();
    this.relays.set(linkId, { caller, site, confirmedAt: Date.now(), timer });
    site.onGone(() => {
      clearInterval(timer);
      this.relays.delete(linkId);
    });
  }

  /** The caller confirms its link; false when there is no such link of its own (closed, or this hub restarted). */
  confirm(caller: Caller, linkId: string): boolean {
    const relay = this.relays.get(linkId);
    if (!relay || relay.caller !== caller.name) return false;
    relay.confirmedAt = Date.now();
    return true;
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
