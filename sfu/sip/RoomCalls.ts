// The calls the hub places to SIP rooms (dial-out) and when: every invited
// room with a dial-out address when its meeting opens, one room when the chair
// asks (`callRoom`), and a room again when its call dropped without the chair
// removing it (its BYE, its media gone, a worker lost) — SIP_REDIAL_ATTEMPTS
// times, the first after SIP_REDIAL_DELAY_MS, each next one twice as late.
// A room the chair removed, or whose meeting ended, closed or no longer
// invites it, is not called again. One call per room at a time: a second
// request while one is placed answers as the first does; the chair calling
// a room that waits for a redial calls it now. The chair hears how each call
// goes (the `roomCall` event, contract/sip.ts).
import type { Logger } from 'pino';
import type { KickReason } from '../../contract/signaling.ts';
import type { RoomCallProgress, SipDialRefusal, SipDialTarget, SipDirectory } from '../../contract/sip.ts';
import type { MeetingRegistry } from '../MeetingRegistry.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import { SignalingError } from '../SignalingError.ts';
import type { SipStatus } from './sipStatus.ts';

/** How a placed call went: the room joined, or the SIP answer that ended it. */
export type DialOutcome = { joined: true } | { refused: SipStatus };

export interface RoomCallsOptions {
  directory: SipDirectory;
  meetings: MeetingRegistry;
  /** Calls the room; resolves once it joined or the call failed. `onDropped` follows a joined call's end. */
  dial(target: SipDialTarget, onDropped: (kick: KickReason | null) => void): Promise<DialOutcome>;
  redialAttempts: number;
  redialDelayMs: number;
  log: Logger;
}

/** A room the hub is calling, or waiting to call again. */
interface Pending {
  /** Settles once the INVITE is out, or rejects with why it cannot be (the chair's request waits for this). */
  placed?: Promise<void>;
  /** The redial waiting for its time. */
  timer?: NodeJS.Timeout;
}

export class RoomCalls {
  private readonly pending = new Map<string, Pending>();
  private closed = false;

  constructor(private readonly options: RoomCallsOptions) {}

  /** The meeting opened: every invited room with a dial-out address that is not in it is called. */
  async meetingOpened(meetingId: string): Promise<void> {
    try {
      const targets = await this.options.directory.dialTargets(meetingId);
      for (const target of targets) {
        if (this.meetingOf(meetingId)?.sites.has(target.roomId) || this.pending.has(target.roomId)) continue;
        void this.begin(target.roomId, (placed) => this.place(target, 1, placed));
      }
    } catch (err) {
      this.options.log.error({ meetingId, err: (err as Error).message }, 'could not look up the SIP rooms to call');
    }
  }

  /**
   * The chair asks the hub to call `roomId` into `meeting`. Resolves once the
   * call is placed (the chair hears the rest in `roomCall` events); throws
   * why it cannot be. While a call to the room is placed, a request answers as it does.
   */
  request(meeting: MeetingRoom, roomId: string): Promise<void> {
    if (meeting.sites.has(roomId)) return Promise.reject(new SignalingError('ALREADY_IN_MEETING'));
    const current = this.pending.get(roomId);
    if (current?.placed) return current.placed;
    clearTimeout(current?.timer);
    return this.begin(roomId, async (placed) => {
      const target = await this.options.directory.dialTarget(meeting.id, roomId);
      if ('refusal' in target) throw refusalError(target.refusal);
      if (meeting.sites.has(roomId)) throw new SignalingError('ALREADY_IN_MEETING');
      // The chair lifts its own removal by calling the room back.
      if (meeting.decisions.removed.delete(roomId)) meeting.decisions.save();
      await this.place(target, 1, placed);
    });
  }

  /** Stops every redial (the hub stops). */
  close(): void {
    this.closed = true;
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  /**
   * Marks the room taken (before any await: a second caller sees it) while
   * `run` looks it up and calls it; `run` says when the INVITE is out.
   */
  private begin(roomId: string, run: (placed: () => void) => Promise<void>): Promise<void> {
    const entry: Pending = {};
    this.pending.set(roomId, entry);
    const release = () => {
      if (this.pending.get(roomId) === entry) this.pending.delete(roomId);
    };
    entry.placed = new Promise<void>((resolve, reject) => {
      run(resolve).then(
        () => {
          release();
          resolve();
        },
        (err: unknown) => {
          release();
          if (!(err instanceof SignalingError))
            this.options.log.error({ siteId: roomId, err: (err as Error).message }, 'SIP call failed');
          reject(err instanceof SignalingError ? err : new SignalingError('CALL_FAILED'));
        },
      );
    });
    // A placement nobody awaits (the meeting opening, a redial) must not reject unhandled.
    entry.placed.catch(() => {});
    return entry.placed;
  }

  /** Calls the room (attempt 1: first call; 2 and up: redials), telling the chair how it goes. */
  private async place(target: SipDialTarget, attempt: number, placed: () => void): Promise<void> {
    const { roomId, claims } = target;
    const entry = this.pending.get(roomId);
    this.tell(claims.meetingId, { siteId: roomId, state: 'calling', attempt });
    const dialling = this.options.dial(target, (kick) => this.dropped(target, kick));
    placed();
    const outcome = await dialling;
    // Done with this call before a redial is planned (it takes the room's place in `pending`).
    if (this.pending.get(roomId) === entry) this.pending.delete(roomId);
    if ('joined' in outcome) {
      this.tell(claims.meetingId, { siteId: roomId, state: 'joined', attempt });
      return;
    }
    const { status, reason } = outcome.refused;
    const { log, redialAttempts } = this.options;
    log.info({ meetingId: claims.meetingId, siteId: roomId, attempt, status, reason }, 'SIP room did not answer');
    // A first call that fails is the chair's to repeat; a redial goes on until its attempts are used up.
    if (attempt > 1 && attempt <= redialAttempts) this.redialLater(target, attempt + 1);
    else
      this.tell(claims.meetingId, { siteId: roomId, state: 'failed', attempt, sipStatus: status, sipReason: reason });
  }

  /** A joined call ended: called again unless the chair removed the room or the meeting let it go. */
  private dropped(target: SipDialTarget, kick: KickReason | null): void {
    if (kick !== null || this.options.redialAttempts === 0) return;
    this.redialLater(target, 2);
  }

  private redialLater(target: SipDialTarget, attempt: number): void {
    const { roomId, claims } = target;
    if (this.closed || this.pending.has(roomId) || !this.mayRedial(claims.meetingId, roomId)) return;
    const delay = this.options.redialDelayMs * 2 ** (attempt - 2);
    const entry: Pending = {};
    entry.timer = setTimeout(() => {
      if (this.pending.get(roomId) !== entry) return;
      this.pending.delete(roomId);
      if (!this.mayRedial(claims.meetingId, roomId)) return;
      void this.begin(roomId, (placed) => this.redial(claims.meetingId, roomId, attempt, placed));
    }, delay);
    entry.timer.unref();
    this.pending.set(roomId, entry);
    const nextAt = new Date(Date.now() + delay).toISOString();
    this.tell(claims.meetingId, { siteId: roomId, state: 'waiting', attempt: attempt - 1, nextAt });
    this.options.log.info(
      { meetingId: claims.meetingId, siteId: roomId, attempt, delay },
      'SIP room to be called again',
    );
  }

  /** A redial, if the schedule still stands behind the room (invited, active, the meeting open). */
  private async redial(meetingId: string, roomId: string, attempt: number, placed: () => void): Promise<void> {
    const target = await this.options.directory.dialTarget(meetingId, roomId);
    if ('refusal' in target) {
      this.options.log.info({ meetingId, siteId: roomId, refusal: target.refusal }, 'SIP room not called again');
      return;
    }
    if (!this.mayRedial(meetingId, roomId)) return;
    await this.place(target, attempt, placed);
  }

  /** The meeting is open here and goes on, the room is not in it and the chair did not remove it. */
  private mayRedial(meetingId: string, roomId: string): boolean {
    const meeting = this.meetingOf(meetingId);
    return (
      !this.closed && meeting !== undefined && !meeting.sites.has(roomId) && !meeting.decisions.removed.has(roomId)
    );
  }

  private meetingOf(meetingId: string): MeetingRoom | undefined {
    const meeting = this.options.meetings.get(meetingId);
    return meeting && !meeting.decisions.ended ? meeting : undefined;
  }

  private tell(
    meetingId: string,
    progress: Partial<RoomCallProgress> & Pick<RoomCallProgress, 'siteId' | 'state' | 'attempt'>,
  ): void {
    const full: RoomCallProgress = { sipStatus: null, sipReason: null, nextAt: null, error: null, ...progress };
    if (full.state === 'failed') full.error = callFailed(full.sipStatus, full.sipReason);
    this.meetingOf(meetingId)?.audience.toChair('roomCall', full);
  }
}

/** CALL_FAILED, naming the room's SIP answer. */
function callFailed(status: number | null, reason: string | null): NonNullable<RoomCallProgress['error']> {
  const failure = new SignalingError('CALL_FAILED');
  const answer = status === null ? '' : ` (${status} ${reason ?? ''})`.replace(' )', ')');
  return { code: 'CALL_FAILED', message: `${failure.message}${answer}`, messageEn: `${failure.messageEn}${answer}` };
}

function refusalError(refusal: SipDialRefusal): SignalingError {
  switch (refusal) {
    case 'not_sip':
      return new SignalingError('NOT_SIP_ROOM');
    case 'not_invited':
      return new SignalingError('NOT_INVITED');
    case 'inactive':
      return new SignalingError(
        'CALL_FAILED',
        'Điểm cầu đã bị ngừng hoạt động nên không gọi được. Quản trị viên kích hoạt lại phòng rồi gọi lại.',
        'This room is deactivated, so it cannot be called. An administrator reactivates it, then call again.',
      );
    case 'unknown_meeting':
    case 'not_open':
      return new SignalingError('MEETING_ENDED');
  }
}
