// The mute bypass, with real packets: a site allowed to speak (a real WebRTC
// peer in its own process, test/helpers/twoMicSite.ts) sends two mic tracks and
// asks the hub to produce both at the same instant, then streams RTP on both.
// The hub keeps one mic producer (the second replaces the first). When the
// chair mutes the site, a consumer of every microphone the site has on the hub
// receives zero packets within a second, while the site keeps sending.
import { type ChildProcess, fork } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { types } from 'mediasoup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { waitFor } from '../helpers/browser.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';
import type { FromTwoMicSite, ToTwoMicSite } from '../helpers/twoMicSite.ts';

const ATTACKER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'helpers', 'twoMicSite.ts');
const MEETING = 'm-mute-bypass';

let hub: Hub;
let attacker: ChildProcess | undefined;
const closers: (() => void)[] = [];

beforeAll(async () => {
  hub = await startTestHub();
});

afterAll(async () => {
  attacker?.kill('SIGKILL');
  for (const close of closers) close();
  await hub?.close();
});

/** Starts the attacking site and resolves with its two produce answers. */
async function twoMicSite(token: string): Promise<Extract<FromTwoMicSite, { type: 'produced' }>['acks']> {
  const child = fork(ATTACKER, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  attacker = child;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the attacking site did not produce within 30 s')), 30_000);
    child.on('message', (message: FromTwoMicSite) => {
      if (message.type === 'ready') child.send({ type: 'start', url: hub.url, token } satisfies ToTwoMicSite);
      if (message.type === 'failed') reject(new Error(message.message));
      if (message.type === 'produced') {
        clearTimeout(timer);
        resolve(message.acks);
      }
    });
    child.once('exit', (code) => reject(new Error(`the attacking site exited (${code})`)));
  });
}

/** A consumer of `producerId` on `router` sending to a local UDP socket: counts the RTP packets it forwards. */
async function tap(router: types.Router, producerId: string): Promise<{ packets: number }> {
  const socket = dgram.createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const transport = await router.createPlainTransport({ listenIp: '127.0.0.1', rtcpMux: true, comedia: false });
  await transport.connect({ ip: '127.0.0.1', port: socket.address().port });
  await transport.consume({ producerId, rtpCapabilities: router.rtpCapabilities });
  const counter = { packets: 0 };
  socket.on('message', (msg) => {
    const type = msg[1] ?? 0;
    if (type < 200 || type > 206) counter.packets++; // RTCP aside
  });
  closers.push(() => {
    transport.close();
    socket.close();
  });
  return counter;
}

describe('mute bypass with two concurrent microphones', () => {
  it('the hub keeps one mic; once the chair mutes the site, no packet of it reaches a consumer', {
    timeout: 90_000,
  }, async () => {
    const chair = new SignalingClient(hub.url);
    closers.push(() => chair.close());
    await chair.connected();
    await chair.ok('join', { token: await tokenFor(hub, { meetingId: MEETING, roomId: 'chair', role: 'chair' }) });

    const acks = await twoMicSite(await tokenFor(hub, { meetingId: MEETING, roomId: 'attacker' }));
    expect(acks.every((a) => a.ok)).toBe(true);
    const meeting = hub.meetings.get(MEETING);
    const site = meeting?.sites.get('attacker');
    if (!meeting || !site) throw new Error('the attacking site is not in the meeting');
    const mics = site.producersOf('mic');
    const [second] = acks;
    expect(mics.map((p) => p.id)).toEqual(acks.slice(1).flatMap((a) => (a.ok ? [a.data.producerId] : [])));
    expect(second?.ok).toBe(true);

    // A consumer of every microphone the site has, on the site's own router.
    const { router } = await meeting.planes.of(site);
    const taps = await Promise.all(mics.map((mic) => tap(router, mic.id)));
    const total = () => taps.reduce((n, t) => n + t.packets, 0);
    await waitFor('the site’s microphone reaching the consumer', async () => total() > 25, 30_000, 100);

    await chair.ok('setSiteMuted', { siteId: 'attacker', muted: true });
    await new Promise((r) => setTimeout(r, 200)); // packets already on their way
    const before = total();
    const [transport] = site.transports.values();
    const sentBefore = (await transport?.getStats())?.[0]?.rtpBytesReceived ?? 0;
    await new Promise((r) => setTimeout(r, 1000));
    const sentAfter = (await transport?.getStats())?.[0]?.rtpBytesReceived ?? 0;

    expect(total() - before).toBe(0);
    // The site kept sending all along: the hub held it.
    expect(sentAfter - sentBefore).toBeGreaterThan(5_000);
    expect(meeting.audience.info(site)).toMatchObject({ micOn: false, mutedByChair: true });
    console.log(
      `[mute bypass] ${acks.length} concurrent mic produces → ${mics.length} mic producer on the hub; ` +
        `${before} packets forwarded before the mute, ${total() - before} in the second after; ` +
        `the site sent ${sentAfter - sentBefore} RTP bytes meanwhile`,
    );
  });
});
