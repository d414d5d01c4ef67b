// The deployment's Redis (REDIS_URL): one connection for commands and
// publishing, one for subscriptions (a subscribed connection can do nothing
// else), shared by socket.io's Redis adapter and the hub's own coordination.
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Server } from 'socket.io';

/** How long a hub waits for Redis at start before it gives up with a clear error. */
const CONNECT_TIMEOUT_MS = 10_000;

export interface ClusterRedis {
  /** Commands and publishing. */
  pub: Redis;
  /** Subscriptions only. */
  sub: Redis;
  close(): Promise<void>;
}

export class RedisUnavailable extends Error {}

function client(url: string, log: Logger, role: string): Redis {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, maxRetriesPerRequest: 3 });
  // ioredis reconnects by itself; a lost link is logged, not thrown at the event loop.
  redis.on('error', (err: Error) => log.warn({ role, err: err.message }, 'Redis connection error'));
  return redis;
}

/** Connects both clients, or throws RedisUnavailable saying what to check. */
export async function connectRedis(url: string, log: Logger): Promise<ClusterRedis> {
  const pub = client(url, log, 'pub');
  const sub = client(url, log, 'sub');
  try {
    await Promise.all([pub.connect(), sub.connect()]);
  } catch (err) {
    pub.disconnect();
    sub.disconnect();
    const where = new URL(url).host;
    throw new RedisUnavailable(
      `Cannot reach Redis at ${where} (REDIS_URL): ${(err as Error).message}. Start redis-server there, or unset REDIS_URL to run this hub alone.`,
    );
  }
  return {
    pub,
    sub,
    close: async () => {
      // The adapter's own unsubscribes are not awaited: settle every subscription before quitting,
      // or their replies are cut off and reject with "Connection is closed".
      await Promise.allSettled([sub.unsubscribe(), sub.punsubscribe()]);
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

/** A failed publish is logged at most this often: broadcasts are many (active speaker, levels). */
const PUBLISH_WARN_EVERY_MS = 10_000;

/**
 * The adapter publishes without awaiting: a publish that fails (Redis away for longer than ioredis retries
 * a command) would be an unhandled rejection, which ends a Node process. While Redis is away broadcasts do
 * not cross hubs; this hub carries on with its own sites.
 */
function publishingSafely(pub: Redis, log: Logger): Redis {
  let warnedAt = 0;
  const publish = (channel: string, message: string | Buffer) =>
    pub.publish(channel, message).catch((err: Error) => {
      if (Date.now() - warnedAt >= PUBLISH_WARN_EVERY_MS) {
        warnedAt = Date.now();
        log.warn({ err: err.message }, 'Redis unreachable: broadcasts do not reach the other hubs');
      }
      return 0;
    });
  return new Proxy(pub, {
    get(target, prop) {
      if (prop === 'publish') return publish;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** socket.io broadcasts (to a meeting's room, to the chair) reach sockets on every hub of the deployment. */
export function shareBroadcasts(io: Server, redis: ClusterRedis, log: Logger): void {
  io.adapter(createAdapter(publishingSafely(redis.pub, log), redis.sub));
}
