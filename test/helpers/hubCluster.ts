// A deployment of hub processes for the tests that kill one (test/cluster/):
// Redis and a PostgreSQL database on this host, each hub in its own network
// namespace (or on its own loopback address where namespaces cannot be made,
// printed), reaching PostgreSQL through a relay on this host (it trusts
// loopback only), all sharing one HUB_SECRET; and what the tests read back
// from the schedule (the attendance intervals, the meeting's row).
import pg from 'pg';
import { type Cluster, startCluster } from '../../prisma/postgres/cluster.ts';
import { type RedisServer, startRedis } from '../../scripts/redisServer.ts';
import { DEMO } from './browser.ts';
import { type HubProcess, startHubProcess } from './hubProcess.ts';
import { createSiteNetns, hostForwarding, netnsUnavailable, type SiteNetns } from './netns.ts';
import { fixedHttpPort, redisPort, rtcPortBlock } from './ports.ts';
import { startTcpRelay, type TcpRelay } from './tcpRelay.ts';

const SECRET = 'the-secret-every-hub-of-this-deployment-shares-0123456789';

/** Where one hub listens and how it reaches Redis and PostgreSQL (through this host when in a namespace). */
export interface HubPlace {
  id: string;
  address: string;
  /** This host as the hub sees it. */
  hostAddress: string;
  netns?: SiteNetns;
}

export interface Interval {
  roomId: string;
  hubId: string | null;
  joinedAt: Date;
  leftAt: Date | null;
}

export interface HubCluster {
  a: HubPlace;
  b: HubPlace;
  /** Where the hubs are, for the test's log. */
  note: string;
  /** The one port every hub (and the balancer in front) listens on. */
  port: number;
  redis: RedisServer;
  databaseUrl: string;
  /** Starts a hub at `place` with its RTC ports in block `rtcBlock` (and `env` over the defaults). */
  startHub(place: HubPlace, rtcBlock: number, env?: Record<string, string>): Promise<HubProcess>;
  /** The demo meeting's attendance intervals, oldest first. */
  intervals(): Promise<Interval[]>;
  /**
   * The rooms accept the demo meeting's invitation beforehand, as their
   * operators would have: their pages go straight to the device check.
   */
  acceptInvitations(roomIds: string[]): Promise<void>;
  /** The demo meeting's row as the schedule holds it. */
  meetingRow(): Promise<{ status: string; title: string; invited: number }>;
  stop(): Promise<void>;
}

function places(): { a: HubPlace; b: HubPlace; note: string } {
  const why = netnsUnavailable();
  if (why) {
    return {
      a: { id: 'hub-a', address: '127.0.0.2', hostAddress: '127.0.0.1' },
      b: { id: 'hub-b', address: '127.0.0.3', hostAddress: '127.0.0.1' },
      note: `no network namespaces (${why}): hubs on 127.0.0.2 and 127.0.0.3`,
    };
  }
  const slot = Number(process.env.VITEST_POOL_ID ?? '1') + 4 * Number(process.env.TEST_PORT_SLOT ?? '0');
  const subnet = 200 + ((2 * slot) % 54);
  const [na, nb] = [createSiteNetns(subnet), createSiteNetns(subnet + 1)];
  return {
    a: { id: 'hub-a', address: na.siteIp, hostAddress: na.hostIp, netns: na },
    b: { id: 'hub-b', address: nb.siteIp, hostAddress: nb.hostIp, netns: nb },
    note: `hubs in network namespaces ${na.name} (${na.siteIp}) and ${nb.name} (${nb.siteIp})`,
  };
}

async function query<T extends pg.QueryResultRow>(
  databaseUrl: string,
  sql: string,
  more: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(sql, [DEMO.meetingId, ...more])).rows;
  } finally {
    await client.end();
  }
}

/** Redis, a PostgreSQL database named `database`, and two hub places (none started yet). */
export async function startHubCluster(database: string): Promise<HubCluster> {
  const redis = await startRedis(redisPort());
  let postgres: Cluster | undefined;
  let relay: TcpRelay | undefined;
  const hubs: HubProcess[] = [];
  const placed = places();
  const restoreForwarding = placed.a.netns ? hostForwarding() : () => {};
  const port = fixedHttpPort();
  const stop = async () => {
    for (const hub of hubs) await hub.stop();
    await relay?.close();
    postgres?.stop();
    await redis.stop();
    placed.a.netns?.destroy();
    placed.b.netns?.destroy();
    restoreForwarding();
  };
  try {
    postgres = await startCluster();
    const databaseUrl = await postgres.createDatabase(database);
    relay = await startTcpRelay({ host: '127.0.0.1', port: Number(new URL(databaseUrl).port) });
    const relayPort = relay.port;
    return {
      ...placed,
      port,
      redis,
      databaseUrl,
      async startHub(place, rtcBlock, env = {}) {
        const rtc = rtcPortBlock(rtcBlock);
        const hub = await startHubProcess(
          {
            HOST: place.address,
            PORT: String(port),
            // Its own self-signed certificate: the balancer holds the one browsers see.
            HTTPS: 'true',
            DEMO_DATA: 'true',
            // Demo accounts on a test's private addresses only.
            FORCE_DEMO_DATA_ON_NETWORK: 'true',
            MEDIASOUP_WORKERS: '1',
            RTC_PORT_BASE: String(rtc.base),
            RTC_TRANSPORT_PORT_MIN: String(rtc.transportMin),
            RTC_TRANSPORT_PORT_MAX: String(rtc.transportMax),
            RTC_LISTEN_IP: place.address,
            RTC_ANNOUNCED_ADDRESS: place.address,
            REDIS_URL: redis.url(place.hostAddress),
            DATABASE_URL: databaseUrl.replace('127.0.0.1', place.hostAddress).replace(/:\d+\//, `:${relayPort}/`),
            HUB_ID: place.id,
            HUB_SECRET: SECRET,
            HUB_TTL_SECONDS: '3',
            ...env,
          },
          place.netns?.name,
        );
        hubs.push(hub);
        return hub;
      },
      intervals: () =>
        query<Interval>(
          databaseUrl,
          `SELECT a."roomId", i."hubId", i."joinedAt", i."leftAt" FROM "AttendanceInterval" i
           JOIN "Attendance" a ON a.id = i."attendanceId" WHERE a."meetingId" = $1 ORDER BY i."joinedAt"`,
        ),
      acceptInvitations: async (roomIds) => {
        await query(
          databaseUrl,
          `UPDATE "Invitation" SET status = 'accepted', "respondedAt" = now() WHERE "meetingId" = $1 AND "roomId" = ANY($2)`,
          [roomIds],
        );
      },
      meetingRow: async () => {
        const [row] = await query<{ status: string; title: string; invited: number }>(
          databaseUrl,
          `SELECT m.status, m.title, (SELECT count(*)::int FROM "Attendance" WHERE "meetingId" = m.id) AS invited
           FROM "Meeting" m WHERE m.id = $1`,
        );
        if (!row) throw new Error('the demo meeting is not in the schedule');
        return row;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Warnings and errors each hub logged (and the lines matching `also`), for a failed test's output. */
export function hubProblems(hubs: HubProcess[], also?: RegExp): string {
  return hubs
    .map((hub) => {
      const lines = hub
        .output()
        .split('\n')
        .filter((line) => /"level":(40|50|60)/.test(line) || also?.test(line));
      return `${hub.url} warnings and errors:\n${lines.slice(-60).join('\n')}`;
    })
    .join('\n');
}
