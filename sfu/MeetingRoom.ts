// A live meeting on the SFU. It wires together the parts that hold its rules:
//   MediaPlanes    its routers (one per worker), the pipes between them, the sites' transports
//   Audience       the connected sites and who of them is told what
//   Admission      who gets in, resumes after a dropped link, and leaves
//   Producers      what the sites send
//   Consumers      what the sites receive, within what their links allow
//   MediaDemand    which video sources anyone watches
//   AudioSlots     the K streams that carry whoever is speaking to every site
//   ChairDecisions what the chair decided (stored with the meeting)
//   Moderation     the chair's controls
//   Presentation   who presents the meeting's content, who asks to
//   LayoutChoice   what every site shows
//   Chat           the meeting's messages
//   MeetingRecording whether it is being recorded (sfu/recording/)
//   MeetingUpstream  another deployment's meeting relayed into it (sfu/cascade/)
//   SpanSide       the meeting's side across hubs, when it spans several (sfu/span/)
// and owns the meeting's lifetime: opening, a worker dying under it, ending, closing.
import type { Logger } from 'pino';
import type { CascadeEvent } from '../contract/cascade.ts';
import type { ChairActor } from '../contract/chairActions.ts';
import type { MeetingMode } from '../contract/enums.ts';
import type { SiteRevocation } from '../contract/joinToken.ts';
import type { LiveState } from '../contract/liveState.ts';
import type { PresentationEvent } from '../contract/presentation.ts';
import type { MeetingState } from '../contract/signaling.ts';
import { Admission } from './Admission.ts';
import { Audience } from './Audience.ts';
import { AudioSlots } from './AudioSlots.ts';
import { ChairDecisions } from './ChairDecisions.ts';
import { Chat, type ChatOptions, DEFAULT_CHAT_RATE } from './Chat.ts';
import { Consumers } from './Consumers.ts';
import { type CascadeSetup, siteOfSpeaker } from './cascade/CascadeSetup.ts';
import { MeetingUpstream } from './cascade/MeetingUpstream.ts';
import { LayoutChoice } from './LayoutChoice.ts';
import type { LinkGuardOptions } from './LinkGuard.ts';
import { MediaDemand } from './MediaDemand.ts';
import { MediaPlanes } from './MediaPlanes.ts';
import { Moderation } from './Moderation.ts';
import type { Peer } from './Peer.ts';
import { Presentation } from './Presentation.ts';
import { Producers } from './Producers.ts';
import { faultMessage, MeetingRecording, type RecordingSetup } from './recording/MeetingRecording.ts';
import { recordedMeeting } from './recording/recordedMeeting.ts';
import { type AlarmThresholds, SiteAlarms } from './SiteAlarms.ts';
import type { SpanSide } from './span/SpanSide.ts';
import type { WorkerPool } from './WorkerPool.ts';

export interface MeetingRoomHooks {
  /** `at` when the event happened earlier than now (a site that never came back left when its link dropped). */
  onPresence(meetingId: string, siteId: string, event: 'joined' | 'left', at?: Date): void;
  /** The chair changed something that must survive reconnections and restarts. */
  onLiveState(meetingId: string, state: LiveState): void;
  /** The meeting ended: by the chair's console (`by`), or by the schedule (null: it knows already). */
  onEnded(meetingId: string, by: ChairActor | null): void;
  /** Someone asked to present, presented or stopped (the meeting's audit trail). */
  onPresentation(event: PresentationEvent): void;
  /** A cascade link of the meeting opened, was lost or closed (the meeting's audit trail, sfu/cascade/). */
  onCascade(event: CascadeEvent): void;
  onClosed(meeting: MeetingRoom): void;
}

export interface MeetingRoomOptions {
  meetingId: string;
  mode: MeetingMode;
  maxSites: number;
  /** What the chair decided before the hub restarted (null for a fresh meeting). */
  restored?: LiveState | null;
  /** How long a site whose connection dropped keeps its media, waiting for it to resume. */
  resumeGraceMs: number;
  pool: WorkerPool;
  log: Logger;
  hooks: MeetingRoomHooks;
  /** Bitrate a site's WebRTC transport starts at before estimation settles. */
  initialOutgoingBitrate: number;
  /** Weak-link thresholds and timings (sfu/LinkGuard.ts defaults when absent). */
  linkGuard?: LinkGuardOptions;
  /** K: how many sites besides the chair can be heard at once (the meeting's audio slots). */
  audioSlots: number;
  /** When a site goes on the chair's alarm list (hub/config.ts). */
  alarms: AlarmThresholds;
  /** Where the chat is stored and how fast a site may write (default: not stored, DEFAULT_CHAT_RATE). */
  chat?: Pick<ChatOptions, 'store' | 'rate'>;
  /** Where and how recordings are made (none: the meeting cannot be recorded). */
  recording?: RecordingSetup;
  /** How it links with other deployments (none: it cannot). */
  cascade?: CascadeSetup;
}

/** How often audio-only sites are checked for a video retry. */
const LINK_PROBE_MS = 2000;

export class MeetingRoom {
  readonly id: string;
  readonly planes: MediaPlanes;
  readonly audience: Audience;
  readonly admission: Admission;
  readonly producers: Producers;
  readonly consumers: Consumers;
  readonly slots: AudioSlots;
  readonly moderation: Moderation;
  readonly presentation: Presentation;
  readonly layout: LayoutChoice;
  readonly chat: Chat;
  readonly recording: MeetingRecording;
  readonly upstream: MeetingUpstream;
  readonly demand = new MediaDemand();
  readonly decisions: ChairDecisions;
  private readonly linkProbe: NodeJS.Timeout;
  private readonly alarmSampler: NodeJS.Timeout;

  private constructor(private readonly options: MeetingRoomOptions) {
    const { meetingId: id, hooks, log } = options;
    this.id = id;
    this.decisions = new ChairDecisions(options.mode, options.restored, (state) => {
      // An edge holds a copy of the home's decisions: the home stores them and tells the edges.
      if (this.span?.edge) return;
      hooks.onLiveState(id, state);
      this.span?.meetingChanged();
    });
    this.audience = new Audience(this.decisions, () => this.state());
    this.planes = new MediaPlanes({
      meetingId: id,
      pool: options.pool,
      initialOutgoingBitrate: options.initialOutgoingBitrate,
      onAudioLevels: (plane, levels) => this.audience.hearLevels(plane, levels),
      onWorkerDied: (index) => this.onWorkerDied(index),
    });
    this.admission = new Admission(
      {
        maxSites: options.maxSites,
        resumeGraceMs: options.resumeGraceMs,
        pool: options.pool,
        linkGuard: options.linkGuard,
        onPresence: (siteId, event, at) => {
          if (event === 'left') this.presentation.siteLeft(siteId);
          hooks.onPresence(id, siteId, event, at);
        },
        isEmpty: () => this.audience.empty(this.span?.edge ?? false),
        onEmpty: () => this.close(),
      },
      this.decisions,
      this.audience,
    );
    this.slots = new AudioSlots({
      meetingId: id,
      count: options.audioSlots,
      planes: this.planes,
      log,
      mayBeHeard: (speakerId) => {
        // A voice relayed by a linked site (sfu/cascade/) may be heard while that site may.
        const site = this.sites.get(siteOfSpeaker(speakerId));
        return site !== undefined && this.decisions.canSpeak(site);
      },
      isPinned: (siteId) => this.decisions.isOnStage(siteId),
      excludeSelf: (siteId, slot, excluded) => {
        // A site of another hub receives the slots there: its hub pauses its consumer (sfu/span/).
        const site = this.sites.get(siteId);
        if (site?.remote && this.span) return this.span.excludeSelf(site, slot, excluded);
        return this.consumers.setSelfExcluded(siteId, slot, excluded);
      },
      onRecreated: (slots) => {
        this.audience.toAll('audioSlots', { slots });
        this.span?.slotsChanged();
      },
    });
    this.presentation = new Presentation(
      id,
      this.decisions,
      this.audience,
      (event) => {
        // The home's audit trail has it (an edge's sites present through the home, sfu/span/).
        if (this.span?.edge) return;
        hooks.onPresentation({ ...event, meetingId: id, at: new Date() });
      },
      log,
    );
    this.layout = new LayoutChoice(id, this.decisions, this.audience, log);
    const { demand } = this;
    this.producers = new Producers(this.planes, this.audience, this.decisions, demand, this.slots, this.presentation);
    this.consumers = new Consumers(id, this.planes, this.audience, demand, this.slots, log);
    this.moderation = new Moderation(id, this.decisions, this.audience, this.producers, this.admission, log);
    this.chat = new Chat(
      { rate: DEFAULT_CHAT_RATE, ...options.chat, meetingId: id, log },
      this.decisions,
      this.audience,
    );
    this.recording = new MeetingRecording({
      meetingId: id,
      setup: options.recording,
      meeting: recordedMeeting({
        planes: this.planes,
        audience: this.audience,
        decisions: this.decisions,
        slots: this.slots,
      }),
      log,
      announce: () => this.audience.announceMeeting(),
      tellChair: (fault) => this.audience.toChair('recordingFault', faultMessage(fault)),
    });
    this.upstream = new MeetingUpstream(this, options.cascade, log);
    this.linkProbe = setInterval(() => this.consumers.probeWeakLinks(), LINK_PROBE_MS);
    this.linkProbe.unref();
    const alarms = new SiteAlarms(options.alarms, this.audience, this.decisions);
    this.alarmSampler = setInterval(() => void alarms.sample(), options.alarms.sampleMs);
    this.alarmSampler.unref();
  }

  static async create(options: MeetingRoomOptions): Promise<MeetingRoom> {
    const meeting = new MeetingRoom(options);
    await meeting.planes.open();
    await meeting.slots.open();
    await meeting.chat.open();
    return meeting;
  }

  /** The meeting's side across hubs (sfu/span/), or null on a hub alone. */
  get span(): SpanSide | null {
    return this.audience.span;
  }

  /** The meeting spans hubs: this hub runs it as home or as an edge from now on. */
  joinSpan(side: SpanSide): void {
    this.audience.span = side;
  }

  /**
   * This hub ran the meeting as an edge and its home hub is gone: it runs the
   * meeting from here (sfu/span/), with its own audio slots fed by its sites'
   * microphones, and stores the decisions it holds.
   */
  async becomeHome(): Promise<void> {
    // The old home's recording ended with it; a recording starts here only when the chair asks.
    this.recording.follow(null);
    await this.chat.takeOver();
    await this.slots.makeHere();
    for (const site of this.sites.values()) {
      if (site.remote || site.isChair) continue;
      for (const mic of site.producersOf('mic')) await this.slots.listen(site, mic);
    }
    this.decisions.save();
  }

  /** A cascade link of this meeting changed (sfu/cascade/): the meeting's audit trail has it. */
  cascadeChanged(change: Omit<CascadeEvent, 'meetingId' | 'at'>): void {
    this.options.hooks.onCascade({ ...change, meetingId: this.id, at: new Date() });
  }

  /** The connected sites by id. */
  get sites(): ReadonlyMap<string, Peer> {
    return this.audience.sites;
  }

  state(): MeetingState {
    const { decisions } = this;
    const chair = [...this.sites.values()].find((site) => site.isChair);
    return {
      meetingId: this.id,
      mode: decisions.mode,
      locked: decisions.locked,
      stageSiteId: decisions.stageSiteId,
      floor: [...decisions.floor],
      floorSince: decisions.floorTimes(),
      muteNewSites: decisions.muteNewSites,
      chairSiteId: chair?.id ?? null,
      maxSites: this.options.maxSites,
      connectedSites: this.span?.connectedSites() ?? this.sites.size,
      presentation: this.presentation.state(),
      layout: decisions.layout,
      chatEnabled: this.chat.enabled,
      recording: this.recording.state(),
      upstream: this.upstream.info(),
      linkable: this.upstream.linkable(),
    };
  }

  /**
   * A worker carrying part of this meeting died: the sites placed on it lost
   * their transports, producers and consumers (consumers elsewhere of their
   * producers are closed by mediasoup). Tell those sites to re-create their
   * media; the router is rebuilt on the replacement worker when they do.
   */
  private onWorkerDied(index: number): void {
    this.audience.forgetPlane(index);
    this.slots.planeLost(index);
    if (this.decisions.ended) return;
    this.options.log.warn({ meetingId: this.id, worker: index }, 'meeting lost a worker; its sites re-create media');
    for (const site of this.sites.values()) {
      if (site.workerIndex !== index) continue;
      site.transports.clear();
      site.producers.clear();
      site.consumers.clear();
      site.connection.notify('mediaReset', { reason: 'worker-died' });
    }
  }

  /** The meeting ends (the chair's `by`, or the schedule's end): every site is told and let go, and it closes. */
  end(by: ChairActor | null): void {
    this.decisions.ended = true;
    this.decisions.save();
    for (const site of [...this.sites.values()]) {
      site.kick('ended');
      this.admission.detach(site, 'left');
    }
    this.options.hooks.onEnded(this.id, by);
    void this.recording.close('meeting_ended');
    this.close();
  }

  /** The sites the schedule no longer stands behind leave at once; the meeting closes if none is left. */
  revoke(revocation: SiteRevocation): void {
    const { roomIds, userId, reason } = revocation;
    for (const site of [...this.sites.values()]) {
      // A site of another hub is revoked by its own hub, told as every hub is (hub/cluster/scheduleNotices.ts).
      if (site.remote) continue;
      if (roomIds && !roomIds.includes(site.id)) continue;
      if (userId && site.userId !== userId) continue;
      this.options.log.info({ meetingId: this.id, siteId: site.id, reason }, 'site revoked by the schedule');
      this.admission.revoke(site, reason);
    }
  }

  close(): void {
    clearInterval(this.linkProbe);
    clearInterval(this.alarmSampler);
    // A recording still running (the meeting did not end: everyone left) stops with it.
    void this.recording.close('everyone_left');
    this.slots.close();
    this.admission.dropAll();
    // After the sites are dropped: the upstream site leaving must not find the meeting emptied again.
    this.upstream.close();
    this.planes.close();
    this.span?.close();
    this.options.hooks.onClosed(this);
  }
}
