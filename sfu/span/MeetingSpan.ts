// This hub's part in the deployment's meetings (docs/scaling.md, "Across
// hosts"): each meeting it opens is joined to the deployment, as its home
// (first to claim it in Redis) or as an edge of the hub that is; the other
// hubs' messages about a meeting are handled one at a time, in the order
// they arrived.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { MeetingRoom } from '../MeetingRoom.ts';
import { SerialQueue } from '../SerialQueue.ts';
import { HubBus, type SpanEnvelope } from './HubBus.ts';
import type { PipeAddress } from './HubPipe.ts';
import { MeetingHome } from './MeetingHome.ts';
import { SpanEdge } from './SpanEdge.ts';
import { SpanHome } from './SpanHome.ts';

export interface MeetingSpanOptions {
  io: Server;
  redis: Redis;
  hubId: string;
  /** How long a meeting's home claim lives without its hub refreshing it. */
  ttlSeconds: number;
  /** The Redis key naming a meeting's home hub. */
  homeKey(meetingId: string): string;
  pipe: PipeAddress;
  log: Logger;
}

interface Side {
  side: SpanHome | SpanEdge;
  /** The other hubs' messages about this meeting, one at a time. */
  queue: SerialQueue;
}

export class MeetingSpan {
  private readonly bus: HubBus;
  private readonly homes: MeetingHome;
  private readonly sides = new Map<string, Side>();

  constructor(private readonly options: MeetingSpanOptions) {
    this.bus = new HubBus(options.io, options.hubId);
    this.homes = new MeetingHome(options.redis, options.hubId, options.ttlSeconds, options.homeKey);
    this.bus.listen((message) => this.handle(message));
  }

  /** Joins a meeting just opened here to the deployment: as its home, or as an edge of the hub that is. */
  async attach(meeting: MeetingRoom): Promise<void> {
    const { id } = meeting;
    const claim = await this.homes.claim(id);
    const entry: Side = { side: undefined as unknown as SpanHome, queue: new SerialQueue() };
    const forget = () => {
      if (this.sides.get(id) === entry) this.sides.delete(id);
    };
    const { pipe, log } = this.options;
    if (claim.home) {
      entry.side = new SpanHome(meeting, this.bus, pipe, log, () => {
        forget();
        void this.homes.release(id);
      });
      this.sides.set(id, entry);
      meeting.joinSpan(entry.side);
      return;
    }
    const edge = new SpanEdge(meeting, this.bus, claim.hubId, pipe, log, forget);
    entry.side = edge;
    this.sides.set(id, entry);
    meeting.joinSpan(edge);
    await entry.queue.run(() => edge.open());
  }

  private handle(message: SpanEnvelope): Promise<unknown> {
    const entry = this.sides.get(message.meetingId);
    if (!entry) throw new Error(`meeting ${message.meetingId} is not open on hub ${this.options.hubId}`);
    return entry.queue.run(() => entry.side.handle(message));
  }

  close(): void {
    this.homes.close();
  }
}
