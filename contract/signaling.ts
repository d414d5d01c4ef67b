// The signaling contract between the hub and every client: request names,
// payload schemas, ack shapes, server-pushed events and error codes. Imported by
// the server (sfu/signaling.ts) and the browser client alike; documented in
// docs/protocol.md. Change both sides by changing this file.
import type {
  DtlsParameters,
  IceCandidate,
  IceParameters,
  MediaKind,
  RtpCapabilities,
  RtpParameters,
} from 'mediasoup-client/types';
import { z } from 'zod';
import { DEPLOYMENT_NAME, type LinkableDeployment, type UpstreamLink } from './cascade.ts';
import type { ChatMessage } from './chat.ts';
import { MEETING_MODES, type MeetingMode, type SiteRole } from './enums.ts';
import type { ErrorBody, SignalingErrorCode } from './errors.ts';
import { LAYOUT_KINDS, type Layout, MAX_GRID_SITES } from './layout.ts';
import type { LiveRecording, RecordingFault } from './liveRecording.ts';
import type { PresentationState } from './presentation.ts';
import type { RoomCallProgress } from './sip.ts';

export const PROTOCOL_VERSION = 1;

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody<SignalingErrorCode> };

// ---------------------------------------------------------------------------
// Shared shapes

/** A site's camera and microphone, and the content it presents (contract/presentation.ts). */
export const MEDIA_SOURCES = ['mic', 'camera', 'screen', 'screenAudio'] as const;
export type MediaSource = (typeof MEDIA_SOURCES)[number];
/** The kind of track each source carries. */
export const SOURCE_KIND: Record<MediaSource, MediaKind> = {
  mic: 'audio',
  camera: 'video',
  screen: 'video',
  screenAudio: 'audio',
};
/** Sources that are the presentation's, not the site's own picture and voice. */
export function isContentSource(source: MediaSource): boolean {
  return source === 'screen' || source === 'screenAudio';
}
export type TransportDirection = 'send' | 'recv';

export interface LinkStats {
  rttMs: number;
  lossPct: number;
  sendKbps: number;
  recvKbps: number;
}

/**
 * Why a site needs the chair now, as the hub measures it (sfu/SiteAlarms.ts;
 * thresholds in hub/config.ts): what it sends arrives with loss or jitter over
 * the threshold, or its watched video under the bitrate floor; or it holds the
 * floor and sends no sound or no video.
 */
export const ALARM_KINDS = ['loss', 'jitter', 'bitrate', 'floorSilent', 'floorNoVideo'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

export interface SiteAlarm {
  kind: AlarmKind;
  /** The figure when the alarm started: %, ms or kbps; null for the floor alarms. */
  value: number | null;
  /** When it started (ISO time, the hub's clock). */
  since: string;
}

/** A connected site as everyone in the meeting sees it. Sites are identified by their room id. */
export interface PeerInfo {
  id: string;
  displayName: string;
  role: SiteRole;
  joinedAt: string;
  micOn: boolean;
  cameraOn: boolean;
  handRaised: boolean;
  /** When the hand went up (ISO time, the hub's clock); null while it is down. The speaking queue's order. */
  handRaisedAt: string | null;
  /** The chair muted this site; it cannot unmute until the chair lifts it. */
  mutedByChair: boolean;
  /** The meeting's mode and floor let this site open its microphone. */
  canSpeak: boolean;
  link: LinkStats | null;
  /** Set by the hub from this site's receive quality: lower layers, then audio only, then back. */
  linkState: 'good' | 'degraded' | 'audio-only';
  /** reconnecting: the site's connection dropped; its media is kept for it for a grace period. */
  connection: 'online' | 'reconnecting';
  /** What is wrong with the site now; empty when all is well. */
  alarms: SiteAlarm[];
}

export interface MeetingState {
  meetingId: string;
  mode: MeetingMode;
  locked: boolean;
  /** Site everyone sees on the main stage; null means the chair. */
  stageSiteId: string | null;
  /** Sites granted the floor (briefing: at most one; conference: several). */
  floor: string[];
  /** When each floor holder got the floor (ISO time, the hub's clock): the chair's console shows how long. */
  floorSince: Record<string, string>;
  /** The chair's "mute all" rule: sites that join later arrive muted too, until "unmute all". */
  muteNewSites: boolean;
  chairSiteId: string | null;
  maxSites: number;
  connectedSites: number;
  /** Who presents, who asks to (contract/presentation.ts). */
  presentation: PresentationState;
  /** What every site shows, as the chair chose (contract/layout.ts). */
  layout: Layout;
  /** Sites may write to the whole meeting; the chair can turn that off (private messages to the chair stay open). */
  chatEnabled: boolean;
  /** The recording running now (contract/liveRecording.ts); null when the meeting is not being recorded. */
  recording: LiveRecording | null;
  /** The other deployment's meeting relayed into this one; null when there is none. */
  upstream: UpstreamLink | null;
  /** The deployments the chair may link this meeting to (the hub's CASCADE_LINKS); empty when none. */
  linkable: LinkableDeployment[];
}

export interface ProducerInfo {
  producerId: string;
  peerId: string;
  kind: MediaKind;
  source: MediaSource;
  paused: boolean;
}

export interface TransportOptions {
  id: string;
  direction: TransportDirection;
  iceParameters: IceParameters;
  iceCandidates: IceCandidate[];
  dtlsParameters: DtlsParameters;
}

/**
 * One of the meeting's audio slots: a stream the hub re-points at whichever
 * allowed site is speaking (contract/receivePlan.ts, sfu/AudioSlots.ts).
 */
export interface AudioSlotInfo {
  index: number;
  producerId: string;
}

export interface ConsumerOptions {
  id: string;
  producerId: string;
  /** The site that owns the producer; null for an audio slot, whose speaker changes. */
  peerId: string | null;
  /** The audio slot this consumer plays, or null for a site's own producer. */
  slot: number | null;
  kind: MediaKind;
  source: MediaSource;
  rtpParameters: RtpParameters;
  type: 'simple' | 'simulcast' | 'svc' | 'pipe';
  producerPaused: boolean;
}

export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

export interface JoinResult {
  protocolVersion: number;
  self: PeerInfo;
  /** True when the site took back its kept transports, producers and consumers (restart ICE, keep them). */
  resumed: boolean;
  meeting: MeetingState;
  peers: PeerInfo[];
  /** Only the producers this site receives directly or is told about (contract/receivePlan.ts). */
  producers: ProducerInfo[];
  /** The meeting's audio slots: every other site's voice reaches this site through them. */
  audioSlots: AudioSlotInfo[];
  routerRtpCapabilities: RtpCapabilities;
  iceServers: IceServer[];
}

// ---------------------------------------------------------------------------
// Requests (client → hub, each answered by an Ack)

const id = z.string().min(1).max(64);
/** mediasoup validates the inside of RTP structures itself; here we only require an object. */
const plainObject = <T>() =>
  z.custom<T>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: 'expected an object' });

const anySite = <S extends z.ZodType>(schema: S) => ({ schema, chairOnly: false as const });
const chairOnly = <S extends z.ZodType>(schema: S) => ({ schema, chairOnly: true as const });

/**
 * Every request a client may send, with its payload schema and whether only
 * the chairing site may send it. Adding a request is one entry here, its
 * answer in ResponseMap, and one handler in sfu/signaling.ts.
 */
export const requests = {
  join: anySite(
    z.strictObject({
      token: z.string().min(1).max(4096),
      /** A site whose connection dropped asks to take back its media: the ids of its transports prove it. */
      resume: z.strictObject({ transportIds: z.array(id).min(1).max(4) }).optional(),
    }),
  ),
  getRouterRtpCapabilities: anySite(z.strictObject({})),
  setRtpCapabilities: anySite(z.strictObject({ rtpCapabilities: plainObject<RtpCapabilities>() })),
  createTransport: anySite(z.strictObject({ direction: z.enum(['send', 'recv']) })),
  connectTransport: anySite(z.strictObject({ transportId: id, dtlsParameters: plainObject<DtlsParameters>() })),
  restartIce: anySite(z.strictObject({ transportId: id })),
  produce: anySite(
    z.strictObject({
      transportId: id,
      kind: z.enum(['audio', 'video']),
      source: z.enum(MEDIA_SOURCES),
      rtpParameters: plainObject<RtpParameters>(),
      paused: z.boolean().optional(),
    }),
  ),
  closeProducer: anySite(z.strictObject({ producerId: id })),
  pauseProducer: anySite(z.strictObject({ producerId: id })),
  resumeProducer: anySite(z.strictObject({ producerId: id })),
  consume: anySite(z.strictObject({ producerId: id })),
  pauseConsumer: anySite(z.strictObject({ consumerId: id })),
  resumeConsumer: anySite(z.strictObject({ consumerId: id })),
  /** The consumer left the site's receive plan (a former stage's camera): the hub frees it. */
  closeConsumer: anySite(z.strictObject({ consumerId: id })),
  setPreferredLayers: anySite(
    z.strictObject({
      consumerId: id,
      spatialLayer: z.number().int().min(0).max(3),
      temporalLayer: z.number().int().min(0).max(3).optional(),
    }),
  ),
  raiseHand: anySite(z.strictObject({ raised: z.boolean() })),
  reportLinkStats: anySite(
    z.strictObject({
      rttMs: z.number().min(0).max(60_000),
      lossPct: z.number().min(0).max(100),
      sendKbps: z.number().min(0).max(1_000_000),
      recvKbps: z.number().min(0).max(1_000_000),
    }),
  ),
  leave: anySite(z.strictObject({})),
  /** A site asks to present (or withdraws its request); the chair answers. The chair itself presents without asking. */
  requestPresentation: anySite(z.strictObject({ requested: z.boolean() })),
  /** The presenter ends its presentation; the chair ends anyone's. */
  stopPresentation: anySite(z.strictObject({})),
  /**
   * A chat message (contract/chat.ts): to the whole meeting, or with
   * `privateSiteId` into one site's private conversation with the chair (a
   * site may name only itself). Length is checked by the hub (CHAT_TOO_LONG).
   */
  sendChat: anySite(z.strictObject({ text: z.string(), privateSiteId: id.optional() })),
  /** The chat messages this site may see, oldest first (after a reload or reconnect). */
  chatHistory: anySite(z.strictObject({})),
  // Chair only ---------------------------------------------------------------
  setSiteMuted: chairOnly(z.strictObject({ siteId: id, muted: z.boolean() })),
  /** Mutes every site, and makes it the meeting's rule: sites that join later arrive muted. */
  muteAll: chairOnly(z.strictObject({})),
  /** Lifts every chair mute, and the rule. */
  unmuteAll: chairOnly(z.strictObject({})),
  /** Gives the floor to the site whose hand went up first, taking it from whoever holds it. */
  giveFloorToNext: chairOnly(z.strictObject({})),
  setFloor: chairOnly(z.strictObject({ siteId: id, granted: z.boolean() })),
  setStage: chairOnly(z.strictObject({ siteId: id.nullable() })),
  removeSite: chairOnly(z.strictObject({ siteId: id })),
  setLocked: chairOnly(z.strictObject({ locked: z.boolean() })),
  setMode: chairOnly(z.strictObject({ mode: z.enum(MEETING_MODES) })),
  endMeeting: chairOnly(z.strictObject({})),
  /** Allows a site to present (ending the current presentation) or turns its request down. */
  answerPresentation: chairOnly(z.strictObject({ siteId: id, allowed: z.boolean() })),
  /** What every site shows; `grid` names the sites of the grid layout (the chair is always in it). */
  setLayout: chairOnly(
    z.strictObject({ kind: z.enum(LAYOUT_KINDS), grid: z.array(id).max(MAX_GRID_SITES).optional() }),
  ),
  /** Lets sites write to the whole meeting, or stops them (stored with the meeting, audited). */
  setChatEnabled: chairOnly(z.strictObject({ enabled: z.boolean() })),
  /** Starts recording the meeting (docs/recording.md); one recording at a time. */
  startRecording: chairOnly(z.strictObject({})),
  /** Stops the recording; the hub then builds its MP4. */
  stopRecording: chairOnly(z.strictObject({})),
  /**
   * Relays meeting `meetingId` of deployment `deployment` (one of CASCADE_LINKS)
   * into this meeting, on stage, and sends `sendSiteId` (the chair when absent)
   * back to it. Replaces the meeting's current upstream link.
   */
  linkUpstream: chairOnly(
    z.strictObject({ deployment: z.string().regex(DEPLOYMENT_NAME), meetingId: id, sendSiteId: id.optional() }),
  ),
  /** Ends the upstream link; the other deployment's site leaves this meeting. */
  unlinkUpstream: chairOnly(z.strictObject({})),
  /**
   * The hub calls invited SIP room `siteId` (one with a dial-out address) that is
   * not in the meeting (docs/sip.md). Answered once the call is placed; how it
   * goes arrives in `roomCall` events. A second request while it rings is the same call.
   */
  callRoom: chairOnly(z.strictObject({ siteId: id })),
} as const;

export type RequestName = keyof typeof requests;
export type RequestPayload<N extends RequestName> = z.input<(typeof requests)[N]['schema']>;
export type ChairRequestName = {
  [N in RequestName]: (typeof requests)[N]['chairOnly'] extends true ? N : never;
}[RequestName];

/** Requests only the chairing site may send, derived from their entries above. */
export const CHAIR_REQUESTS: ReadonlySet<RequestName> = new Set(
  (Object.keys(requests) as RequestName[]).filter((name) => requests[name].chairOnly),
);

type Empty = Record<string, never>;

export interface ResponseMap {
  join: JoinResult;
  getRouterRtpCapabilities: { rtpCapabilities: RtpCapabilities };
  setRtpCapabilities: Empty;
  createTransport: TransportOptions;
  connectTransport: Empty;
  restartIce: { iceParameters: IceParameters };
  /** paused is true when the hub held the microphone because the site may not speak now. */
  produce: { producerId: string; paused: boolean };
  closeProducer: Empty;
  pauseProducer: Empty;
  resumeProducer: Empty;
  consume: ConsumerOptions;
  pauseConsumer: Empty;
  resumeConsumer: Empty;
  closeConsumer: Empty;
  setPreferredLayers: Empty;
  raiseHand: Empty;
  reportLinkStats: Empty;
  leave: Empty;
  setSiteMuted: Empty;
  muteAll: { muted: number };
  unmuteAll: { unmuted: number };
  /** The site now holding the floor; null when no hand was raised (nothing changed). */
  giveFloorToNext: { siteId: string | null };
  setFloor: Empty;
  setStage: Empty;
  removeSite: Empty;
  setLocked: Empty;
  setMode: Empty;
  endMeeting: Empty;
  requestPresentation: Empty;
  stopPresentation: Empty;
  answerPresentation: Empty;
  setLayout: Empty;
  sendChat: { message: ChatMessage };
  chatHistory: { messages: ChatMessage[] };
  setChatEnabled: Empty;
  startRecording: LiveRecording;
  stopRecording: Empty;
  linkUpstream: { upstream: UpstreamLink };
  unlinkUpstream: Empty;
  callRoom: Empty;
}

// ---------------------------------------------------------------------------
// Events (hub → client)

/**
 * Why a connection is out of the meeting (`kicked`), each with the message
 * [vi, en] its page shows. The last four come from the schedule: the meeting
 * was ended or cancelled, the room uninvited, or the room or the account that
 * asked for the join token deactivated.
 */
export const KICK_REASONS = {
  removed: ['Chủ trì đã mời điểm cầu rời cuộc họp.', 'The chair removed this site from the meeting.'],
  replaced: ['Điểm cầu đã kết nối từ một cửa sổ khác.', 'This site connected from another window.'],
  ended: ['Cuộc họp đã kết thúc.', 'The meeting has ended.'],
  cancelled: ['Cuộc họp đã bị hủy.', 'The meeting has been cancelled.'],
  uninvited: ['Điểm cầu không còn được mời dự cuộc họp này.', 'This site is no longer invited to this meeting.'],
  deactivated: [
    'Điểm cầu hoặc tài khoản đã bị ngừng hoạt động. Liên hệ phòng điều khiển.',
    'This room or account has been deactivated. Contact the control room.',
  ],
} as const satisfies Record<string, readonly [vi: string, en: string]>;

export type KickReason = keyof typeof KICK_REASONS;

export interface ServerEvents {
  peerJoined: (e: { peer: PeerInfo }) => void;
  peerUpdated: (e: { peer: PeerInfo }) => void;
  peerLeft: (e: { peerId: string; reason: 'left' | 'disconnected' | 'removed' | 'replaced' }) => void;
  newProducer: (e: ProducerInfo) => void;
  producerPaused: (e: { producerId: string; peerId: string }) => void;
  producerResumed: (e: { producerId: string; peerId: string }) => void;
  producerClosed: (e: { producerId: string; peerId: string }) => void;
  consumerClosed: (e: { consumerId: string; producerId: string }) => void;
  activeSpeaker: (e: { peerId: string | null }) => void;
  audioLevels: (e: { levels: { peerId: string; volume: number }[] }) => void;
  meetingUpdated: (e: { meeting: MeetingState }) => void;
  /** Your own site was muted/unmuted or given/denied the floor by the chair. */
  selfUpdated: (e: { peer: PeerInfo }) => void;
  /** This connection is out of the meeting (KICK_REASONS says why); it is disconnected next. */
  kicked: (e: { reason: KickReason; message: string; messageEn: string }) => void;
  /**
   * Whether anyone watches one of your video producers: pause sending it when
   * not wanted (saves your uplink), resume when wanted again.
   */
  mediaDemand: (e: { producerId: string; wanted: boolean }) => void;
  /**
   * The media worker carrying this site restarted: transports, producers and
   * consumers are gone. Re-create them (the meeting and your place in it remain).
   */
  mediaReset: (e: { reason: 'worker-died' }) => void;
  /** The meeting's audio slots were re-created (their worker restarted): consume these instead. */
  audioSlots: (e: { slots: AudioSlotInfo[] }) => void;
  /** A chat message this site may see (its own too), in the meeting's order (`seq`). */
  chatMessage: (e: { message: ChatMessage }) => void;
  /** To the chair: the recording stopped by itself (the recorder died, the disk is full); the meeting goes on. */
  recordingFault: (e: { reason: RecordingFault; message: string; messageEn: string }) => void;
  /** To the chair: how the hub's call to a SIP room goes (contract/sip.ts RoomCallProgress). */
  roomCall: (e: RoomCallProgress) => void;
}

export type ClientEvents = {
  [N in RequestName]: (payload: RequestPayload<N>, ack: (response: Ack<ResponseMap[N]>) => void) => void;
};

/** Socket.io path the hub serves signaling on (default namespace). */
export const SIGNALING_PATH = '/socket.io';
