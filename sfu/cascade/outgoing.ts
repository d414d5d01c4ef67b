// What one side of a cascade link sends into its pipe. B sends one site: its
// voice and its picture. A relays its meeting: its chair's voice, the picture
// on its stage (its chair's while the stage holds no one else), and its audio
// slots, so that B's sites hear whoever speaks in A's meeting through B's own
// slots. A never relays B's own site back to B: not as the stage's picture,
// and not in a slot (LinkedSite pauses the slot it feeds on its way down).
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { Peer } from '../Peer.ts';
import { CASCADE_SOURCES, type RelayedSource } from './wire.ts';

/** A producer of this meeting to send into a pipe, and the worker it lives on. */
export interface Outgoing {
  producerId: string;
  source: RelayedSource;
  fromWorker: number;
  paused: boolean;
}

/** A site's voice and picture as it sends them now (null: nothing). */
export function siteStreams(sender: Peer | null): Outgoing[] {
  if (!sender) return [];
  const streams: Outgoing[] = [];
  for (const source of CASCADE_SOURCES) {
    const producer = sender.producerFor(source);
    if (!producer) continue;
    streams.push({ producerId: producer.id, source, fromWorker: sender.workerIndex, paused: producer.paused });
  }
  return streams;
}

/** What `meeting` relays down the link whose site here is `linkSiteId`. */
export function meetingStreams(meeting: MeetingRoom, linkSiteId: string): Outgoing[] {
  const chair = [...meeting.sites.values()].find((site) => site.isChair) ?? null;
  const streams = siteStreams(chair).filter((stream) => stream.source === 'mic');
  const staged = meeting.sites.get(meeting.decisions.stageSiteId ?? '');
  const picture = staged && staged.id !== linkSiteId && staged.producerFor('camera') ? staged : chair;
  streams.push(...siteStreams(picture).filter((stream) => stream.source === 'camera'));
  const fromWorker = meeting.planes.homeIndex;
  for (const slot of meeting.slots.info()) {
    streams.push({ producerId: slot.producerId, source: 'slot', fromWorker, paused: false });
  }
  return streams;
}
