// What a participant receives: the same answers for the hub, the client and the bench.
import { describe, expect, it } from 'vitest';
import {
  hearsOf,
  maxSiteReceiveStreams,
  type PlanMeeting,
  planMeeting,
  receivePlan,
  receivesDirectly,
  SITE_DIRECT_STREAMS,
} from '../../contract/receivePlan.ts';
import type { ProducerInfo } from '../../contract/signaling.ts';

const chair = { id: 'chair', role: 'chair' as const };
const site = { id: 'site-1', role: 'site' as const };
const meeting = planMeeting('chair', 'site-7');

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
    expect(plan.audio.length + plan.video.length).toBeLessThan(maxSiteReceiveStreams(slots.length));
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
    expect(receivesDirectly(staged, meeting, { peerId: 'site-7', kind: 'audio', source: 'mic' })).toBe(false);
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
    const plan = receivePlan(site, planMeeting('chair'), producers(everyone), slots);
    expect(plan.video.map((p) => p.producerId)).toEqual(['chair-cam']);
  });

  it('gives every site the presenter’s content (picture and sound) and nobody else’s', () => {
    const presenting: PlanMeeting = { ...meeting, presenterSiteId: 'site-9', layout: { kind: 'content', grid: [] } };
    const all = [...producers(everyone), ...content('site-9'), ...content('site-8')];
    const plan = receivePlan(site, presenting, all, slots);
    expect(plan.audio).toEqual(['chair-mic', 'site-9-screenAudio', 'slot-0', 'slot-1', 'slot-2']);
    // The content, and the speaker inset (the staged site).
    expect(plan.video.map((p) => p.producerId)).toEqual(['site-7-cam', 'site-9-screen']);
    expect(hearsOf(site, presenting, 'site-9')).toBe(true);
    expect(receivesDirectly(site, presenting, { peerId: 'site-8', kind: 'video', source: 'screen' })).toBe(false);
    expect(receivesDirectly(site, presenting, { peerId: 'site-9', kind: 'video', source: 'camera' })).toBe(false);
    // The chair sees the content beside its mosaic; the presenter does not receive its own.
    const chairPlan = receivePlan(chair, presenting, all, slots);
    expect(chairPlan.video.map((p) => p.producerId)).toContain('site-9-screen');
    expect(chairPlan.video.map((p) => p.producerId)).not.toContain('site-8-screen');
    const presenter = receivePlan({ id: 'site-9', role: 'site' }, presenting, all, slots);
    expect(presenter.video.map((p) => p.producerId)).toEqual(['site-7-cam']);
  });

  it('holds in each layout only what it shows, within the bound', () => {
    const grid = everyone.slice(2, 9);
    const presenting: PlanMeeting = { ...meeting, presenterSiteId: 'site-9', layout: { kind: 'grid', grid } };
    const all = [...producers(everyone), ...content('site-9')];
    const inGrid = receivePlan(site, presenting, all, slots);
    expect(inGrid.video.map((p) => p.peerId)).toEqual(['chair', ...grid]);
    expect(inGrid.audio).toEqual(['chair-mic', 'slot-0', 'slot-1', 'slot-2']);
    for (const kind of ['speaker', 'sideBySide', 'content', 'grid'] as const) {
      const plan = receivePlan(site, presenting, all, slots, kind);
      expect(plan.audio.length + plan.video.length, kind).toBeLessThanOrEqual(maxSiteReceiveStreams(slots.length));
    }
    expect(receivePlan(site, presenting, all, slots, 'speaker').video.map((p) => p.producerId)).toEqual([
      'chair-cam',
      'site-7-cam',
    ]);
    expect(maxSiteReceiveStreams(3)).toBe(12);
    expect(SITE_DIRECT_STREAMS).toBe(9);
  });
});

function content(peerId: string): ProducerInfo[] {
  return [
    { producerId: `${peerId}-screen`, peerId, kind: 'video', source: 'screen', paused: false },
    { producerId: `${peerId}-screenAudio`, peerId, kind: 'audio', source: 'screenAudio', paused: false },
  ];
}
