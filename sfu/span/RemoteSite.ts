// A site of the meeting whose connection and media live on another hub: on
// the home hub, each site of an edge (the chair's board lists it, the chair's
// controls act on it, its microphone feeds the audio slots); on an edge, the
// home's chair (its streams arrive over the pipe). It has no transports: its
// producers are the pipe's, and its status is what its own hub last reported.
import type { PeerInfo } from '../../contract/signaling.ts';
import { Peer, type PeerConnection } from '../Peer.ts';

export class RemoteSite extends Peer {
  private reported: PeerInfo;

  constructor(
    info: PeerInfo,
    /** The hub the site is connected to. */
    readonly hubId: string,
    /** The worker whose router holds the pipe its streams cross. */
    workerIndex: number,
    connection: PeerConnection,
  ) {
    super(info.id, info.displayName, info.role, connection, workerIndex);
    this.reported = info;
    this.report(info);
  }

  override get remote(): boolean {
    return true;
  }

  /** Its hub's latest account of it (microphone, camera, hand, link, alarms, connection). */
  report(info: PeerInfo): void {
    this.reported = info;
    this.handRaisedAt = info.handRaisedAt ? new Date(info.handRaisedAt) : null;
    this.link = info.link;
    this.alarms = info.alarms;
  }

  /** Its streams are the pipe's producers: they close with it (it has no transport to take them along). */
  override closeMedia(): void {
    for (const producer of this.producers.values()) producer.close();
    super.closeMedia();
  }

  /** As reported by its hub; what the chair decided for it comes from this hub's decisions. */
  override info(canSpeak: boolean): PeerInfo {
    return {
      ...this.reported,
      handRaised: this.handRaisedAt !== null,
      handRaisedAt: this.handRaisedAt?.toISOString() ?? null,
      mutedByChair: this.mutedByChair,
      canSpeak,
    };
  }
}
