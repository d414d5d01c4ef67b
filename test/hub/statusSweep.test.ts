// The schedule's clock (scheduler/statusSweep.ts), driven with chosen times on a
// real hub: a meeting still in session at its booked end runs on; once its
// last site has left it ends; one that runs over by the limit is ended through
// the chair's own end (audited, its sites told). A meeting nobody joined ends
// at its booked end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { DEMO } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';

const OVERRUN_MINUTES = 30;
let hub: Hub;
let session: string;
const sockets: SignalingClient[] = [];

beforeAll(async () => {
  hub = await startTestHub({
    DEMO_DATA: 'true',
    SITE_RESUME_GRACE_MS: '0',
    MEETING_OVERRUN_LIMIT_MINUTES: String(OVERRUN_MINUTES),
  });
  session = await login(DEMO.chair.login, DEMO.chair.password);
});

afterAll(async () => {
  for (const s of sockets) s.close();
  await hub?.close();
});

async function login(name: string, password: string): Promise<string> {
  const res = await fetch(`${hub.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: name, password }),
  });
  expect(res.status).toBe(200);
  return (await res.json()).token as string;
}

async function meeting(id: string) {
  const res = await fetch(`${hub.url}/api/meetings/${id}`, { headers: { authorization: `Bearer ${session}` } });
  expect(res.status).toBe(200);
  return (await res.json()).meeting as { status: string; endAt: string };
}

async function endedBy(id: string): Promise<unknown[]> {
  const res = await fetch(`${hub.url}/api/meetings/${id}/audit`, { headers: { authorization: `Bearer ${session}` } });
  const entries = (await res.json()).entries as { action: string; details: unknown }[];
  return entries.filter((e) => e.action === 'meeting.end').map((e) => e.details);
}

/** Books a meeting of the next hour for the demo's second commune room, as the province's secretariat. */
async function book(title: string): Promise<string> {
  const secretariat = await login('vanphong.tinh', 'vanphong123');
  const now = Date.now();
  const res = await fetch(`${hub.url}/api/meetings`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${secretariat}`,
      'content-type': 'application/json',
      'idempotency-key': crypto.randomUUID(),
    },
    body: JSON.stringify({
      title,
      startAt: new Date(now - 5 * 60_000).toISOString(),
      endAt: new Date(now + 55 * 60_000).toISOString(),
      chairRoomId: 'hbx-r1',
      invite: { roomIds: [DEMO.rooms[1].roomId] },
      override: true,
    }),
  });
  expect(res.status).toBe(201);
  return (await res.json()).meeting.id as string;
}

async function joinAs(room: (typeof DEMO.rooms)[number], meetingId: string = DEMO.meetingId): Promise<SignalingClient> {
  const operator = await login(room.login, room.password);
  const res = await fetch(`${hub.url}/api/meetings/${meetingId}/join-token`, {
    method: 'POST',
    headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' },
    body: '{}',
  });
  expect(res.status).toBe(200);
  const client = new SignalingClient(hub.url);
  sockets.push(client);
  await client.connected();
  await client.ok('join', { token: (await res.json()).token });
  return client;
}

const minutesAfter = (iso: string, minutes: number) => new Date(new Date(iso).getTime() + minutes * 60_000);

describe('the schedule’s clock', () => {
  it('lets a meeting in session run over, then ends it when its last site has left', async () => {
    const site = await joinAs(DEMO.rooms[0]);
    const { endAt } = await meeting(DEMO.meetingId);
    await hub.scheduler.sweepStatuses(minutesAfter(endAt, 1));
    expect((await meeting(DEMO.meetingId)).status).toBe('live');

    await site.ok('leave', {});
    // The hub closes the site's attendance interval as it handles the leave.
    await expect
      .poll(async () => {
        await hub.scheduler.sweepStatuses(minutesAfter(endAt, 2));
        return (await meeting(DEMO.meetingId)).status;
      })
      .toBe('ended');
    expect(await endedBy(DEMO.meetingId)).toEqual([{ by: 'schedule' }]);
  });

  it('ends a meeting that ran over by the limit like the chair would: audited, its sites told', async () => {
    const id = await book('Họp kéo dài');
    const site = await joinAs(DEMO.rooms[1], id);
    const { endAt } = await meeting(id);
    await hub.scheduler.sweepStatuses(minutesAfter(endAt, OVERRUN_MINUTES - 1));
    expect((await meeting(id)).status).toBe('live');

    await hub.scheduler.sweepStatuses(minutesAfter(endAt, OVERRUN_MINUTES + 1));
    expect((await meeting(id)).status).toBe('ended');
    expect(await endedBy(id)).toEqual([{ by: 'overrun' }]);
    expect(await site.next('kicked')).toMatchObject({ reason: 'ended' });
  });

  it('ends a meeting nobody joined at its booked end', async () => {
    const id = await book('Họp không ai vào');
    const { endAt } = await meeting(id);
    await hub.scheduler.sweepStatuses(minutesAfter(endAt, -1));
    expect((await meeting(id)).status).toBe('scheduled');
    await hub.scheduler.sweepStatuses(minutesAfter(endAt, 1));
    expect((await meeting(id)).status).toBe('ended');
  });
});
