// Socket.io signaling on the default namespace: every request is rate-limited,
// size-checked, schema-validated, authorised and answered with an Ack; unknown
// events are refused. A connection's requests run one at a time, and so do a
// site's (whichever connection sends them): a check and the await after it
// cannot interleave with another request of the same site. The handlers only
// translate; the meeting's parts (sfu/MeetingRoom.ts) hold the rules.
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import type { ChairAction } from '../contract/chairActions.ts';
import type { HubRedirect } from '../contract/hubRedirect.ts';
import { type JoinClaims, JoinTokenError, type RevocationReason, verifyJoinToken } from '../contract/joinToken.ts';
import {
  type Ack,
  type ClientEvents,
  type IceServer,
  KICK_REASONS,
  PROTOCOL_VERSION,
  type RequestName,
  type ResponseMap,
  requests,
  type ServerEvents,
} from '../contract/signaling.ts';
import type { MeetingRegistry } from './MeetingRegistry.ts';
import type { MeetingRoom } from './MeetingRoom.ts';
import type { Peer, PeerConnection } from './Peer.ts';
import { SerialQueue } from './SerialQueue.ts';
import { SignalingError } from './SignalingError.ts';
import { TokenBucket, type TokenBucketOptions } from './TokenBucket.ts';

export interface SignalingOptions {
  meetings: MeetingRegistry;
  secret: string;
  /** The ICE servers handed to a site at join (TURN credentials are minted per site). */
  iceServers(siteId: string): IceServer[];
  maxMessageBytes: number;
  /** Requests one connection may send: `burst` at once, `perSecond` on average. */
  rateLimit: TokenBucketOptions;
  log: Logger;
  /** Observes join latency (request to ack), in seconds. */
  onJoined?(seconds: number): void;
  /**
   * Whether the schedule still stands behind a verified token (the meeting not
   * cancelled or ended, the room invited and active, the user who asked for it
   * active): null, or why not. Asked on every join and resume.
   */
  checkGrant?(claims: JoinClaims): Promise<RevocationReason | null>;
  /** The chair did something from its console (for the meeting's audit trail). */
  onChairAction?(action: ChairAction): void;
  /** The chair asks the hub to call SIP room `siteId` (sfu/sip/RoomCalls.ts); resolves once the call is placed. */
  callRoom?(meeting: MeetingRoom, siteId: string): Promise<void>;
  /**
   * One hub of several: where a joiner belongs instead of here (hub/cluster/placement.ts), or null to admit
   * it here. Not asked of a site taking back media this hub still keeps for it.
   */
  placement?(claims: JoinClaims): Promise<HubRedirect | null>;
}

type HubSocket = Socket<ClientEvents, ServerEvents>;
type Parsed<N extends RequestName> = ReturnType<(typeof requests)[N]['schema']['parse']>;

interface Session {
  meeting?: MeetingRoom;
  site?: Peer;
  /** This socket's side of the site: a resumed site moves to its new socket's. */
  connection: PeerConnection;
  /** This socket's requests (and its disconnection), one at a time: two joins cannot both pass the check. */
  requests: SerialQueue;
  bucket: TokenBucket;
}

/** What every request but `join` acts on: the socket's meeting and its site there. */
interface Joined {
  meeting: MeetingRoom;
  site: Peer;
  session: Session;
  options: SignalingOptions;
}

type SiteRequest = Exclude<RequestName, 'join'>;
/** Requests answered with nothing return nothing; the ack carries `{}`. */
type Handler<N extends SiteRequest> = (
  joined: Joined,
  payload: Parsed<N>,
) => ResponseMap[N] extends Record<string, never> ? Promise<void> | void : Promise<ResponseMap[N]> | ResponseMap[N];

function connectionFor(socket: HubSocket): PeerConnection {
  return {
    notify: (event, payload) => {
      (socket.emit as (e: string, p: unknown) => void)(event, payload);
    },
    disconnect: () => {
      // Let the kick notification flush before closing.
      setTimeout(() => socket.disconnect(true), 100);
    },
  };
}

function rtpCapabilitiesOf(meeting: MeetingRoom): ResponseMap['join']['routerRtpCapabilities'] {
  return meeting.planes.rtpCapabilities as ResponseMap['join']['routerRtpCapabilities'];
}

function forget(session: Session): void {
  session.meeting = undefined;
  session.site = undefined;
}

async function verified(token: string, secret: string): Promise<JoinClaims> {
  try {
    return await verifyJoinToken(token, secret);
  } catch (err) {
    throw new SignalingError(
      err instanceof JoinTokenError && err.reason === 'expired' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID',
    );
  }
}

/** Refuses a token the schedule no longer stands behind, saying why; refuses too when the schedule cannot say. */
async function stillGranted(options: SignalingOptions, claims: JoinClaims): Promise<void> {
  if (!options.checkGrant) return;
  let refusal: RevocationReason | null;
  try {
    refusal = await options.checkGrant(claims);
  } catch (err) {
    options.log.error({ meetingId: claims.meetingId, err: (err as Error).message }, 'could not check a join token');
    throw new SignalingError('INTERNAL');
  }
  if (refusal === 'ended') throw new SignalingError('MEETING_ENDED');
  if (refusal) throw new SignalingError('TOKEN_REVOKED', ...KICK_REASONS[refusal]);
}

/** Refuses a join with MOVE_TO_HUB when another hub should take it; a placement that fails admits it here. */
async function placeHere(options: SignalingOptions, claims: JoinClaims): Promise<void> {
  if (!options.placement) return;
  let redirect: HubRedirect | null;
  try {
    redirect = await options.placement(claims);
  } catch (err) {
    options.log.warn({ meetingId: claims.meetingId, err: (err as Error).message }, 'placement failed; admitted here');
    return;
  }
  if (!redirect) return;
  options.log.info({ meetingId: claims.meetingId, siteId: claims.roomId, ...redirect }, 'join sent to another hub');
  throw new SignalingError('MOVE_TO_HUB', undefined, undefined, redirect);
}

async function join(
  options: SignalingOptions,
  session: Session,
  { token, resume }: Parsed<'join'>,
): Promise<ResponseMap['join']> {
  const started = performance.now();
  if (session.site) throw new SignalingError('ALREADY_JOINED');
  const claims = await verified(token, options.secret);
  const { meetings } = options;
  const revocations = meetings.revocations;
  await stillGranted(options, claims);
  const keptHere = resume !== undefined && meetings.get(claims.meetingId)?.sites.has(claims.roomId) === true;
  if (!keptHere) await placeHere(options, claims);
  const meeting = await meetings.open(claims);
  const resumed = resume ? meeting.admission.resume(claims, session.connection, resume.transportIds) : null;
  const site = resumed ?? (await meeting.admission.admit(claims, session.connection));
  if (meetings.revocations !== revocations) {
    // A revocation landed while this join was on its way: the answer above may predate it.
    try {
      await stillGranted(options, claims);
    } catch (err) {
      meeting.admission.leave(site, 'removed');
      throw err;
    }
  }
  session.meeting = meeting;
  session.site = site;
  options.log.info(
    { meetingId: meeting.id, siteId: site.id, role: site.role, worker: site.workerIndex, resumed: Boolean(resumed) },
    resumed ? 'site resumed' : 'site joined',
  );
  options.onJoined?.((performance.now() - started) / 1000);
  return {
    protocolVersion: PROTOCOL_VERSION,
    self: meeting.audience.info(site),
    resumed: Boolean(resumed),
    meeting: meeting.state(),
    ...meeting.audience.snapshotFor(site),
    audioSlots: meeting.slots.info(),
    routerRtpCapabilities: rtpCapabilitiesOf(meeting),
    iceServers: options.iceServers(site.id),
  };
}

const handlers: { [N in SiteRequest]: Handler<N> } = {
  getRouterRtpCapabilities: ({ meeting }) => ({ rtpCapabilities: rtpCapabilitiesOf(meeting) }),
  setRtpCapabilities: ({ site }, { rtpCapabilities }) => {
    site.rtpCapabilities = rtpCapabilities as Peer['rtpCapabilities'];
  },
  createTransport: ({ meeting, site }, { direction }) => meeting.planes.createTransport(site, direction),
  connectTransport: ({ site }, { transportId, dtlsParameters }) =>
    site.webRtcTransport(transportId).connect({ dtlsParameters: dtlsParameters as never }),
  restartIce: async ({ site }, { transportId }) => ({
    iceParameters: await site.webRtcTransport(transportId).restartIce(),
  }),
  produce: ({ meeting, site }, request) =>
    meeting.producers.produce(site, { ...request, rtpParameters: request.rtpParameters as never }),
  closeProducer: ({ site }, { producerId }) => site.producer(producerId).close(),
  pauseProducer: ({ meeting, site }, { producerId }) => meeting.producers.requestPaused(site, producerId, true),
  resumeProducer: ({ meeting, site }, { producerId }) => meeting.producers.requestPaused(site, producerId, false),
  consume: ({ meeting, site }, { producerId }) => meeting.consumers.consume(site, producerId),
  pauseConsumer: ({ meeting, site }, { consumerId }) => meeting.consumers.setPaused(site, consumerId, true),
  resumeConsumer: ({ meeting, site }, { consumerId }) => meeting.consumers.setPaused(site, consumerId, false),
  closeConsumer: ({ meeting, site }, { consumerId }) => meeting.consumers.close(site, consumerId),
  setPreferredLayers: ({ meeting, site }, { consumerId, spatialLayer, temporalLayer }) =>
    meeting.consumers.setPreferredLayer(site, consumerId, spatialLayer, temporalLayer),
  raiseHand: ({ meeting, site }, { raised }) => meeting.audience.raiseHand(site, raised),
  reportLinkStats: ({ meeting, site }, stats) => meeting.audience.reportLink(site, stats),
  leave: ({ meeting, site, session }) => {
    meeting.admission.leave(site, 'left');
    forget(session);
  },
  setSiteMuted: ({ meeting }, { siteId, muted }) => meeting.moderation.setSiteMuted(siteId, muted),
  muteAll: async ({ meeting }) => ({ muted: await meeting.moderation.muteAll() }),
  unmuteAll: async ({ meeting }) => ({ unmuted: await meeting.moderation.unmuteAll() }),
  giveFloorToNext: async ({ meeting }) => ({ siteId: await meeting.moderation.giveFloorToNext() }),
  setFloor: ({ meeting }, { siteId, granted }) => meeting.moderation.setFloor(siteId, granted),
  setStage: ({ meeting }, { siteId }) => meeting.moderation.setStage(siteId),
  removeSite: ({ meeting }, { siteId }) => meeting.moderation.removeSite(siteId),
  setLocked: ({ meeting }, { locked }) => meeting.moderation.setLocked(locked),
  setMode: ({ meeting }, { mode }) => meeting.moderation.setMode(mode),
  requestPresentation: ({ meeting, site }, { requested }) => meeting.presentation.request(site, requested),
  stopPresentation: ({ meeting, site }) => meeting.presentation.stop(site),
  answerPresentation: ({ meeting, site }, { siteId, allowed }) => meeting.presentation.answer(site, siteId, allowed),
  setLayout: ({ meeting }, { kind, grid }) => meeting.layout.set(kind, grid),
  sendChat: async ({ meeting, site }, { text, privateSiteId }) => ({
    message: await meeting.chat.send(site, text, privateSiteId ?? null),
  }),
  chatHistory: async ({ meeting, site }) => ({ messages: await meeting.chat.history(site) }),
  setChatEnabled: ({ meeting }, { enabled }) => meeting.chat.setEnabled(enabled),
  startRecording: ({ meeting, site }) => meeting.recording.start({ roomId: site.id, userId: site.userId }),
  stopRecording: ({ meeting, site }) => meeting.recording.stop({ roomId: site.id, userId: site.userId }),
  linkUpstream: async ({ meeting, site }, request) => ({ upstream: await meeting.upstream.open(site, request) }),
  unlinkUpstream: ({ meeting }) => meeting.upstream.unlink(),
  callRoom: async ({ meeting, options }, { siteId }) => {
    if (!options.callRoom) throw new SignalingError('NOT_SIP_ROOM');
    await options.callRoom(meeting, siteId);
  },
  endMeeting: ({ meeting, site, session }) => {
    meeting.end({ roomId: site.id, userId: site.userId });
    forget(session);
  },
};

/** Requests with their own entries in the meeting's audit trail (scheduler/booking.ts, scheduler/recordingStatus.ts). */
const OWN_AUDIT: ReadonlySet<SiteRequest> = new Set(['endMeeting', 'startRecording', 'stopRecording']);

/** Chair requests whose success goes to the meeting's audit trail as a chair action. */
function audited(event: SiteRequest): event is ChairAction['request'] {
  return requests[event].chairOnly && !OWN_AUDIT.has(event);
}

function toErrorAck(err: unknown, log: Logger, event: string): Ack<never> {
  if (err instanceof SignalingError) return { ok: false, error: err.toBody() };
  // mediasoup throws TypeError for RTP/DTLS parameters it cannot accept.
  if (err instanceof TypeError) {
    return {
      ok: false,
      error: new SignalingError(
        'BAD_REQUEST',
        `Tham số không hợp lệ: ${err.message}`,
        `Invalid parameters: ${err.message}`,
      ).toBody(),
    };
  }
  log.error({ event, err: err instanceof Error ? err.message : String(err) }, 'signaling request failed');
  return { ok: false, error: new SignalingError('INTERNAL').toBody() };
}

/** The request's payload within the size limit and its schema; a clear error otherwise. */
function parse<N extends RequestName>(event: N, payload: unknown, maxBytes: number): Parsed<N> {
  if (payloadBytes(payload) > maxBytes) {
    throw new SignalingError(
      'PAYLOAD_TOO_LARGE',
      `Yêu cầu vượt quá ${maxBytes} byte.`,
      `Request exceeds ${maxBytes} bytes.`,
    );
  }
  const parsed = requests[event].schema.safeParse(payload);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
    throw new SignalingError('BAD_REQUEST', `Yêu cầu không hợp lệ: ${detail}`, `Malformed request: ${detail}`);
  }
  return parsed.data as Parsed<N>;
}

function payloadBytes(payload: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(payload) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export function attachSignaling(io: Server<ClientEvents, ServerEvents>, options: SignalingOptions): void {
  const known = new Set(Object.keys(requests));
  const { log } = options;

  io.on('connection', (socket) => {
    const session: Session = {
      connection: connectionFor(socket),
      requests: new SerialQueue(),
      bucket: new TokenBucket(options.rateLimit),
    };

    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args.at(-1);
      if (typeof ack !== 'function') return; // requests without an ack cannot be answered; ignore
      if (!session.bucket.take()) {
        ack(toErrorAck(new SignalingError('RATE_LIMITED'), log, event));
        return;
      }
      if (!known.has(event)) {
        ack(
          toErrorAck(
            new SignalingError('UNKNOWN_EVENT', `Yêu cầu "${event}" không được hỗ trợ.`, `Unknown request "${event}".`),
            log,
            event,
          ),
        );
        return;
      }
      void handle(event as RequestName, args.length > 1 ? args[0] : undefined, ack as (r: unknown) => void);
    });

    async function handle(event: RequestName, payload: unknown, ack: (r: unknown) => void): Promise<void> {
      try {
        const parsed = parse(event, payload, options.maxMessageBytes);
        const data = await session.requests.run(() =>
          event === 'join' ? join(options, session, parsed as Parsed<'join'>) : forSite(event, parsed),
        );
        ack({ ok: true, data: data ?? {} });
      } catch (err) {
        ack(toErrorAck(err, log, event));
      }
    }

    /** Runs a request of the socket's joined site, if it may make it, after the site's earlier requests. */
    async function forSite(event: SiteRequest, payload: unknown): Promise<unknown> {
      const { meeting, site } = session;
      if (!meeting || !site) throw new SignalingError('NOT_JOINED');
      if (!meeting.audience.isPresent(site) || site.connection !== session.connection) {
        // Removed, replaced, or resumed over another connection: this one no longer speaks for the site.
        forget(session);
        throw new SignalingError('NOT_JOINED');
      }
      if (requests[event].chairOnly && site.role !== 'chair') {
        throw new SignalingError(
          'FORBIDDEN',
          'Chỉ chủ trì được thực hiện thao tác này.',
          'Only the chair can do that.',
        );
      }
      const handler = handlers[event] as Handler<SiteRequest>;
      const data = await site.requests.run(() => handler({ meeting, site, session, options }, payload as never));
      if (audited(event)) {
        const details = { ...(payload as object), ...(data ?? {}) };
        options.onChairAction?.({
          meetingId: meeting.id,
          by: { roomId: site.id, userId: site.userId },
          request: event,
          details,
          at: new Date(),
        });
      }
      return data;
    }

    socket.on('disconnect', (reason) => {
      // After the requests in flight: a join still on its way gets its site before this looks.
      void session.requests.run(() => {
        const { meeting, site } = session;
        // Not this socket's site any more: it left, was replaced, or resumed on another socket.
        if (!meeting || !site || site.connection !== session.connection) return;
        log.info({ meetingId: meeting.id, siteId: site.id, reason }, 'site disconnected; media kept for a resume');
        meeting.admission.suspend(site);
      });
    });
  });
}
