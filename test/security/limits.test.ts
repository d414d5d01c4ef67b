// Per-site limits and the races an attacker with an ordinary site's token
// tried: a site's requests run one at a time, so concurrent requests cannot
// each pass a check before any of them acts. 50 concurrent createTransport
// leave one transport per direction alive on the worker; two concurrent mic
// produces leave one mic; 200 consumes of one producer make one consumer; two
// concurrent joins on one socket make one site, which leaves after the grace
// period with its attendance closed; a connection whose site resumed elsewhere
// is refused; the floor never names a site that left while the chair granted
// it; a flood is refused with RATE_LIMITED.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SIGNALING_ERRORS } from '../../contract/errors.ts';
import type { Hub } from '../../hub/Hub.ts';
import { DEMO, waitFor } from '../helpers/browser.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { opusRtpParameters, SignalingClient } from '../helpers/signalingClient.ts';

const GRACE_MS = 800;
let hub: Hub;
const clients: SignalingClient[] = [];

beforeAll(async () => {
  hub = await startTestHub({ DEMO_DATA: 'true', SITE_RESUME_GRACE_MS: String(GRACE_MS) });
});

afterEach(() => {
  for (const c of clients.splice(0)) c.close();
});

afterAll(async () => {
  await hub?.close();
});

async function connect(on: Hub = hub): Promise<SignalingClient> {
  const c = new SignalingClient(on.url);
  clients.push(c);
  await c.connected();
  return c;
}

async function joined(overrides: Parameters<typeof tokenFor>[1], on: Hub = hub) {
  const c = await connect(on);
  const join = await c.ok('join', { token: await tokenFor(on, overrides) });
  return { c, join };
}

function mic(c: SignalingClient, transportId: string, ssrc: number) {
  return c.request('produce', {
    transportId,
    kind: 'audio',
    source: 'mic',
    rtpParameters: opusRtpParameters(ssrc) as never,
  });
}

describe('per-site limits', () => {
  it('50 concurrent createTransport leave one send and one recv transport alive on the worker', async () => {
    const { c } = await joined({ meetingId: 'm-transports', roomId: 'greedy' });
    const acks = await Promise.all(
      Array.from({ length: 50 }, (_, i) => c.request('createTransport', { direction: i % 2 ? 'recv' : 'send' })),
    );
    expect(acks.every((a) => a.ok)).toBe(true);
    const meeting = hub.meetings.get('m-transports');
    const site = meeting?.sites.get('greedy');
    if (!meeting || !site) throw new Error('not joined');
    // Answered in order: the last of each direction is the one alive.
    const last = (direction: string) => acks.findLast((a) => a.ok && a.data.direction === direction);
    const alive = [last('send'), last('recv')].map((a) => (a?.ok ? a.data.id : ''));
    expect([...site.transports.keys()].sort()).toEqual(alive.sort());
    const { router } = await meeting.planes.of(site);
    expect((await router.dump()).transportIds.sort()).toEqual(alive.sort());
  });

  it('two concurrent mic produces leave one mic producer: the second replaces the first', async () => {
    const chair = await joined({ meetingId: 'm-two-mics', roomId: 'chair', role: 'chair' });
    const { c } = await joined({ meetingId: 'm-two-mics', roomId: 'two-mics' });
    const send = await c.ok('createTransport', { direction: 'send' });
    const [first, second] = await Promise.all([mic(c, send.id, 5001), mic(c, send.id, 5002)]);
    if (!first?.ok || !second?.ok) throw new Error('produce refused');
    const site = hub.meetings.get('m-two-mics')?.sites.get('two-mics');
    expect(site?.producersOf('mic').map((p) => p.id)).toEqual([second.data.producerId]);
    expect(await chair.c.next('producerClosed')).toEqual({ producerId: first.data.producerId, peerId: 'two-mics' });
  });

  it('200 consumes of one producer make one consumer; the rest are refused with ALREADY_CONSUMING', async () => {
    const chair = await joined({ meetingId: 'm-consume', roomId: 'chair', role: 'chair' });
    const chairSend = await chair.c.ok('createTransport', { direction: 'send' });
    const produced = await mic(chair.c, chairSend.id, 6001);
    if (!produced.ok) throw new Error('produce refused');
    const { producerId } = produced.data;
    const { c, join } = await joined({ meetingId: 'm-consume', roomId: 'hungry' });
    await c.ok('setRtpCapabilities', { rtpCapabilities: join.routerRtpCapabilities });
    await c.ok('createTransport', { direction: 'recv' });

    const concurrent = await Promise.all(Array.from({ length: 100 }, () => c.request('consume', { producerId })));
    const sequential = [];
    for (let i = 0; i < 100; i++) sequential.push(await c.request('consume', { producerId }));
    const acks = [...concurrent, ...sequential];
    expect(acks.filter((a) => a.ok)).toHaveLength(1);
    const refused = acks.flatMap((a) => (a.ok ? [] : [a.error]));
    expect(refused).toHaveLength(199);
    for (const error of refused) {
      expect(error).toEqual({
        code: 'ALREADY_CONSUMING',
        message: SIGNALING_ERRORS.ALREADY_CONSUMING[0],
        messageEn: SIGNALING_ERRORS.ALREADY_CONSUMING[1],
      });
    }
    expect(hub.meetings.get('m-consume')?.sites.get('hungry')?.consumers.size).toBe(1);
  });

  it('two concurrent joins on one socket make one site, which leaves after the grace period: no ghost', async () => {
    const roomId = DEMO.rooms[0].roomId;
    const c = await connect();
    const token = await tokenFor(hub, { meetingId: DEMO.meetingId, roomId });
    const acks = await Promise.all([c.request('join', { token }), c.request('join', { token })]);
    expect(acks.filter((a) => a.ok)).toHaveLength(1);
    expect(acks.find((a) => !a.ok)).toMatchObject({ ok: false, error: { code: 'ALREADY_JOINED' } });
    expect(hub.meetings.get(DEMO.meetingId)?.sites.size).toBe(1);

    c.close();
    await waitFor('the site left and the meeting closed', async () => !hub.meetings.get(DEMO.meetingId), 5000, 100);
    const open = await hub.scheduler.db.attendanceInterval.count({
      where: { leftAt: null, attendance: { meetingId: DEMO.meetingId, roomId } },
    });
    expect(open).toBe(0);
  });

  it('a connection whose site resumed over another one no longer speaks for it', async () => {
    const { c: old } = await joined({ meetingId: 'm-moved', roomId: 'moved' });
    const send = await old.ok('createTransport', { direction: 'send' });
    const token = await tokenFor(hub, { meetingId: 'm-moved', roomId: 'moved' });
    const back = await connect();
    expect((await back.ok('join', { token, resume: { transportIds: [send.id] } })).resumed).toBe(true);
    // The old socket is closed a moment later; until then it is refused.
    expect(await old.request('createTransport', { direction: 'recv' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_JOINED' },
    });
    expect((await back.ok('createTransport', { direction: 'recv' })).direction).toBe('recv');
    expect(hub.meetings.get('m-moved')?.sites.get('moved')?.transports.size).toBe(2);
  });

  it('the floor never names a site that left while the chair was granting it', async () => {
    const meetingId = 'm-floor-race';
    const chair = await joined({ meetingId, roomId: 'chair', role: 'chair', mode: 'briefing' });
    const holder = await joined({ meetingId, roomId: 'holder', mode: 'briefing' });
    const holderSend = await holder.c.ok('createTransport', { direction: 'send' });
    await mic(holder.c, holderSend.id, 7001);
    await chair.c.ok('setFloor', { siteId: 'holder', granted: true });
    for (let round = 0; round < 10; round++) {
      const roomId = `leaver-${round}`;
      const leaver = await joined({ meetingId, roomId, mode: 'briefing' });
      const send = await leaver.c.ok('createTransport', { direction: 'send' });
      await mic(leaver.c, send.id, 7100 + round);
      const [grant, leave] = await Promise.all([
        chair.c.request('setFloor', { siteId: roomId, granted: true }),
        leaver.c.request('leave', {}),
      ]);
      expect(leave.ok).toBe(true);
      if (!grant.ok) expect(grant.error.code).toBe('NOT_FOUND');
      expect(hub.meetings.get(meetingId)?.state().floor).not.toContain(roomId);
      // Granted to the leaver, the floor left the holder: give it back for the next round.
      await chair.c.ok('setFloor', { siteId: 'holder', granted: true });
    }
  });
});

describe('rate limit', () => {
  let limited: Hub;

  beforeAll(async () => {
    limited = await startTestHub({ SIGNALING_BURST: '20', SIGNALING_RATE_PER_SECOND: '5' }, 1);
  });

  afterAll(async () => {
    await limited?.close();
  });

  it('refuses a flood with RATE_LIMITED and a clear message, and serves the site again once it slows down', async () => {
    const { c } = await joined({ meetingId: 'm-flood', roomId: 'flooder' }, limited);
    const acks = await Promise.all(Array.from({ length: 100 }, () => c.request('raiseHand', { raised: true })));
    const served = acks.filter((a) => a.ok).length;
    // The join took one token of the 20; a few more may have dripped in meanwhile.
    expect(served).toBeGreaterThanOrEqual(19);
    expect(served).toBeLessThan(25);
    const refused = acks.flatMap((a) => (a.ok ? [] : [a.error]));
    expect(refused.length).toBe(100 - served);
    for (const error of refused) {
      expect(error).toEqual({
        code: 'RATE_LIMITED',
        message: SIGNALING_ERRORS.RATE_LIMITED[0],
        messageEn: SIGNALING_ERRORS.RATE_LIMITED[1],
      });
    }
    // Another connection has its own bucket.
    const other = await joined({ meetingId: 'm-flood', roomId: 'calm' }, limited);
    expect((await other.c.request('raiseHand', { raised: true })).ok).toBe(true);
    // At 5 per second the flooder gets a request through again after a moment, still joined.
    await new Promise((r) => setTimeout(r, 400));
    expect((await c.request('raiseHand', { raised: false })).ok).toBe(true);
    expect(limited.meetings.get('m-flood')?.sites.get('flooder')?.handRaisedAt).toBeNull();
  });
});
