// A site on a poor link falls back (lower simulcast layer, then audio only),
// the chair's board is told, and the site climbs back when the link recovers.
// The consumer scores are the only injected part: they stand for the worker's
// own score notifications (computed from the site's receiver reports), which a
// loopback test cannot degrade; everything downstream of them is real.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PeerInfo } from '../../contract/signaling.ts';
import type { Hub } from '../../hub/Hub.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { opusRtpParameters, SignalingClient } from '../helpers/signalingClient.ts';

let hub: Hub;
const clients: SignalingClient[] = [];

beforeAll(async () => {
  hub = await startTestHub({ LINK_RECOVER_MS: '300', LINK_AUDIO_ONLY_PROBE_MS: '600' }, 3);
});

afterAll(async () => {
  for (const c of clients) c.close();
  await hub.close();
});

/** A VP8 camera with three simulcast layers, as the browser client sends it. */
function simulcastVp8() {
  return {
    mid: '0',
    codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000, parameters: {}, rtcpFeedback: [] }],
    headerExtensions: [],
    encodings: [
      { ssrc: 3001, scalabilityMode: 'L1T3' },
      { ssrc: 3002, scalabilityMode: 'L1T3' },
      { ssrc: 3003, scalabilityMode: 'L1T3' },
    ],
    rtcp: { cname: 'chair', reducedSize: true },
  };
}

async function joined(roomId: string, role: 'chair' | 'site') {
  const c = new SignalingClient(hub.url);
  clients.push(c);
  await c.connected();
  const join = await c.ok('join', { token: await tokenFor(hub, { meetingId: 'weak', roomId, role }) });
  return { c, join };
}

async function untilState(client: SignalingClient, event: 'selfUpdated' | 'peerUpdated', state: PeerInfo['linkState']) {
  for (;;) {
    const { peer } = await client.next(event, 5000);
    if (peer.linkState === state && (event === 'selfUpdated' || peer.id === 'commune')) return peer;
  }
}

describe('weak links', () => {
  it('steps a poor site down to a lower layer, then audio only, tells the chair, and recovers', async () => {
    const chair = await joined('chair', 'chair');
    const send = await chair.c.ok('createTransport', { direction: 'send' });
    const camera = await chair.c.ok('produce', {
      transportId: send.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: simulcastVp8() as never,
    });
    await chair.c.ok('produce', {
      transportId: send.id,
      kind: 'audio',
      source: 'mic',
      rtpParameters: opusRtpParameters(4001) as never,
    });

    const site = await joined('commune', 'site');
    await site.c.ok('setRtpCapabilities', { rtpCapabilities: site.join.routerRtpCapabilities });
    await site.c.ok('createTransport', { direction: 'recv' });
    const video = await site.c.ok('consume', { producerId: camera.producerId });
    expect(video.type).toBe('simulcast');
    await site.c.ok('resumeConsumer', { consumerId: video.id });
    await site.c.ok('setPreferredLayers', { consumerId: video.id, spatialLayer: 2 });

    const consumer = hub.meetings.get('weak')?.sites.get('commune')?.consumers.get(video.id);
    if (!consumer) throw new Error('the hub holds no consumer for the site');
    expect(consumer.preferredLayers?.spatialLayer).toBe(2);
    const score = (value: number) =>
      consumer.emit('score', { score: value, producerScore: 10, producerScores: [10, 10, 10] });

    // Poor scores: one layer down, then another, then audio only.
    score(3);
    score(3);
    expect((await untilState(site.c, 'selfUpdated', 'degraded')).linkState).toBe('degraded');
    await new Promise((r) => setTimeout(r, 50));
    expect(consumer.preferredLayers?.spatialLayer).toBe(1);
    for (let i = 0; i < 4; i++) score(2);
    await untilState(site.c, 'selfUpdated', 'audio-only');
    await new Promise((r) => setTimeout(r, 50));
    expect(consumer.paused).toBe(true);
    // The chair's board hears which site is degraded.
    expect((await untilState(chair.c, 'peerUpdated', 'audio-only')).id).toBe('commune');

    // After the probe delay the hub retries video at the lowest layer…
    await untilState(site.c, 'selfUpdated', 'degraded');
    await new Promise((r) => setTimeout(r, 50));
    expect(consumer.paused).toBe(false);
    expect(consumer.preferredLayers?.spatialLayer).toBe(0);
    // …and good scores over the recovery time bring the site back to the top layer.
    const started = Date.now();
    while (Date.now() - started < 3000 && consumer.preferredLayers?.spatialLayer !== 2) {
      score(10);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(consumer.preferredLayers?.spatialLayer).toBe(2);
    expect((await untilState(chair.c, 'peerUpdated', 'good')).id).toBe('commune');
  });

  it('never raises a tile above the layer the site asked for', async () => {
    const meeting = hub.meetings.get('weak');
    const peer = meeting?.sites.get('commune');
    const [consumerId] = [...(peer?.consumers.values() ?? [])].filter((c) => c.kind === 'video').map((c) => c.id);
    const site = clients[1] as SignalingClient;
    await site.ok('setPreferredLayers', { consumerId: consumerId as string, spatialLayer: 0 });
    expect(peer?.consumers.get(consumerId as string)?.preferredLayers?.spatialLayer).toBe(0);
  });

  it('keeps the shared content at full size on a weak link, at a lower frame rate', async () => {
    const chair = await joinedIn('weak-content', 'chair', 'chair');
    const send = await chair.c.ok('createTransport', { direction: 'send' });
    const camera = await chair.c.ok('produce', {
      transportId: send.id,
      kind: 'video',
      source: 'camera',
      rtpParameters: simulcastVp8() as never,
    });
    // The content as the client sends it: two simulcast layers of three temporal layers each.
    const screen = await chair.c.ok('produce', {
      transportId: send.id,
      kind: 'video',
      source: 'screen',
      rtpParameters: {
        ...simulcastVp8(),
        mid: '9',
        encodings: [
          { ssrc: 3101, scalabilityMode: 'L1T3' },
          { ssrc: 3102, scalabilityMode: 'L1T3' },
        ],
      } as never,
    });
    const site = await joinedIn('weak-content', 'commune', 'site');
    await site.c.ok('setRtpCapabilities', { rtpCapabilities: site.join.routerRtpCapabilities });
    await site.c.ok('createTransport', { direction: 'recv' });
    const peer = hub.meetings.get('weak-content')?.sites.get('commune');
    const consumed = async (producerId: string) => {
      const o = await site.c.ok('consume', { producerId });
      await site.c.ok('resumeConsumer', { consumerId: o.id });
      await site.c.ok('setPreferredLayers', { consumerId: o.id, spatialLayer: 2 });
      const consumer = peer?.consumers.get(o.id);
      if (!consumer) throw new Error('the hub holds no consumer for the site');
      return consumer;
    };
    const cameraConsumer = await consumed(camera.producerId);
    const content = await consumed(screen.producerId);
    expect(content.preferredLayers?.spatialLayer).toBe(1);

    for (let i = 0; i < 2; i++) cameraConsumer.emit('score', { score: 3, producerScore: 10, producerScores: [10] });
    await untilState(site.c, 'selfUpdated', 'degraded');
    await new Promise((r) => setTimeout(r, 50));
    // The camera loses a layer; the content keeps its full-size one and drops to its lowest frame rate.
    expect(cameraConsumer.preferredLayers?.spatialLayer).toBe(1);
    expect(content.preferredLayers).toEqual({ spatialLayer: 1, temporalLayer: 0 });
  });
});

async function joinedIn(meetingId: string, roomId: string, role: 'chair' | 'site') {
  const c = new SignalingClient(hub.url);
  clients.push(c);
  await c.connected();
  const join = await c.ok('join', { token: await tokenFor(hub, { meetingId, roomId, role }) });
  return { c, join };
}
