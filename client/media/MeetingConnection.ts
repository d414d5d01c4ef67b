// One site's connection to a meeting, the one object screens use: it joins with
// a token, keeps the meeting's state (self, meeting, the store) in step with the
// hub's events (routed by hubEvents), and puts together the parts that do the
// work (see docs/client.md): SignalingChannel (requests and acks), Admission
// (token, join, moves to another hub, refusals), Transports (device, send and
// receive transports), LocalMedia (our mic and camera), Presenting (the content
// we present), MeetingChat (the chat), RemoteMedia (consumers of what the page
// shows), Recovery (reconnect, resume, rebuild) and the link figures
// (LinkSampler). No React here: screens drive it through its methods (and its
// `presenting` and `chat` parts) and read it through its events and the store.
import type { ChatMessage } from '../../contract/chat.ts';
import type { ErrorBody } from '../../contract/errors.ts';
import type { LayoutKind } from '../../contract/layout.ts';
import { planOf } from '../../contract/receivePlan.ts';
import type {
  ChairRequestName,
  KickReason,
  LinkStats,
  MeetingState,
  PeerInfo,
  RequestPayload,
  ResponseMap,
} from '../../contract/signaling.ts';
import type { RoomCallProgress } from '../../contract/sip.ts';

import { MeetingStore } from '../meeting/MeetingStore.ts';
import { Admission } from './Admission.ts';
import { Emitter } from './Emitter.ts';
import { routeHubEvents } from './hubEvents.ts';
import { LinkSampler } from './LinkSampler.ts';
import { LocalMedia } from './LocalMedia.ts';
import { MeetingChat } from './MeetingChat.ts';
import { Presenting } from './Presenting.ts';
import { type ConnectionState, Recovery } from './Recovery.ts';
import { RemoteMedia, type VideoLayer } from './RemoteMedia.ts';
import { SignalingChannel, type SignalingSocket } from './SignalingChannel.ts';
import { type MediaSetup, Transports } from './Transports.ts';

/** What a video tile shows of a site: its camera, or the content it presents. */
export type VideoSource = 'camera' | 'screen';

export interface MeetingConnectionEvents {
  state: (state: ConnectionState) => void;
  self: (self: PeerInfo) => void;
  meeting: (meeting: MeetingState) => void;
  /** A remote video track appeared or went for a peer. */
  tracks: () => void;
  kicked: (e: { reason: KickReason; message: string; messageEn: string }) => void;
  error: (e: ErrorBody) => void;
  link: (link: LinkStats | null) => void;
  /** What this page shows changed on its own side: the room pinned a layout, or started or stopped presenting. */
  view: () => void;
  /** Chat messages new to this page (pushed, or from the history after a (re)join), in order. */
  chat: (messages: ChatMessage[]) => void;
  /** To the chair: the recording stopped by itself (contract/liveRecording.ts), in words. */
  recordingFault: (e: { message: string; messageEn: string }) => void;
  /** To the chair: how the hub's call to a SIP room goes (contract/sip.ts). */
  roomCall: (e: RoomCallProgress) => void;
}

export interface MeetingConnectionOptions {
  /** Fetches a fresh join token (the first join and every rejoin after a lost connection). */
  getToken: () => Promise<string>;
}

export class MeetingConnection extends Emitter<MeetingConnectionEvents> {
  readonly store = new MeetingStore();
  state: ConnectionState = 'idle';
  self: PeerInfo | null = null;
  meeting: MeetingState | null = null;
  lastError: ErrorBody | null = null;
  link: LinkStats | null = null;

  private readonly signaling = new SignalingChannel();
  private readonly local = new LocalMedia(this.signaling);
  readonly presenting = new Presenting({
    signaling: this.signaling,
    send: () => this.transports.send,
    selfId: () => this.self?.id,
    changed: () => this.emit('view'),
  });
  readonly chat = new MeetingChat({
    signaling: this.signaling,
    selfId: () => this.self?.id ?? null,
    heard: (fresh) => this.emit('chat', fresh),
  });
  /** The layout this room pinned for itself; null follows the chair. */
  pinnedLayout: LayoutKind | null = null;
  private readonly transports: Transports;
  private readonly remote: RemoteMedia;
  private readonly recovery: Recovery;
  private readonly admission: Admission;
  private kickedBy: KickReason | null = null;
  private joined = false;
  private closed = false;
  private readonly linkSampler: LinkSampler;

  constructor(private readonly opts: MeetingConnectionOptions) {
    super();
    const signaling = this.signaling;
    this.transports = new Transports(signaling, (t, state) => this.recovery.transportState(t, state));
    this.remote = new RemoteMedia({
      signaling,
      store: this.store,
      self: () => this.self,
      meeting: () => (this.meeting ? planOf(this.meeting) : null),
      layout: () => this.layout,
      recvTransport: () => (this.joined ? this.transports.recv : null),
      tracksChanged: () => this.emit('tracks'),
    });
    this.recovery = new Recovery({
      signaling,
      transports: this.transports,
      remote: this.remote,
      state: () => this.state,
      setState: (state) => this.setState(state),
      joined: () => this.joined,
      over: () => this.closed || this.kickedBy !== null,
      join: () => this.join(),
      closeMedia: () => this.closeMedia(),
      setUpMedia: (setup, newDevice) => this.setUpMedia(setup, newDevice),
    });
    this.admission = new Admission({
      signaling,
      getToken: () => this.opts.getToken(),
      keptTransports: () => this.transports.live().map((t) => t.id),
      route: (socket) => this.route(socket),
      setState: (state) => this.setState(state),
      fail: (error) => this.fail(error),
      finished: () => this.finished,
      closeMedia: () => this.closeMedia(),
      refusedForGood: () => {
        this.closed = true;
        this.teardown();
      },
    });
    this.linkSampler = new LinkSampler({
      signaling,
      transports: this.transports,
      joined: () => this.joined,
      onLink: (link) => {
        this.link = link;
        this.emit('link', link);
      },
    });
  }

  // ---------------------------------------------------------------------------
  // Lifecycle

  /** Joins with the given local camera+mic stream (from the pre-join check). */
  async start(local: MediaStream | null): Promise<void> {
    this.local.stream = local;
    this.setState('connecting');
    await this.admission.connect();
    await this.join();
  }

  /** Out of the meeting for good: left, removed, ended, or refused for good. Nothing more will happen on it. */
  get finished(): boolean {
    return this.closed || this.kickedBy !== null;
  }

  async leave(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.signaling.connected && this.joined) await this.signaling.request('leave', {}).catch(() => undefined);
    this.teardown();
    this.setState('left');
  }

  // ---------------------------------------------------------------------------
  // Our own media and hand

  get micOn(): boolean {
    return this.local.micOn;
  }

  get cameraOn(): boolean {
    return this.local.cameraOn;
  }

  get localStream(): MediaStream | null {
    return this.local.stream;
  }

  async setMicEnabled(on: boolean): Promise<void> {
    await this.local.setMicEnabled(on);
    if (this.self) this.emit('self', this.self);
  }

  async setCameraEnabled(on: boolean): Promise<void> {
    await this.local.setCameraEnabled(on);
    if (this.self) this.emit('self', this.self);
  }

  async raiseHand(raised: boolean): Promise<void> {
    await this.signaling.request('raiseHand', { raised });
  }

  // ---------------------------------------------------------------------------
  // The layout

  /** The layout this page shows: the room's own pin, else the chair's choice. */
  get layout(): LayoutKind {
    return this.pinnedLayout ?? this.meeting?.layout.kind ?? 'speaker';
  }

  /** Pins a layout on this page only (null: follow the chair again); nobody else's view changes. */
  pinLayout(kind: LayoutKind | null): void {
    this.pinnedLayout = kind;
    this.remote.scheduleReconcile();
    this.emit('view');
  }

  /** Chair controls (the hub refuses them from a site). */
  chair<N extends ChairRequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    return this.signaling.request(name, payload);
  }

  // ---------------------------------------------------------------------------
  // Remote video: tiles say what they show; the connection consumes to match.

  /** A tile on screen shows this peer's camera (or its content) at this size. Returns the release function. */
  want(tileId: string, peerId: string, layer: VideoLayer, source: VideoSource = 'camera'): () => void {
    return this.remote.want(tileId, peerId, layer, source);
  }

  videoTrack(peerId: string, source: VideoSource = 'camera'): MediaStreamTrack | null {
    return this.remote.videoTrack(peerId, source);
  }

  // ---------------------------------------------------------------------------
  // The hub's events

  private route(socket: SignalingSocket): void {
    const { store, remote, recovery, local, presenting, chat } = this;
    routeHubEvents(socket, {
      store,
      remote,
      recovery,
      local,
      presenting,
      chat,
      lost: () => {
        this.joined = false;
      },
      meetingUpdated: (meeting) => this.onMeeting(meeting),
      selfUpdated: (peer) => this.onSelf(peer),
      kicked: (e) => {
        this.kickedBy = e.reason;
        this.emit('kicked', e);
        this.teardown();
        this.setState('left');
      },
      recordingFault: (e) => this.emit('recordingFault', e),
      roomCall: (e) => this.emit('roomCall', e),
    });
  }

  private onSelf(peer: PeerInfo): void {
    this.self = peer;
    this.local.followHub(peer);
    this.store.peerUpdated(peer);
    this.emit('self', peer);
  }

  private onMeeting(meeting: MeetingState): void {
    const stageChanged = meeting.stageSiteId !== this.meeting?.stageSiteId;
    this.meeting = meeting;
    this.store.setMeeting(meeting);
    if (stageChanged) void this.applySendLayers();
    this.presenting.follow(meeting);
    this.emit('meeting', meeting);
    this.remote.scheduleReconcile();
  }

  // ---------------------------------------------------------------------------
  // Joining and media set-up

  /** Joins (Admission) and takes what the hub answers: the meeting, and our media handed back or built. */
  private async join(): Promise<void> {
    const result = await this.admission.join();
    this.joined = true;
    this.self = result.self;
    this.meeting = result.meeting;
    this.store.reset(result.meeting, result.peers, result.producers, result.self);
    this.emit('meeting', result.meeting);
    if (result.resumed) {
      await this.recovery.resume(result.producers, result.audioSlots);
    } else {
      // A fresh admission: whatever media we had is gone on the hub; build it all.
      this.closeMedia();
      this.remote.reset(result.producers, result.audioSlots);
      await this.setUpMedia(result, false);
    }
    this.onSelf(this.self);
    this.setState('online');
    void this.chat.catchUp().catch(() => undefined); // best effort: the next (re)join asks again
    this.linkSampler.start();
    this.remote.scheduleReconcile();
  }

  private async setUpMedia(setup: MediaSetup, newDevice: boolean): Promise<void> {
    await this.transports.open(setup, newDevice);
    await this.local.produce(this.transports.send);
    await this.applySendLayers();
    await this.presenting.resume(this.meeting);
    this.emit('view');
  }

  /** The chair and the staged site send every camera layer; other sites hold back the top one. */
  private async applySendLayers(): Promise<void> {
    const self = this.self;
    if (!self) return;
    await this.local.sendAllLayers(self.role === 'chair' || this.meeting?.stageSiteId === self.id);
  }

  // ---------------------------------------------------------------------------
  // State and teardown

  private setState(state: ConnectionState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  private fail(error: ErrorBody): void {
    this.lastError = error;
    this.emit('error', error);
    this.setState('failed');
  }

  private closeMedia(): void {
    this.recovery.clearTimers();
    this.local.close();
    this.presenting.closeProducers();
    this.remote.closeConsumers();
    this.transports.close();
    this.linkSampler.forget();
    this.emit('tracks');
  }

  /** Out of the meeting for good (left, removed, ended, refused): the camera and microphone are released and no stale link figures stay. */
  private teardown(): void {
    this.joined = false;
    this.linkSampler.stop();
    this.link = null;
    this.emit('link', null);
    this.local.stop();
    this.presenting.release();
    this.closeMedia();
    this.remote.clear();
    this.remote.detach();
    this.signaling.close();
  }
}
