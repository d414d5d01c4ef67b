// A SIP room goes on hearing the meeting after the worker carrying the
// meeting's home router dies (docs/sip.md, "Processes"), with real parts: a hub
// with two workers, Debian's baresip dialled in first (the meeting opens on one
// worker, the call is placed on the other, the less loaded), then the chair's
// page in Chromium (a tone microphone), placed on the home worker.
// The home worker is killed (SIGKILL): the room's call stays up, its shared
// mix (whose consumers lived on the home router) is rebuilt on the
// replacement worker, and the chair's tone is back in baresip's WAV.
// The suite skips (saying why) only when baresip cannot run here.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { login as apiLogin, bookMeetingNow } from '../helpers/api.ts';
import { type Baresip, baresipUnavailable, startBaresip, wavToneLevels } from '../helpers/baresip.ts';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  DEMO,
  ensureClientBuilt,
  newPage,
  openChairConsole,
  toneMicrophone,
  waitFor,
} from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { sipPortBlock } from '../helpers/ports.ts';
import { reportSkip } from '../helpers/skip.ts';

const unavailable = baresipUnavailable();
reportSkip('SIP rooms after a worker death', unavailable);

const ports = sipPortBlock();
const SIP_ROOM = DEMO.rooms[0].roomId;
const CHAIR_TONE = 350;
/** A frequency nobody plays: the floor the chair's tone is compared with. */
const QUIET = 1700;

/** Seconds of audio baresip wrote to `wav` after it was `size` bytes long. */
function wavSecondsSince(wav: string, size: number): number {
  const data = fs.readFileSync(wav);
  const fmt = data.indexOf('fmt ');
  const bytesPerSecond = data.readUInt32LE(fmt + 16);
  return (data.length - size) / bytesPerSecond;
}

describe.skipIf(unavailable)('a SIP room when the meeting’s home worker dies', () => {
  let hub: Hub;
  let browser: Browser;
  let chair: Page;
  let meetingId: string;
  let phone: Baresip | undefined;

  /** Whether baresip heard the chair's tone in the last second, well above the floor. */
  function hearsChair(): boolean {
    const wav = phone?.heardWav();
    if (!wav) return false;
    const [tone, floor] = wavToneLevels(wav, [CHAIR_TONE, QUIET], 1);
    return (tone as number) > (floor as number) + 20;
  }

  beforeAll(async () => {
    ensureClientBuilt();
    hub = await startTestHub({ DEMO_DATA: 'true', SIP_PORT: String(ports.hub), MEDIASOUP_WORKERS: '2' });
    const admin = await apiLogin(hub, { login: 'admin', password: 'admin123' });
    const set = await admin.call('PUT', `/api/rooms/${SIP_ROOM}/sip`, { user: 'room1', password: 'secret123' });
    expect(set.status).toBe(200);
    const secretariat = await apiLogin(hub, { login: 'vanphong.tinh', password: 'vanphong123' });
    meetingId = await bookMeetingNow(secretariat, 'Họp khi một tiến trình media chết', DEMO.chairRoomId, [SIP_ROOM]);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    ({ page: chair } = await newPage(browser, { initScripts: [toneMicrophone(CHAIR_TONE)], label: 'chair' }));
  }, 180_000);

  afterAll(async () => {
    await phone?.stop();
    await browser?.close();
    await hub?.close();
  }, 60_000);

  it('hears the chair again once the mix is rebuilt', { timeout: 120_000 }, async () => {
    phone = startBaresip({
      sipPort: ports.endpoints[0] as number,
      rtpPorts: ports.endpointRtp[0] as [number, number],
      user: 'room1',
      password: 'secret123',
      dial: `sip:${meetingId}@127.0.0.1:${ports.hub}`,
    });
    const meeting = () => hub.meetings.get(meetingId);
    await waitFor('the room in the meeting', async () => meeting()?.sites.has(SIP_ROOM), 20_000);
    await openChairConsole(chair, hub.url, DEMO.chair, meetingId);
    await waitFor('the chair in the meeting', async () => meeting()?.sites.has(DEMO.chairRoomId));
    await waitFor('the chair heard by the room', async () => hearsChair(), 20_000);
    const home = meeting()?.planes.homeIndex;
    // The call itself is on the other worker: only its mix (on the home router) is lost.
    expect(meeting()?.sites.get(SIP_ROOM)?.workerIndex).not.toBe(home);
    const callId = hub.sip?.legs()[0]?.callId;

    const victim = hub.pool.summaries().find((w) => w.index === home);
    if (!victim) throw new Error('no home worker');
    process.kill(victim.pid, 'SIGKILL');
    // baresip's WAV grows only with what it receives: the tone must be in what came after the kill.
    const wav = phone.heardWav() as string;
    const atKill = fs.statSync(wav).size;
    await waitFor(
      'the chair heard by the room again',
      async () => wavSecondsSince(wav, atKill) > 2 && hearsChair(),
      30_000,
    );
    // The same call, not a new one: the room system saw nothing but a gap.
    expect(hub.sip?.legs().map((leg) => leg.callId)).toEqual([callId]);
  });
});
