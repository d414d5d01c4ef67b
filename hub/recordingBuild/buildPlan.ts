// How the one MP4 is made from a recording's raw tracks: the main picture
// follows the timeline (each main segment shown from its start to its end over
// a black canvas, its last frame held to its end, the inset camera in the corner while content was shown), and
// every audio track is mixed into one, each at its offset. The result is
// encoded once: H.264 and AAC, as long as the recording was.
import type { TrackRole } from '../../sfu/recording/Timeline.ts';

export const WIDTH = 1280;
export const HEIGHT = 720;
const FPS = 25;
const INSET_WIDTH = 384;
const INSET_HEIGHT = 216;
const INSET_MARGIN = 24;

/** One raw file placed on the recording's timeline. */
export interface PlacedTrack {
  file: string;
  role: TrackRole;
  kind: 'audio' | 'video';
  /** Seconds from the recording's start: its first frame, and when it stopped being shown. */
  startS: number;
  endS: number;
  /** Audio streams in the file (the slots' file holds one per slot). */
  audioStreams: number;
}

const s3 = (seconds: number) => Math.max(0, seconds).toFixed(3);

function videoChain(tracks: PlacedTrack[], firstInput: number, filters: string[]): string {
  let base = '0:v';
  let input = firstInput;
  const layered = [...tracks.filter((t) => t.role === 'main'), ...tracks.filter((t) => t.role === 'inset')];
  for (const [n, track] of layered.entries()) {
    const inset = track.role === 'inset';
    const [w, h] = inset ? [INSET_WIDTH, INSET_HEIGHT] : [WIDTH, HEIGHT];
    const fit = `scale=${w}:${h}:force_original_aspect_ratio=decrease,pad=${w}:${h}:(ow-iw)/2:(oh-ih)/2:black,setsar=1`;
    filters.push(`[${input++}:v:0]setpts=PTS-STARTPTS+${s3(track.startS)}/TB,${fit}[seg${n}]`);
    const where = inset ? `:x=W-w-${INSET_MARGIN}:y=H-h-${INSET_MARGIN}` : '';
    const when = `enable='between(t,${s3(track.startS)},${s3(track.endS)})'`;
    filters.push(`[${base}][seg${n}]overlay=eof_action=repeat${where}:${when}[pic${n}]`);
    base = `pic${n}`;
  }
  filters.push(`[${base}]format=yuv420p[vout]`);
  return 'vout';
}

function audioChain(tracks: PlacedTrack[], firstInput: number, durationS: number, filters: string[]): void {
  const mixed: string[] = [];
  tracks.forEach((track, i) => {
    const delayMs = Math.round(track.startS * 1000);
    for (let k = 0; k < track.audioStreams; k++) {
      const label = `a${i}_${k}`;
      // Silence before its first packet and over the gaps (DTX, nobody in the slot), then its offset.
      filters.push(
        `[${firstInput + i}:a:${k}]aresample=48000:async=1:first_pts=0,aformat=channel_layouts=stereo,adelay=delays=${delayMs}:all=1[${label}]`,
      );
      mixed.push(`[${label}]`);
    }
  });
  // The silent source (input 1) makes the mix as long as the recording however little was heard.
  mixed.push('[1:a]');
  filters.push(
    `${mixed.join('')}amix=inputs=${mixed.length}:duration=longest:dropout_transition=0:normalize=0,atrim=0:${s3(durationS)}[aout]`,
  );
}

/** FFmpeg's arguments for the MP4 (its progress on stdout). */
export function buildArgs(tracks: PlacedTrack[], durationS: number, output: string): string[] {
  const video = tracks.filter((t) => t.kind === 'video');
  const audio = tracks.filter((t) => t.kind === 'audio' && t.audioStreams > 0);
  const d = s3(durationS);
  const inputs = [
    ...['-f', 'lavfi', '-i', `color=c=black:s=${WIDTH}x${HEIGHT}:r=${FPS}:d=${d}`],
    ...['-f', 'lavfi', '-i', `anullsrc=r=48000:cl=stereo,atrim=0:${d}`],
    ...video.flatMap((t) => ['-i', t.file]),
    ...audio.flatMap((t) => ['-i', t.file]),
  ];
  const filters: string[] = [];
  const vout = videoChain(video, 2, filters);
  audioChain(audio, 2 + video.length, durationS, filters);
  // biome-ignore format: one option per line reads better
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error', '-y',
    ...inputs,
    '-filter_complex', filters.join(';'),
    '-map', `[${vout}]`, '-map', '[aout]',
    '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-r', String(FPS),
    '-c:a', 'aac', '-b:a', '128k',
    '-t', d, '-movflags', '+faststart', '-f', 'mp4',
    '-progress', 'pipe:1', '-nostats',
    output,
  ];
}
