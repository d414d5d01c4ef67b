// Debian's baresip as a room system in tests: a real SIP video endpoint with a
// moving test picture (fakevideo), a sine tone for its microphone (ausine),
// H.264 (avcodec) and G.722/G.711/Opus, writing what it hears and sends to WAV
// files (sndfile). Its configuration lives in a temp dir; it dials at start.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface BaresipOptions {
  /** The port baresip's own SIP listens on (loopback). */
  sipPort: number;
  user: string;
  password: string;
  /** Its RTP and RTCP ports: [min, max] (random ones could take another endpoint's SIP port). */
  rtpPorts: [number, number];
  /** The URI dialled at start; none: it waits for a call and answers it. */
  dial?: string;
  /** Tone of its microphone (Hz). */
  toneHz?: number;
  /** Audio codecs it offers, in order (default: all it has). */
  audioCodecs?: string[];
  /** Media encryption: `srtp-mand` offers RTP/SAVP with SDES keys and takes nothing else (srtp module). */
  mediaEncryption?: 'srtp-mand';
  /** Its own picture (default 640x360, 15 fps, 500 kbit/s): the benchmark keeps it small. */
  video?: { width: number; height: number; fps: number; kbps: number };
}

export interface Baresip {
  dir: string;
  pid: number | undefined;
  /** Everything it printed so far. */
  output(): string;
  /** The WAV of what it heard (sndfile's "-dec" file), once written. */
  heardWav(): string | null;
  /** Saves the next picture it receives to `file` (PNG, the snapshot module). */
  snapshotReceived(file: string): void;
  /** Killed without a goodbye (SIGKILL), as a room that loses power. */
  kill(): void;
  /** Ends it (its call hung up), waits for it to exit and removes its folder. */
  stop(): Promise<void>;
}

/** Why baresip cannot run here, or null. */
export function baresipUnavailable(): string | null {
  const run = spawnSync('baresip', ['-h'], { encoding: 'utf8' });
  if (run.error) return `baresip not installed (${run.error.message}); apt-get install baresip-core baresip-ffmpeg`;
  if (!fs.existsSync('/usr/lib/baresip/modules/avcodec.so')) return 'baresip-ffmpeg (avcodec module) not installed';
  return null;
}

const MODULES = [
  'stdio.so',
  'g711.so',
  'g722.so',
  'opus.so',
  'ausine.so',
  'aubridge.so',
  'fakevideo.so',
  'avcodec.so',
  'sndfile.so',
  'snapshot.so',
];

export function startBaresip(options: BaresipOptions): Baresip {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-baresip-'));
  const video = options.video ?? { width: 640, height: 360, fps: 15, kbps: 500 };
  const config = [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${options.sipPort}`,
    `rtp_ports ${options.rtpPorts[0]}-${options.rtpPorts[1]}`,
    'audio_player aubridge,nil',
    `audio_source ausine,${options.toneHz ?? 1000}`,
    'audio_alert aubridge,nil',
    // ausine makes 48 kHz only: baresip resamples for G.722 and G.711.
    'ausrc_srate 48000',
    'auplay_srate 48000',
    'ausrc_channels 2',
    'auplay_channels 1',
    'video_source fakevideo,nil',
    'video_display fakevideo,nil',
    `video_size ${video.width}x${video.height}`,
    `video_bitrate ${video.kbps * 1000}`,
    `video_fps ${video.fps}`,
    'module_path /usr/lib/baresip/modules',
    ...MODULES.map((m) => `module ${m}`),
    ...(options.mediaEncryption ? ['module srtp.so'] : []),
    'module_app account.so',
    'module_app menu.so',
    `snd_path ${dir}`,
    'avcodec_h264enc libx264',
    'avcodec_h264dec h264',
  ];
  fs.writeFileSync(path.join(dir, 'config'), `${config.join('\n')}\n`);
  const codecs = options.audioCodecs ? `;audio_codecs=${options.audioCodecs.join(',')}` : '';
  const mediaenc = options.mediaEncryption ? `;mediaenc=${options.mediaEncryption}` : '';
  fs.writeFileSync(
    path.join(dir, 'accounts'),
    `<sip:${options.user}@127.0.0.1>;auth_pass=${options.password};regint=0;answermode=auto${codecs}${mediaenc}\n`,
  );
  const dial = options.dial ? ['-e', `/dial ${options.dial}`] : [];
  const child: ChildProcess = spawn('baresip', ['-f', dir, '-n', '127.0.0.1', ...dial], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    dir,
    pid: child.pid,
    output: () => out,
    heardWav() {
      const file = fs.readdirSync(dir).find((f) => f.endsWith('-dec.wav'));
      return file ? path.join(dir, file) : null;
    },
    snapshotReceived(file) {
      child.stdin?.write(`/snapshot_recv ${file}\n`);
    },
    kill() {
      child.kill('SIGKILL');
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        // SIGTERM: baresip hangs its call up (BYE) and quits.
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 3000);
        await exited;
        clearTimeout(killer);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** RMS level (dBFS) of a 16-bit PCM WAV's samples after its header, −Infinity when silent. */
export function wavLevel(file: string): number {
  const data = fs.readFileSync(file);
  const start = data.indexOf('data') + 8;
  let sum = 0;
  let count = 0;
  for (let i = start; i + 1 < data.length; i += 2) {
    const s = data.readInt16LE(i) / 32768;
    sum += s * s;
    count++;
  }
  return count === 0 ? Number.NEGATIVE_INFINITY : 20 * Math.log10(Math.sqrt(sum / count));
}

/**
 * Level (dB, relative to full scale) of each tone `hz` in the last `seconds` of a 16-bit PCM WAV that
 * baresip is still writing (Goertzel over the tail; the header gives rate and channels).
 */
export function wavToneLevels(file: string, hz: number[], seconds: number): number[] {
  const data = fs.readFileSync(file);
  const fmt = data.indexOf('fmt ');
  const channels = data.readUInt16LE(fmt + 10);
  const rate = data.readUInt32LE(fmt + 12);
  const start = data.indexOf('data') + 8;
  const frameBytes = 2 * channels;
  const frames = Math.min(Math.floor((data.length - start) / frameBytes), Math.floor(rate * seconds));
  const from = data.length - frames * frameBytes;
  return hz.map((f) => {
    const coefficient = 2 * Math.cos((2 * Math.PI * f) / rate);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < frames; i++) {
      const s0 = data.readInt16LE(from + i * frameBytes) / 32768 + coefficient * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
    const amplitude = (2 * Math.sqrt(Math.max(power, 0))) / Math.max(frames, 1);
    return amplitude > 0 ? 20 * Math.log10(amplitude) : -200;
  });
}
