// Which hub a meeting is homed on: the first hub to open it claims the
// meeting's home key in Redis (SET NX, with a TTL it refreshes while the
// meeting is open there); every other hub reads the key and runs the meeting
// as an edge of that home. A home that stops refreshing (its process died)
// loses the key when the TTL runs out.
import type { Redis } from 'ioredis';

/** Deletes or refreshes the key only while it still names this hub (a compare-and-set in one step). */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";
const REFRESH =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('expire', KEYS[1], ARGV[2]) end return 0";

export type HomeClaim = { home: true } | { home: false; hubId: string };

export class MeetingHome {
  private readonly refreshers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly redis: Redis,
    private readonly hubId: string,
    private readonly ttlSeconds: number,
    private readonly keyOf: (meetingId: string) => string,
  ) {}

  /** Claims the meeting's home for this hub, or names the hub that holds it. */
  async claim(meetingId: string): Promise<HomeClaim> {
    const key = this.keyOf(meetingId);
    for (;;) {
      const set = await this.redis.set(key, this.hubId, 'EX', this.ttlSeconds, 'NX');
      const holder = set === 'OK' ? this.hubId : await this.redis.get(key);
      if (holder === null) continue; // expired between the two commands: claim again
      if (holder !== this.hubId) return { home: false, hubId: holder };
      this.keepFresh(meetingId);
      return { home: true };
    }
  }

  /** The hub holding the meeting's home now, or null when none does. */
  holder(meetingId: string): Promise<string | null> {
    return this.redis.get(this.keyOf(meetingId));
  }

  private keepFresh(meetingId: string): void {
    if (this.refreshers.has(meetingId)) return;
    const key = this.keyOf(meetingId);
    const timer = setInterval(
      () => void this.redis.eval(REFRESH, 1, key, this.hubId, this.ttlSeconds).catch(() => {}),
      (this.ttlSeconds * 1000) / 3,
    );
    timer.unref();
    this.refreshers.set(meetingId, timer);
  }

  /** The meeting closed here: the next hub to open it becomes its home. */
  async release(meetingId: string): Promise<void> {
    clearInterval(this.refreshers.get(meetingId));
    this.refreshers.delete(meetingId);
    await this.redis.eval(RELEASE, 1, this.keyOf(meetingId), this.hubId).catch(() => {});
  }

  close(): void {
    for (const timer of this.refreshers.values()) clearInterval(timer);
    this.refreshers.clear();
  }
}
