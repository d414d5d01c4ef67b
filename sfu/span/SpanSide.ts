// What a meeting's parts tell the hub-spanning side of the meeting (the home's
// or an edge's, sfu/span/): the sites coming, changing and going, what they
// produce, the meeting's state changing. A meeting on a hub alone has none.
import type { types } from 'mediasoup';
import type { Peer, ProducerAppData } from '../Peer.ts';

export type LeaveReason = 'left' | 'disconnected' | 'removed' | 'replaced';

export interface SpanSide {
  /** This hub runs the meeting as an edge of another hub (its decisions are the home's, replicated). */
  readonly edge: boolean;
  siteJoined(site: Peer): void;
  siteChanged(site: Peer): void;
  siteLeft(site: Peer, reason: LeaveReason): void;
  produced(site: Peer, producer: types.Producer<ProducerAppData>): void;
  /** The chair's decisions or the meeting's state changed. */
  meetingChanged(): void;
  /** The audio slots were made again (their worker died): the home sends the new ones to its edges. */
  slotsChanged(): void;
  /** On the home: pauses (or resumes) a site of an edge's own consumer of `slot`, on its hub. */
  excludeSelf(site: Peer, slot: number, excluded: boolean): Promise<void>;
  /** How many sites the whole meeting has, on every hub. */
  connectedSites(): number;
  close(): void;
}
