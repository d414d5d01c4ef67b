// The hub process is killed (SIGKILL) during a meeting and started again on
// the same data: the schedule, invitations and attendance are intact, the
// meeting is still live, sites join again, and attendance shows the outage as
// a gap.
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO, waitFor } from '../helpers/browser.ts';
import { fixedHttpPort, rtcPortBlock } from '../helpers/ports.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-restart-'));
const ports = rtcPortBlock(2);
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function startHub(port: number): Promise<string> {
  child = spawn(process.execPath, ['--import', 'tsx', 'hub/main.ts'], {
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(port),
      HTTPS: 'false',
      DATA_DIR: dataDir,
      DEMO_DATA: 'true',
      LOG_LEVEL: 'info',
      MEDIASOUP_WORKERS: '1',
      RTC_PORT_BASE: String(ports.base),
      RTC_TRANSPORT_PORT_MIN: String(ports.transportMin),
      RTC_TRANSPORT_PORT_MAX: String(ports.transportMax),
      RTC_ANNOUNCED_ADDRESS: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += d;
  });
  child.stderr?.on('data', (d) => {
    output += d;
  });
  const deadline = Date.now() + 60_000;
  while (!output.includes('hub listening')) {
    if (Date.now() > deadline) throw new Error(`hub did not start:\n${output}`);
    if (child.exitCode !== null) throw new Error(`hub exited:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const url = /"url":"([^"]+)"/.exec(output)?.[1];
  if (!url) throw new Error('no url in the hub log');
  return url;
}

async function api(url: string, route: string, token?: string, init: RequestInit = {}) {
  const res = await fetch(`${url}${route}`, {
    ...init,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  return { status: res.status, body: await res.json() };
}

async function login(url: string, loginName: string, password: string): Promise<string> {
  const { status, body } = await api(url, '/api/auth/login', undefined, {
    method: 'POST',
    body: JSON.stringify({ login: loginName, password }),
  });
  expect(status).toBe(200);
  return body.token as string;
}

async function joinDemoMeeting(url: string, session: string) {
  const issued = await api(url, '/api/meetings/demo-live/join-token', session, { method: 'POST', body: '{}' });
  expect(issued.status).toBe(200);
  const client = new SignalingClient(url);
  await client.connected();
  const join = await client.request('join', { token: issued.body.token });
  return { client, join };
}

async function joinedDemoMeeting(url: string, session: string) {
  const { client, join } = await joinDemoMeeting(url, session);
  if (!join.ok) throw new Error(`join refused: ${join.error.code}`);
  return { client, joined: join.data };
}

async function snapshot(url: string, session: string) {
  const meeting = await api(url, '/api/meetings/demo-live', session);
  const attendance = await api(url, '/api/meetings/demo-live/attendance', session);
  return { meeting: meeting.body, attendance: attendance.body };
}

describe('hub restart during a meeting', () => {
  it('keeps the schedule, attendance and the chair’s decisions, stays live, and records the outage as a gap', async () => {
    const port = fixedHttpPort();
    let url = await startHub(port);
    const secretariat = await login(url, 'vanphong.tinh', 'vanphong123');
    const operator = await login(url, 'dc.h01', 'diemcau123');
    const newcomer = await login(url, DEMO.rooms[0].login, DEMO.rooms[0].password);
    const chairSession = await login(url, DEMO.chair.login, DEMO.chair.password);
    const site = await joinedDemoMeeting(url, operator);
    const chair = await joinedDemoMeeting(url, chairSession);
    // The chair mutes the site, locks the meeting and makes "mute all" its rule: all must outlive the hub.
    await chair.client.ok('setSiteMuted', { siteId: site.joined.self.id, muted: true });
    await chair.client.ok('setLocked', { locked: true });
    await chair.client.ok('muteAll', {});
    await new Promise((r) => setTimeout(r, 500));
    const before = await snapshot(url, secretariat);
    expect(before.meeting.meeting.status).toBe('live');

    // Crash: no chance to record anything.
    const killedAt = Date.now();
    child?.kill('SIGKILL');
    await new Promise((r) => child?.once('exit', r));
    site.client.close();
    chair.client.close();
    await new Promise((r) => setTimeout(r, 1500));

    const restartAt = Date.now();
    url = await startHub(port);
    const listeningMs = Date.now() - restartAt;
    // Sessions survive the restart (stored in the database).
    const after = await snapshot(url, secretariat);
    expect(after.meeting.meeting.status).toBe('live');
    expect(after.meeting.meeting.invitationNumber).toBe(before.meeting.meeting.invitationNumber);
    expect(after.meeting.meeting.title).toBe(before.meeting.meeting.title);
    // Every invited room is still in the report.
    expect(before.attendance.rows.length).toBeGreaterThan(3);
    expect(after.attendance.rows.length).toBe(before.attendance.rows.length);

    const rejoined = await joinedDemoMeeting(url, operator);
    console.log(
      `hub restart: listening ${listeningMs} ms after start, site rejoined ${Date.now() - restartAt} ms after start`,
    );
    await new Promise((r) => setTimeout(r, 500));
    const report = await snapshot(url, secretariat);
    const row = (
      report.attendance.rows as { roomId: string; intervals: { joinedAt: string; leftAt: string | null }[] }[]
    ).find((r) => r.intervals.length > 0 && r.roomId.startsWith('hbx-h01'));
    expect(row?.intervals).toHaveLength(2);
    const [first, second] = row?.intervals ?? [];
    // The first interval ends at the last heartbeat before the crash, the second starts after the restart.
    expect(Date.parse(first?.leftAt ?? '')).toBeLessThanOrEqual(killedAt);
    expect(Date.parse(second?.joinedAt ?? '')).toBeGreaterThan(killedAt);
    expect(second?.leftAt).toBeNull();

    // The chair's decisions survived: the site is still muted, the meeting still
    // locked (the site that was in may come back, a new one may not).
    expect(rejoined.joined.self.mutedByChair).toBe(true);
    expect(rejoined.joined.meeting.locked).toBe(true);
    expect(rejoined.joined.meeting.muteNewSites).toBe(true);
    const refused = await joinDemoMeeting(url, newcomer);
    expect(refused.join).toMatchObject({ ok: false, error: { code: 'MEETING_LOCKED' } });
    refused.client.close();

    // The chair ends the meeting as the console does (one REST call): the sites are told, nobody gets back in.
    const ended = await api(url, '/api/meetings/demo-live/end', chairSession, { method: 'POST', body: '{}' });
    expect(ended.status).toBe(200);
    expect(await rejoined.client.next('kicked')).toMatchObject({ reason: 'ended' });
    rejoined.client.close();
    await waitFor('the meeting ended in the schedule', async () => {
      return (await snapshot(url, secretariat)).meeting.meeting.status === 'ended';
    });
    const lateToken = await api(url, '/api/meetings/demo-live/join-token', operator, { method: 'POST', body: '{}' });
    expect(lateToken.status).toBe(403);
    expect(lateToken.body.error.code).toBe('MEETING_OVER');
  });
});
