// A site whose connection drops keeps its media for a grace period: back over a
// new socket, it names its transports and takes everything back (producers and
// the chair's consumers of them survive), instead of rebuilding from scratch.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { DEMO, waitFor } from '../helpers/browser.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { opusRtpParameters, SignalingClient } from '../helpers/signalingClient.ts';

let hub: Hub;
const clients: SignalingClient[] = [];
const GRACE_MS = 1500;

beforeAll(async () => {
  hub = await startTestHub({ SITE_RESUME_GRACE_MS: String(GRACE_MS), DEMO_DATA: 'true' }, 1);
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await hub.close();
});

async function connect(): Promise<SignalingClient> {
  const c = new SignalingClient(hub.url);
  clients.push(c);
  await c.connected();
  return c;
}

async function siteWithMic(meetingId: string, roomId: string) {
  const c = await connect();
  const token = await tokenFor(hub, { meetingId, roomId });
  await c.ok('join', { token });
  const send = await c.ok('createTransport', { direction: 'send' });
  const recv = await c.ok('createTransport', { direction: 'recv' });
  const mic = await c.ok('produce', {
    transportId: send.id,
    kind: 'audio',
    source: 'mic',
    rtpParameters: opusRtpParameters(4444) as never,
  });
  return { c, token, transportIds: [send.id, recv.id], micId: mic.producerId };
}

/** Waits for the chair's board update saying site-1's connection is `state` (earlier updates skipped). */
async function chairSees(chair: SignalingClient, state: 'online' | 'reconnecting'): Promise<void> {
  for (;;) {
    const { peer } = await chair.next('peerUpdated');
    if (peer.id === 'site-1' && peer.connection === state) return;
  }
}

describe('a site resumes after its connection drops', () => {
  it('takes back its transports and producers; the chair sees it reconnecting, then online', async () => {
    const meetingId = 'm-resume';
    const chair = await connect();
    await chair.ok('join', { token: await tokenFor(hub, { meetingId, roomId: 'chair', role: 'chair' }) });
    const site = await siteWithMic(meetingId, 'site-1');
    const meeting = hub.meetings.get(meetingId);
    const peerBefore = meeting?.sites.get('site-1');

    site.c.close();
    await chairSees(chair, 'reconnecting');
    expect(meeting?.sites.get('site-1')?.producers.has(site.micId)).toBe(true);

    const back = await connect();
    const joined = await back.ok('join', { token: site.token, resume: { transportIds: site.transportIds } });
    expect(joined.resumed).toBe(true);
    expect(joined.self.connection).toBe('online');
    // Same peer, same media: nothing was rebuilt.
    expect(meeting?.sites.get('site-1')).toBe(peerBefore);
    expect(meeting?.sites.get('site-1')?.producers.has(site.micId)).toBe(true);
    await chairSees(chair, 'online');
    // The kept transports answer an ICE restart over the new socket.
    const restarted = await back.ok('restartIce', { transportId: site.transportIds[0] as string });
    expect(restarted.iceParameters.usernameFragment).toBeTruthy();
    // The grace timer was cancelled: the site is still there after it would have run out.
    await new Promise((r) => setTimeout(r, GRACE_MS + 300));
    expect(meeting?.sites.has('site-1')).toBe(true);
  });

  it('leaves after the grace period (attendance ends when the link dropped), and a late resume is admitted afresh', async () => {
    // The demo's live meeting and one of its invited rooms, so attendance is recorded.
    const meetingId = DEMO.meetingId;
    const roomId = DEMO.rooms[0].roomId;
    const chair = await connect();
    await chair.ok('join', { token: await tokenFor(hub, { meetingId, roomId: DEMO.chairRoomId, role: 'chair' }) });
    const site = await siteWithMic(meetingId, roomId);
    const droppedAt = Date.now();
    site.c.close();
    const left = await chair.next('peerLeft', GRACE_MS + 3000);
    const leftSeenAt = Date.now();
    expect(left).toMatchObject({ peerId: roomId, reason: 'disconnected' });
    const interval = await waitFor('the attendance interval closed', async () => {
      const rows = await hub.scheduler.db.attendanceInterval.findMany({
        where: { attendance: { meetingId, roomId } },
        orderBy: { joinedAt: 'desc' },
      });
      return rows[0]?.leftAt ? rows[0] : undefined;
    });
    // Closed at the drop, not when the grace period ran out.
    expect(interval.leftAt?.getTime()).toBeGreaterThanOrEqual(droppedAt - 50);
    expect(interval.leftAt?.getTime()).toBeLessThan(leftSeenAt - GRACE_MS / 2);

    const back = await connect();
    const joined = await back.ok('join', { token: site.token, resume: { transportIds: site.transportIds } });
    expect(joined.resumed).toBe(false);
    expect(hub.meetings.get(meetingId)?.sites.get(roomId)?.producers.size).toBe(0);
  });

  it('refuses to hand a site’s media to a connection that cannot name its transports', async () => {
    const meetingId = 'm-resume-guess';
    const site = await siteWithMic(meetingId, 'site-3');
    const other = await connect();
    const joined = await other.ok('join', {
      token: site.token,
      resume: { transportIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    // A fresh admission replaces the first connection instead; its media is not handed over.
    expect(joined.resumed).toBe(false);
    expect(hub.meetings.get(meetingId)?.sites.get('site-3')?.producers.has(site.micId)).toBe(false);
  });
});
