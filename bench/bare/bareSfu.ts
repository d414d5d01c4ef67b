// The bare-mediasoup baseline: the same forwarding as a diemcau meeting (the
// chair's audio and video to every site, every site's audio and video into
// the SFU) on plain mediasoup, without our control plane: no scheduler, no
// tokens to verify, no schemas, no audiences, no audio-level or active-speaker
// observers. One router per worker, sites dealt round-robin, the chair's
// producers piped to the other routers — what a competent minimal mediasoup
// app does. It speaks just enough of contract/signaling.ts for the same bots.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { types } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { Server } from 'socket.io';
import type { ProducerInfo } from '../../contract/signaling.ts';
import { mediaCodecs } from '../../sfu/mediaCodecs.ts';

export interface BareSfu {
  url: string;
  workerPids: number[];
  close(): Promise<void>;
}

interface Lane {
  worker: types.Worker;
  router: types.Router;
  server: types.WebRtcServer;
}

interface BarePeer {
  id: string;
  role: 'chair' | 'site';
  lane: Lane;
  rtpCapabilities?: types.RtpCapabilities;
  transports: Map<string, types.WebRtcTransport>;
  consumers: Map<string, types.Consumer>;
  notify: (event: string, payload: unknown) => void;
}

/** Bare tokens are `bare:<role>:<roomId>`. */
export function bareToken(role: 'chair' | 'site', roomId: string): string {
  return `bare:${role}:${roomId}`;
}

export async function startBareSfu(options: { workers: number; portBase: number; listenIp: string }): Promise<BareSfu> {
  const lanes: Lane[] = [];
  for (let i = 0; i < options.workers; i++) {
    const worker = await mediasoup.createWorker({
      logLevel: 'warn',
      rtcMinPort: options.portBase + 100,
      rtcMaxPort: options.portBase + 199,
    });
    const server = await worker.createWebRtcServer({
      listenInfos: (['udp', 'tcp'] as const).map((protocol) => ({
        protocol,
        ip: options.listenIp,
        port: options.portBase + i,
      })),
    });
    const router = await worker.createRouter({ mediaCodecs });
    lanes.push({ worker, router, server });
  }
  const home = lanes[0] as Lane;
  const peers = new Map<string, BarePeer>();
  let chair: BarePeer | undefined;
  const chairProducers: types.Producer[] = [];
  /** producer id → router → the pipe that makes it available there (concurrent consumes share it). */
  const piped = new Map<string, Map<types.Router, Promise<unknown>>>();
  let nextLane = 0;

  function ensureOn(producer: types.Producer, lane: Lane): Promise<unknown> {
    if (lane.router === home.router) return Promise.resolve();
    let routers = piped.get(producer.id);
    if (!routers) {
      routers = new Map();
      piped.set(producer.id, routers);
    }
    let pipe = routers.get(lane.router);
    if (!pipe) {
      pipe = home.router.pipeToRouter({ producerId: producer.id, router: lane.router });
      routers.set(lane.router, pipe);
    }
    return pipe;
  }

  const httpServer = http.createServer();
  const io = new Server(httpServer, { serveClient: false });
  io.on('connection', (socket) => {
    let peer: BarePeer | undefined;
    const need = (): BarePeer => {
      if (!peer) throw new Error('join first');
      return peer;
    };
    const handlers: Record<string, (p: Record<string, unknown>) => Promise<unknown> | unknown> = {
      join: ({ token }) => {
        const [, role, id] = String(token).split(':') as [string, 'chair' | 'site', string];
        const lane = role === 'chair' ? home : (lanes[nextLane++ % lanes.length] as Lane);
        peer = { id, role, lane, transports: new Map(), consumers: new Map(), notify: (e, p) => socket.emit(e, p) };
        peers.set(id, peer);
        if (role === 'chair') chair = peer;
        const producers: ProducerInfo[] =
          role === 'site'
            ? chairProducers.map((p) => ({
                producerId: p.id,
                peerId: chair?.id ?? '',
                kind: p.kind,
                source: p.kind === 'audio' ? 'mic' : 'camera',
                paused: false,
              }))
            : [];
        return {
          protocolVersion: 1,
          self: { id, role },
          meeting: { chairSiteId: chair?.id ?? null },
          peers: [],
          producers,
          routerRtpCapabilities: lane.router.rtpCapabilities,
          iceServers: [],
        };
      },
      setRtpCapabilities: ({ rtpCapabilities }) => {
        need().rtpCapabilities = rtpCapabilities as types.RtpCapabilities;
        return {};
      },
      createTransport: async ({ direction }) => {
        const p = need();
        const transport = await p.lane.router.createWebRtcTransport({
          webRtcServer: p.lane.server,
          enableUdp: true,
          enableTcp: true,
          preferUdp: true,
          initialAvailableOutgoingBitrate: 1_000_000,
          appData: { direction },
        });
        for (const existing of p.transports.values()) if (existing.appData.direction === direction) existing.close();
        p.transports.set(transport.id, transport);
        return {
          id: transport.id,
          direction,
          iceParameters: transport.iceParameters,
          iceCandidates: transport.iceCandidates,
          dtlsParameters: transport.dtlsParameters,
        };
      },
      connectTransport: async ({ transportId, dtlsParameters }) => {
        await need()
          .transports.get(String(transportId))
          ?.connect({ dtlsParameters: dtlsParameters as types.DtlsParameters });
        return {};
      },
      produce: async ({ transportId, kind, rtpParameters }) => {
        const p = need();
        const transport = p.transports.get(String(transportId));
        if (!transport) throw new Error('no such transport');
        const producer = await transport.produce({
          kind: kind as types.MediaKind,
          rtpParameters: rtpParameters as types.RtpParameters,
        });
        if (p.role === 'chair') {
          chairProducers.push(producer);
          const info: ProducerInfo = {
            producerId: producer.id,
            peerId: p.id,
            kind: producer.kind,
            source: producer.kind === 'audio' ? 'mic' : 'camera',
            paused: false,
          };
          for (const other of peers.values()) if (other !== p) other.notify('newProducer', info);
        }
        return { producerId: producer.id, paused: false };
      },
      consume: async ({ producerId }) => {
        const p = need();
        const producer = chairProducers.find((x) => x.id === producerId);
        if (!producer || !p.rtpCapabilities) throw new Error('cannot consume');
        await ensureOn(producer, p.lane);
        const transport = [...p.transports.values()].find((t) => t.appData.direction === 'recv');
        if (!transport) throw new Error('no recv transport');
        const consumer = await transport.consume({
          producerId: producer.id,
          rtpCapabilities: p.rtpCapabilities,
          paused: true,
        });
        p.consumers.set(consumer.id, consumer);
        return {
          id: consumer.id,
          producerId: producer.id,
          peerId: chair?.id ?? '',
          kind: consumer.kind,
          source: consumer.kind === 'audio' ? 'mic' : 'camera',
          rtpParameters: consumer.rtpParameters,
          type: consumer.type,
          producerPaused: consumer.producerPaused,
        };
      },
      resumeConsumer: async ({ consumerId }) => {
        await need().consumers.get(String(consumerId))?.resume();
        return {};
      },
    };
    socket.onAny((event: string, payload: Record<string, unknown>, ack?: (r: unknown) => void) => {
      if (typeof ack !== 'function') return;
      const handler = handlers[event];
      if (!handler) {
        ack({ ok: false, error: { code: 'UNKNOWN_EVENT', message: event, messageEn: event } });
        return;
      }
      Promise.resolve()
        .then(() => handler(payload ?? {}))
        .then(
          (data) => ack({ ok: true, data }),
          (err: Error) => ack({ ok: false, error: { code: 'INTERNAL', message: err.message, messageEn: err.message } }),
        );
    });
    socket.on('disconnect', () => {
      if (!peer) return;
      for (const t of peer.transports.values()) t.close();
      peers.delete(peer.id);
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = httpServer.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    workerPids: lanes.map((l) => l.worker.pid),
    async close() {
      io.close();
      httpServer.close();
      for (const lane of lanes) lane.worker.close();
    },
  };
}
