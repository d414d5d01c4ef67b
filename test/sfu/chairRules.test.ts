// The chair's meeting-wide rules over signaling: "mute all" holds for sites
// that join afterwards (and for a site that was in and comes back), "unmute
// all" lifts it; "give floor to next" follows the order the hands went up and
// the meeting tells when the floor was given.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';

let hub: Hub;
const clients: SignalingClient[] = [];

beforeAll(async () => {
  hub = await startTestHub({ SITE_RESUME_GRACE_MS: '0' }, 2);
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await hub.close();
});

async function join(meetingId: string, roomId: string, role: 'chair' | 'site' = 'site') {
  const c = new SignalingClient(hub.url);
  clients.push(c);
  await c.connected();
  const joined = await c.ok('join', { token: await tokenFor(hub, { meetingId, roomId, role }) });
  return { c, joined };
}

describe('mute all as a meeting rule', () => {
  it('mutes the sites in, those that join later and those that come back; unmute all lifts it', async () => {
    const meetingId = 'm-mute-rule';
    const chair = await join(meetingId, 'chair', 'chair');
    const early = await join(meetingId, 'early');
    const away = await join(meetingId, 'away');
    away.c.close();
    await new Promise((r) => setTimeout(r, 300));

    expect(await chair.c.ok('muteAll', {})).toEqual({ muted: 1 });
    expect((await early.c.next('selfUpdated')).peer.mutedByChair).toBe(true);

    const late = await join(meetingId, 'late');
    expect(late.joined.self).toMatchObject({ mutedByChair: true, canSpeak: false });
    expect(late.joined.meeting.muteNewSites).toBe(true);
    const back = await join(meetingId, 'away');
    expect(back.joined.self.mutedByChair).toBe(true);
    // The chair itself is never muted by the rule.
    expect(chair.joined.self.mutedByChair).toBe(false);

    // One site unmuted by name stays unmuted when it reconnects, the rule still on.
    await chair.c.ok('setSiteMuted', { siteId: 'late', muted: false });
    late.c.close();
    await new Promise((r) => setTimeout(r, 300));
    expect((await join(meetingId, 'late')).joined.self.mutedByChair).toBe(false);

    expect(await chair.c.ok('unmuteAll', {})).toEqual({ unmuted: 2 });
    expect(hub.meetings.get(meetingId)?.state().muteNewSites).toBe(false);
    expect([...(hub.meetings.get(meetingId)?.sites.values() ?? [])].map((s) => s.mutedByChair)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    const after = await join(meetingId, 'after');
    expect(after.joined.self).toMatchObject({ mutedByChair: false, canSpeak: true });
  });

  it('a site may not lift the rule', async () => {
    const meetingId = 'm-mute-rule-site';
    await join(meetingId, 'chair', 'chair');
    const site = await join(meetingId, 'site');
    const refused = await site.c.request('unmuteAll', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('the speaking queue', () => {
  it('gives the floor to whoever raised first, and the meeting says since when', async () => {
    const meetingId = 'm-queue';
    const chair = await join(meetingId, 'chair', 'chair');
    await chair.c.ok('setMode', { mode: 'conference' });
    const sites = [await join(meetingId, 's1'), await join(meetingId, 's2'), await join(meetingId, 's3')];
    // Raised in the order s3, s1; s2 keeps its hand down.
    await sites[2]?.c.ok('raiseHand', { raised: true });
    await new Promise((r) => setTimeout(r, 20));
    await sites[0]?.c.ok('raiseHand', { raised: true });
    // Raising again keeps the place.
    await sites[2]?.c.ok('raiseHand', { raised: true });
    const meeting = hub.meetings.get(meetingId);
    const raisedAt = (id: string) => meeting?.sites.get(id)?.handRaisedAt?.getTime() ?? Number.NaN;
    expect(raisedAt('s3')).toBeLessThan(raisedAt('s1'));

    const before = Date.now();
    expect(await chair.c.ok('giveFloorToNext', {})).toEqual({ siteId: 's3' });
    expect(meeting?.state().floor).toEqual(['s3']);
    expect(Date.parse(meeting?.state().floorSince.s3 ?? '')).toBeGreaterThanOrEqual(before - 5);
    expect(meeting?.sites.get('s3')?.handRaisedAt).toBeNull();

    expect(await chair.c.ok('giveFloorToNext', {})).toEqual({ siteId: 's1' });
    // The next speaker takes the floor from the one before, in any mode.
    expect(meeting?.state().floor).toEqual(['s1']);
    expect(meeting?.state().floorSince).toEqual({ s1: expect.any(String) });
    expect(await chair.c.ok('giveFloorToNext', {})).toEqual({ siteId: null });
    expect(meeting?.state().floor).toEqual(['s1']);
  });
});
