// What the hubs carrying one meeting tell each other (sfu/span/HubBus.ts
// carries them). Edge → home: `open` (a request: the pipe pair, the chair,
// the audio slots, the decisions), `siteJoined` / `siteUpdated` / `siteLeft`
// (the edge's sites on the chair's board), `stream` / `streamPaused` /
// `streamClosed` (the edge's microphones, up to the slots), `demand` (whether
// the edge's sites watch a stream), `layer` (the layer they want a camera at;
// both ways), `closed`. Home → edge: `chair`, `stream` /
// `streamPaused` / `streamClosed` (the chair's streams, and the featured
// sites'), `replica` (the decisions), `kick`, `excludeSelf` (a request: a site
// of the edge feeds a slot and must not hear it), `homeSite` / `homeSiteLeft`
// / `homeStream` (a site other than the chair the edge's sites may show —
// staged, presenting, in the grid — and its streams: sfu/span/FeaturedSites.ts).
import type { ChatMessage } from '../../contract/chat.ts';
import type { LiveRecording } from '../../contract/liveRecording.ts';
import type { LiveState } from '../../contract/liveState.ts';
import type { KickReason, MediaSource, PeerInfo } from '../../contract/signaling.ts';
import type { CrossingStream, PipeEndpoint } from '../RemotePipe.ts';
import type { LeaveReason } from './SpanSide.ts';

/** The home's decisions and count as every edge applies them. */
export interface Replica {
  live: LiveState;
  stageSiteId: string | null;
  floorSince: Record<string, string>;
  /** Sites of the meeting on every hub. */
  connectedSites: number;
  /** Sites asking to present, in order (not stored with the decisions). */
  presentRequests: string[];
  /** The recording the home makes, which every site is shown. */
  recording: LiveRecording | null;
}

/** A site's stream crossing the pipe. */
export interface SiteStream {
  peerId: string;
  source: MediaSource;
  stream: CrossingStream;
}

export interface OpenRequest {
  pipe: PipeEndpoint;
}

/** One of the home's audio slots crossing the pipe. */
export interface SlotStreamMessage {
  index: number;
  stream: CrossingStream;
}

export interface OpenAnswer {
  pipe: PipeEndpoint;
  chair: PeerInfo | null;
  streams: SiteStream[];
  slots: SlotStreamMessage[];
  replica: Replica;
}

export interface SiteInfoMessage {
  info: PeerInfo;
}

export interface SiteLeftMessage {
  siteId: string;
  reason: LeaveReason;
}

export interface DemandMessage {
  producerId: string;
  wanted: boolean;
}

/** The highest simulcast layer the sites of the hub telling it want a camera at (sfu/span/LayeredCrossing.ts). */
export interface LayerMessage {
  producerId: string;
  spatialLayer: number;
}

export interface ChairMessage {
  info: PeerInfo | null;
}

export interface StreamPausedMessage {
  producerId: string;
  paused: boolean;
}

export interface StreamClosedMessage {
  producerId: string;
}

export interface ExcludeSelfMessage {
  siteId: string;
  slot: number;
  excluded: boolean;
}

export interface KickMessage {
  siteId: string;
  reason: KickReason;
}

// ------------------------------------------------------------------ what the home decides for an edge's sites
// Edge → home, requests answered with a HomeAnswer (sfu/span/AskHome.ts): `chatSend`, `chatHistory`,
// `presentRequest`, `presentStop`. Home → edge: `chatMessage` (sfu/span/ChatAcrossHubs.ts).

export interface ChatSendRequest {
  siteId: string;
  userId: string | null;
  text: string;
  privateSiteId: string | null;
}

export interface ChatHistoryRequest {
  siteId: string;
}

export interface ChatMessageNotice {
  message: ChatMessage;
}

export interface PresentRequest {
  siteId: string;
  requested: boolean;
}

export interface PresentStopRequest {
  siteId: string;
}
