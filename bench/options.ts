// The load benchmark's command line: `npm run bench:load -- --sites 100,200,300
// [--duration 60] [--rounds 2] [--camera 150/500/1500@30|off] [--workers 2]
// [--bot-processes K] [--join-rate 10] [--bare on|off] [--mode discussion|briefing]
// [--tag name]` and the others that `--help` lists (docs/performance.md).
import os from 'node:os';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { MEETING_MODES, type MeetingMode } from '../contract/enums.ts';
import { BROWSER_LIKE_CAMERA, type SimulcastProfile } from './pion/types.ts';

/** What one run measures; written as is into the result JSON's `options`. */
export interface LoadOptions {
  sites: number;
  durationSec: number;
  /** Each round measures our hub, then bare mediasoup (with --bare on). */
  rounds: number;
  /** Every bot's camera (VP8 simulcast), or null: audio only. */
  camera: SimulcastProfile | null;
  /** 'browser': the client's send policy (unwatched camera stopped, top layer off stage); 'worst': everything always. */
  sendPolicy: 'browser' | 'worst';
  workers: number;
  botProcesses: number;
  joinsPerSec: number;
  settleSec: number;
  bare: boolean;
  mode: MeetingMode;
  tokens: 'scheduler' | 'signed';
  /** Sites sending loud audio levels at a time during the window, and how often they change. */
  speakers: number;
  speakerChangeSec: number;
  /** The chair bot's console during the window: the stage moves, the mosaic's pages turn. */
  stageMoveSec: number;
  pageTurnSec: number;
  mosaicPageSize: number;
  /** Sites joining after the window, one at a time, to count the messages a join sends the others. */
  extraJoins: number;
  connectTimeoutMs: number;
  /** Seconds to wait, before each phase, for other programs to leave the cores below 25 %. */
  waitQuietSec: number;
}

export interface LoadCommand {
  /** One run per meeting size. */
  sites: number[];
  options: Omit<LoadOptions, 'sites'>;
  /** Appended to the result file's name. */
  tag: string | undefined;
  /** The result file's path, instead of bench/results/<date>-<sites>sites[-tag].json (one size only). */
  out: string | undefined;
}

function parseCamera(spec: string): SimulcastProfile | null {
  if (spec === 'off') return null;
  const m = /^([\d/]+)@(\d+)$/.exec(spec);
  if (!m) throw new Error(`--camera ${spec}: expected e.g. 150/500/1500@30 or off`);
  const fps = Number(m[2]);
  const kbps = (m[1] ?? '').split('/').map(Number);
  const sizes = BROWSER_LIKE_CAMERA.layers.slice(-kbps.length);
  return {
    layers: kbps.map((k, i) => ({ ...(sizes[i] ?? { width: 1280, height: 720 }), kbps: k, fps })),
    keyFrameEverySec: BROWSER_LIKE_CAMERA.keyFrameEverySec,
  };
}

const OPTIONS = {
  sites: { type: 'string', default: '300' },
  duration: { type: 'string', default: '60' },
  rounds: { type: 'string', default: '2' },
  camera: { type: 'string', default: '150/500/1500@30' },
  'send-policy': { type: 'string', default: 'browser' },
  workers: { type: 'string', default: String(os.availableParallelism()) },
  'bot-processes': { type: 'string' },
  'join-rate': { type: 'string', default: '10' },
  settle: { type: 'string', default: '5' },
  bare: { type: 'string', default: 'on' },
  mode: { type: 'string', default: 'discussion' },
  tokens: { type: 'string', default: 'scheduler' },
  speakers: { type: 'string', default: '2' },
  'speaker-change': { type: 'string', default: '10' },
  'stage-move': { type: 'string', default: '30' },
  'page-turn': { type: 'string', default: '10' },
  'mosaic-page': { type: 'string', default: '25' },
  'extra-joins': { type: 'string', default: '5' },
  'connect-timeout': { type: 'string', default: '8000' },
  'wait-quiet': { type: 'string', default: '180' },
  tag: { type: 'string' },
  out: { type: 'string' },
  help: { type: 'boolean' },
} as const satisfies ParseArgsOptionsConfig;

const HELP: Record<keyof typeof OPTIONS, string> = {
  sites: 'site bots joining the meeting (besides the chair bot); a list (100,200,300) runs each size in turn',
  duration: 'steady-state window, s',
  rounds: 'rounds of phases: diemcau, bare, diemcau, bare, … (ratioToBare with its spread)',
  camera: "every bot's VP8 simulcast camera: <kbit/s per layer>@<fps>, or off (audio only)",
  'send-policy': "browser|worst: the client's send policy, or every stream always",
  workers: 'mediasoup workers (default: one per core)',
  'bot-processes':
    'Pion bot processes (one Go engine each, one core at most) for the sites (default: one per 100 sites)',
  'join-rate': 'site joins per second (0: all at once)',
  settle: 's to wait after the last join before the window',
  bare: 'on|off: measure bare mediasoup too, for ratioToBare',
  mode: MEETING_MODES.join('|'),
  tokens: 'scheduler|signed: join tokens from the scheduler, or signed with the hub secret',
  speakers: 'sites speaking (loud audio levels) at a time during the window',
  'speaker-change': 's between two changes of who speaks',
  'stage-move': 's between two moves of the stage by the chair bot',
  'page-turn': "s between two pages of the chair bot's mosaic",
  'mosaic-page': "tiles on a page of the chair bot's mosaic (the client shows 12)",
  'extra-joins': 'sites joining one at a time after the window, to count messages per join',
  'connect-timeout': 'watchdog: ms before a transport that did not connect is recreated',
  'wait-quiet': 's to wait, before each phase, for other programs to leave the cores',
  tag: 'appended to the result file name',
  out: 'result file (default: bench/results/<date>-<sites>sites[-tag].json; one size only)',
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
  const sites = args.sites.split(',').map(Number);
  if (sites.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--sites: positive integers, e.g. 100,200');
  const options: LoadCommand['options'] = {
    durationSec: Number(args.duration),
    rounds: Number(args.rounds),
    camera: parseCamera(args.camera),
    sendPolicy: args['send-policy'] === 'worst' ? 'worst' : 'browser',
    workers: Number(args.workers),
    botProcesses: Number(args['bot-processes'] ?? 0),
    joinsPerSec: Number(args['join-rate']),
    settleSec: Number(args.settle),
    bare: args.bare !== 'off',
    mode: args.mode as MeetingMode,
    tokens: args.tokens as 'scheduler' | 'signed',
    speakers: Number(args.speakers),
    speakerChangeSec: Number(args['speaker-change']),
    stageMoveSec: Number(args['stage-move']),
    pageTurnSec: Number(args['page-turn']),
    mosaicPageSize: Number(args['mosaic-page']),
    extraJoins: Number(args['extra-joins']),
    connectTimeoutMs: Number(args['connect-timeout']),
    waitQuietSec: Number(args['wait-quiet']),
  };
  if (!(MEETING_MODES as readonly string[]).includes(options.mode))
    throw new Error(`--mode: ${MEETING_MODES.join(', ')}`);
  if (!Number.isInteger(options.rounds) || options.rounds < 1) throw new Error('--rounds must be a positive integer');
  if (args.out && sites.length > 1) throw new Error('--out takes one --sites size');
  return { sites, options, tag: args.tag, out: args.out };
}

/** The options of the run at one meeting size (the bot processes scale with it unless given). */
export function optionsFor(command: LoadCommand, sites: number): LoadOptions {
  const botProcesses = command.options.botProcesses || Math.max(1, Math.ceil(sites / 100));
  return { ...command.options, sites, botProcesses };
}

/**
 * What every bot of a run shares: it sends a microphone and (unless --camera
 * off) a simulcast camera at the run's rates, follows the browser's send
 * policy when asked, and receives what the meeting's plan gives it, as the
 * browser client does.
 */
export function botDefaults(options: LoadOptions) {
  return {
    sendAudio: true,
    sendVideo: options.camera,
    browserSendPolicy: options.sendPolicy === 'browser',
    receive: true,
    speaking: false,
    connectTimeoutMs: options.connectTimeoutMs,
    maxTransportAttempts: 5,
    requestTimeoutMs: 30_000,
  };
}
