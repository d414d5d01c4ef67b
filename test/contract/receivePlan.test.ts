// What a participant receives: the same answers for the hub, the client and the bench.
import { describe, expect, it } from 'vitest';
import {
  hearsOf,
  maxSiteReceiveStreams,
  receivePlan,
  receivesDirectly,
  SITE_DIRECT_STREAMS,
} from '../../contract/receivePlan.ts';
import type { ProducerInfo } from '../../contract/signaling.ts';

const chair = { id: 'chair', role: 'chair' as const };
const site = { id: 'site-1', role: 'site' as const };
const meeting = { chairSiteId: 'chair', stageSiteId: 'site-7' };

function producers(peerIds: string[]): ProducerInfo[] {
  return peerIds.flatMap((peerId) => [
    { producerId: `${peerId}-mic`, peerId, kind: 'audio' as const, source: 'mic' as const, paused: false },
    { producerId: `${peerId}-cam`, peerId, kind: 'video' as const, source: 'camera' as const, paused: false },
  ]);
}

const slots = [0, 1, 2].map((index) => ({ index, producerId: `slot-${index}` }));
const everyone = ['chair', 'site-1', ...Array.from({ length: 298 }, (_, i) => `site-${i + 2}`)];

describe('receivePlan', () => {
  it('gives a site the chair, the stage camera and the slots, however many sites there are', () => {
    const plan = receivePlan(site, meeting, producers(everyone), slots);
    expect(plan.audio).toEqual(['chair-mic', 'slot-0', 'slot-1', 'slot-2']);
    expect(plan.video.map((p) => p.producerId)).toEqual(['chair-cam', 'site-7-cam']);
    expect(plan.audio.length + plan.video.length).toBe(maxSiteReceiveStreams(slots.length));
    expect(SITE_DIRECT_STREAMS).toBe(3);
  });

  it('gives the chair the slots (never a site microphone) and every camera for its mosaic', () => {
    const plan = receivePlan(chair, meeting, producers(everyone), slots);
    expect(plan.audio).toEqual(['slot-0', 'slot-1', 'slot-2']);
    expect(plan.video).toHaveLength(everyone.length - 1);
  });

  it('never gives anyone their own streams, and the staged site hears itself through no slot of its plan', () => {
    const staged = { id: 'site-7', role: 'site' as const };
    const plan = receivePlan(staged, meeting, producers(everyone), slots);
    expect(plan.video.map((p) => p.producerId)).toEqual(['chair-cam']);
    expect(receivesDirectly(staged, meeting, { peerId: 'site-7', kind: 'audio' })).toBe(false);
  });

  it('sends a site news of the chair and the stage only; the chair of everyone', () => {
    expect(hearsOf(site, meeting, 'site-2')).toBe(false);
    expect(hearsOf(site, meeting, 'chair')).toBe(true);
    expect(hearsOf(site, meeting, 'site-7')).toBe(true);
    expect(hearsOf(site, meeting, 'site-1')).toBe(false);
    expect(hearsOf(chair, meeting, 'site-2')).toBe(true);
    expect(hearsOf(chair, meeting, 'chair')).toBe(false);
  });

  it('puts the chair on the stage when none is staged', () => {
    const plan = receivePlan(site, { chairSiteId: 'chair', stageSiteId: null }, producers(everyone), slots);
    expect(plan.video.map((p) => p.producerId)).toEqual(['chair-cam']);
  });
});
