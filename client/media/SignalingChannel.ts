// The socket.io link to the hub's signaling: opens the socket, sends the typed
// requests of contract/signaling.ts and resolves their acks. It knows nothing of
// media; MeetingConnection routes the hub's events.
import { io, type Socket } from 'socket.io-client';
import type { ErrorBody } from '../../contract/errors.ts';
import {
  type Ack,
  type ClientEvents,
  type RequestName,
  type RequestPayload,
  type ResponseMap,
  type ServerEvents,
  SIGNALING_PATH,
} from '../../contract/signaling.ts';

/** How long a request waits for its ack before it fails. */
const REQUEST_TIMEOUT_MS = 15_000;

export type SignalingSocket = Socket<ServerEvents, ClientEvents>;

/**
 * A socket's emitWithAck seen per request name: socket.io's own typing cannot
 * resolve the ack through a generic name, ClientEvents fixes it name by name.
 */
interface AckEmitter {
  emitWithAck<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<Ack<ResponseMap[N]>>;
}

/** The hub refused a request: its code and the message in both languages. */
export class SignalingFailure extends Error {
  readonly code: ErrorBody['code'];
  readonly messageEn: string;
  /** What the client acts on (a MOVE_TO_HUB refusal's HubRedirect). */
  readonly details: unknown;
  constructor(body: ErrorBody) {
    super(body.message);
    this.code = body.code;
    this.messageEn = body.messageEn;
    this.details = body.details;
  }
}

/**
 * Tries to reach a hub the page was pointed at (MOVE_TO_HUB) this many times after a loss before
 * going back to the page's own address (the deployment's load balancer): that hub may be gone.
 */
const OTHER_HUB_RECONNECTS = 3;

export class SignalingChannel {
  private socket: SignalingSocket | null = null;

  /**
   * Opens the socket to the page's origin, or to `hubUrl` (another hub of the deployment the page was
   * pointed at); socket.io reconnects it by itself after a loss. `onGiveUp`: the other hub stayed out of
   * reach after a loss (it may be gone); the page's origin never gives up.
   */
  open(hubUrl?: string, onGiveUp?: () => void): SignalingSocket {
    const origin = globalThis.location?.origin ?? '';
    const elsewhere = hubUrl !== undefined && new URL(hubUrl).origin !== origin;
    this.socket = io(elsewhere ? hubUrl : origin, {
      path: SIGNALING_PATH,
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      autoConnect: true,
      ...(elsewhere ? { reconnectionAttempts: OTHER_HUB_RECONNECTS, forceNew: true } : {}),
    });
    if (elsewhere && onGiveUp) this.socket.io.once('reconnect_failed', onGiveUp);
    return this.socket;
  }

  /** Resolves once connected; rejects on the first failure (socket.io keeps retrying) so the screen can name it. */
  firstConnect(): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('not open'));
    return new Promise<void>((resolve, reject) => {
      if (socket.connected) return resolve();
      const onConnect = () => {
        socket.off('connect_error', onError);
        resolve();
      };
      const onError = (err: Error) => {
        socket.off('connect', onConnect);
        reject(err);
      };
      socket.once('connect', onConnect);
      socket.once('connect_error', onError);
    });
  }

  get connected(): boolean {
    return Boolean(this.socket?.connected);
  }

  /** Sends one request; resolves the ack's data or throws SignalingFailure with the hub's error. */
  async request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    const socket = this.socket;
    if (!socket) throw new Error('not connected');
    const res = await (socket.timeout(REQUEST_TIMEOUT_MS) as AckEmitter).emitWithAck(name, payload);
    if (!res.ok) throw new SignalingFailure(res.error);
    return res.data;
  }

  /** Connects again after the hub closed the socket on purpose (socket.io does not retry that case). */
  reconnect(): void {
    this.socket?.connect();
  }

  /** Disconnects and stays disconnected (a refused join); listeners stay to see it happen. */
  disconnect(): void {
    this.socket?.disconnect();
  }

  /** Drops every listener and disconnects: this connection is over. */
  close(): void {
    this.socket?.removeAllListeners();
    this.socket?.disconnect();
  }
}
