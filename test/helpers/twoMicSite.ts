// An attacking site for test/security/muteBypass.test.ts, run as a child
// process (werift cannot make its DTLS certificate inside vitest): a real
// WebRTC peer (msc-node on werift, as the load bots) that joins with an
// ordinary site's token, puts two microphone tracks on its send transport and
// asks the hub to produce both at the same instant, then streams opus-sized
// RTP on both until the parent ends it. msc-node would ask one after the
// other, so its produce requests are held and sent together.
import { Device } from 'msc-node';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  ClientEvents,
  RequestName,
  RequestPayload,
  ResponseMap,
  ServerEvents,
} from '../../contract/signaling.ts';
import { ClientRoleWerift } from './werift/ClientRoleWerift.ts';
import { AudioStream, loopbackSettings, Pacer, processDtlsKeys, weriftCapabilities } from './werift/media.ts';

export type ToTwoMicSite = { type: 'start'; url: string; token: string };
export type FromTwoMicSite =
  | { type: 'ready' }
  | { type: 'produced'; acks: Ack<ResponseMap['produce']>[] }
  | { type: 'failed'; message: string };

const send = (message: FromTwoMicSite) => process.send?.(message);

function request<N extends RequestName>(
  socket: Socket<ServerEvents, ClientEvents>,
  name: N,
  payload: RequestPayload<N>,
): Promise<Ack<ResponseMap[N]>> {
  return new Promise((resolve) => {
    (socket.emit as (e: string, p: unknown, ack: (r: Ack<ResponseMap[N]>) => void) => void)(name, payload, resolve);
  });
}

async function ok<N extends RequestName>(
  socket: Socket<ServerEvents, ClientEvents>,
  name: N,
  payload: RequestPayload<N>,
): Promise<ResponseMap[N]> {
  const ack = await request(socket, name, payload);
  if (!ack.ok) throw new Error(`${name} refused: ${ack.error.code}`);
  return ack.data;
}

async function start({ url, token }: ToTwoMicSite): Promise<void> {
  const keys = await processDtlsKeys();
  const socket: Socket<ServerEvents, ClientEvents> = io(url, { transports: ['websocket'], reconnection: false });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  const joined = await ok(socket, 'join', { token });
  const device = new Device(weriftCapabilities(), {
    handlerFactory: ClientRoleWerift.clientRoleFactory(weriftCapabilities()),
  });
  await device.load({ routerRtpCapabilities: joined.routerRtpCapabilities as never });
  await ok(socket, 'setRtpCapabilities', { rtpCapabilities: device.rtpCapabilities as never });
  const options = await ok(socket, 'createTransport', { direction: 'send' });
  const transport = device.createSendTransport({
    id: options.id,
    iceParameters: options.iceParameters,
    iceCandidates: options.iceCandidates,
    dtlsParameters: options.dtlsParameters,
    additionalSettings: loopbackSettings(keys),
  } as Parameters<Device['createSendTransport']>[0]);
  transport.on('connect', ({ dtlsParameters }: { dtlsParameters: unknown }, callback: () => void) => {
    void ok(socket, 'connectTransport', { transportId: transport.id, dtlsParameters: dtlsParameters as never }).then(
      callback,
    );
  });
  // Held: each track's RTP parameters, answered at once with a local id.
  const held: unknown[] = [];
  transport.on('produce', ({ rtpParameters }: { rtpParameters: unknown }, callback: (r: { id: string }) => void) => {
    held.push(rtpParameters);
    callback({ id: `held-${held.length}` });
  });
  const streams = [new AudioStream(), new AudioStream()];
  for (const stream of streams) await transport.produce({ track: stream.track, appData: { source: 'mic' } });
  const acks = await Promise.all(
    held.map((rtpParameters) =>
      request(socket, 'produce', {
        transportId: transport.id,
        kind: 'audio',
        source: 'mic',
        rtpParameters: rtpParameters as never,
      }),
    ),
  );
  const pacer = new Pacer();
  const pace = () => {
    for (const stream of streams) pacer.add(stream, AudioStream.PACKETS_PER_SEC);
  };
  if (transport.connectionState === 'connected') pace();
  else transport.on('connectionstatechange', (state: string) => state === 'connected' && pace());
  send({ type: 'produced', acks });
}

process.on('message', (message: ToTwoMicSite) => {
  if (message.type === 'start') start(message).catch((err: Error) => send({ type: 'failed', message: err.message }));
});
process.on('disconnect', () => process.exit(0));
// werift throws from socket callbacks of connections being torn down.
process.on('uncaughtException', () => undefined);
send({ type: 'ready' });
