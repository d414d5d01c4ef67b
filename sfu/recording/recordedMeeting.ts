// The meeting as its recorder sees it: who chairs, who is on stage, who
// presents, each site's open producers, who feeds the audio slots, and how a
// site's producer reaches the home router the recorder consumes on.

import type { Audience } from '../Audience.ts';
import type { AudioSlots } from '../AudioSlots.ts';
import type { ChairDecisions } from '../ChairDecisions.ts';
import { siteOfSpeaker } from '../cascade/CascadeSetup.ts';
import type { MediaPlanes } from '../MediaPlanes.ts';
import type { RecordedMeeting } from './MeetingRecording.ts';

export function recordedMeeting(parts: {
  planes: MediaPlanes;
  audience: Audience;
  decisions: ChairDecisions;
  slots: AudioSlots;
}): RecordedMeeting {
  const { planes, audience, decisions, slots } = parts;
  return {
    view: () => ({
      chairSiteId: audience.planMeeting().chairSiteId,
      stageSiteId: decisions.stageSiteId,
      presenterSiteId: decisions.presenterSiteId,
      producerOf: (siteId, source) => {
        const producer = audience.sites.get(siteId)?.producersOf(source)[0];
        return producer && !producer.closed ? producer.id : undefined;
      },
    }),
    // A voice relayed from another deployment is its linked site's (sfu/cascade/).
    speakers: () => [...new Set(slots.holders().flatMap((id) => (id === null ? [] : [siteOfSpeaker(id)])))],
    slotProducerIds: () => slots.info().map((slot) => slot.producerId),
    homeRouter: () => planes.homeRouter(),
    toHome: ({ producerId, siteId }) => {
      const site = audience.sites.get(siteId);
      if (!site) throw new Error('the site left');
      return planes.pipe(producerId, site.workerIndex, planes.homeIndex);
    },
  };
}
