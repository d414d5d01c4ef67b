// The chair ends a meeting from its socket (signaling `endMeeting`): the sites
// are told, and the schedule follows exactly as for POST /meetings/:id/end —
// status ended, one audit entry (naming the chair room, and the user who asked
// for its join token), `meeting:status` on /live — and ending it again changes nothing.
import { io as connectLive, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_NAMESPACE, type LiveMessage } from '../../contract/live.ts';
import type { Hub } from '../../hub/Hub.ts';
import { DEMO, waitFor } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';

let hub: Hub;
const sockets: { close(): void }[] = [];

beforeAll(async () => {
  hub = await startTestHub({ DEMO_DATA: 'true', SITE_RESUME_GRACE_MS: '0' });
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await hub?.close();
});

async function api(route: string, session: string, method = 'GET') {
  const res = await fetch(`${hub.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${session}`, ...(method === 'POST' && { 'content-type': 'application/json' }) },
    ...(method === 'POST' && { body: '{}' }),
  });
  return { status: res.status, body: await res.json() };
}

async function login({ login, password }: { login: string; password: string }): Promise<string> {
  const res = await fetch(`${hub.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  expect(res.status).toBe(200);
  return (await res.json()).token as string;
}

async function joined(session: string): Promise<SignalingClient> {
  const issued = await api(`/api/meetings/${DEMO.meetingId}/join-token`, session, 'POST');
  expect(issued.status).toBe(200);
  const client = new SignalingClient(hub.url);
  sockets.push(client);
  await client.connected();
  await client.ok('join', { token: issued.body.token });
  return client;
}

function hearStatus(session: string): Promise<LiveMessage<'meeting:status'>> {
  const live: Socket = connectLive(`${hub.url}${LIVE_NAMESPACE}`, {
    transports: ['websocket'],
    reconnection: false,
    auth: { token: session },
  });
  sockets.push(live);
  return new Promise((resolve) => live.on('meeting:status', resolve));
}

async function endEntries(session: string) {
  const trail = await api(`/api/meetings/${DEMO.meetingId}/audit`, session);
  expect(trail.status).toBe(200);
  return (trail.body.entries as { action: string; userLogin: string | null; details: unknown }[]).filter(
    (e) => e.action === 'meeting.end',
  );
}

describe('ending a meeting from the chair’s socket', () => {
  it('ends it in the schedule too: status ended, an audit entry naming the chair room and user, a live event', async () => {
    const chairSession = await login(DEMO.chair);
    const siteSession = await login(DEMO.rooms[0]);
    const chair = await joined(chairSession);
    const site = await joined(siteSession);
    const heard = hearStatus(chairSession);
    await new Promise((r) => setTimeout(r, 300)); // the /live socket joins its channels
    expect((await api(`/api/meetings/${DEMO.meetingId}`, chairSession)).body.meeting.status).not.toBe('ended');

    await chair.ok('endMeeting', {});
    expect(await site.next('kicked')).toMatchObject({ reason: 'ended' });
    await waitFor('the meeting ended in the schedule', async () => {
      const m = await api(`/api/meetings/${DEMO.meetingId}`, chairSession);
      return m.body.meeting.status === 'ended';
    });
    expect(await heard).toMatchObject({ meetingId: DEMO.meetingId, status: 'ended' });
    const entries = await endEntries(chairSession);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      userLogin: DEMO.chair.login,
      details: { by: 'chair-site', roomId: DEMO.chairRoomId },
    });
    expect(hub.meetings.get(DEMO.meetingId)).toBeUndefined();

    // The other door, afterwards: the meeting stays as it is, with its one audit entry.
    const again = await api(`/api/meetings/${DEMO.meetingId}/end`, chairSession, 'POST');
    expect(again.status).toBe(200);
    expect(again.body.meeting.status).toBe('ended');
    expect(await endEntries(chairSession)).toHaveLength(1);
    const late = await api(`/api/meetings/${DEMO.meetingId}/join-token`, siteSession, 'POST');
    expect(late.status).toBe(403);
    expect(late.body.error.code).toBe('MEETING_OVER');
  });
});
