// Device capture and the pre-join checks: picture, microphone signal, route to
// the server. Each failure names its likely cause the way the provinces'
// operating guides do (no picture → camera/cabling; no sound → mic/mixer;
// lost connection → network).
import type { TechCheckResult } from '../../contract/rest/techCheck.ts';

/** The capture every site sends from: 1280×720 (the camera's top simulcast layer), speech-tuned audio. */
const CAPTURE_CONSTRAINTS: MediaStreamConstraints = {
  audio: { echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  video: { width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 25, max: 30 } },
};

export interface DeviceChoice {
  cameraId?: string;
  micId?: string;
}

export async function capture(choice: DeviceChoice = {}): Promise<MediaStream> {
  const base = CAPTURE_CONSTRAINTS;
  const video = { ...(base.video as MediaTrackConstraints) };
  const audio = { ...(base.audio as MediaTrackConstraints) };
  if (choice.cameraId) video.deviceId = { exact: choice.cameraId };
  if (choice.micId) audio.deviceId = { exact: choice.micId };
  return navigator.mediaDevices.getUserMedia({ video, audio });
}

export async function listDevices(): Promise<{ cameras: MediaDeviceInfo[]; mics: MediaDeviceInfo[] }> {
  const all = await navigator.mediaDevices.enumerateDevices();
  return {
    cameras: all.filter((d) => d.kind === 'videoinput'),
    mics: all.filter((d) => d.kind === 'audioinput'),
  };
}

/** A running level meter on the stream's microphone (0..1, RMS-ish). */
export class LevelMeter {
  private ctx: AudioContext | null = null;
  private analyser: AnalyserNode | null = null;
  private buf: Float32Array<ArrayBuffer> | null = null;
  peak = 0;

  constructor(stream: MediaStream) {
    const track = stream.getAudioTracks()[0];
    const AC = globalThis.AudioContext;
    if (!track || !AC) return;
    this.ctx = new AC();
    void this.ctx.resume().catch(() => undefined);
    const src = this.ctx.createMediaStreamSource(new MediaStream([track]));
    this.analyser = this.ctx.createAnalyser();
    this.analyser.fftSize = 1024;
    src.connect(this.analyser);
    this.buf = new Float32Array(this.analyser.fftSize);
  }

  level(): number {
    if (!this.analyser || !this.buf) return 0;
    this.analyser.getFloatTimeDomainData(this.buf);
    let sum = 0;
    for (const v of this.buf) sum += v * v;
    const rms = Math.sqrt(sum / this.buf.length);
    const level = Math.min(1, rms * 4);
    this.peak = Math.max(this.peak, level);
    return level;
  }

  close(): void {
    void this.ctx?.close().catch(() => undefined);
    this.ctx = null;
    this.analyser = null;
  }
}

export type CheckIssue = 'noCamera' | 'noMic' | 'noRoute';

export interface CheckResult {
  issues: CheckIssue[];
  serverRttMs: number | null;
}

/** The check as the hub stores it (contract/rest/techCheck.ts): each part working or not. */
export function techCheckOf(r: CheckResult): TechCheckResult {
  return {
    camera: !r.issues.includes('noCamera'),
    microphone: !r.issues.includes('noMic'),
    network: !r.issues.includes('noRoute'),
    serverRttMs: r.serverRttMs === null ? null : Math.round(r.serverRttMs),
  };
}

/** Whether the video element shows a picture (not black, frames decoded). */
export function hasPicture(video: HTMLVideoElement): boolean {
  if (!video.videoWidth || !video.videoHeight) return false;
  const canvas = document.createElement('canvas');
  canvas.width = 32;
  canvas.height = 18;
  const g = canvas.getContext('2d');
  if (!g) return true;
  g.drawImage(video, 0, 0, 32, 18);
  const { data } = g.getImageData(0, 0, 32, 18);
  let max = 0;
  for (let i = 0; i < data.length; i += 4) {
    const lum = 0.2126 * (data[i] ?? 0) + 0.7152 * (data[i + 1] ?? 0) + 0.0722 * (data[i + 2] ?? 0);
    if (lum > max) max = lum;
  }
  return max > 12;
}

export async function pingServer(timeoutMs = 5000): Promise<number | null> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  const t0 = performance.now();
  try {
    const res = await fetch('/api/health', { cache: 'no-store', signal: ctrl.signal });
    if (!res.ok && res.status >= 500) return null;
    return Math.round(performance.now() - t0);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the three checks over `windowMs` (the meter samples the mic meanwhile). */
export async function runChecks(
  stream: MediaStream | null,
  video: HTMLVideoElement | null,
  meter: LevelMeter | null,
  windowMs = 2500,
): Promise<CheckResult> {
  const issues: CheckIssue[] = [];
  if (meter) meter.peak = 0;
  const sampler = setInterval(() => meter?.level(), 50);
  const [rtt] = await Promise.all([pingServer(), new Promise((r) => setTimeout(r, windowMs))]);
  clearInterval(sampler);
  const vt = stream?.getVideoTracks()[0];
  if (vt?.readyState !== 'live' || !video || !hasPicture(video)) issues.push('noCamera');
  const at = stream?.getAudioTracks()[0];
  if (at?.readyState !== 'live' || !meter || meter.peak < 0.01) issues.push('noMic');
  if (rtt === null) issues.push('noRoute');
  return { issues, serverRttMs: rtt };
}
