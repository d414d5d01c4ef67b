// Live meetings by id: a meeting's room is created by its first join and closed
// when its last site leaves or the chair ends it.
import type { Logger } from 'pino';
import type { JoinClaims } from './joinToken.ts';
import type { LinkGuardOptions } from './LinkGuard.ts';
import { MeetingRoom } from './MeetingRoom.ts';
import type { WorkerPool } from './WorkerPool.ts';

export interface MeetingEvents {
  /** A site connected to or disconnected from a meeting (attendance). */
  onPresence?(meetingId: string, siteId: string, event: 'joined' | 'left', at: Date): void;
  /** The chair ended the meeting. */
  onEnded?(meetingId: string): void;
}

export interface MeetingRegistryOptions {
  pool: WorkerPool;
  log: Logger;
  /** Ceiling on any meeting's cap, whatever its token says. */
  maxSitesPerMeeting: number;
  initialOutgoingBitrate: number;
  linkGuard?: LinkGuardOptions;
  events?: MeetingEvents;
}

export class MeetingRegistry {
  private readonly rooms = new Map<string, MeetingRoom>();
  private readonly opening = new Map<string, Promise<MeetingRoom>>();

  constructor(private readonly options: MeetingRegistryOptions) {}

  get size(): number {
    return this.rooms.size;
  }

  all(): MeetingRoom[] {
    return [...this.rooms.values()];
  }

  get(meetingId: string): MeetingRoom | undefined {
    return this.rooms.get(meetingId);
  }

  /** The meeting's room, created on first use; concurrent first joins share one creation. */
  async open(claims: JoinClaims): Promise<MeetingRoom> {
    const existing = this.rooms.get(claims.meetingId) ?? this.opening.get(claims.meetingId);
    if (existing) return existing;
    const { events, log } = this.options;
    const creating = MeetingRoom.create({
      meetingId: claims.meetingId,
      mode: claims.mode,
      maxSites: Math.min(claims.maxSites, this.options.maxSitesPerMeeting),
      pool: this.options.pool,
      log,
      initialOutgoingBitrate: this.options.initialOutgoingBitrate,
      linkGuard: this.options.linkGuard,
      hooks: {
        onPresence: (meetingId, siteId, event) => events?.onPresence?.(meetingId, siteId, event, new Date()),
        onEnded: (meetingId) => events?.onEnded?.(meetingId),
        onClosed: (room) => {
          if (this.rooms.get(room.id) === room) this.rooms.delete(room.id);
          log.info({ meetingId: room.id }, 'meeting room closed');
        },
      },
    });
    this.opening.set(claims.meetingId, creating);
    try {
      const room = await creating;
      this.rooms.set(room.id, room);
      log.info({ meetingId: room.id, worker: room.workerIndex }, 'meeting room opened');
      return room;
    } finally {
      this.opening.delete(claims.meetingId);
    }
  }

  close(): void {
    for (const room of [...this.rooms.values()]) room.close();
  }
}
