// The bare-mediasoup baseline: the same media topology as a diemcau meeting
// on plain mediasoup, without our control plane (no scheduler, no tokens to
// verify, no schemas, no audio-level or active-speaker observers, no audio
// slots). A site is told of the chair and the staged site only, the chair of
// every site (contract/receivePlan.ts's hearsOf), so the same bots consume
// the same streams: the chair's audio and video and the staged camera at every
// site, the chair's mosaic page. `setStage` moves the stage; a camera nobody
// watches is told to stop (mediaDemand), as our hub does. What it lacks: the
// K audio slots (the speakers' voices reach no site here; there is no speaker
// selection in bare mediasoup). One router per worker, sites dealt
// round-robin, producers piped to the routers of their consumers — what a
// competent minimal mediasoup app does. It speaks just enough of
// contract/signaling.ts for the same bots.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { types } from 'mediasoup';
import * as mediasoup from 'mediasoup';
import { Server } from 'socket.io';
import { hearsOf, type PlanMeeting, planMeeting } from '../../contract/receivePlan.ts';
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

interface Owned {
  producer: types.Producer;
  owner: BarePeer;
  info: ProducerInfo;
  /** Consumers of it that are not paused. */
  flowing: Set<string>;
  wanted: boolean;
}

/** Bare tokens are `bare:<role>:<roomId>`. */
export function bareToken(role: 'chair' | 'site', roomId: string): string {
  return `bare:${role}:${roomId}`;
}

async function lanesFor(options: { workers: number; portBase: number; listenIp: string }): Promise<Lane[]> {
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
  return lanes;
}

export async function startBareSfu(options: { workers: number; portBase: number; listenIp: string }): Promise<BareSfu> {
  const lanes = await lanesFor(options);
  const home = lanes[0] as Lane;
  const peers = new Map<string, BarePeer>();
  const meeting: PlanMeeting = planMeeting(null);
  /** The part of the hub's meeting state the bots read (contract/receivePlan.ts planOf): nobody presents. */
  const announced = () => ({ ...meeting, presentation: { presenterSiteId: null, live: false, requests: [] } });
  const producers = new Map<string, Owned>();
  /** producer id → router → the pipe that makes it available there (concurrent consumes share it). */
  const piped = new Map<string, Map<types.Router, Promise<unknown>>>();
  let nextLane = 0;

  function ensureOn(owned: Owned, lane: Lane): Promise<unknown> {
    const from = owned.owner.lane.router;
    if (lane.router === from) return Promise.resolve();
    let routers = piped.get(owned.producer.id);
    if (!routers) {
      routers = new Map();
      piped.set(owned.producer.id, routers);
    }
    let pipe = routers.get(lane.router);
    if (!pipe) {
      pipe = from.pipeToRouter({ producerId: owned.producer.id, router: lane.router });
      routers.set(lane.router, pipe);
    }
    return pipe;
  }

  /** Tells a camera's owner when it becomes watched or unwatched. */
  function demand(owned: Owned): void {
    if (owned.producer.kind !== 'video') return;
    const wanted = owned.flowing.size > 0;
    if (owned.wanted === wanted) return;
    owned.wanted = wanted;
    owned.owner.notify('mediaDemand', { producerId: owned.producer.id, wanted });
  }

  function flowing(consumer: types.Consumer, on: boolean): void {
    const owned = producers.get(consumer.producerId);
    if (!owned) return;
    if (on) owned.flowing.add(consumer.id);
    else owned.flowing.delete(consumer.id);
    demand(owned);
  }

  /** Announces a site's producers to the peers that hear of it. */
  function announce(subject: BarePeer, only?: Owned): void {
    for (const owned of only ? [only] : producers.values()) {
      if (owned.owner !== subject) continue;
      for (const viewer of peers.values()) {
        if (hearsOf(viewer, meeting, subject.id)) viewer.notify('newProducer', owned.info);
      }
    }
  }

  const httpServer = http.createServer();
  const io = new Server(httpServer, { serveClient: false });
  io.on('connection', (socket) => {
    let peer: BarePeer | undefined;
    const need = (): BarePeer => {
      if (!peer) throw new Error('join first');
      return peer;
    };
    const consumerOf = (consumerId: unknown): types.Consumer | undefined => need().consumers.get(String(consumerId));
    const handlers: Record<string, (p: Record<string, unknown>) => Promise<unknown> | unknown> = {
      join: ({ token }) => {
        const [, role, id] = String(token).split(':') as [string, 'chair' | 'site', string];
        const lane = role === 'chair' ? home : (lanes[nextLane++ % lanes.length] as Lane);
        const joined: BarePeer = {
          id,
          role,
          lane,
          transports: new Map(),
          consumers: new Map(),
          notify: (e, p) => socket.emit(e, p),
        };
        peer = joined;
        peers.set(id, joined);
        if (role === 'chair') meeting.chairSiteId = id;
        return {
          protocolVersion: 1,
          self: { id, role },
          meeting: announced(),
          peers: [],
          producers: [...producers.values()].filter((o) => hearsOf(joined, meeting, o.owner.id)).map((o) => o.info),
          audioSlots: [],
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
        const info: ProducerInfo = {
          producerId: producer.id,
          peerId: p.id,
          kind: producer.kind,
          source: producer.kind === 'audio' ? 'mic' : 'camera',
          paused: false,
        };
        const owned: Owned = { producer, owner: p, info, flowing: new Set(), wanted: true };
        producers.set(producer.id, owned);
        announce(p, owned);
        // After the answer, as the hub does: an unwatched camera is told to stop.
        setImmediate(() => demand(owned));
        return { producerId: producer.id, paused: false };
      },
      setStage: ({ siteId }) => {
        if (need().role !== 'chair') throw new Error('chair only');
        meeting.stageSiteId = siteId === null ? null : String(siteId);
        for (const viewer of peers.values()) viewer.notify('meetingUpdated', { meeting: announced() });
        const staged = meeting.stageSiteId === null ? undefined : peers.get(meeting.stageSiteId);
        if (staged) announce(staged);
        return {};
      },
      consume: async ({ producerId }) => {
        const p = need();
        const owned = producers.get(String(producerId));
        if (!owned || !p.rtpCapabilities) throw new Error('cannot consume');
        await ensureOn(owned, p.lane);
        const transport = [...p.transports.values()].find((t) => t.appData.direction === 'recv');
        if (!transport) throw new Error('no recv transport');
        const consumer = await transport.consume({
          producerId: owned.producer.id,
          rtpCapabilities: p.rtpCapabilities,
          paused: true,
        });
        p.consumers.set(consumer.id, consumer);
        consumer.on('producerclose', () => {
          p.consumers.delete(consumer.id);
          p.notify('consumerClosed', { consumerId: consumer.id, producerId: owned.producer.id });
        });
        return {
          id: consumer.id,
          producerId: owned.producer.id,
          peerId: owned.owner.id,
          kind: consumer.kind,
          source: owned.info.source,
          rtpParameters: consumer.rtpParameters,
          type: consumer.type,
          producerPaused: consumer.producerPaused,
          slot: null,
        };
      },
      resumeConsumer: async ({ consumerId }) => {
        const consumer = consumerOf(consumerId);
        await consumer?.resume();
        if (consumer) flowing(consumer, true);
        return {};
      },
      pauseConsumer: async ({ consumerId }) => {
        const consumer = consumerOf(consumerId);
        await consumer?.pause();
        if (consumer) flowing(consumer, false);
        return {};
      },
      closeConsumer: ({ consumerId }) => {
        const consumer = consumerOf(consumerId);
        if (!consumer) return {};
        consumer.close();
        need().consumers.delete(consumer.id);
        flowing(consumer, false);
        return {};
      },
      setPreferredLayers: async ({ consumerId, spatialLayer }) => {
        await consumerOf(consumerId)?.setPreferredLayers({ spatialLayer: Number(spatialLayer) });
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
      for (const consumer of peer.consumers.values()) flowing(consumer, false);
      for (const [id, owned] of producers) if (owned.owner === peer) producers.delete(id);
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
