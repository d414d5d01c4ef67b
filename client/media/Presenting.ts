// This site's part in presenting (trình chiếu, contract/presentation.ts): it
// asks the chair, presents its content (ContentShare) once allowed (the chair
// always may), stops, follows the chair's decisions (the chair ended it, or
// gave it to another site) and shares again after the media was rebuilt.
import type { Transport } from 'mediasoup-client/types';
import type { MeetingState } from '../../contract/signaling.ts';
import { ContentShare } from './ContentShare.ts';
import type { SignalingChannel } from './SignalingChannel.ts';

export interface PresentingHost {
  signaling: SignalingChannel;
  /** The send transport, while there is one. */
  send: () => Transport | null;
  /** This page's own site, once joined. */
  selfId: () => string | undefined;
  /** What this page shows changed: it started or stopped presenting. */
  changed: () => void;
}

export class Presenting {
  private readonly content = new ContentShare(() => void this.stop().catch(() => undefined));

  constructor(private readonly host: PresentingHost) {}

  /** Whether this page is sending its content (its display capture is live). */
  get active(): boolean {
    return this.content.capturing;
  }

  /** The display capture this page presents, for its own preview. */
  get stream(): MediaStream | null {
    return this.content.stream;
  }

  /** Asks the chair to present, or withdraws the request. */
  async request(requested: boolean): Promise<void> {
    await this.host.signaling.request('requestPresentation', { requested });
  }

  /** Picks a screen, window or tab and presents it (the chair always may; a site once allowed). */
  async start(): Promise<void> {
    await this.content.capture();
    this.host.changed();
    try {
      await this.content.produce(this.host.send());
    } catch (err) {
      this.content.stop();
      this.host.changed();
      throw err;
    }
  }

  /** Ends this page's presentation, or (the chair) whoever presents. */
  async stop(): Promise<void> {
    this.content.stop();
    this.host.changed();
    await this.host.signaling.request('stopPresentation', {});
  }

  /** The chair ended our presentation (or gave it to another site): the capture stops here too. */
  follow(meeting: MeetingState): void {
    if (!this.content.onAir || meeting.presentation.presenterSiteId === this.host.selfId()) return;
    this.content.stop();
    this.host.changed();
  }

  /** Presenting when the media went (a dropped link, a hub restart): shares again while still allowed. */
  async resume(meeting: MeetingState | null): Promise<void> {
    if (!this.content.capturing) return;
    if (meeting?.presentation.presenterSiteId !== this.host.selfId()) {
      this.content.stop();
      return;
    }
    await this.content.produce(this.host.send()).catch(() => this.content.stop());
  }

  /** The hub says whether anybody views the content (no viewer: no content RTP). */
  setDemand(producerId: string, wanted: boolean): void {
    this.content.setDemand(producerId, wanted);
  }

  /** The transports are going: the producers close, the capture stays to share again. */
  closeProducers(): void {
    this.content.closeProducers();
  }

  /** Out of the meeting: the capture is released. */
  release(): void {
    this.content.stop();
  }
}
