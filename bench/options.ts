// The load benchmark's command line: `npm run bench:load -- --sites 300
// [--duration 60] [--video on|off] [--workers 2] [--bot-processes K]
// [--join-rate 10] [--bare on|off] [--mode discussion|briefing] [--tag name]`
// and the others that `--help` lists (each one's meaning: docs/performance.md).
import os from 'node:os';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { MEETING_MODES, type MeetingMode } from '../contract/enums.ts';
import { AudioStream, type VideoProfile } from './bots/media.ts';

/** What one run measures; written as is into the result JSON's `options`. */
export interface LoadOptions {
  sites: number;
  durationSec: number;
  video: boolean;
  workers: number;
  botProcesses: number;
  joinsPerSec: number;
  settleSec: number;
  bare: boolean;
  mode: MeetingMode;
  tokens: 'scheduler' | 'signed';
  chairVideo: VideoProfile;
  siteVideo: VideoProfile;
  connectTimeoutMs: number;
  /** Seconds to wait, before each phase, for other programs to leave the cores below 25 %. */
  waitQuietSec: number;
}

export interface LoadCommand {
  options: LoadOptions;
  /** Appended to the result file's name. */
  tag: string | undefined;
  /** The result file's path, instead of bench/results/<date>-<sites>sites[-tag].json. */
  out: string | undefined;
}

function parseVideo(spec: string): VideoProfile {
  const m = /^(\d+)x(\d+)x(\d+)$/.exec(spec);
  if (!m) throw new Error(`video profile "${spec}" must be <fps>x<packetsPerFrame>x<payloadBytes>, e.g. 25x2x1000`);
  return { fps: Number(m[1]), packetsPerFrame: Number(m[2]), payloadBytes: Number(m[3]), keyFrameEverySec: 1 };
}

const OPTIONS = {
  sites: { type: 'string', default: '300' },
  duration: { type: 'string', default: '60' },
  video: { type: 'string', default: 'on' },
  workers: { type: 'string', default: String(os.availableParallelism()) },
  'bot-processes': { type: 'string' },
  'join-rate': { type: 'string', default: '10' },
  settle: { type: 'string', default: '5' },
  bare: { type: 'string', default: 'on' },
  mode: { type: 'string', default: 'discussion' },
  tokens: { type: 'string', default: 'scheduler' },
  'chair-video': { type: 'string', default: '25x2x1000' },
  'site-video': { type: 'string', default: '10x1x1000' },
  'connect-timeout': { type: 'string', default: '8000' },
  'wait-quiet': { type: 'string', default: '180' },
  tag: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean' },
} as const satisfies ParseArgsOptionsConfig;

const HELP: Record<keyof typeof OPTIONS, string> = {
  sites: 'site bots joining the meeting (besides the chair bot)',
  duration: 'steady-state window, s',
  video: 'on|off: bots send video as well as audio',
  workers: 'mediasoup workers (default: one per core)',
  'bot-processes': 'bot child processes (default: one per 100 sites)',
  'join-rate': 'site joins per second (0: all at once)',
  settle: 's to wait after the last join before the window',
  bare: 'on|off: measure bare mediasoup too, for ratioToBare',
  mode: MEETING_MODES.join('|'),
  tokens: 'scheduler|signed: join tokens from the scheduler, or signed with the hub secret',
  'chair-video': "chair bot's video: <fps>x<packets per frame>x<payload bytes>",
  'site-video': "site bots' video: <fps>x<packets per frame>x<payload bytes>",
  'connect-timeout': 'watchdog: ms before a transport that did not connect is recreated',
  'wait-quiet': 's to wait, before each phase, for other programs to leave the cores',
  tag: 'appended to the result file name',
  out: 'result file (default: bench/results/<date>-<sites>sites[-tag].json)',
  help: 'print this and exit',
};

function usage(): string {
  const lines = Object.entries(OPTIONS).map(([name, spec]) => {
    const value = spec.type === 'string' ? ` <${'default' in spec ? spec.default : 'value'}>` : '';
    return `  --${`${name}${value}`.padEnd(28)} ${HELP[name as keyof typeof OPTIONS]}`;
  });
  return ['npm run bench:load -- [options]   (see docs/performance.md)', '', ...lines].join('\n');
}

/** Reads the command line of this process; throws on an unknown option or a bad value. */
export function parseLoadCommand(): LoadCommand {
  const { values: args } = parseArgs({ options: OPTIONS, strict: true });
  if (args.help) {
    console.log(usage());
    process.exit(0);
  }

  const sites = Number(args.sites);
  const options: LoadOptions = {
    sites,
    durationSec: Number(args.duration),
    video: args.video !== 'off',
    workers: Number(args.workers),
    botProcesses: Number(args['bot-processes'] ?? Math.max(1, Math.ceil(sites / 100))),
    joinsPerSec: Number(args['join-rate']),
    settleSec: Number(args.settle),
    bare: args.bare !== 'off',
    mode: args.mode as MeetingMode,
    tokens: args.tokens as 'scheduler' | 'signed',
    chairVideo: parseVideo(args['chair-video']),
    siteVideo: parseVideo(args['site-video']),
    connectTimeoutMs: Number(args['connect-timeout']),
    waitQuietSec: Number(args['wait-quiet']),
  };
  if (!Number.isInteger(sites) || sites < 1) throw new Error('--sites must be a positive integer');
  if (!(MEETING_MODES as readonly string[]).includes(options.mode))
    throw new Error(`--mode: ${MEETING_MODES.join(', ')}`);
  return { options, tag: args.tag, out: args.out };
}

/** Packets per second one site bot and the chair bot send (audio, plus video when it is on). */
export function targetPps(options: LoadOptions): { site: number; chair: number } {
  const audioPps = AudioStream.PACKETS_PER_SEC;
  const videoPps = (v: VideoProfile) => (options.video ? v.fps * v.packetsPerFrame : 0);
  return { site: audioPps + videoPps(options.siteVideo), chair: audioPps + videoPps(options.chairVideo) };
}
