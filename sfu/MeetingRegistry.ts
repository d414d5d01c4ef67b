// Live meetings by id: a meeting is opened on the SFU by its first join and closed
// when its last site leaves or the chair ends it.
import type { Logger } from 'pino';
import type { CascadeEvent } from '../contract/cascade.ts';
import type { ChairActor } from '../contract/chairActions.ts';
import type { JoinClaims, SiteRevocation } from '../contract/joinToken.ts';
import type { LiveState } from '../contract/liveState.ts';
import type { PresentationEvent } from '../contract/presentation.ts';
import type { ChatOptions } from './Chat.ts';
import type { CascadeSetup } from './cascade/CascadeSetup.ts';
import type { LinkGuardOptions } from './LinkGuard.ts';
import { MeetingRoom } from './MeetingRoom.ts';
import type { RecordingSetup } from './recording/MeetingRecording.ts';
import { SignalingError } from './SignalingError.ts';
import type { AlarmThresholds } from './SiteAlarms.ts';
import type { MeetingSpan } from './span/MeetingSpan.ts';
import type { WorkerPool } from './WorkerPool.ts';

export interface MeetingEvents {
  /** A meeting opened on the SFU (its first site joined): the hub calls its dial-out SIP rooms. */
  onOpened?(meetingId: string): void;
  /** A site connected to or disconnected from a meeting (attendance). */
  onPresence?(meetingId: string, siteId: string, event: 'joined' | 'left', at: Date): void;
  /** The chair ended the meeting from its console (the schedule's own end is not echoed back). */
  onEnded?(meetingId: string, by: ChairActor): void;
  /** The chair's decisions changed (mute, floor, lock, removal, mode, end): store them. */
  onLiveState?(meetingId: string, state: LiveState): void;
  /** A site asked to present, presented or stopped (the meeting's audit trail). */
  onPresentation?(event: PresentationEvent): void;
  /** A cascade link of a meeting opened, was lost or closed (the meeting's audit trail). */
  onCascade?(event: CascadeEvent): void;
  /** The stored decisions of a meeting that opens (again, after a restart), or null. */
  loadLiveState?(meetingId: string): Promise<LiveState | null>;
}

export interface MeetingRegistryOptions {
  pool: WorkerPool;
  log: Logger;
  /** Ceiling on any meeting's cap, whatever its token says. */
  maxSitesPerMeeting: number;
  initialOutgoingBitrate: number;
  /** How long a site whose connection dropped keeps its media, waiting for it to resume. */
  resumeGraceMs: number;
  linkGuard?: LinkGuardOptions;
  /** K: the audio slots of every meeting (sfu/AudioSlots.ts). */
  audioSlots: number;
  /** When a site goes on the chair's alarm list. */
  alarms: AlarmThresholds;
  /** Every meeting's chat: where it is stored (none: kept while the room is open) and how fast a site may write. */
  chat?: Pick<ChatOptions, 'store' | 'rate'>;
  /** Where and how meetings are recorded (none: recording is refused). */
  recording?: RecordingSetup;
  /** How meetings link with other deployments (none: they cannot). */
  cascade?: CascadeSetup;
  events?: MeetingEvents;
  /** The deployment's meetings across hubs (REDIS_URL), or none on a hub alone. */
  span?: MeetingSpan;
}

export class MeetingRegistry {
  private readonly meetings = new Map<string, MeetingRoom>();
  private readonly opening = new Map<string, Promise<MeetingRoom>>();
  /** Meetings the chair ended in this process (their stored state may still be on its way to disk). */
  private readonly ended = new Set<string>();
  private revocationCount = 0;

  constructor(private readonly options: MeetingRegistryOptions) {}

  get size(): number {
    return this.meetings.size;
  }

  all(): MeetingRoom[] {
    return [...this.meetings.values()];
  }

  get(meetingId: string): MeetingRoom | undefined {
    return this.meetings.get(meetingId);
  }

  /**
   * How many revocations this process has applied. A join compares it before
   * asking the scheduler about its token and after taking its place: when it
   * moved, the answer may predate the revocation, and the join asks again.
   */
  get revocations(): number {
    return this.revocationCount;
  }

  /** The schedule withdrew sites (contract/joinToken.ts SiteRevocation): they leave their meetings at once. */
  revoke(revocation: SiteRevocation): void {
    this.revocationCount++;
    const meetings = revocation.meetingId ? [this.meetings.get(revocation.meetingId)] : this.all();
    for (const meeting of meetings) meeting?.revoke(revocation);
  }

  /** The meeting, opened on first use; concurrent first joins share one opening. */
  async open(claims: JoinClaims): Promise<MeetingRoom> {
    const existing = this.meetings.get(claims.meetingId) ?? this.opening.get(claims.meetingId);
    if (existing) return existing;
    const creating = this.create(claims);
    this.opening.set(claims.meetingId, creating);
    try {
      const meeting = await creating;
      this.meetings.set(meeting.id, meeting);
      // The home records a meeting that spans hubs: an edge's sites are in its recording.
      if (!meeting.span?.edge)
        void meeting.recording.scheduleAuto().catch((err: Error) => {
          this.options.log.warn({ meetingId: meeting.id, err: err.message }, 'could not look up automatic recording');
        });
      this.options.log.info({ meetingId: meeting.id, worker: meeting.planes.homeIndex }, 'meeting room opened');
      this.options.events?.onOpened?.(meeting.id);
      return meeting;
    } finally {
      this.opening.delete(claims.meetingId);
    }
  }

  private async create(claims: JoinClaims): Promise<MeetingRoom> {
    const { events, log, span } = this.options;
    const restored = (await events?.loadLiveState?.(claims.meetingId)) ?? null;
    if (this.ended.has(claims.meetingId) || restored?.ended) throw new SignalingError('MEETING_ENDED');
    const meeting = await this.room(claims, restored);
    if (!span) return meeting;
    try {
      await span.attach(meeting);
    } catch (err) {
      log.error({ meetingId: meeting.id, err: (err as Error).message }, 'could not join the meeting across hubs');
      meeting.close();
      throw new SignalingError('MEDIA_UNAVAILABLE');
    }
    return meeting;
  }

  private room(claims: JoinClaims, restored: LiveState | null): Promise<MeetingRoom> {
    const { events, log } = this.options;
    return MeetingRoom.create({
      meetingId: claims.meetingId,
      mode: claims.mode,
      restored,
      maxSites: Math.min(claims.maxSites, this.options.maxSitesPerMeeting),
      pool: this.options.pool,
      log,
      initialOutgoingBitrate: this.options.initialOutgoingBitrate,
      linkGuard: this.options.linkGuard,
      resumeGraceMs: this.options.resumeGraceMs,
      audioSlots: this.options.audioSlots,
      alarms: this.options.alarms,
      chat: this.options.chat,
      recording: this.options.recording,
      cascade: this.options.cascade,
      hooks: {
        onPresence: (meetingId, siteId, event, at) => events?.onPresence?.(meetingId, siteId, event, at ?? new Date()),
        onEnded: (meetingId, by) => {
          this.ended.add(meetingId);
          if (by) events?.onEnded?.(meetingId, by);
        },
        onLiveState: (meetingId, state) => events?.onLiveState?.(meetingId, state),
        onPresentation: (event) => events?.onPresentation?.(event),
        onCascade: (event) => events?.onCascade?.(event),
        onClosed: (meeting) => {
          if (this.meetings.get(meeting.id) === meeting) this.meetings.delete(meeting.id);
          log.info({ meetingId: meeting.id }, 'meeting room closed');
        },
      },
    });
  }

  /** The hub stops: running recordings finish their files first (their rows say hub_restart). */
  async stopRecordings(): Promise<void> {
    await Promise.all(this.all().map((meeting) => meeting.recording.close('hub_restart')));
  }

  close(): void {
    for (const meeting of [...this.meetings.values()]) meeting.close();
  }
}
