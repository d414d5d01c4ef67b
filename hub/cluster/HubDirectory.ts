// The deployment's directory of hubs in Redis (docs/scaling.md): this hub
// registers itself (address, workers, load) with a TTL and refreshes it every
// third of it; readers list the live hubs; a hub that stopped refreshing is
// noticed by one surviving hub, which cleans up after it exactly once.
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { HUBS_KEY, hubKey } from './keys.ts';

/** What a hub says about itself, as readers see it. */
export interface HubRecord {
  id: string;
  /** Where sites reach this hub directly (HUB_URL, else its listening URL). */
  url: string;
  /** Where other hubs send its pipe transports' media. */
  pipeAddress: string;
  workers: number;
  meetings: number;
  /** Sites connected to this hub: its load. */
  sites: number;
  /** MAX_SITES_PER_HUB; 0: no limit. */
  maxSites: number;
  /** When it last refreshed its registration. */
  refreshedAt: Date;
}

export interface HubLoad {
  workers: number;
  meetings: number;
  sites: number;
}

export interface HubDirectoryOptions {
  redis: Redis;
  self: { id: string; pipeAddress: string; maxSites: number };
  ttlSeconds: number;
  load(): HubLoad;
  /**
   * Another hub's registration expired without a goodbye (it died): called on exactly one surviving hub,
   * with the dead hub's last refresh, so what it left open can be closed as of then.
   */
  onHubGone(hubId: string, lastSeen: Date): Promise<void>;
  log: Logger;
}

/**
 * Removes a hub id from the set only when its registration is gone and its last refresh is older than the
 * cutoff (a hub that came back under the same id refreshed it since); returns that last refresh, or nil.
 * One script, so two survivors never both claim the same dead hub.
 */
const CLAIM_GONE = `
local seen = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not seen then return false end
if tonumber(seen) > tonumber(ARGV[2]) then return false end
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
redis.call('ZREM', KEYS[1], ARGV[1])
return seen
`;

function recordOf(id: string, fields: Record<string, string>): HubRecord | null {
  if (!fields.url) return null;
  return {
    id,
    url: fields.url,
    pipeAddress: fields.pipeAddress ?? '',
    workers: Number(fields.workers ?? 0),
    meetings: Number(fields.meetings ?? 0),
    sites: Number(fields.sites ?? 0),
    maxSites: Number(fields.maxSites ?? 0),
    refreshedAt: new Date(Number(fields.refreshedAt ?? 0)),
  };
}

export class HubDirectory {
  private timer: NodeJS.Timeout | null = null;
  private refreshing: Promise<void> = Promise.resolve();
  private url = '';
  /** The live hubs as of the last refresh, for readers that cannot wait (a page's security headers). */
  private lastSeen: HubRecord[] = [];

  constructor(private readonly opts: HubDirectoryOptions) {}

  /**
   * Registers this hub once it listens, at `url` (HUB_URL, else its listening URL): awaited, a hub that
   * cannot register does not start. Then keeps it registered.
   */
  async start(url: string): Promise<void> {
    this.url = url;
    await this.register();
    this.lastSeen = await this.liveHubs();
    const everyMs = Math.max(500, Math.floor((this.opts.ttlSeconds * 1000) / 3));
    this.timer = setInterval(() => {
      this.refreshing = this.tick();
    }, everyMs);
    this.timer.unref();
  }

  get id(): string {
    return this.opts.self.id;
  }

  /** The other live hubs' URLs as of the last refresh (at most a third of the TTL old). */
  otherUrls(): string[] {
    return this.lastSeen.filter((h) => h.id !== this.id).map((h) => h.url);
  }

  /** Every hub whose registration is current, this one included, least loaded first. */
  async liveHubs(): Promise<HubRecord[]> {
    const { redis } = this.opts;
    const ids = await redis.zrange(HUBS_KEY, 0, -1);
    const pipeline = redis.pipeline();
    for (const id of ids) pipeline.hgetall(hubKey(id));
    const replies = (await pipeline.exec()) ?? [];
    const hubs: HubRecord[] = [];
    ids.forEach((id, i) => {
      const record = recordOf(id, (replies[i]?.[1] ?? {}) as Record<string, string>);
      if (record) hubs.push(record);
    });
    return hubs.sort((a, b) => a.sites - b.sites || a.id.localeCompare(b.id));
  }

  /** Leaves the directory (a clean stop): others see this hub gone at once, with nothing to clean up. */
  async close(): Promise<void> {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = null;
    await this.refreshing;
    const { redis, self, log } = this.opts;
    try {
      await redis.multi().del(hubKey(self.id)).zrem(HUBS_KEY, self.id).exec();
    } catch (err) {
      // Redis away: the registration expires by itself and a survivor cleans up after this hub.
      log.warn({ err: (err as Error).message }, 'could not leave the directory');
    }
  }

  private async tick(): Promise<void> {
    try {
      await this.register();
      await this.claimGoneHubs();
      this.lastSeen = await this.liveHubs();
    } catch (err) {
      // Redis away for a moment: the next tick tries again; a longer absence lets the registration expire.
      this.opts.log.warn({ err: (err as Error).message }, 'could not refresh this hub in the directory');
    }
  }

  private async register(): Promise<void> {
    const { redis, self, ttlSeconds, load } = this.opts;
    const now = Date.now();
    const { workers, meetings, sites } = load();
    await redis
      .multi()
      .hset(hubKey(self.id), {
        url: this.url,
        pipeAddress: self.pipeAddress,
        workers,
        meetings,
        sites,
        maxSites: self.maxSites,
        refreshedAt: now,
      })
      .pexpire(hubKey(self.id), ttlSeconds * 1000)
      .zadd(HUBS_KEY, now, self.id)
      .exec();
  }

  /** Hubs listed but silent for longer than the TTL: claim each (at most one hub wins) and clean up after it. */
  private async claimGoneHubs(): Promise<void> {
    const { redis, ttlSeconds, log } = this.opts;
    const cutoff = Date.now() - ttlSeconds * 1000;
    const silent = await redis.zrangebyscore(HUBS_KEY, '-inf', cutoff);
    for (const id of silent) {
      const seen = (await redis.eval(CLAIM_GONE, 2, HUBS_KEY, hubKey(id), id, String(cutoff))) as string | null;
      if (seen === null) continue;
      const lastSeen = new Date(Number(seen));
      log.warn(
        { hubId: id, lastSeen: lastSeen.toISOString() },
        'a hub of the deployment stopped; cleaning up after it',
      );
      await this.opts.onHubGone(id, lastSeen).catch((err: Error) => {
        log.error({ hubId: id, err: err.message }, 'could not clean up after a stopped hub');
      });
    }
  }
}
