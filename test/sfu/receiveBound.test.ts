// The receive plan's bound holds on the hub, whatever a site asks: with the
// grid's seven sites, a staged site, a presentation with sound and the slots
// all open to it (15 streams it may receive), a site holds at most K + 9 = 12
// consumers at once; freeing one lets it take another. The chair is not bound
// (its mosaic).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxSiteReceiveStreams } from '../../contract/receivePlan.ts';
import type { JoinResult, MediaSource } from '../../contract/signaling.ts';
import type { Hub } from '../../hub/Hub.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { opusRtpParameters, SignalingClient, vp8RtpParameters } from '../helpers/signalingClient.ts';

const MEETING = 'bound';
const K = 3;
let hub: Hub;
const clients: SignalingClient[] = [];

beforeAll(async () => {
  hub = await startTestHub({ AUDIO_SLOTS: String(K) }, 1);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await hub.close();
});

async function joined(
  roomId: string,
  role: 'chair' | 'site' = 'site',
): Promise<{ c: SignalingClient; join: JoinResult }> {
  const c = new SignalingClient(hub.url);
  clients.push(c);
  await c.connected();
  const join = await c.ok('join', { token: await tokenFor(hub, { meetingId: MEETING, roomId, role, maxSites: 20 }) });
  await c.ok('setRtpCapabilities', { rtpCapabilities: join.routerRtpCapabilities });
  await c.ok('createTransport', { direction: 'recv' });
  return { c, join };
}

async function sending(c: SignalingClient, ssrc: number, sources: MediaSource[]): Promise<string[]> {
  const send = await c.ok('createTransport', { direction: 'send' });
  const ids: string[] = [];
  for (const [n, source] of sources.entries()) {
    const audio = source === 'mic' || source === 'screenAudio';
    const parameters = audio ? opusRtpParameters(ssrc + n) : vp8RtpParameters(ssrc + n);
    const { producerId } = await c.ok('produce', {
      transportId: send.id,
      kind: audio ? 'audio' : 'video',
      source,
      rtpParameters: { ...parameters, mid: String(n) } as never,
    });
    ids.push(producerId);
  }
  return ids;
}

describe('the receive bound', () => {
  it('holds a site to K + 9 consumers, and not the chair', async () => {
    const chair = await joined('chair', 'chair');
    const chairStreams = await sending(chair.c, 100, ['camera', 'mic']);
    const cameras: string[] = [];
    for (let i = 0; i < 9; i++) {
      const site = await joined(`site-${i}`);
      // The last one presents: allowed first, then its camera and its content with sound.
      if (i === 8) await chair.c.ok('answerPresentation', { siteId: 'site-8', allowed: true });
      const sources: MediaSource[] = i === 8 ? ['camera', 'screen', 'screenAudio'] : ['camera'];
      cameras.push(...(await sending(site.c, 1000 + i * 10, sources)));
    }
    await chair.c.ok('setLayout', { kind: 'grid', grid: Array.from({ length: 7 }, (_, i) => `site-${i}`) });
    await chair.c.ok('setStage', { siteId: 'site-7' });

    // The viewer may receive 15: the chair's two, seven grid cameras, the staged camera, the content's two, K slots.
    const viewer = await joined('viewer');
    const slots = viewer.join.audioSlots.map((s) => s.producerId);
    const open = [...chairStreams, ...cameras.slice(0, 8), ...cameras.slice(9), ...slots];
    expect(open).toHaveLength(15);
    const bound = maxSiteReceiveStreams(K);
    expect(bound).toBe(12);
    const consumers: string[] = [];
    for (const producerId of open.slice(0, bound)) consumers.push((await viewer.c.ok('consume', { producerId })).id);
    const refused = await viewer.c.request('consume', { producerId: open[bound] as string });
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(hub.meetings.get(MEETING)?.sites.get('viewer')?.consumers.size).toBe(bound);
    // Freeing what its layout no longer shows makes room.
    await viewer.c.ok('closeConsumer', { consumerId: consumers[2] as string });
    expect((await viewer.c.request('consume', { producerId: open[bound] as string })).ok).toBe(true);

    // The chair's mosaic is not bound: every camera, the content and the slots.
    const chairOpen = [...cameras, ...chair.join.audioSlots.map((s) => s.producerId)];
    for (const producerId of chairOpen) await chair.c.ok('consume', { producerId });
    expect(hub.meetings.get(MEETING)?.sites.get('chair')?.consumers.size).toBeGreaterThan(bound);
  });
});
