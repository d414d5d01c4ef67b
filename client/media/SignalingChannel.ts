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
  constructor(body: ErrorBody) {
    super(body.message);
    this.code = body.code;
    this.messageEn = body.messageEn;
  }
}

export class SignalingChannel {
  private socket: SignalingSocket | null = null;

  /** Opens the socket to the page's origin; socket.io reconnects it by itself after a loss. */
  open(): SignalingSocket {
    this.socket = io(globalThis.location?.origin ?? '', {
      path: SIGNALING_PATH,
      transports: ['websocket'],
      reconnectionDelay: 500,
      reconnectionDelayMax: 4000,
      autoConnect: true,
    });
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
