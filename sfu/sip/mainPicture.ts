// What a room system shows as its one picture: the content while a site
// presents (BFCP is not spoken: the content simply becomes the main picture),
// otherwise the main stage as a browser site sees it (contract/receivePlan.ts
// stageCameras: the staged site, the chair when nobody is staged), never itself.
import type { types } from 'mediasoup';
import { stageCameras } from '../../contract/receivePlan.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { ProducerAppData } from '../Peer.ts';

export function mainPicture(meeting: MeetingRoom, viewerId: string): types.Producer<ProducerAppData> | null {
  const plan = meeting.audience.planMeeting();
  const presenter = plan.presenterSiteId === null ? undefined : meeting.sites.get(plan.presenterSiteId);
  const content = presenter && presenter.id !== viewerId ? presenter.producerFor('screen') : undefined;
  if (content && !content.paused) return content;
  for (const [siteId, size] of stageCameras(viewerId, plan)) {
    if (size !== 'stage') continue;
    return meeting.sites.get(siteId)?.producerFor('camera') ?? null;
  }
  return null;
}

/** The producers a room system hears, in the mix's input order: the chair's microphone, then each audio slot. */
export function heardProducers(meeting: MeetingRoom, viewerId: string): (string | null)[] {
  const chair = [...meeting.sites.values()].find((site) => site.isChair && site.id !== viewerId);
  const chairMic = chair?.producerFor('mic')?.id ?? null;
  return [chairMic, ...meeting.slots.info().map((slot) => slot.producerId)];
}
