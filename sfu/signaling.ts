// Socket.io signaling on the default namespace: every request is size-checked,
// schema-validated, authorised and answered with an Ack; unknown events are
// refused. The handlers only translate; MeetingRoom holds the rules.
import type { Logger } from 'pino';
import type { Server, Socket } from 'socket.io';
import { JoinTokenError, verifyJoinToken } from '../contract/joinToken.ts';
import {
  type Ack,
  type ClientEvents,
  type IceServer,
  PROTOCOL_VERSION,
  type RequestName,
  type ResponseMap,
  requests,
  type ServerEvents,
} from '../contract/signaling.ts';
import type { MeetingRegistry } from './MeetingRegistry.ts';
import type { MeetingRoom } from './MeetingRoom.ts';
import type { Peer, PeerConnection } from './Peer.ts';
import { SignalingError } from './SignalingError.ts';

export interface SignalingOptions {
  meetings: MeetingRegistry;
  secret: string;
  iceServers: IceServer[];
  maxMessageBytes: number;
  log: Logger;
  /** Observes join latency (request to ack), in seconds. */
  onJoined?(seconds: number): void;
}

type HubSocket = Socket<ClientEvents, ServerEvents>;
type Parsed<N extends RequestName> = ReturnType<(typeof requests)[N]['schema']['parse']>;

interface Session {
  room?: MeetingRoom;
  peer?: Peer;
  /** This socket's side of the peer: a resumed peer moves to its new socket's. */
  connection: PeerConnection;
}

interface Joined {
  room: MeetingRoom;
  peer: Peer;
}

type Handler<N extends RequestName> = (
  ctx: { socket: HubSocket; session: Session; joined: () => Joined },
  payload: Parsed<N>,
) => Promise<ResponseMap[N]> | ResponseMap[N];

const empty = {} as Record<string, never>;

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

function handlers(options: SignalingOptions): { [N in RequestName]: Handler<N> } {
  return {
    async join({ session }, { token, resume }) {
      const started = performance.now();
      if (session.peer) throw new SignalingError('ALREADY_JOINED');
      let claims: Awaited<ReturnType<typeof verifyJoinToken>>;
      try {
        claims = await verifyJoinToken(token, options.secret);
      } catch (err) {
        throw new SignalingError(
          err instanceof JoinTokenError && err.reason === 'expired' ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID',
        );
      }
      const room = await options.meetings.open(claims);
      const resumed = resume ? room.resume(claims, session.connection, resume.transportIds) : null;
      const peer = resumed ?? (await room.admit(claims, session.connection));
      session.room = room;
      session.peer = peer;
      options.log.info(
        { meetingId: room.id, siteId: peer.id, role: peer.role, worker: peer.workerIndex, resumed: Boolean(resumed) },
        resumed ? 'site resumed' : 'site joined',
      );
      options.onJoined?.((performance.now() - started) / 1000);
      return {
        protocolVersion: PROTOCOL_VERSION,
        self: room.peerInfo(peer),
        resumed: Boolean(resumed),
        meeting: room.state(),
        ...room.snapshotFor(peer),
        routerRtpCapabilities: room.routerRtpCapabilities as ResponseMap['join']['routerRtpCapabilities'],
        iceServers: options.iceServers,
      };
    },
    getRouterRtpCapabilities({ joined }) {
      return { rtpCapabilities: joined().room.routerRtpCapabilities as ResponseMap['join']['routerRtpCapabilities'] };
    },
    setRtpCapabilities({ joined }, { rtpCapabilities }) {
      joined().peer.rtpCapabilities = rtpCapabilities as Peer['rtpCapabilities'];
      return empty;
    },
    createTransport({ joined }, { direction }) {
      const { room, peer } = joined();
      return room.createTransport(peer, direction);
    },
    async connectTransport({ joined }, { transportId, dtlsParameters }) {
      const { room, peer } = joined();
      await room.transportOf(peer, transportId).connect({ dtlsParameters: dtlsParameters as never });
      return empty;
    },
    async restartIce({ joined }, { transportId }) {
      const { room, peer } = joined();
      const iceParameters = await room.transportOf(peer, transportId).restartIce();
      return { iceParameters };
    },
    produce({ joined }, request) {
      const { room, peer } = joined();
      return room.produce(peer, { ...request, rtpParameters: request.rtpParameters as never });
    },
    closeProducer({ joined }, { producerId }) {
      const { room, peer } = joined();
      room.producerOf(peer, producerId).close();
      return empty;
    },
    async pauseProducer({ joined }, { producerId }) {
      const { room, peer } = joined();
      await room.requestProducerPaused(peer, producerId, true);
      return empty;
    },
    async resumeProducer({ joined }, { producerId }) {
      const { room, peer } = joined();
      await room.requestProducerPaused(peer, producerId, false);
      return empty;
    },
    consume({ joined }, { producerId }) {
      const { room, peer } = joined();
      return room.consume(peer, producerId);
    },
    async pauseConsumer({ joined }, { consumerId }) {
      const { room, peer } = joined();
      await room.setConsumerPaused(peer, consumerId, true);
      return empty;
    },
    async resumeConsumer({ joined }, { consumerId }) {
      const { room, peer } = joined();
      await room.setConsumerPaused(peer, consumerId, false);
      return empty;
    },
    async setPreferredLayers({ joined }, { consumerId, spatialLayer, temporalLayer }) {
      const { room, peer } = joined();
      await room.setPreferredLayer(peer, consumerId, spatialLayer, temporalLayer);
      return empty;
    },
    raiseHand({ joined }, { raised }) {
      const { room, peer } = joined();
      room.raiseHand(peer, raised);
      return empty;
    },
    reportLinkStats({ joined }, stats) {
      const { room, peer } = joined();
      room.reportLinkStats(peer, stats);
      return empty;
    },
    leave({ session, joined }) {
      const { room, peer } = joined();
      room.leave(peer, 'left');
      session.room = undefined;
      session.peer = undefined;
      return empty;
    },
    async setSiteMuted({ joined }, { siteId, muted }) {
      await joined().room.setSiteMuted(siteId, muted);
      return empty;
    },
    async muteAll({ joined }) {
      return { muted: await joined().room.muteAll() };
    },
    async setFloor({ joined }, { siteId, granted }) {
      await joined().room.setFloor(siteId, granted);
      return empty;
    },
    setStage({ joined }, { siteId }) {
      joined().room.setStage(siteId);
      return empty;
    },
    removeSite({ joined }, { siteId }) {
      joined().room.removeSite(siteId);
      return empty;
    },
    setLocked({ joined }, { locked }) {
      joined().room.setLocked(locked);
      return empty;
    },
    async setMode({ joined }, { mode }) {
      await joined().room.setMode(mode);
      return empty;
    },
    endMeeting({ session, joined }) {
      joined().room.end();
      session.room = undefined;
      session.peer = undefined;
      return empty;
    },
  };
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

function payloadBytes(payload: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(payload) ?? '');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export function attachSignaling(io: Server<ClientEvents, ServerEvents>, options: SignalingOptions): void {
  const table = handlers(options);
  const known = new Set(Object.keys(requests));
  const { log } = options;

  io.on('connection', (socket) => {
    const session: Session = { connection: connectionFor(socket) };
    const joined = (): Joined => {
      if (!session.room || !session.peer) throw new SignalingError('NOT_JOINED');
      return { room: session.room, peer: session.peer };
    };

    socket.onAny((event: string, ...args: unknown[]) => {
      const ack = args.at(-1);
      if (typeof ack !== 'function') return; // requests without an ack cannot be answered; ignore
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
        if (payloadBytes(payload) > options.maxMessageBytes) {
          throw new SignalingError(
            'PAYLOAD_TOO_LARGE',
            `Yêu cầu vượt quá ${options.maxMessageBytes} byte.`,
            `Request exceeds ${options.maxMessageBytes} bytes.`,
          );
        }
        const parsed = requests[event].schema.safeParse(payload);
        if (!parsed.success) {
          const detail = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`).join('; ');
          throw new SignalingError('BAD_REQUEST', `Yêu cầu không hợp lệ: ${detail}`, `Malformed request: ${detail}`);
        }
        if (requests[event].chairOnly && joined().peer.role !== 'chair') {
          throw new SignalingError(
            'FORBIDDEN',
            'Chỉ chủ trì được thực hiện thao tác này.',
            'Only the chair can do that.',
          );
        }
        const handler = table[event] as Handler<RequestName>;
        const data = await handler({ socket, session, joined }, parsed.data as never);
        ack({ ok: true, data });
      } catch (err) {
        ack(toErrorAck(err, log, event));
      }
    }

    socket.on('disconnect', (reason) => {
      const { room, peer } = session;
      // Not this socket's peer any more: it left, was replaced, or resumed on another socket.
      if (!room || !peer || peer.connection !== session.connection) return;
      log.info({ meetingId: room.id, siteId: peer.id, reason }, 'site disconnected; media kept for a resume');
      room.suspend(peer);
    });
  });
}
