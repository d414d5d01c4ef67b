// The hub process: one HTTP(S) server carrying the REST API (/api), socket.io
// signaling and the built web client, on top of the mediasoup worker pool and
// the scheduler's database. Tests start it exactly as `npm start` does.
import fs from 'node:fs';
import type { Server as HttpsServer } from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Server as IoServer } from 'socket.io';
import type { ClientEvents, ServerEvents } from '../contract/signaling.ts';
import { dialectOf, sqlitePath } from '../scheduler/db.ts';
import { ApiError, sendError } from '../scheduler/errors.ts';
import { createScheduler, type Scheduler } from '../scheduler/index.ts';
import type { CascadeSetup } from '../sfu/cascade/CascadeSetup.ts';
import { Relays } from '../sfu/cascade/Relays.ts';
import { DEFAULT_LINK_GUARD } from '../sfu/LinkGuard.ts';
import { MeetingRegistry } from '../sfu/MeetingRegistry.ts';
import { createSfuMetrics } from '../sfu/metrics.ts';
import { SignalingError } from '../sfu/SignalingError.ts';
import { attachSignaling } from '../sfu/signaling.ts';
import { SipServer } from '../sfu/sip/SipServer.ts';
import { MeetingSpan } from '../sfu/span/MeetingSpan.ts';
import { WorkerPool } from '../sfu/WorkerPool.ts';
import { type DailyBackups, noDailyBackups, POSTGRES_BACKUPS, startDailyBackups } from './backup/dailyBackups.ts';
import { registerCascadeRoutes } from './cascade/cascadeRoutes.ts';
import { HttpDialer } from './cascade/dial.ts';
import { Certificate, type CertificateStatus } from './certificate.ts';
import { HubDirectory } from './cluster/HubDirectory.ts';
import { meetingHomeKey } from './cluster/keys.ts';
import { placement } from './cluster/placement.ts';
import { type ClusterRedis, connectRedis, shareBroadcasts } from './cluster/redis.ts';
import { scheduleNotices } from './cluster/scheduleNotices.ts';
import { type Config, schedulerConfigOf } from './config.ts';
import { secureDataDir } from './fileModes.ts';
import { registerHealthReport } from './health/healthRoute.ts';
import { lastHeartbeat, startHeartbeat } from './heartbeat.ts';
import { holdHubLock } from './hubLock.ts';
import { fromThisMachine, operatorAccess } from './operatorAccess.ts';
import { portReservationWarning } from './portReservation.ts';
import type { RecordingBuilds } from './recordingBuild/RecordingBuilds.ts';
import { registerRecordingMetrics } from './recordingMetrics.ts';
import { recordingSetup } from './recordingSetup.ts';
import { loadSecret } from './secrets.ts';
import { registerSecurityHeaders } from './securityHeaders.ts';
import { socketOriginCheck } from './socketOrigin.ts';
import { turnIceServers } from './turn.ts';
import { VERSION } from './version.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLIENT_DIST = path.join(repoRoot, 'client', 'dist');

/** Why the chair cannot call a SIP room on a hub without SIP_PORT [vi, en]. */
const SIP_OFF = [
  'Máy chủ này chưa bật SIP (SIP_PORT) nên không gọi được điểm cầu SIP. Báo quản trị viên hệ thống.',
  'SIP is not enabled on this hub (SIP_PORT), so it cannot call SIP rooms. Tell the system administrator.',
] as const;

/** A WebRTC transport's send estimate before the first measurements arrive. */
const INITIAL_OUTGOING_BITRATE = 1_000_000;

export interface Hub {
  url: string;
  config: Config;
  secret: string;
  pool: WorkerPool;
  meetings: MeetingRegistry;
  scheduler: Scheduler;
  backups: DailyBackups;
  /** The post-meeting builds of recordings (hub/recordingBuild/). */
  recordingBuilds: RecordingBuilds;
  /** The links through which other deployments relay this hub's meetings (docs/cascade.md). */
  relays: Relays;
  /** The deployment's Redis when this hub is one of several (REDIS_URL), else null. */
  redis: ClusterRedis | null;
  /** The deployment's hubs (this one registered among them) when REDIS_URL is set, else null. */
  directory: HubDirectory | null;
  /** The SIP user agent for room systems (sfu/sip/), null unless SIP_PORT is set. */
  sip: SipServer | null;
  /** The HTTPS certificate, null when HTTPS=false. */
  certificate: Certificate | null;
  /** Serves the certificate files again to new connections (SIGHUP); open connections keep theirs. */
  reloadCertificate(): Promise<CertificateStatus>;
  app: FastifyInstance;
  io: IoServer<ClientEvents, ServerEvents>;
  close(): Promise<void>;
}

async function createHttpApp(config: Config, log: Logger, certificate: Certificate | null): Promise<FastifyInstance> {
  const https = certificate?.files;
  const app = Fastify({
    loggerInstance: log,
    bodyLimit: config.HTTP_BODY_LIMIT_BYTES,
    // Off unless named: otherwise any client could claim any address in X-Forwarded-For.
    trustProxy: config.TRUST_PROXY.length > 0 ? config.TRUST_PROXY : false,
    ...(https ? { https: { key: https.key, cert: https.cert } } : {}),
  }) as unknown as FastifyInstance;
  if (https?.selfSigned) log.info('serving HTTPS with the self-signed certificate in DATA_DIR/tls');
  return app;
}

function serveClient(app: FastifyInstance): void {
  if (!fs.existsSync(path.join(CLIENT_DIST, 'index.html'))) return;
  app.register(fastifyStatic, { root: CLIENT_DIST, wildcard: false });
  // Single-page app: any non-API GET of a page path gets index.html; a missing
  // file (a name with an extension, such as a source map) gets 404.
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '';
    if (request.method !== 'GET' || pathname.startsWith('/api/') || /\.[a-z0-9]+$/i.test(pathname)) {
      return sendError(reply, new ApiError(404, 'NOT_FOUND', 'Không tìm thấy địa chỉ này.', 'No such route.'));
    }
    return reply.sendFile('index.html');
  });
}

function sitesConnected(meetings: MeetingRegistry): number {
  return meetings.all().reduce((n, meeting) => n + meeting.sites.size, 0);
}

function startSip(config: Config, scheduler: Scheduler, meetings: MeetingRegistry, log: Logger): SipServer {
  const sip = new SipServer({
    port: config.SIP_PORT as number,
    listenIp: config.RTC_LISTEN_IP,
    announcedAddress: config.RTC_ANNOUNCED_ADDRESS,
    realm: config.SIP_REALM,
    directory: scheduler.sip,
    meetings,
    checkGrant: (claims) => scheduler.grantRefusal(claims),
    ffmpegPath: config.FFMPEG_PATH,
    videoKbps: config.SIP_VIDEO_KBPS,
    mediaTimeoutMs: config.SIP_MEDIA_TIMEOUT_MS,
    srtp: config.SIP_SRTP,
    redialAttempts: config.SIP_REDIAL_ATTEMPTS,
    redialDelayMs: config.SIP_REDIAL_DELAY_MS,
    authFailuresPerAddress: config.SIP_AUTH_FAILURES_PER_ADDRESS,
    maxPendingChallenges: config.SIP_PENDING_CHALLENGES,
    log,
  });
  sip.start();
  return sip;
}

export async function startHub(config: Config, log: Logger): Promise<Hub> {
  const started = Date.now();
  secureDataDir(config, log);
  const secret = loadSecret(config.DATA_DIR, config.HUB_SECRET);
  const pool = new WorkerPool({
    count: config.MEDIASOUP_WORKERS,
    portBase: config.RTC_PORT_BASE,
    transportPortRange: [config.RTC_TRANSPORT_PORT_MIN, config.RTC_TRANSPORT_PORT_MAX],
    listenIp: config.RTC_LISTEN_IP,
    announcedAddress: config.RTC_ANNOUNCED_ADDRESS,
    logLevel: config.MEDIASOUP_LOG_LEVEL,
    log,
  });
  await pool.start();

  const certificate = config.HTTPS ? await Certificate.load(config) : null;
  const app = await createHttpApp(config, log, certificate);
  // A page may be moved to another hub of the deployment (MOVE_TO_HUB): its signaling may connect there.
  await registerSecurityHeaders(app, () => directory?.otherUrls() ?? []);
  const io = new IoServer<ClientEvents, ServerEvents>(app.server, {
    // Larger than the per-request limit so oversized requests get an error ack
    // instead of a dropped connection; beyond this the connection is closed.
    maxHttpBufferSize: config.SOCKET_MAX_MESSAGE_BYTES * 4,
    serveClient: false,
    pingInterval: config.SOCKET_PING_INTERVAL_MS,
    pingTimeout: config.SOCKET_PING_TIMEOUT_MS,
    allowRequest: socketOriginCheck(config.ALLOWED_ORIGINS),
  });
  const redis = config.REDIS_URL ? await connectRedis(config.REDIS_URL, log) : null;
  if (redis) shareBroadcasts(io, redis, log);
  // The schedule's changes reach the sites on every hub of the deployment, whichever hub's API took them.
  const notices = scheduleNotices(() => meetings, redis ? io : null, log);
  const scheduler = await createScheduler({
    config: schedulerConfigOf(config),
    log,
    secret,
    io,
    // The schedule ended the meeting: its media closes at once (the end is not echoed back to the schedule).
    onMeetingEnded: (meetingId) => notices.end(meetingId),
    onSitesRevoked: (revocation) => notices.revoke(revocation),
  });
  const crashedAt = lastHeartbeat(config.DATA_DIR);
  // One of several hubs closes only what it opened itself; the others' intervals are theirs.
  if (crashedAt) await scheduler.closeDanglingPresence(crashedAt, redis ? config.HUB_ID : null);
  const stopHeartbeat = startHeartbeat(config.DATA_DIR);
  const releaseLock = holdHubLock(config.DATA_DIR);
  const onPostgres = dialectOf(config.DATABASE_URL) === 'postgresql';
  if (onPostgres) log.warn(POSTGRES_BACKUPS);
  const backups = onPostgres
    ? noDailyBackups(config.BACKUP_DIR, config.BACKUP_KEEP, POSTGRES_BACKUPS)
    : startDailyBackups(
        {
          dataDir: config.DATA_DIR,
          databaseFile: sqlitePath(config.DATABASE_URL),
          backupDir: config.BACKUP_DIR,
          dailyAt: config.BACKUP_DAILY_AT,
          keep: config.BACKUP_KEEP,
        },
        log,
      );
  const cascadeAddress = { listenIp: config.RTC_LISTEN_IP, announcedIp: config.CASCADE_PIPE_ADDRESS };
  const cascade: CascadeSetup | undefined = config.CASCADE_NAME
    ? {
        dialer: new HttpDialer(config.CASCADE_NAME, config.CASCADE_LINKS),
        address: cascadeAddress,
        lostAfterMs: config.CASCADE_LOST_AFTER_MS,
      }
    : undefined;
  // One meeting carried by several hubs (sfu/span/): its home claimed in Redis, pipes between the hubs.
  const span = redis
    ? new MeetingSpan({
        io,
        redis: redis.pub,
        hubId: config.HUB_ID,
        ttlSeconds: config.HUB_TTL_SECONDS,
        homeKey: meetingHomeKey,
        pipe: { listenIp: config.RTC_LISTEN_IP, announcedIp: config.HUB_PIPE_ADDRESS },
        log,
      })
    : undefined;
  const recording = recordingSetup(config, scheduler.db, log);
  await recording.builds.resumeAtStart();
  // Created once the registry exists; the registry's events reach it through this binding.
  let sip: SipServer | null = null;
  const meetings = new MeetingRegistry({
    pool,
    log,
    maxSitesPerMeeting: config.MAX_SITES_PER_MEETING,
    initialOutgoingBitrate: INITIAL_OUTGOING_BITRATE,
    resumeGraceMs: config.SITE_RESUME_GRACE_MS,
    audioSlots: config.AUDIO_SLOTS,
    alarms: {
      lossPct: config.ALARM_LOSS_PCT,
      jitterMs: config.ALARM_JITTER_MS,
      minVideoKbps: config.ALARM_MIN_VIDEO_KBPS,
      floorSilentMs: config.ALARM_FLOOR_SILENT_MS,
      sampleMs: config.ALARM_SAMPLE_MS,
    },
    recording: recording.setup,
    cascade,
    span,
    chat: { store: scheduler.chat, rate: { burst: config.CHAT_BURST, perSecond: config.CHAT_RATE_PER_SECOND } },
    linkGuard: {
      ...DEFAULT_LINK_GUARD,
      recoverAfterMs: config.LINK_RECOVER_MS,
      audioOnlyProbeMs: config.LINK_AUDIO_ONLY_PROBE_MS,
    },
    events: {
      onOpened: (meetingId) => void sip?.roomCalls.meetingOpened(meetingId),
      onPresence: (meetingId, roomId, event, at) => {
        scheduler.recordPresence({ meetingId, roomId, event, at }).catch((err: Error) => {
          log.error({ meetingId, roomId, event, err: err.message }, 'could not record attendance');
        });
      },
      onEnded: (meetingId, by) => void scheduler.chairSiteEnded(meetingId, by),
      onLiveState: (meetingId, state) => void scheduler.liveMeetings.save(meetingId, state),
      onPresentation: (event) => void scheduler.recordPresentation(event),
      onCascade: (event) => void scheduler.recordCascade(event),
      loadLiveState: (meetingId) => scheduler.liveMeetings.load(meetingId),
    },
  });
  // The deployment's hubs: this one registers once it listens; joins may be pointed at another.
  const directory = redis
    ? new HubDirectory({
        redis: redis.pub,
        self: { id: config.HUB_ID, pipeAddress: config.HUB_PIPE_ADDRESS, maxSites: config.MAX_SITES_PER_HUB },
        ttlSeconds: config.HUB_TTL_SECONDS,
        load: () => ({ workers: pool.size, meetings: meetings.size, sites: sitesConnected(meetings) }),
        onHubGone: async (hubId, lastSeen) => void (await scheduler.closeDanglingPresence(lastSeen, hubId)),
        log,
      })
    : null;
  const metrics = createSfuMetrics(pool, meetings);
  registerRecordingMetrics(metrics.registry, () => scheduler.recordingStorage());
  attachSignaling(io, {
    meetings,
    secret,
    iceServers: turnIceServers(config),
    maxMessageBytes: config.SOCKET_MAX_MESSAGE_BYTES,
    rateLimit: { burst: config.SIGNALING_BURST, perSecond: config.SIGNALING_RATE_PER_SECOND },
    log,
    onJoined: (seconds) => metrics.joinSeconds.observe(seconds),
    checkGrant: (claims) => scheduler.grantRefusal(claims),
    onChairAction: (action) => void scheduler.recordChairAction(action),
    callRoom: (meeting, siteId) => {
      if (!sip) throw new SignalingError('CALL_FAILED', ...SIP_OFF);
      return sip.roomCalls.request(meeting, siteId);
    },
    placement:
      redis && directory
        ? placement({
            redis: redis.pub,
            directory,
            maxSites: config.MAX_SITES_PER_HUB,
            sitesHere: () => sitesConnected(meetings),
            answers: (hubId) => span?.answers(hubId) ?? Promise.resolve(true),
          })
        : undefined,
  });

  sip = config.SIP_PORT === undefined ? null : startSip(config, scheduler, meetings, log);

  app.get('/metrics', async (request, reply) => {
    const local = fromThisMachine(request, config.TRUST_PROXY.length > 0);
    const access = operatorAccess(local, request.headers.authorization, config.METRICS_TOKEN);
    if (!access.ok) return sendError(reply, access.error);
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });

  app.get('/api/health', async (request) => {
    const database = await scheduler.health();
    const workers = pool.summaries();
    const status = database.ok && workers.length === config.MEDIASOUP_WORKERS ? 'ok' : 'degraded';
    // Pids, ports and loads describe the deployment: the same readers as /metrics.
    const local = fromThisMachine(request, config.TRUST_PROXY.length > 0);
    if (!operatorAccess(local, request.headers.authorization, config.METRICS_TOKEN).ok) return { status };
    return {
      status,
      version: VERSION,
      uptimeSec: Math.round(process.uptime()),
      workers,
      meetings: meetings.size,
      sites: sitesConnected(meetings),
      cluster: directory ? { hubId: directory.id, hubs: await directory.liveHubs() } : null,
      database,
      backup: backups.status(),
      certificate: certificate?.status() ?? null,
      recordings: await scheduler.recordingStorage(),
    };
  });
  const relays = new Relays({ meetings, address: cascadeAddress, lostAfterMs: config.CASCADE_LOST_AFTER_MS, log });
  await registerCascadeRoutes(app, { links: config.CASCADE_LINKS, relays });
  registerHealthReport(app, { config, pool, scheduler, backups, certificate, directory });
  await scheduler.registerRoutes(app);
  serveClient(app);

  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const host = config.HOST === '0.0.0.0' ? 'localhost' : config.HOST;
  const url = `${config.HTTPS ? 'https' : 'http'}://${host}:${port}`;
  const portWarning = portReservationWarning({
    min: config.RTC_PORT_BASE,
    max: config.RTC_PORT_BASE + config.MEDIASOUP_WORKERS - 1,
  });
  if (portWarning) log.warn(portWarning);
  await directory?.start(config.HUB_URL ?? url);
  log.info({ url, hubId: config.HUB_ID, workers: pool.size, ms: Date.now() - started }, 'hub listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      // First: the other hubs stop sending sites here while this one winds down.
      await directory?.close();
      await sip?.close();
      await meetings.stopRecordings();
      recording.builds.close();
      relays.closeAll();
      meetings.close();
      span?.close();
      // Awaited: the Redis adapter unsubscribes as it closes, before its connections quit.
      await io.close();
      backups.stop();
      stopHeartbeat();
      await app.close();
      await scheduler.close();
      // Last: the scheduler's live namespace still broadcasts its goodbye as it closes.
      await redis?.close();
      releaseLock();
      await pool.close();
    })();
    return closing;
  };
  const reloadCertificate = async () => {
    if (!certificate) throw new Error('HTTPS=false: there is no certificate to reload.');
    const status = await certificate.reload(app.server as unknown as HttpsServer);
    log.info({ subject: status.subject, notAfter: status.notAfter }, 'certificate reloaded');
    return status;
  };
  return {
    url,
    config,
    secret,
    pool,
    meetings,
    scheduler,
    backups,
    recordingBuilds: recording.builds,
    relays,
    redis,
    directory,
    sip,
    certificate,
    reloadCertificate,
    app,
    io,
    close,
  };
}
