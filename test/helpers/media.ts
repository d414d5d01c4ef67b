// Known media for tests that check what was recorded: solid-colour Y4M video
// for Chromium's fake camera and a pure tone WAV for its fake microphone
// (made with FFmpeg), and what FFmpeg finds in a file: its streams and length,
// its loudness, the mean colour of one frame.
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

/** A few seconds of one colour (Chromium loops the file). */
export function solidVideo(dir: string, colour: string): string {
  const file = path.join(dir, `${colour}.y4m`);
  // biome-ignore format: FFmpeg options in pairs
  execFileSync('ffmpeg', [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `color=c=${colour}:s=640x360:r=15`,
    '-t', '2', '-pix_fmt', 'yuv420p', file,
  ]);
  return file;
}

/** A pure tone (Chromium loops the file). */
export function toneWav(dir: string, hz: number): string {
  const file = path.join(dir, `tone-${hz}.wav`);
  // biome-ignore format: FFmpeg options in pairs
  execFileSync('ffmpeg', [
    '-v', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=${hz}:sample_rate=48000`,
    '-t', '5', '-ac', '1', '-c:a', 'pcm_s16le', file,
  ]);
  return file;
}

/** Chromium's fake camera and microphone reading these files. */
export function fakeCaptureArgs(video: string, audio: string): string[] {
  return [`--use-file-for-fake-video-capture=${video}`, `--use-file-for-fake-audio-capture=${audio}`];
}

export interface MediaFacts {
  codecs: string[];
  durationS: number;
}

export function mediaFacts(file: string): MediaFacts {
  const out = execFileSync('ffprobe', [
    '-v',
    'error',
    '-show_entries',
    'format=duration:stream=codec_type,codec_name',
    '-of',
    'json',
    file,
  ]).toString();
  const parsed = JSON.parse(out) as {
    format: { duration?: string };
    streams: { codec_type: string; codec_name: string }[];
  };
  return {
    codecs: parsed.streams.map((s) => `${s.codec_type}:${s.codec_name}`),
    durationS: Number(parsed.format.duration),
  };
}

/** The mean volume (dB) FFmpeg's volumedetect measures over the whole file. */
export function meanVolume(file: string): number {
  const run = spawnSync('ffmpeg', ['-hide_banner', '-i', file, '-af', 'volumedetect', '-vn', '-f', 'null', '-']);
  return Number(/mean_volume: (-?[\d.]+) dB/.exec(run.stderr.toString())?.[1] ?? '-inf');
}

/** The mean colour [r, g, b] of the frame at `atS` seconds. */
export function meanColour(file: string, atS: number): [number, number, number] {
  // biome-ignore format: FFmpeg options in pairs
  const rgb = execFileSync('ffmpeg', [
    '-v', 'error', '-ss', String(atS), '-i', file, '-frames:v', '1',
    '-vf', 'scale=1:1:flags=area', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-',
  ]);
  return [rgb[0] ?? 0, rgb[1] ?? 0, rgb[2] ?? 0];
}
