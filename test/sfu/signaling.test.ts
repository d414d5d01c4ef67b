// Two sites join one meeting over socket.io with signed tokens; one produces,
// the other hears of it and consumes it. Bad tokens and bad requests are
// refused with error acks and the hub stays up.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { signJoinToken } from '../../contract/joinToken.ts';
import type { Hub } from '../../hub/Hub.ts';
import { claims, startTestHub, tokenFor } from '../helpers/hub.ts';
import { opusRtpParameters, SignalingClient, vp8RtpParameters } from '../helpers/signalingClient.ts';

let hub: Hub;
const clients: SignalingClient[] = [];

beforeAll(async () => {
  // No resume grace: a closed socket leaves at once (resuming is tested in resume.test.ts).
  hub = await startTestHub({ SOCKET_MAX_MESSAGE_BYTES: '4096', SITE_RESUME_GRACE_MS: '0' });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await hub.close();
});

async function client(): Promise<SignalingClient> {
  const c = new SignalingClient(hub.url);
  clients.push(c);
  await c.connected();
  return c;
}

async function joinedSite(overrides: Parameters<typeof claims>[0]) {
  const c = await client();
  const joined = await c.ok('join', { token: await tokenFor(hub, overrides) });
  return { c, joined };
}

describe('signaling', () => {
  it('lets one site produce and another consume it', async () => {
    const chair = await joinedSite({
      meetingId: 'm-flow',
      roomId: 'province-hall',
      role: 'chair',
      displayName: 'Hội trường UBND tỉnh',
    });
    expect(chair.joined.self).toMatchObject({ id: 'province-hall', role: 'chair' });
    expect(chair.joined.routerRtpCapabilities.codecs?.map((c) => c.mimeType)).toEqual(
      expect.arrayContaining(['audio/opus', 'video/VP8', 'video/H264']),
    );

    const site = await joinedSite({ meetingId: 'm-flow', roomId: 'commune-1', displayName: 'UBND xã Tân Phú' });
    expect(site.joined.meeting.chairSiteId).toBe('province-hall');
    const joinedEvent = await chair.c.next('peerJoined');
    expect(joinedEvent.peer).toMatchObject({ id: 'commune-1', displayName: 'UBND xã Tân Phú', role: 'site' });

    // The chair sends its camera.
    const send = await chair.c.ok('createTransport', { direction: 'send' });
    expect(send.iceCandidates.length).toBeGreaterThan(0);
    const { producerId, paused } = await chair.c.ok('produce', {
      transportId: send.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: vp8RtpParameters(1111) as never,
    });
    expect(paused).toBe(false);

    const announced = await site.c.next('newProducer');
    expect(announced).toEqual({ producerId, peerId: 'province-hall', kind: 'video', source: 'camera', paused: false });

    await site.c.ok('setRtpCapabilities', { rtpCapabilities: site.joined.routerRtpCapabilities });
    await site.c.ok('createTransport', { direction: 'recv' });
    const consumer = await site.c.ok('consume', { producerId });
    expect(consumer).toMatchObject({ producerId, peerId: 'province-hall', kind: 'video', source: 'camera' });
    expect(consumer.rtpParameters.codecs[0]?.mimeType).toBe('video/VP8');
    await site.c.ok('resumeConsumer', { consumerId: consumer.id });

    // The server holds that consumer; the two sites were placed on different
    // workers, so the chair's producer was piped to the site's worker.
    const meeting = hub.meetings.get('m-flow');
    expect(meeting?.sites.get('commune-1')?.consumers.has(consumer.id)).toBe(true);
    expect(meeting?.sites.get('commune-1')?.workerIndex).not.toBe(meeting?.sites.get('province-hall')?.workerIndex);
    expect(meeting?.planes.workerIndexes).toEqual([0, 1]);

    // Closing the producer tells the consumer's site.
    await chair.c.ok('closeProducer', { producerId });
    const closed = await site.c.next('consumerClosed');
    expect(closed).toEqual({ consumerId: consumer.id, producerId });
  });

  it('holds a site microphone in briefing mode until the chair gives the floor, and lets the chair mute', async () => {
    const meeting = { meetingId: 'm-brief', mode: 'briefing' as const };
    const chair = await joinedSite({ ...meeting, roomId: 'chair', role: 'chair' });
    const site = await joinedSite({ ...meeting, roomId: 'site-a' });
    const send = await site.c.ok('createTransport', { direction: 'send' });
    const mic = await site.c.ok('produce', {
      transportId: send.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: opusRtpParameters(2222) as never,
    });
    expect(mic.paused).toBe(true);

    const refused = await site.c.request('resumeProducer', { producerId: mic.producerId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const notChair = await site.c.request('setFloor', { siteId: 'site-a', granted: true });
    expect(notChair).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    await chair.c.ok('setFloor', { siteId: 'site-a', granted: true });
    const producer = hub.meetings.get('m-brief')?.sites.get('site-a')?.producers.get(mic.producerId);
    expect(producer?.paused).toBe(false);

    await chair.c.ok('setSiteMuted', { siteId: 'site-a', muted: true });
    expect(producer?.paused).toBe(true);
    const self = await site.c.next('selfUpdated');
    expect(self.peer.mutedByChair || self.peer.canSpeak === false).toBe(true);
  });

  it('refuses bad, expired and other-hub tokens', async () => {
    const c = await client();
    const forged = await signJoinToken(claims(), 'another-hub-secret-another-hub-secret', 600);
    expect(await c.request('join', { token: forged })).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID' } });
    expect(await c.request('join', { token: 'not-a-token' })).toMatchObject({
      ok: false,
      error: { code: 'TOKEN_INVALID' },
    });

    const expired = await tokenFor(hub, {}, 1);
    await new Promise((r) => setTimeout(r, 2100));
    expect(await c.request('join', { token: expired })).toMatchObject({ ok: false, error: { code: 'TOKEN_EXPIRED' } });

    // Nothing was admitted by those attempts.
    expect(hub.meetings.get('meeting-1')?.sites.size ?? 0).toBe(0);
  });

  it('keeps a token to its own meeting: a site cannot act in another meeting', async () => {
    const a = await joinedSite({ meetingId: 'm-a', roomId: 'r-a' });
    await joinedSite({ meetingId: 'm-b', roomId: 'r-b', role: 'chair' });
    const b = hub.meetings.get('m-b');
    const chairProducerTransport = await a.c.ok('createTransport', { direction: 'send' });
    expect(b?.sites.has('r-a')).toBe(false);
    expect(hub.meetings.get('m-a')?.sites.get('r-a')?.transports.has(chairProducerTransport.id)).toBe(true);
  });

  it('refuses joins beyond the meeting cap with a clear error', async () => {
    await joinedSite({ meetingId: 'm-cap', roomId: 'c1', maxSites: 2 });
    await joinedSite({ meetingId: 'm-cap', roomId: 'c2', maxSites: 2 });
    const third = await client();
    const refused = await third.request('join', {
      token: await tokenFor(hub, { meetingId: 'm-cap', roomId: 'c3', maxSites: 2 }),
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'MEETING_FULL' } });
    if (!refused.ok) expect(refused.error.messageEn).toContain('maximum of 2 sites');
    expect(hub.meetings.get('m-cap')?.sites.size).toBe(2);
  });

  it('answers malformed, oversized and unknown requests with error acks and stays up', async () => {
    const c = await client();
    expect(await c.raw('fly', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
    expect(await c.raw('join', { token: 42 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await c.raw('join', 'just a string')).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await c.raw('join', { token: 'x'.repeat(5000) })).toMatchObject({
      ok: false,
      error: { code: 'PAYLOAD_TOO_LARGE' },
    });
    expect(await c.raw('createTransport', { direction: 'send' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_JOINED' },
    });

    const { c: site } = await joinedSite({ meetingId: 'm-bad', roomId: 'r-bad' });
    expect(await site.raw('createTransport', { direction: 'sideways' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await site.raw('createTransport', { direction: 'send', extra: true })).toMatchObject({
      ok: false,
      error: { code: 'BAD_REQUEST' },
    });
    expect(await site.raw('consume', { producerId: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'CANNOT_CONSUME' },
    });
    const send = await site.ok('createTransport', { direction: 'send' });
    const badRtp = await site.raw('produce', {
      transportId: send.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: { codecs: 'nope' },
    });
    expect(badRtp).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    // Still serving: a fresh join and the health endpoint work.
    const health = await fetch(`${hub.url}/api/health`).then((r) => r.json());
    expect(health.workers).toHaveLength(2);
    expect(await site.ok('getRouterRtpCapabilities', {})).toHaveProperty('rtpCapabilities');
  });

  it('keeps the chair’s decisions across a site’s reconnection: muted stays muted, a locked meeting takes its sites back', async () => {
    const meeting = { meetingId: 'm-reconnect', mode: 'discussion' as const };
    const chair = await joinedSite({ ...meeting, roomId: 'chair', role: 'chair' });
    const site = await joinedSite({ ...meeting, roomId: 'site-r' });
    await chair.c.ok('setSiteMuted', { siteId: 'site-r', muted: true });
    await chair.c.ok('setLocked', { locked: true });

    // The site's link drops: the hub sees its socket go.
    site.c.close();
    await chair.c.next('peerLeft');
    const back = await joinedSite({ ...meeting, roomId: 'site-r' });
    expect(back.joined.self.mutedByChair).toBe(true);
    expect(back.joined.self.canSpeak).toBe(false);
    const send = await back.c.ok('createTransport', { direction: 'send' });
    const mic = await back.c.ok('produce', {
      transportId: send.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: opusRtpParameters(3333) as never,
    });
    expect(mic.paused).toBe(true);

    const stranger = await client();
    const refused = await stranger.request('join', { token: await tokenFor(hub, { ...meeting, roomId: 'site-new' }) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'MEETING_LOCKED' } });
  });

  it('an ended meeting stays ended: a site holding a valid token cannot reopen it', async () => {
    const meeting = { meetingId: 'm-end' };
    const chair = await joinedSite({ ...meeting, roomId: 'chair', role: 'chair' });
    await joinedSite({ ...meeting, roomId: 'site-e' });
    await chair.c.ok('endMeeting', {});
    expect(hub.meetings.get('m-end')).toBeUndefined();
    const late = await client();
    const refused = await late.request('join', { token: await tokenFor(hub, { ...meeting, roomId: 'site-e' }) });
    expect(refused).toMatchObject({ ok: false, error: { code: 'MEETING_ENDED' } });
  });

  it('replaces an older connection of the same room', async () => {
    const first = await joinedSite({ meetingId: 'm-dup', roomId: 'r-dup' });
    await joinedSite({ meetingId: 'm-dup', roomId: 'r-dup' });
    const kicked = await first.c.next('kicked');
    expect(kicked.reason).toBe('replaced');
    expect(hub.meetings.get('m-dup')?.sites.size).toBe(1);
  });
});
