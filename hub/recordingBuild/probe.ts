// What FFprobe says about a media file: its streams' codecs, where it starts
// and how long it lasts (a raw track of a recording, or the built MP4).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Probe {
  /** Seconds; a raw track's offset from the recording's start. */
  startS: number;
  /** Seconds, when the file says (a killed capture's file may not). */
  durationS: number | null;
  streams: { kind: 'audio' | 'video'; codec: string }[];
}

/** The file's streams and times, or null when FFprobe cannot read it (a capture killed before writing anything). */
export async function probe(ffprobePath: string, file: string): Promise<Probe | null> {
  try {
    const { stdout } = await run(
      ffprobePath,
      ['-v', 'error', '-show_entries', 'format=start_time,duration:stream=codec_type,codec_name', '-of', 'json', file],
      { timeout: 60_000 },
    );
    const parsed = JSON.parse(stdout) as {
      format?: { start_time?: string; duration?: string };
      streams?: { codec_type?: string; codec_name?: string }[];
    };
    const streams = (parsed.streams ?? [])
      .filter((s) => s.codec_type === 'audio' || s.codec_type === 'video')
      .map((s) => ({ kind: s.codec_type as 'audio' | 'video', codec: s.codec_name ?? '' }));
    if (streams.length === 0) return null;
    const duration = Number(parsed.format?.duration);
    return {
      startS: Number(parsed.format?.start_time) || 0,
      durationS: Number.isFinite(duration) ? duration : null,
      streams,
    };
  } catch {
    return null;
  }
}
