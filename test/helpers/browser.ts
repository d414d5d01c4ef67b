// Shared pieces for tests that drive Debian's Chromium (playwright-core, fake
// camera and microphone) against a test hub serving the built client: launch,
// log in, join a meeting as a room or open the chair console, read inbound
// WebRTC bytes. Adapted from test/e2e/meeting.test.ts.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Credentials {
  login: string;
  password: string;
}

/** Demo accounts (README.md): the province chair and operators of rooms invited to `demo-live`. */
export const DEMO = {
  meetingId: 'demo-live',
  /** The meeting's chair room: a token with role chair must name it. */
  chairRoomId: 'hbx-r1',
  chair: { login: 'chutri.tinh', password: 'chutri123' },
  rooms: [
    { login: 'dc.h01.x01', password: 'diemcau123', roomId: 'hbx-h01-x01-r1' },
    { login: 'dc.h01.x02', password: 'diemcau123', roomId: 'hbx-h01-x02-r1' },
    { login: 'dc.h01.x03', password: 'diemcau123', roomId: 'hbx-h01-x03-r1' },
  ],
} as const;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
];

/** Keeps every RTCPeerConnection the page makes, for reading WebRTC stats. */
export const STATS_HOOK = `(() => {
  const Orig = window.RTCPeerConnection;
  if (!Orig || window.__pcs) return;
  window.__pcs = [];
  window.RTCPeerConnection = class extends Orig {
    constructor(...args) { super(...args); window.__pcs.push(this); }
  };
})();`;

/** Keeps every camera and microphone track the page captures, to check they are released. */
export const CAPTURE_HOOK = `(() => {
  const md = navigator.mediaDevices;
  if (!md || window.__captured) return;
  window.__captured = [];
  const orig = md.getUserMedia.bind(md);
  md.getUserMedia = async (c) => {
    const s = await orig(c);
    window.__captured.push(...s.getTracks());
    return s;
  };
})();`;

/** True when the page captured devices and has stopped every track (the camera light is off). */
export function devicesReleased(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const tracks = (window as unknown as { __captured?: MediaStreamTrack[] }).__captured ?? [];
    return tracks.length > 0 && tracks.every((t) => t.readyState === 'ended');
  });
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Builds the client when client/dist is missing or older than its sources
 * (`npm test` builds it first). A lock directory keeps two test files from
 * building at once.
 */
export function ensureClientBuilt(): void {
  const index = path.join(ROOT, 'client', 'dist', 'index.html');
  const fresh = () => fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestSource(path.join(ROOT, 'client'));
  if (fresh()) return;
  const lock = path.join(ROOT, 'client', '.dist-build.lock');
  try {
    fs.mkdirSync(lock);
  } catch {
    // Another test file is building: wait for it.
    const until = Date.now() + 120_000;
    while (fs.existsSync(lock) && Date.now() < until) execFileSync('sleep', ['0.5']);
    return;
  }
  try {
    if (fresh()) return;
    execFileSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'),
        'build',
        '--config',
        'client/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      { cwd: ROOT, stdio: 'inherit' },
    );
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export function chromiumAvailable(): boolean {
  return fs.existsSync(CHROMIUM);
}

/** Launches headless Chromium; `executablePath` may be a wrapper (e.g. one entering a network namespace). */
export function launchChromium(opts: { executablePath?: string; args?: string[] } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: opts.executablePath ?? CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
  });
}

/** A fresh context and page with the stats hook and any extra init scripts. */
export async function newPage(
  browser: Browser,
  opts: {
    initScripts?: string[];
    ignoreHTTPSErrors?: boolean;
    label?: string;
    viewport?: { width: number; height: number };
  } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    locale: 'vi-VN',
    permissions: ['camera', 'microphone'],
    ignoreHTTPSErrors: opts.ignoreHTTPSErrors ?? false,
  });
  await context.addInitScript(STATS_HOOK);
  for (const s of opts.initScripts ?? []) await context.addInitScript(s);
  const page = await context.newPage();
  const label = opts.label ?? 'page';
  page.on('pageerror', (err) => console.error(`[${label} page error] ${err.message}`));
  return { context, page };
}

export interface Inbound {
  audio: number;
  video: number;
}

/** Bytes received over RTP by the page's open peer connections (mediasoup's probator left out). */
export async function inboundBytes(page: Page): Promise<Inbound> {
  return page.evaluate(async () => {
    const out = { audio: 0, video: 0 };
    const pcs = (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? [];
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s: Record<string, unknown>) => {
        if (s.type !== 'inbound-rtp' || s.mid === 'probator') return;
        const kind = s.kind as 'audio' | 'video';
        out[kind] += Number(s.bytesReceived ?? 0);
      });
    }
    return out;
  });
}

/** connectionState of every peer connection the page made, oldest first. */
export function pcStates(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    ((window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? []).map((pc) => pc.connectionState),
  );
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
  everyMs = 250,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

export async function login(page: Page, hubUrl: string, who: Credentials): Promise<void> {
  await page.goto(hubUrl);
  await page.getByLabel('Tên đăng nhập').fill(who.login);
  await page.getByLabel('Mật khẩu').fill(who.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
}

/** A room operator's page: accept the invitation if needed, open the device check, join. */
export async function joinAsRoom(page: Page, hubUrl: string, who: Credentials, meetingId: string): Promise<void> {
  await login(page, hubUrl, who);
  const card = page.locator(`li[data-meeting-id="${meetingId}"]`);
  await card.waitFor();
  const accept = card.getByRole('button', { name: 'Nhận', exact: true });
  if (await accept.isVisible()) {
    await accept.click();
    await card.getByText('Đã nhận').waitFor();
  }
  await card.getByRole('button', { name: 'Kiểm tra thiết bị' }).click();
  const join = page.getByRole('button', { name: 'Vào cuộc họp' });
  await waitFor('the join button enabled', () => join.isEnabled(), 20_000);
  await join.click();
}

/** The chair's page: open the meeting's console and join it. */
export async function openChairConsole(page: Page, hubUrl: string, who: Credentials, meetingId: string): Promise<void> {
  await login(page, hubUrl, who);
  await page.locator(`li[data-meeting-id="${meetingId}"]`).getByRole('button', { name: 'Mở bảng điều khiển' }).click();
  await page.getByRole('button', { name: 'Vào cuộc họp' }).click();
}

/**
 * What a recorder samples: an attribute of the first element matching
 * `selector`, or the suffix of its class starting with `classPrefix`; or, with
 * `peerConnections`, the connectionState of the page's open peer connections.
 */
export type Probe = { selector: string; attribute?: string; classPrefix?: string } | { peerConnections: true };

/**
 * Records, inside the page, every change of the probed value (sampled every
 * `everyMs`) with its time; read back with `readRecorder`.
 */
export async function startRecorder(page: Page, name: string, probe: Probe, everyMs = 100): Promise<void> {
  await page.evaluate(
    ({ name, probe, everyMs }) => {
      const w = window as unknown as Record<string, unknown>;
      const log: { at: number; value: string | null }[] = [];
      w[`__rec_${name}`] = log;
      const read = (): string | null => {
        if ('peerConnections' in probe) {
          const pcs = (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? [];
          const open = pcs.filter((pc) => pc.signalingState !== 'closed');
          return open.map((pc) => pc.connectionState).join(',') || null;
        }
        const el = document.querySelector(probe.selector);
        if (!el) return null;
        if (probe.attribute) return el.getAttribute(probe.attribute);
        const prefix = probe.classPrefix ?? '';
        const cls = [...el.classList].find((c) => c.startsWith(prefix));
        return cls ? cls.slice(prefix.length) : null;
      };
      const tick = () => {
        const value = read();
        if (log.length === 0 || log[log.length - 1]?.value !== value) log.push({ at: Date.now(), value });
      };
      tick();
      setInterval(tick, everyMs);
    },
    { name, probe, everyMs },
  );
}

export async function readRecorder(page: Page, name: string): Promise<{ at: number; value: string | null }[]> {
  return page.evaluate(
    (name) =>
      ((window as unknown as Record<string, unknown>)[`__rec_${name}`] ?? []) as { at: number; value: string | null }[],
    name,
  );
}

/**
 * An init script giving the page a microphone that plays a pure tone at `hz`
 * instead of Chromium's fake beep (the same for every page), so a listener can
 * tell the sites' voices apart by frequency. The camera stays the fake one.
 */
export function toneMicrophone(hz: number): string {
  return `(() => {
  const devices = navigator.mediaDevices;
  if (!devices || window.__toneMic) return;
  window.__toneMic = ${hz};
  const original = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await original(constraints);
    if (!constraints || !constraints.audio) return stream;
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    osc.frequency.value = ${hz};
    const gain = ctx.createGain();
    gain.gain.value = 0.3;
    const out = ctx.createMediaStreamDestination();
    osc.connect(gain).connect(out);
    osc.start();
    for (const t of stream.getAudioTracks()) { stream.removeTrack(t); t.stop(); }
    stream.addTrack(out.stream.getAudioTracks()[0]);
    return stream;
  };
})();`;
}

/**
 * What the page plays through its remote <audio> elements, measured in the
 * page by a WebAudio analyser over `ms`: the median level (dB) in the bin of
 * each frequency in `hz`.
 */
export function heardTones(page: Page, hz: number[], ms = 2000): Promise<number[]> {
  return page.evaluate(
    async ({ hz, ms }) => {
      const ctx = new AudioContext();
      const analyser = ctx.createAnalyser();
      analyser.fftSize = 8192;
      analyser.smoothingTimeConstant = 0;
      for (const el of document.querySelectorAll<HTMLAudioElement>('[data-role=remote-audio] audio')) {
        if (el.srcObject instanceof MediaStream) ctx.createMediaStreamSource(el.srcObject).connect(analyser);
      }
      const bins = new Float32Array(analyser.frequencyBinCount);
      const binWidth = ctx.sampleRate / analyser.fftSize;
      const frames: number[][] = hz.map(() => []);
      const until = performance.now() + ms;
      while (performance.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
        analyser.getFloatFrequencyData(bins);
        hz.forEach((f, i) => {
          const b = Math.round(f / binWidth);
          frames[i]?.push(Math.max(bins[b - 1] ?? -200, bins[b] ?? -200, bins[b + 1] ?? -200));
        });
      }
      await ctx.close();
      return frames.map((values) => {
        const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
        return sorted[Math.floor(sorted.length / 2)] ?? -200;
      });
    },
    { hz, ms },
  );
}
