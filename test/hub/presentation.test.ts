// Content sharing through the real hub (mediasoup workers, socket.io, SQLite):
// a site asks, the chair allows, the site's content reaches the other sites
// (and only the presenter's), the chair stops it, the chair takes over; each
// step is in the meeting's audit trail; the grant survives a hub restart.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MeetingState } from '../../contract/signaling.ts';
import type { Hub } from '../../hub/Hub.ts';
import { type ApiUser, bookMeetingNow, joinToken, login } from '../helpers/api.ts';
import { DEMO, waitFor } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { opusRtpParameters, SignalingClient, vp8RtpParameters } from '../helpers/signalingClient.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-present-'));
let hub: Hub;
const clients: SignalingClient[] = [];
const [x01, x02] = DEMO.rooms;

beforeAll(async () => {
  hub = await startTestHub({ DEMO_DATA: 'true', DATA_DIR: dataDir, SITE_RESUME_GRACE_MS: '0' });
});

afterAll(async () => {
  for (const c of clients) c.close();
  await hub?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Site {
  c: SignalingClient;
  meeting: MeetingState;
  sendId: string;
}

async function join(user: ApiUser, meetingId: string): Promise<Site> {
  const c = new SignalingClient(hub.url);
  clients.push(c);
  await c.connected();
  const joined = await c.ok('join', { token: await joinToken(user, meetingId) });
  await c.ok('setRtpCapabilities', { rtpCapabilities: joined.routerRtpCapabilities });
  await c.ok('createTransport', { direction: 'recv' });
  const send = await c.ok('createTransport', { direction: 'send' });
  return { c, meeting: joined.meeting, sendId: send.id };
}

function shareScreen(site: Site, ssrc: number) {
  return site.c.request('produce', {
    transportId: site.sendId,
    kind: 'video',
    source: 'screen',
    rtpParameters: rtp(vp8RtpParameters(ssrc)),
  });
}

/** RTP parameters with a mid of their own (one send transport carries camera, screen and its sound). */
function rtp(parameters: ReturnType<typeof vp8RtpParameters>): never {
  return { ...parameters, mid: String(parameters.encodings[0]?.ssrc) } as never;
}

/** The next meetingUpdated whose state passes `test`. */
async function meetingWhere(c: SignalingClient, test: (m: MeetingState) => boolean): Promise<MeetingState> {
  for (;;) {
    const { meeting } = await c.next('meetingUpdated');
    if (test(meeting)) return meeting;
  }
}

interface Entry {
  action: string;
  roomId: string | null;
  details: Record<string, unknown>;
}

describe('content sharing on the hub', () => {
  let chairUser: ApiUser;
  let meetingId: string;

  it('lets a site present once the chair allows, to every site, and lets the chair stop or take over', async () => {
    const secretariat = await login(hub, { login: 'vanphong.tinh', password: 'vanphong123' });
    chairUser = await login(hub, DEMO.chair);
    const presenterUser = await login(hub, x01);
    meetingId = await bookMeetingNow(secretariat, 'Họp trình chiếu', DEMO.chairRoomId, [x01.roomId, x02.roomId]);
    const chair = await join(chairUser, meetingId);
    const presenter = await join(presenterUser, meetingId);
    const viewer = await join(await login(hub, x02), meetingId);
    expect(viewer.meeting.presentation).toEqual({ presenterSiteId: null, live: false, requests: [] });

    // Not allowed yet: refused, nothing on the air.
    expect(await shareScreen(presenter, 5001)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const asked = meetingWhere(chair.c, (m) => m.presentation.requests.includes(x01.roomId));
    await presenter.c.ok('requestPresentation', { requested: true });
    await asked;
    // A site cannot answer, nor stop someone else's presentation.
    expect(await viewer.c.request('answerPresentation', { siteId: x02.roomId, allowed: true })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    const allowed = meetingWhere(viewer.c, (m) => m.presentation.presenterSiteId === x01.roomId);
    await chair.c.ok('answerPresentation', { siteId: x01.roomId, allowed: true });
    expect((await allowed).presentation.requests).toEqual([]);

    // The content goes out as its own producers, beside the camera.
    await presenter.c.ok('produce', {
      transportId: presenter.sendId,
      kind: 'video',
      source: 'camera',
      rtpParameters: rtp(vp8RtpParameters(5000)),
    });
    const announced = viewer.c.next('newProducer');
    const onAir = meetingWhere(viewer.c, (m) => m.presentation.live);
    const screen = await presenter.c.ok('produce', {
      transportId: presenter.sendId,
      kind: 'video',
      source: 'screen',
      rtpParameters: rtp(vp8RtpParameters(5001)),
    });
    await presenter.c.ok('produce', {
      transportId: presenter.sendId,
      kind: 'audio',
      source: 'screenAudio',
      rtpParameters: rtp(opusRtpParameters(5002)),
    });
    // Whatever else it was told first, the viewer hears of the content.
    let info = await announced;
    while (info.source !== 'screen') info = await viewer.c.next('newProducer');
    expect(info).toMatchObject({ producerId: screen.producerId, peerId: x01.roomId, kind: 'video' });
    expect((await onAir).layout.kind).toBe('content');
    const consumer = await viewer.c.ok('consume', { producerId: screen.producerId });
    expect(consumer).toMatchObject({ source: 'screen', peerId: x01.roomId });
    // The presenter's camera is not the viewer's to receive (it is not on stage).
    const camera = [...(hub.meetings.get(meetingId)?.sites.get(x01.roomId)?.producers.values() ?? [])].find(
      (p) => p.appData.source === 'camera',
    );
    expect(await viewer.c.request('consume', { producerId: camera?.id ?? '' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });

    // The chair stops it: the viewer's consumer closes, the layout goes back, the grant is gone.
    const closed = viewer.c.next('consumerClosed');
    const over = meetingWhere(viewer.c, (m) => m.presentation.presenterSiteId === null);
    await chair.c.ok('stopPresentation', {});
    expect(await closed).toMatchObject({ consumerId: consumer.id });
    expect((await over).layout.kind).toBe('speaker');
    expect(await shareScreen(presenter, 5003)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // Allowed again, then the chair presents itself: the site's content is closed, the chair presents.
    await chair.c.ok('answerPresentation', { siteId: x01.roomId, allowed: true });
    await presenter.c.ok('produce', {
      transportId: presenter.sendId,
      kind: 'video',
      source: 'screen',
      rtpParameters: rtp(vp8RtpParameters(5004)),
    });
    const takenOver = meetingWhere(viewer.c, (m) => m.presentation.presenterSiteId === DEMO.chairRoomId);
    expect((await shareScreen(chair, 6001)).ok).toBe(true);
    expect((await takenOver).presentation.live).toBe(true);
    expect(hub.meetings.get(meetingId)?.sites.get(x01.roomId)?.producersOf('screen')).toEqual([]);

    const expected: [string, string, Record<string, unknown>][] = [
      ['presentation.requested', x01.roomId, { siteId: x01.roomId }],
      ['chair.answerPresentation', DEMO.chairRoomId, { siteId: x01.roomId, allowed: true }],
      ['presentation.started', x01.roomId, { siteId: x01.roomId }],
      ['presentation.stopped', DEMO.chairRoomId, { siteId: x01.roomId, reason: 'chair' }],
      ['chair.answerPresentation', DEMO.chairRoomId, { siteId: x01.roomId, allowed: true }],
      ['presentation.started', x01.roomId, { siteId: x01.roomId }],
      ['presentation.stopped', DEMO.chairRoomId, { siteId: x01.roomId, reason: 'replaced' }],
      ['presentation.started', DEMO.chairRoomId, { siteId: DEMO.chairRoomId }],
    ];
    const entries = await waitFor('the presentation in the audit trail', async () => {
      const trail = await chairUser.call('GET', `/api/meetings/${meetingId}/audit`);
      const found = (trail.body.entries as Entry[]).filter(
        (e) => e.action.startsWith('presentation.') || e.action === 'chair.answerPresentation',
      );
      return found.length >= expected.length ? found : undefined;
    });
    expect(entries.map((e) => e.action)).toEqual(expected.map(([action]) => action));
    for (const [i, [, roomId, details]] of expected.entries()) {
      expect(entries[i]?.details).toMatchObject({ roomId, ...details });
    }
  });

  it('never puts two sites’ content on the air when their requests cross', async () => {
    const secretariat = await login(hub, { login: 'vanphong.tinh', password: 'vanphong123' });
    const raceMeeting = await bookMeetingNow(secretariat, 'Họp tranh trình chiếu', DEMO.chairRoomId, [
      x01.roomId,
      x02.roomId,
    ]);
    const chair = await join(chairUser, raceMeeting);
    const first = await join(await login(hub, x01), raceMeeting);
    const second = await join(await login(hub, x02), raceMeeting);
    const meeting = hub.meetings.get(raceMeeting);
    const onAir = () =>
      [DEMO.chairRoomId, x01.roomId, x02.roomId].filter(
        (id) => (meeting?.sites.get(id)?.producersOf('screen').length ?? 0) > 0,
      );

    // Both ask at once; the chair allows both at once: one of them presents.
    await Promise.all([
      first.c.ok('requestPresentation', { requested: true }),
      second.c.ok('requestPresentation', { requested: true }),
    ]);
    await Promise.all([
      chair.c.ok('answerPresentation', { siteId: x01.roomId, allowed: true }),
      chair.c.ok('answerPresentation', { siteId: x02.roomId, allowed: true }),
    ]);
    const presenter = meeting?.state().presentation.presenterSiteId;
    expect([x01.roomId, x02.roomId]).toContain(presenter);

    // The presenter's content, the other site's and the chair's own, all sent at once (each awaits its worker).
    const answers = await Promise.all([shareScreen(first, 8001), shareScreen(second, 8002), shareScreen(chair, 8003)]);
    const outcome = meeting?.state().presentation.presenterSiteId;
    expect(onAir()).toEqual([outcome]);
    // Whoever sent while not (or no longer) allowed was refused in words.
    for (const answer of answers.filter((a) => !a.ok)) {
      expect(answer).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(answers.filter((a) => a.ok).length).toBeGreaterThanOrEqual(1);
    for (const c of [chair, first, second]) c.c.close();
  });

  it('keeps the grant and the layout across a hub restart', async () => {
    const presenterUser = await login(hub, x01);
    const chair = await join(chairUser, meetingId);
    await join(presenterUser, meetingId);
    // Hand the presentation back to the site and choose the grid, then restart.
    await chair.c.ok('answerPresentation', { siteId: x01.roomId, allowed: true });
    // That ended the chair's own presentation: the chair is named as the one who ended it.
    await waitFor('the chair’s presentation ended by its answer', async () => {
      const trail = await chairUser.call('GET', `/api/meetings/${meetingId}/audit`);
      return (trail.body.entries as Entry[]).some(
        (e) =>
          e.action === 'presentation.stopped' &&
          e.details.siteId === DEMO.chairRoomId &&
          e.details.roomId === DEMO.chairRoomId &&
          e.details.reason === 'replaced',
      );
    });
    await chair.c.ok('setLayout', { kind: 'grid', grid: [x02.roomId, x01.roomId] });
    await waitFor('the decisions stored', async () => {
      const row = await hub.scheduler.db.meeting.findUnique({ where: { id: meetingId } });
      return row?.liveState?.includes('"grid"') && row.liveState.includes(`"presenter":"${x01.roomId}"`);
    });
    for (const c of clients.splice(0)) c.close();
    await hub.close();
    hub = await startTestHub({ DEMO_DATA: 'true', DATA_DIR: dataDir, SITE_RESUME_GRACE_MS: '0' });

    const back = await join(await login(hub, x01), meetingId);
    expect(back.meeting.presentation.presenterSiteId).toBe(x01.roomId);
    expect(back.meeting.layout).toEqual({ kind: 'grid', grid: [x02.roomId, x01.roomId] });
    expect((await shareScreen(back, 7001)).ok).toBe(true);
    // The presenter leaving for good ends it.
    const viewer = await join(await login(hub, x02), meetingId);
    const over = meetingWhere(viewer.c, (m) => m.presentation.presenterSiteId === null);
    await back.c.ok('leave', {});
    await over;
  });
});
