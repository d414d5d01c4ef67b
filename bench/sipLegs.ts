// The hub's extra CPU per SIP leg: `npx tsx bench/sipLegs.ts [--legs 1,5,20]
// [--duration 30] [--settle 10] [--room-picture 160x120@5/100] [--video-kbps 1024]
// [--wait-quiet 120] [--out file]` (docs/performance.md).
//
// A real hub in its own process (2 mediasoup workers, the demo province, SIP
// on), the chair's page in Chromium (fake camera: VP8 simulcast, the client's
// own send policy; a 350 Hz tone) so that the rooms' picture is adapted, and
// for each size N, N Debian baresip room systems dialling the meeting (a
// small, slow picture of their own — --room-picture — so that 20 of them and
// Chromium fit beside the hub on 2 cores; a 1 kHz tone, so that the audio
// slots are always held by K of them; H.264, G.722). Each
// phase waits for every call to be established, lets it settle, then
// measures from /proc the hub's Node process, its mediasoup workers and its
// FFmpeg children by role (picture adapter, audio mix, voice in) over the
// window. Phase 0 is the chair alone: the extra per leg at N is
// (total(N) − total(0)) / N. Writes bench/results/<date>-sip-legs.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import type { Hub } from '../hub/Hub.ts';
import { bookMeetingNow, login } from '../test/helpers/api.ts';
import { type Baresip, startBaresip } from '../test/helpers/baresip.ts';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  DEMO,
  ensureClientBuilt,
  newPage,
  openChairConsole,
  toneMicrophone,
} from '../test/helpers/browser.ts';
import { startHubProcess } from '../test/helpers/hubProcess.ts';
import { CpuWindow, machineInfo, waitForQuiet } from './cpu.ts';
import { log } from './log.ts';
import { type ProcessRole, processTree } from './processTree.ts';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
/** Below the ephemeral range, apart from the other benchmarks' ports. */
const RTC_BASE = 32000;
const SIP_PORT = 32100;
const ROOM_SIP_BASE = 32110;
const ROOM_RTP_BASE = 32200;
const ADMIN = { login: 'admin', password: 'admin123' };
const SECRETARIAT = { login: 'vanphong.tinh', password: 'vanphong123' };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (n: number) => Math.round(n * 100) / 100;
/** The load generators' priority: the hub is served first when the rooms and the chair's page want more than the cores. */
const GENERATOR_NICE = 19;

/** Lowers the load generators (every process this benchmark started but the hub's own: the rooms, Chromium) below the hub. */
function lowerGenerators(hubPid: number): void {
  const hub = new Set(processTree(hubPid).map((p) => p.pid));
  for (const { pid } of processTree(process.pid)) {
    if (pid === process.pid || hub.has(pid)) continue;
    try {
      os.setPriority(pid, GENERATOR_NICE);
    } catch {
      // Gone already: nothing to lower.
    }
  }
}

/** 20 commune rooms of the demo province (hbx-h01-x01-r1 … x19, hbx-h02-x01-r1). */
const ROOM_IDS = [
  ...Array.from({ length: 19 }, (_, i) => `hbx-h01-x${String(i + 1).padStart(2, '0')}-r1`),
  'hbx-h02-x01-r1',
];

function options() {
  const { values } = parseArgs({
    options: {
      legs: { type: 'string', default: '1,5,20' },
      duration: { type: 'string', default: '30' },
      settle: { type: 'string', default: '10' },
      'room-picture': { type: 'string', default: '160x120@5/100' },
      'video-kbps': { type: 'string', default: '1024' },
      'wait-quiet': { type: 'string', default: '120' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const legs = values.legs.split(',').map(Number);
  if (legs.some((n) => !Number.isInteger(n) || n < 1 || n > ROOM_IDS.length)) {
    throw new Error(`--legs: integers 1..${ROOM_IDS.length}, e.g. 1,5,20`);
  }
  const picture = /^(\d+)x(\d+)@(\d+)\/(\d+)$/.exec(values['room-picture']);
  if (!picture) throw new Error('--room-picture: <width>x<height>@<fps>/<kbit/s>, e.g. 160x120@5/100');
  const [, width, height, fps, kbps] = picture.map(Number) as number[];
  return {
    legs,
    durationSec: Number(values.duration),
    settleSec: Number(values.settle),
    roomPicture: { width: width as number, height: height as number, fps: fps as number, kbps: kbps as number },
    videoKbps: Number(values['video-kbps']),
    waitQuietSec: Number(values['wait-quiet']),
    out: values.out,
  };
}

type Options = ReturnType<typeof options>;

interface PhaseResult {
  legs: number;
  /** % of one core over the window, per role (summed over its processes). */
  cpuPct: Record<ProcessRole, number>;
  totalPct: number;
  /** Processes of each role during the window. */
  processes: Record<ProcessRole, number>;
  coreBusyPct: number[];
  quiet: boolean;
}

const ROLES: ProcessRole[] = ['hub', 'mediasoup-worker', 'picture adapter', 'audio mix', 'voice in', 'other'];
const byRole = (value: (role: ProcessRole) => number) =>
  Object.fromEntries(ROLES.map((role) => [role, value(role)])) as Record<ProcessRole, number>;

async function measure(hubPid: number, legs: number, opts: Options): Promise<PhaseResult> {
  const quiet = opts.waitQuietSec > 0 ? (await waitForQuiet(opts.waitQuietSec, 60)).quiet : false;
  const tree = processTree(hubPid);
  const window = new CpuWindow(tree.map((p) => p.pid));
  window.start();
  await pause(opts.durationSec * 1000);
  const report = window.stop();
  const cpuPct = byRole((role) =>
    round(
      tree
        .filter((p) => p.role === role)
        .reduce(
          (sum, p) => sum + (Number.isFinite(report.byPid.get(p.pid)) ? (report.byPid.get(p.pid) as number) : 0),
          0,
        ),
    ),
  );
  return {
    legs,
    cpuPct,
    totalPct: round(Object.values(cpuPct).reduce((a, b) => a + b, 0)),
    processes: byRole((role) => tree.filter((p) => p.role === role).length),
    coreBusyPct: report.coreBusyPct.map(round),
    quiet,
  };
}

async function dialRooms(count: number, meetingId: string, opts: Options): Promise<Baresip[]> {
  const rooms = Array.from({ length: count }, (_, i) =>
    startBaresip({
      sipPort: ROOM_SIP_BASE + 2 * i,
      rtpPorts: [ROOM_RTP_BASE + 8 * i, ROOM_RTP_BASE + 8 * i + 7],
      user: `bench${i}`,
      password: 'bench-secret',
      dial: `sip:${meetingId}@127.0.0.1:${SIP_PORT}`,
      toneHz: 1000,
      video: opts.roomPicture,
    }),
  );
  const deadline = Date.now() + 30_000 + count * 2000;
  while (rooms.some((room) => !/Call established/.test(room.output()))) {
    if (Date.now() > deadline) {
      const missing = rooms.filter((room) => !/Call established/.test(room.output())).length;
      throw new Error(`${missing} of ${count} rooms did not get in:\n${rooms[0]?.output().slice(-2000)}`);
    }
    await pause(500);
  }
  return rooms;
}

async function main(): Promise<void> {
  const opts = options();
  ensureClientBuilt();
  const hub = await startHubProcess({
    HOST: '127.0.0.1',
    PORT: '0',
    HTTPS: 'false',
    DEMO_DATA: 'true',
    MEDIASOUP_WORKERS: '2',
    RTC_PORT_BASE: String(RTC_BASE),
    RTC_TRANSPORT_PORT_MIN: String(RTC_BASE + 20),
    RTC_TRANSPORT_PORT_MAX: String(RTC_BASE + 99),
    RTC_LISTEN_IP: '127.0.0.1',
    RTC_ANNOUNCED_ADDRESS: '127.0.0.1',
    SIP_PORT: String(SIP_PORT),
    SIP_VIDEO_KBPS: String(opts.videoKbps),
  });
  const hubPid = hub.child.pid as number;
  const api = { url: hub.url } as Hub;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const phases: PhaseResult[] = [];
  try {
    const admin = await login(api, ADMIN);
    for (const [i, roomId] of ROOM_IDS.entries()) {
      const set = await admin.call('PUT', `/api/rooms/${roomId}/sip`, { user: `bench${i}`, password: 'bench-secret' });
      if (set.status !== 200) throw new Error(`could not make ${roomId} a SIP room: ${set.status}`);
    }
    const meetingId = await bookMeetingNow(
      await login(api, SECRETARIAT),
      'Đo điểm cầu SIP',
      DEMO.chairRoomId,
      ROOM_IDS,
    );
    const { page } = await newPage(browser, { initScripts: [toneMicrophone(350)], label: 'chair' });
    await openChairConsole(page, hub.url, DEMO.chair, meetingId);
    lowerGenerators(hubPid);
    log(`meeting ${meetingId} open, the chair's page in; phase 0 (chair alone)`);
    await pause(opts.settleSec * 1000);
    phases.push(await measure(hubPid, 0, opts));
    for (const legs of opts.legs) {
      log(`${legs} leg(s): dialling`);
      const rooms = await dialRooms(legs, meetingId, opts);
      lowerGenerators(hubPid);
      await pause(opts.settleSec * 1000);
      const phase = await measure(hubPid, legs, opts);
      phases.push(phase);
      log(`${legs} leg(s): ${JSON.stringify(phase.cpuPct)} (processes ${JSON.stringify(phase.processes)})`);
      await Promise.all(rooms.map((room) => room.stop()));
      await pause(3000);
    }
  } finally {
    await browser.close();
    await hub.stop();
  }
  const base = phases[0] as PhaseResult;
  const perLeg = phases.slice(1).map((phase) => ({
    legs: phase.legs,
    extraTotalPct: round((phase.totalPct - base.totalPct) / phase.legs),
    extraByRolePct: byRole((role) => round((phase.cpuPct[role] - base.cpuPct[role]) / phase.legs)),
  }));
  const result = {
    benchmark: 'sip-legs',
    date: new Date().toISOString(),
    machine: machineInfo(),
    options: opts,
    phases,
    perLeg,
    leavesOut:
      'Everything on one machine: the rooms (baresip) and the chair (Chromium) share the 2 cores with the hub (at nice 19, so the hub is served first; where the cores are saturated the rooms, not the hub, go short); the rooms send a small slow picture (--room-picture); every room plays a loud tone, so K of them hold the audio slots (K mixes of their own) and the rest share one mix; nobody is staged (every room shows the chair: one adapter); one meeting; SIP over loopback; no SRTP.',
  };
  const out = opts.out ?? path.join(RESULTS_DIR, `${result.date.slice(0, 10)}-sip-legs.json`);
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log('legs  total%  per-leg%  hub%  workers%  adapter%  mix%  voice-in%  (adapters, mixes)');
  for (const phase of phases) {
    const extra = perLeg.find((p) => p.legs === phase.legs)?.extraTotalPct ?? 0;
    const c = phase.cpuPct;
    console.log(
      `${String(phase.legs).padStart(4)}  ${String(phase.totalPct).padStart(6)}  ${String(extra).padStart(8)}  ${c.hub}  ${c['mediasoup-worker']}  ${c['picture adapter']}  ${c['audio mix']}  ${c['voice in']}  (${phase.processes['picture adapter']}, ${phase.processes['audio mix']})`,
    );
  }
  console.log(`written ${out}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
