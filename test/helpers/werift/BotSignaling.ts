// A bot's socket.io connection to the hub, as the browser client makes it
// (websocket, no automatic reconnection: a bot that loses signaling fails),
// and the protocol's requests with an ack timeout.
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientEvents,
  RequestName,
  RequestPayload,
  ResponseMap,
  ServerEvents,
} from '../../../contract/signaling.ts';
import { BotError } from './BotError.ts';

export type HubSocket = Socket<ServerEvents, ClientEvents>;

export class BotSignaling {
  private socket?: HubSocket;

  constructor(
    private readonly url: string,
    private readonly requestTimeoutMs: number,
  ) {}

  /** Creates the socket, which starts connecting; bind its events before awaiting `connected()`. */
  open(): HubSocket {
    this.socket = io(this.url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      timeout: this.requestTimeoutMs,
    });
    return this.socket;
  }

  connected(): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new BotError('no socket'));
    return new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', (err) => reject(new BotError(`signaling connect failed: ${err.message}`)));
    });
  }

  request<N extends RequestName>(name: N, payload: RequestPayload<N>): Promise<ResponseMap[N]> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new BotError('no socket'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new BotError(`${name}: no answer within ${this.requestTimeoutMs} ms`)),
        this.requestTimeoutMs,
      );
      (socket.emit as (e: string, p: unknown, ack: (r: Ack<ResponseMap[N]>) => void) => void)(name, payload, (ack) => {
        clearTimeout(timer);
        if (ack.ok) resolve(ack.data);
        else reject(new BotError(`${name} refused: ${ack.error.code} ${ack.error.messageEn}`));
      });
    });
  }

  close(): void {
    this.socket?.close();
  }
}
