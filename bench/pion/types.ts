// What a Pion bot is told and what it reports (bench/load.ts reads these).

/** One simulcast encoding of the camera, lowest first. */
export interface VideoLayer {
  kbps: number;
  fps: number;
  /** Written into key frames only (nothing decodes the filler). */
  width: number;
  height: number;
}

export interface SimulcastProfile {
  layers: VideoLayer[];
  /** A key frame every this many seconds on each layer (and on a key-frame request). */
  keyFrameEverySec: number;
}

/** The browser client's camera (client/media/MeetingConnection.ts): 3 layers, L1T3. */
export const BROWSER_LIKE_CAMERA: SimulcastProfile = {
  layers: [
    { kbps: 150, fps: 30, width: 320, height: 180 },
    { kbps: 500, fps: 30, width: 640, height: 360 },
    { kbps: 1500, fps: 30, width: 1280, height: 720 },
  ],
  keyFrameEverySec: 3,
};

export interface PionBotConfig {
  /** Signaling URL (http://127.0.0.1:port). */
  url: string;
  token: string;
  label: string;
  sendAudio: boolean;
  /** Simulcast camera to send, or null for audio only. */
  sendVideo: SimulcastProfile | null;
  /** Loud audio level (speaking) or quiet; the hub's audio-level observer reads it. */
  speaking: boolean;
  /** Receive what the meeting's receive plan gives this site, as the browser does (PlanFollower.ts); false: nothing. */
  receive: boolean;
  /** A chair bot's mosaic: tiles a page (0: no mosaic). */
  mosaicPageSize: number;
  /**
   * Do what the browser does with the hub's hints: stop the camera when
   * nobody watches it (mediaDemand) and hold back the top layer unless chair
   * or on stage. Off: send every layer all the time (the worst case).
   */
  browserSendPolicy: boolean;
  /** Watchdog: a transport not connected this long after it was started is recreated. */
  connectTimeoutMs: number;
  /** Give up on a transport after this many attempts. */
  maxTransportAttempts: number;
  /** Ack timeout for signaling requests. */
  requestTimeoutMs: number;
}

export interface ReceiveCounters {
  /** Distinct packets received (retransmitted duplicates not counted). */
  packets: number;
  duplicates: number;
  bytes: number;
  /** Packets expected from the RTP sequence numbers seen (highest - first + 1). */
  expected: number;
}

export interface BotCounters {
  sentPackets: number;
  sentBytes: number;
  /** Of sentBytes, the camera's (every layer). */
  sentVideoBytes: number;
  /** Packets the pacer skipped because the engine fell behind. */
  skippedPackets: number;
  audio: ReceiveCounters;
  video: ReceiveCounters;
}

export interface PionBotResult {
  label: string;
  /** Join acked and every transport it needs connected (and, when consuming, first media in). */
  joined: boolean;
  error: string | null;
  /** Join request → join ack. */
  joinAckMs: number | null;
  /** Join request → first media packet received. */
  firstMediaMs: number | null;
  firstAudioMs: number | null;
  firstVideoMs: number | null;
  sendConnectedMs: number | null;
  recvConnectedMs: number | null;
  /** Transports recreated by the watchdog. */
  transportRetries: number;
  kicked: string | null;
  mediaResets: number;
  audioLevelEvents: number;
  mostLevelsInOneEvent: number;
  activeSpeakerEvents: number;
  /** Key-frame requests (PLI/FIR) the hub sent this bot's camera. */
  keyFrameRequests: number;
  counters: BotCounters;
  /** Packets received per producing site (peer id; `slot-<index>` for an audio slot), by kind. */
  receivedFrom: Record<string, { audio: number; video: number }>;
  /** The most consumers (receive streams) this bot held at once. */
  maxReceiveStreams: number;
  /** Events the hub sent this bot, by name. */
  messages: Record<string, number>;
  /** A chair bot's console: mosaic pages turned, stage moves asked and refused. */
  pageTurns: number;
  stageMoves: number;
  stageMoveErrors: number;
}

export function emptyCounters(): BotCounters {
  return {
    sentPackets: 0,
    sentBytes: 0,
    sentVideoBytes: 0,
    skippedPackets: 0,
    audio: { packets: 0, duplicates: 0, bytes: 0, expected: 0 },
    video: { packets: 0, duplicates: 0, bytes: 0, expected: 0 },
  };
}

export function emptyResult(label: string): PionBotResult {
  return {
    label,
    joined: false,
    error: null,
    joinAckMs: null,
    firstMediaMs: null,
    firstAudioMs: null,
    firstVideoMs: null,
    sendConnectedMs: null,
    recvConnectedMs: null,
    transportRetries: 0,
    kicked: null,
    mediaResets: 0,
    audioLevelEvents: 0,
    mostLevelsInOneEvent: 0,
    activeSpeakerEvents: 0,
    keyFrameRequests: 0,
    counters: emptyCounters(),
    receivedFrom: {},
    maxReceiveStreams: 0,
    messages: {},
    pageTurns: 0,
    stageMoves: 0,
    stageMoveErrors: 0,
  };
}

export function addCounters(a: BotCounters, b: BotCounters, sign = 1): BotCounters {
  const r = (x: ReceiveCounters, y: ReceiveCounters): ReceiveCounters => ({
    packets: x.packets + sign * y.packets,
    duplicates: x.duplicates + sign * y.duplicates,
    bytes: x.bytes + sign * y.bytes,
    expected: x.expected + sign * y.expected,
  });
  return {
    sentPackets: a.sentPackets + sign * b.sentPackets,
    sentBytes: a.sentBytes + sign * b.sentBytes,
    sentVideoBytes: a.sentVideoBytes + sign * b.sentVideoBytes,
    skippedPackets: a.skippedPackets + sign * b.skippedPackets,
    audio: r(a.audio, b.audio),
    video: r(a.video, b.video),
  };
}

/** Event counts by name, summed. */
export function addMessages(parts: Record<string, number>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const part of parts) for (const [name, n] of Object.entries(part)) sum[name] = (sum[name] ?? 0) + n;
  return sum;
}

export const OPUS_PACKETS_PER_SEC = 50;
/** Largest VP8 payload per packet (engine/send.go's maxVideoPayload). */
const MAX_VIDEO_PAYLOAD = 1100;

/** Packets per second of one simulcast layer as the engine packetizes it. */
export function layerPps(layer: VideoLayer): number {
  return layer.fps * Math.max(1, Math.ceil((layer.kbps * 125) / layer.fps / MAX_VIDEO_PAYLOAD));
}
