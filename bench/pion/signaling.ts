// A bot's socket.io connection to the hub, with typed requests that reject on
// a refusal or when no answer comes in time (contract/signaling.ts).
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientEvents,
  RequestName,
  RequestPayload,
  ResponseMap,
  ServerEvents,
} from '../../contract/signaling.ts';

export type HubSocket = Socket<ServerEvents, ClientEvents>;

export class SignalingError extends Error {}

export function connectSocket(url: string, timeoutMs: number): HubSocket {
  return io(url, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: timeoutMs });
}

export function whenConnected(socket: HubSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (err) => reject(new SignalingError(`signaling connect failed: ${err.message}`)));
  });
}

export function request<N extends RequestName>(
  socket: HubSocket,
  name: N,
  payload: RequestPayload<N>,
  timeoutMs: number,
): Promise<ResponseMap[N]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new SignalingError(`${name}: no answer within ${timeoutMs} ms`)), timeoutMs);
    (socket.emit as (e: string, p: unknown, ack: (r: Ack<ResponseMap[N]>) => void) => void)(name, payload, (ack) => {
      clearTimeout(timer);
      if (ack.ok) resolve(ack.data);
      else reject(new SignalingError(`${name} refused: ${ack.error.code} ${ack.error.messageEn}`));
    });
  });
}
