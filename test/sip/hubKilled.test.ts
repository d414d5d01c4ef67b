// A hub killed outright leaves no FFmpeg behind (docs/sip.md, "Processes"):
// a hub running as its own process (as `npm start` runs it) with a SIP room
// system in a meeting — Debian's baresip dials in, the leg's FFmpeg processes
// (voice in, the mix) run as the hub's children — is SIGKILLed; a few seconds
// later none of them runs (the kernel kills them with their parent:
// sfu/sip/parentBound.ts). The suite skips (saying why) only when baresip
// cannot run here.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login as apiLogin, bookMeetingNow } from '../helpers/api.ts';
import { type Baresip, baresipUnavailable, startBaresip } from '../helpers/baresip.ts';
import { DEMO, waitFor } from '../helpers/browser.ts';
import { type HubProcess, startHubProcess } from '../helpers/hubProcess.ts';
import { rtcPortBlock, sipPortBlock } from '../helpers/ports.ts';
import { reportSkip } from '../helpers/skip.ts';

const unavailable = baresipUnavailable();
reportSkip('a killed hub’s FFmpeg', unavailable);

const ports = sipPortBlock();
const rtc = rtcPortBlock(0);
const SIP_ROOM = DEMO.rooms[0].roomId;

/** The FFmpeg processes whose parent is `pid` (from /proc). */
function ffmpegChildren(pid: number): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      const stat = readStat(Number(name));
      return stat !== null && stat.ppid === pid && stat.comm === 'ffmpeg';
    })
    .map(Number);
}

/** A process's name, state and parent, or null when it is gone. */
function readStat(pid: number): { comm: string; state: string; ppid: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const [state, ppid] = stat.slice(close + 2).split(' ');
    return { comm: stat.slice(stat.indexOf('(') + 1, close), state: state as string, ppid: Number(ppid) };
  } catch {
    return null;
  }
}

/** Running: present and not a zombie waiting for its new parent to reap it. */
function running(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== null && stat.state !== 'Z';
}

describe.skipIf(unavailable)('a hub killed with a SIP room in a meeting', () => {
  let hub: HubProcess;
  let phone: Baresip | undefined;

  beforeAll(async () => {
    hub = await startHubProcess({
      HOST: '127.0.0.1',
      PORT: '0',
      HTTPS: 'false',
      DEMO_DATA: 'true',
      MEDIASOUP_WORKERS: '1',
      RTC_PORT_BASE: String(rtc.base),
      RTC_TRANSPORT_PORT_MIN: String(rtc.transportMin),
      RTC_TRANSPORT_PORT_MAX: String(rtc.transportMax),
      RTC_LISTEN_IP: '127.0.0.1',
      RTC_ANNOUNCED_ADDRESS: '127.0.0.1',
      SIP_PORT: String(ports.hub),
    });
  }, 120_000);

  afterAll(async () => {
    await phone?.stop();
    await hub?.stop();
  }, 60_000);

  it('leaves none of its FFmpeg processes running', { timeout: 90_000 }, async () => {
    const admin = await apiLogin(hub, { login: 'admin', password: 'admin123' });
    const set = await admin.call('PUT', `/api/rooms/${SIP_ROOM}/sip`, { user: 'room1', password: 'secret123' });
    expect(set.status).toBe(200);
    const secretariat = await apiLogin(hub, { login: 'vanphong.tinh', password: 'vanphong123' });
    const meetingId = await bookMeetingNow(secretariat, 'Họp rồi máy chủ hỏng', DEMO.chairRoomId, [SIP_ROOM]);
    phone = startBaresip({
      sipPort: ports.endpoints[0] as number,
      rtpPorts: ports.endpointRtp[0] as [number, number],
      user: 'room1',
      password: 'secret123',
      dial: `sip:${meetingId}@127.0.0.1:${ports.hub}`,
    });
    const hubPid = hub.child.pid as number;
    // Voice in and the room's mix, at least.
    const pids = await waitFor(
      'the leg’s FFmpeg processes running under the hub',
      async () => {
        const found = ffmpegChildren(hubPid);
        return found.length >= 2 ? found : false;
      },
      30_000,
    );

    await hub.kill();
    await waitFor('every FFmpeg of the killed hub gone', async () => !pids.some(running), 5000);
  });
});
