// This hub's part in the deployment's meetings (docs/scaling.md, "Across
// hosts"): each meeting it opens is joined to the deployment, as its home
// (first to claim it in Redis) or as an edge of the hub that is; the other
// hubs' messages about a meeting are handled one at a time, in the order
// they arrived.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { PipeAddress } from '../RemotePipe.ts';
import { SerialQueue } from '../SerialQueue.ts';
import { chatAcrossHubs, chatAtEdge, chatAtHome } from './ChatAcrossHubs.ts';
import { HubBus, type SpanEnvelope } from './HubBus.ts';
import { MeetingHome } from './MeetingHome.ts';
import { presentingAcrossHubs, presentingAtHome } from './PresentingAcrossHubs.ts';
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

/** Tries at reopening the pipe after this hub's worker died, a second apart. */
const REOPEN_ATTEMPTS = 5;
const REOPEN_RETRY_MS = 1000;

interface Side {
  meeting: MeetingRoom;
  side: SpanHome | SpanEdge;
  /** The other hubs' messages about this meeting (and its changes of home), one at a time. */
  queue: SerialQueue;
}

export class MeetingSpan {
  private readonly bus: HubBus;
  private readonly homes: MeetingHome;
  private readonly sides = new Map<string, Side>();
  /** Edges check that their home still holds the meeting this often. */
  private readonly homeWatch: NodeJS.Timeout;

  constructor(private readonly options: MeetingSpanOptions) {
    this.bus = new HubBus(options.io, options.hubId);
    this.homes = new MeetingHome(options.redis, options.hubId, options.ttlSeconds, options.homeKey);
    this.bus.listen((message) => this.handle(message));
    this.homeWatch = setInterval(() => void this.watchHomes(), (options.ttlSeconds * 1000) / 2);
    this.homeWatch.unref();
  }

  /** Joins a meeting just opened here to the deployment: as its home, or as an edge of the hub that is. */
  async attach(meeting: MeetingRoom): Promise<void> {
    const entry: Side = { meeting, side: undefined as unknown as SpanHome, queue: new SerialQueue() };
    this.sides.set(meeting.id, entry);
    await entry.queue.run(() => this.settle(entry, false));
  }

  /** Claims the meeting's home, and runs it here as home or as an edge of the hub that holds it. */
  private async settle(entry: Side, takingOver: boolean): Promise<void> {
    const { meeting } = entry;
    const { id } = meeting;
    const claim = await this.homes.claim(id);
    const forget = () => {
      if (this.sides.get(id) === entry) this.sides.delete(id);
    };
    const { pipe, log } = this.options;
    // What only the home decides for a site of any hub: asked of the home from an edge.
    const homeHubId = claim.home ? null : claim.hubId;
    chatAcrossHubs(meeting, this.bus, homeHubId);
    presentingAcrossHubs(meeting, this.bus, homeHubId);
    if (claim.home) {
      entry.side = new SpanHome(meeting, this.bus, pipe, log, () => {
        forget();
        void this.homes.release(id);
      });
      meeting.joinSpan(entry.side);
      if (takingOver) await meeting.becomeHome();
      return;
    }
    const edge = new SpanEdge(meeting, this.bus, claim.hubId, pipe, log, forget, () => this.reopen(entry));
    entry.side = edge;
    meeting.joinSpan(edge);
    await edge.open();
  }

  /**
   * The home hub of a meeting this hub is an edge of is gone (it closed the
   * meeting, or its claim ran out with its process): the first edge to claim
   * the meeting becomes its home, the others edges of it. The chair's client
   * reconnects to a hub that is left and produces there.
   */
  private rehome(entry: Side): Promise<void> {
    return entry.queue.run(async () => {
      if (!(entry.side instanceof SpanEdge) || this.sides.get(entry.meeting.id) !== entry) return;
      this.options.log.warn({ meetingId: entry.meeting.id, home: entry.side.homeHubId }, 'meeting lost its home hub');
      entry.side.leaveHome();
      await this.settle(entry, true);
    });
  }

  /**
   * This hub's worker carrying the pipe to the home died (the home's own
   * dying is told by the home, `homeClosed`): the meeting opens again on the
   * same home, a new pipe on the replacement worker, as after a change of
   * home. The routers hear of the death before the pool does, hence the wait;
   * a replacement still starting is waited for, one that fails is retried.
   */
  private reopen(entry: Side, attemptsLeft = REOPEN_ATTEMPTS): void {
    const { log } = this.options;
    const meetingId = entry.meeting.id;
    const again = () =>
      entry.queue.run(async () => {
        if (!(entry.side instanceof SpanEdge) || this.sides.get(meetingId) !== entry) return;
        log.warn({ meetingId, home: entry.side.homeHubId }, 'the pipe to the home died with its worker: reopening');
        entry.side.leaveHome();
        await this.settle(entry, true);
      });
    const wait = attemptsLeft === REOPEN_ATTEMPTS ? 0 : REOPEN_RETRY_MS;
    setTimeout(() => {
      again().catch((err: Error) => {
        if (attemptsLeft > 1) this.reopen(entry, attemptsLeft - 1);
        else log.error({ meetingId, err: err.message }, 'could not reopen the pipe to the home');
      });
    }, wait).unref();
  }

  /** Whether hub `hubId` (a meeting's home) answers on the bus now. */
  answers(hubId: string): Promise<boolean> {
    return this.bus.answers(hubId);
  }

  private async watchHomes(): Promise<void> {
    for (const entry of [...this.sides.values()]) {
      const { side } = entry;
      if (!(side instanceof SpanEdge)) continue;
      // Redis out of reach says nothing about the home: keep it.
      const holder = await this.homes.holder(entry.meeting.id).catch(() => side.homeHubId);
      if (holder !== side.homeHubId) await this.rehome(entry).catch(() => {});
    }
  }

  private handle(message: SpanEnvelope): Promise<unknown> {
    const entry = this.sides.get(message.meetingId);
    if (!entry) throw new Error(`meeting ${message.meetingId} is not open on hub ${this.options.hubId}`);
    if (message.type === 'homeClosed') return this.rehome(entry);
    return entry.queue.run(() => this.forSites(entry, message) ?? entry.side.handle(message));
  }

  /** The messages about what the home decides for the sites (chat, presenting), or undefined for others. */
  private forSites(entry: Side, message: SpanEnvelope): Promise<unknown> | undefined {
    const { meeting, side } = entry;
    if (side.edge) return chatAtEdge(meeting, message);
    return chatAtHome(meeting, message) ?? presentingAtHome(meeting, message);
  }

  close(): void {
    clearInterval(this.homeWatch);
    this.homes.close();
  }
}
