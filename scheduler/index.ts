// The scheduler: units, endpoint rooms, users, meetings, invitations,
// attendance, calendars and join tokens, served under /api by the hub.
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Server as IoServer } from 'socket.io';
import type { CascadeEvent } from '../contract/cascade.ts';
import type { ChairAction, ChairActor } from '../contract/chairActions.ts';
import type { ChatStore } from '../contract/chat.ts';
import type { JoinClaims, RevocationReason, SiteRevocation } from '../contract/joinToken.ts';
import type { PresentationEvent } from '../contract/presentation.ts';
import type { SipDirectory } from '../contract/sip.ts';
import { refuseKnownDemoPasswords, warnWithoutAdministrator } from './accountsAtStart.ts';
import { checkCsrf, checkPasswordChanged, resolvePrincipal } from './auth.ts';
import { recordCascade } from './cascadeAudit.ts';
import { recordChairAction } from './chairActions.ts';
import { chatStore } from './chat.ts';
import type { SchedulerConfig } from './config.ts';
import type { Ctx } from './context.ts';
import { type Db, dialectOf, openDb, prepareSqliteFile, tuneSqlite } from './db.ts';
import { seedDemoData } from './demo/seed.ts';
import { assignMissingDialCodes } from './dialCodes.ts';
import { LdapDirectory } from './directory/ldap.ts';
import { OidcSignIn } from './directory/oidc.ts';
import { type RecheckResult, recheckDirectoryAccounts } from './directory/recheck.ts';
import { ApiError, errorHandler, sendError } from './errors.ts';
import { grantRefusal } from './joinTokens.ts';
import { Live } from './live.ts';
import { LiveMeetings } from './liveMeetings.ts';
import { LoginThrottle } from './loginThrottle.ts';
import { endMeeting } from './meetingEnd.ts';
import { mailDeliverer } from './outbox/mail.ts';
import { Outbox } from './outbox/Outbox.ts';
import { webhookDeliverer } from './outbox/webhooks.ts';
import { closeDanglingPresence, recordPresence } from './presence.ts';
import { recordPresentation } from './presentationAudit.ts';
import { type RecordingStorage, recordingStorage, sweepRecordings } from './recordingArchive.ts';
import { accountCsvRoutes } from './routes/accountsCsv.ts';
import { attendanceRoutes } from './routes/attendance.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { calendarRoutes } from './routes/calendar.ts';
import { directoryRoutes } from './routes/directory.ts';
import { invitationRoutes } from './routes/invitations.ts';
import { joinTokenRoutes } from './routes/joinTokens.ts';
import { mailDeliveryRoutes } from './routes/mailDeliveries.ts';
import { meetingRoutes } from './routes/meetings.ts';
import { recordingRoutes } from './routes/recordings.ts';
import { roomOverviewRoutes } from './routes/roomOverview.ts';
import { roomSipRoutes } from './routes/roomSip.ts';
import { roomRoutes } from './routes/rooms.ts';
import { roomCsvRoutes } from './routes/roomsCsv.ts';
import { unitRoutes } from './routes/units.ts';
import { unitCsvRoutes } from './routes/unitsCsv.ts';
import { userRoutes } from './routes/users.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { sipAdmission, sipCredentials, sipDialTarget, sipDialTargets } from './sipRooms.ts';
import { sweepStatuses } from './statusSweep.ts';
import { upgradeDatabase } from './upgrade.ts';
import { addWebhookSchemas, type OpenApiObject } from './webhookOpenApi.ts';

export interface SchedulerDeps {
  config: SchedulerConfig;
  log: Logger;
  /** HMAC secret for join tokens and calendar-feed links. */
  secret: string;
  io?: IoServer;
  /** A meeting was ended in the schedule: the SFU closes its media (every site is told). */
  onMeetingEnded?(meetingId: string): void;
  /** The schedule took back a grant (cancelled, uninvited, deactivated): the SFU lets those sites go at once. */
  onSitesRevoked?(revocation: SiteRevocation): void;
}

export interface PresenceEvent {
  meetingId: string;
  roomId: string;
  event: 'joined' | 'left';
  at: Date;
}

export interface Scheduler {
  /** Registers every scheduler route under /api (the hub owns GET /api/health and static files). */
  registerRoutes(app: FastifyInstance): Promise<void>;
  health(): Promise<{ ok: boolean; detail: string }>;
  /** Called by the SFU when a room joins or leaves a meeting. Never throws. */
  recordPresence(e: PresenceEvent): Promise<void>;
  /**
   * Called by the SFU when the chairing site ended the meeting from its
   * console: the schedule ends it the way POST /meetings/:id/end does (the
   * audit entry names the chair room and the user behind its token). Never throws.
   */
  chairSiteEnded(meetingId: string, by: ChairActor): Promise<void>;
  /** Called by the SFU for every other chair action from the console: the meeting's audit trail. Never throws. */
  recordChairAction(action: ChairAction): Promise<void>;
  /** Called by the SFU when a site asks to present, presents or stops: the meeting's audit trail. Never throws. */
  recordPresentation(event: PresentationEvent): Promise<void>;
  /** Called by the SFU when a meeting's cascade link opens, is lost or closes: the meeting's audit trail. Never throws. */
  recordCascade(event: CascadeEvent): Promise<void>;
  /** Asked by the SFU on every join and resume: whether the schedule still stands behind a token (null), or why not. */
  grantRefusal(claims: JoinClaims): Promise<RevocationReason | null>;
  /** Asked by the hub's SIP user agent (sfu/sip/): a room's digest credentials, and its admission into a meeting. */
  readonly sip: SipDirectory;
  /** The chair's live decisions of each meeting, stored so they survive a restart. */
  readonly liveMeetings: LiveMeetings;
  /** Where the SFU keeps the meetings' chat (scheduler/chat.ts). */
  readonly chat: ChatStore;
  /** Ends the meetings the clock has passed (scheduler/statusSweep.ts); runs every minute by itself. */
  sweepStatuses(now: Date): Promise<void>;
  /** Deletes finished recordings past RECORDING_RETENTION_DAYS (scheduler/recordingArchive.ts); runs daily by itself. */
  sweepRecordings(now: Date): Promise<number>;
  /** Bytes and free space of RECORDINGS_DIR and the recordings by status, for /api/health and /metrics. */
  recordingStorage(): Promise<RecordingStorage>;
  /**
   * Closes attendance intervals a crash left open, at the crashed hub's last sign of life: those `hubId`
   * opened, or every open one when null (a hub alone).
   */
  closeDanglingPresence(lastAliveAt: Date, hubId: string | null): Promise<number>;
  /** Asks the directory about its accounts again (scheduler/directory/recheck.ts); runs every DIRECTORY_RECHECK_MINUTES. Never throws. */
  recheckDirectoryAccounts(): Promise<RecheckResult>;
  close(): Promise<void>;
  /** The Prisma client (for tests and tooling). */
  readonly db: Db;
  /** How long applying migrations took at start, in milliseconds. */
  readonly migrationMs: number;
}

export { applyMigrations } from './db.ts';

const STATUS_SWEEP_MS = 60_000;
const RECORDING_SWEEP_MS = 24 * 60 * 60 * 1000;
/** A client retrying a booking does so within minutes; a day covers any retry and keeps the table small. */
const IDEMPOTENCY_KEEP_MS = 24 * 60 * 60 * 1000;

/** Deletes replayable responses older than a day and expired sessions. */
export async function pruneStale(db: Db, now: Date): Promise<{ idempotencyKeys: number; sessions: number }> {
  const keys = await db.idempotencyKey.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - IDEMPOTENCY_KEEP_MS) } },
  });
  const sessions = await db.session.deleteMany({ where: { expiresAt: { lte: now } } });
  return { idempotencyKeys: keys.count, sessions: sessions.count };
}

export async function createScheduler(deps: SchedulerDeps): Promise<Scheduler> {
  const { config, log } = deps;
  const dialect = dialectOf(config.DATABASE_URL);
  if (dialect === 'sqlite') prepareSqliteFile(config.DATABASE_URL);
  const migrated = await upgradeDatabase(config.DATABASE_URL, log);
  log.info(
    { ms: migrated.ms, applied: migrated.applied, copy: migrated.copy },
    'scheduler: database migrations applied',
  );
  const db = openDb(config.DATABASE_URL);
  if (dialect === 'sqlite') await tuneSqlite(db);

  if (config.DEMO_DATA && (await db.unit.count()) === 0) {
    const started = Date.now();
    const summary = await seedDemoData(db, { now: new Date(), log });
    log.info({ ...summary, ms: Date.now() - started }, 'scheduler: demo data loaded');
  }
  await refuseKnownDemoPasswords(db, config.networkExposure);
  await warnWithoutAdministrator(db, log);
  const dialCodes = await assignMissingDialCodes(db);
  if (dialCodes) log.info({ meetings: dialCodes }, 'scheduler: dial codes given to open meetings without one');

  const live = new Live(db, log, deps.io);
  const outbox = new Outbox(db, log, config.outbox, {
    mail: mailDeliverer(config.smtp),
    webhook: webhookDeliverer(db, config.outbox.webhookTimeoutMs),
  });
  const ctx: Ctx = {
    db,
    config,
    log,
    secret: deps.secret,
    live,
    throttle: new LoginThrottle(config.LOGIN_FAILURES_PER_ADDRESS),
    outbox,
    directory: {
      ldap: config.ldap && new LdapDirectory(config.ldap),
      oidc: config.oidc && new OidcSignIn(config.oidc),
    },
    onMeetingEnded: deps.onMeetingEnded,
    onSitesRevoked: deps.onSitesRevoked,
  };

  const sweep = async () => {
    try {
      const now = new Date();
      await sweepStatuses(ctx, now);
      await pruneStale(db, now);
    } catch (err) {
      log.warn({ err }, 'scheduler: status sweep failed');
    }
  };
  await sweep();
  const timer = setInterval(sweep, STATUS_SWEEP_MS);
  timer.unref();
  const sweepOldRecordings = () =>
    sweepRecordings(db, config, new Date(), log).catch((err) => {
      log.warn({ err }, 'scheduler: recordings retention sweep failed');
      return 0;
    });
  await sweepOldRecordings();
  const recordingTimer = setInterval(sweepOldRecordings, RECORDING_SWEEP_MS);
  recordingTimer.unref();
  outbox.start();
  const recheck = () =>
    recheckDirectoryAccounts(ctx).catch((err) => {
      log.warn({ err }, 'directory: re-check failed');
      return { checked: 0, deactivated: 0, complete: false };
    });
  const recheckTimer = setInterval(recheck, config.DIRECTORY_RECHECK_MINUTES * 60_000);
  recheckTimer.unref();

  return {
    db,
    migrationMs: migrated.ms,
    liveMeetings: new LiveMeetings(db, log),
    chat: chatStore(db),
    async registerRoutes(app: FastifyInstance) {
      await app.register(
        async (api) => {
          api.setValidatorCompiler(validatorCompiler);
          api.setSerializerCompiler(serializerCompiler);
          api.setErrorHandler(errorHandler);
          api.setNotFoundHandler((req, reply) =>
            sendError(
              reply,
              new ApiError(
                404,
                'NOT_FOUND',
                `Không có địa chỉ ${req.method} ${req.url.split('?')[0]}.`,
                `No route ${req.method} ${req.url.split('?')[0]}.`,
              ),
            ),
          );
          await api.register(fastifySwagger, {
            openapi: {
              openapi: '3.0.3',
              info: {
                title: 'diemcau scheduler API',
                description:
                  'Units, endpoint rooms (điểm cầu), meetings, invitations, attendance, calendars, join tokens and recordings. ' +
                  'Errors: { error: { code, message (vi), messageEn, details? } }.',
                version: '1.0.0',
              },
              components: {
                securitySchemes: {
                  session: { type: 'apiKey', in: 'cookie', name: 'diemcau_session' },
                  bearer: { type: 'http', scheme: 'bearer' },
                },
              },
              security: [{ session: [] }, { bearer: [] }],
            },
            transform: jsonSchemaTransform,
            transformObject: (doc): never => {
              const spec = (doc as unknown as { openapiObject: OpenApiObject }).openapiObject;
              spec.paths ??= {};
              addWebhookSchemas(spec);
              spec.paths['/api/health'] ??= {
                get: {
                  summary: 'Hub health (served by the hub itself)',
                  tags: ['hub'],
                  security: [],
                  responses: { 200: { description: 'OK' } },
                },
              };
              return spec as never;
            },
          });
          await api.register(fastifyRateLimit, {
            global: false,
            errorResponseBuilder: (_req, limit) =>
              new ApiError(
                429,
                'RATE_LIMITED',
                `Quá nhiều yêu cầu từ địa chỉ này, vui lòng thử lại sau ${Math.ceil(limit.ttl / 1000)} giây.`,
                `Too many requests from this address; retry in ${Math.ceil(limit.ttl / 1000)} s.`,
                { retryAfterSeconds: Math.ceil(limit.ttl / 1000) },
              ),
          });
          api.decorateRequest('principal', null);
          api.addHook('onRequest', async (req) => {
            req.principal = await resolvePrincipal(db, req);
            checkPasswordChanged(req);
          });
          api.addHook('preHandler', async (req) => {
            checkCsrf(req);
          });
          api.get(
            '/openapi.json',
            { schema: { summary: 'This OpenAPI document', tags: ['meta'], security: [] } },
            async (_req, reply) => reply.type('application/json; charset=utf-8').send(api.swagger()),
          );
          await authRoutes(api, ctx);
          await directoryRoutes(api, ctx);
          await unitRoutes(api, ctx);
          await unitCsvRoutes(api, ctx);
          await roomRoutes(api, ctx);
          await roomSipRoutes(api, ctx);
          await roomCsvRoutes(api, ctx);
          await roomOverviewRoutes(api, ctx);
          await userRoutes(api, ctx);
          await accountCsvRoutes(api, ctx);
          await auditRoutes(api, ctx);
          await meetingRoutes(api, ctx);
          await invitationRoutes(api, ctx);
          await joinTokenRoutes(api, ctx);
          await attendanceRoutes(api, ctx);
          await calendarRoutes(api, ctx);
          await recordingRoutes(api, ctx);
          await webhookRoutes(api, ctx);
          await mailDeliveryRoutes(api, ctx);
        },
        { prefix: '/api' },
      );
    },
    async health() {
      try {
        await db.$queryRawUnsafe('SELECT 1');
        const [units, rooms, meetings, live] = await Promise.all([
          db.unit.count(),
          db.endpointRoom.count({ where: { active: true } }),
          db.meeting.count(),
          db.meeting.count({ where: { status: 'live' } }),
        ]);
        return {
          ok: true,
          detail: `${dialect} ok: ${units} units, ${rooms} active rooms, ${meetings} meetings (${live} live)`,
        };
      } catch (err) {
        return { ok: false, detail: `database error: ${(err as Error).message}` };
      }
    },
    sweepStatuses: (now: Date) => sweepStatuses(ctx, now),
    sweepRecordings: (now: Date) => sweepRecordings(db, config, now, log),
    recordingStorage: () => recordingStorage(db, config),
    closeDanglingPresence: (lastAliveAt: Date, hubId: string | null) => closeDanglingPresence(ctx, lastAliveAt, hubId),
    async recordPresence(e: PresenceEvent) {
      try {
        await recordPresence(ctx, e);
      } catch (err) {
        log.warn({ err, ...e }, 'scheduler: recordPresence failed');
      }
    },
    async chairSiteEnded(meetingId: string, by: ChairActor) {
      try {
        await endMeeting(ctx, meetingId, by);
      } catch (err) {
        log.warn({ err, meetingId }, 'scheduler: could not end the meeting the chair ended');
      }
    },
    async recordChairAction(action: ChairAction) {
      try {
        await recordChairAction(ctx, action);
      } catch (err) {
        log.warn({ err, meetingId: action.meetingId, request: action.request }, 'scheduler: could not audit');
      }
    },
    async recordPresentation(event: PresentationEvent) {
      try {
        await recordPresentation(ctx, event);
      } catch (err) {
        log.warn({ err, meetingId: event.meetingId, kind: event.kind }, 'scheduler: could not audit a presentation');
      }
    },
    async recordCascade(event: CascadeEvent) {
      try {
        await recordCascade(ctx, event);
      } catch (err) {
        log.warn({ err, meetingId: event.meetingId, kind: event.kind }, 'scheduler: could not audit a cascade link');
      }
    },
    grantRefusal: (claims: JoinClaims) => grantRefusal(db, claims),
    sip: {
      credentials: (user) => sipCredentials(db, user),
      admission: (roomId, address) => sipAdmission(db, ctx.config, roomId, address),
      dialTargets: (meetingId) => sipDialTargets(db, ctx.config, meetingId),
      dialTarget: (meetingId, roomId) => sipDialTarget(db, ctx.config, meetingId, roomId),
    },
    recheckDirectoryAccounts: recheck,
    async close() {
      clearInterval(timer);
      clearInterval(recordingTimer);
      await outbox.close();
      clearInterval(recheckTimer);
      await live.close();
      await db.$disconnect();
    },
  };
}
