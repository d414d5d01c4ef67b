// A simulcast camera crossing a hub pipe with one layer at a time: the layer
// the other hub's viewers want (`layer` messages, sfu/MediaDemand.ts), not
// every layer its site sends. A pipe consumer forwards a producer whole, so
// the camera is first consumed here by an ordinary simulcast consumer, the one
// a browser gets: it picks one layer, switches on a key frame and rewrites
// sequence numbers and timestamps into one continuous stream. That consumer
// sends over a PlainTransport on the loopback to a second one, where the
// stream is produced again as a single-stream producer, and that producer
// crosses the pipe. A key frame asked for on the other hub goes back the same
// way (pipe → the loopback producer's PLI → the simulcast consumer → the
// site). mediasoup 3.12 has no in-process path that turns a consumer into a
// producer (a DirectTransport would hand every packet through Node), hence
// the loopback pair, two UDP ports of the worker's range per crossing camera.
import type { types } from 'mediasoup';
import type { ProducerAppData } from '../Peer.ts';
import type { CrossingStream, RemotePipe } from '../RemotePipe.ts';

/** What the other hub's viewers count as here (sfu/MediaDemand.ts): one viewer, at the layer they want. */
export interface CrossingAppData extends types.AppData {
  requestedSpatial: number;
  /** The producer that crosses the pipe for this camera (the loopback's), when it is not the camera itself. */
  via: string | null;
}

export interface Crossing {
  /** The consumer of the camera on this hub: paused while nobody there watches it, closed to stop the crossing. */
  consumer: types.Consumer<CrossingAppData>;
  /** What the other hub produces; it keeps the camera's producer id. */
  stream: CrossingStream;
}

/** The layer a camera crosses at before the other hub says which it wants: the grid's and the mosaic's. */
const FIRST_LAYER = 0;

/**
 * Sends a producer of `router` across `pipe`: a simulcast camera one layer at
 * a time (when `layered`), anything else whole, as a pipe consumer does.
 */
export async function sendAcross(
  pipe: RemotePipe,
  router: types.Router,
  producer: types.Producer<ProducerAppData>,
  layered: boolean,
): Promise<Crossing> {
  if (!layered || producer.kind !== 'video' || producer.type !== 'simulcast') {
    const { consumer, stream } = await pipe.send(producer.id);
    const whole = consumer as types.Consumer<CrossingAppData>;
    whole.appData.via = null;
    // A camera already at one layer (from another hub) still tells its source what is wanted here;
    // anything else (the chair's camera, a slot) counts as wanted whole.
    if (layered && producer.kind === 'video') whole.appData.requestedSpatial = FIRST_LAYER;
    return { consumer: whole, stream };
  }
  return sendLayered(pipe, router, producer);
}

/** The loopback's capabilities: the router's, without what would start a bandwidth estimate between its ends. */
function loopbackCapabilities(router: types.Router): types.RtpCapabilities {
  const estimating = ['transport-cc', 'goog-remb'];
  const { codecs = [], headerExtensions = [] } = router.rtpCapabilities;
  return {
    codecs: codecs.map((codec) => ({
      ...codec,
      rtcpFeedback: (codec.rtcpFeedback ?? []).filter((fb) => !estimating.includes(fb.type)),
    })),
    headerExtensions: headerExtensions.filter(
      (ext) => !ext.uri.includes('transport-wide-cc') && !ext.uri.includes('abs-send-time'),
    ),
  };
}

async function loopbackPair(router: types.Router): Promise<[types.PlainTransport, types.PlainTransport]> {
  const options = { listenIp: '127.0.0.1', rtcpMux: true, comedia: false, enableSctp: false };
  const from = await router.createPlainTransport(options);
  const to = await router.createPlainTransport(options).catch((err: Error) => {
    from.close();
    throw err;
  });
  // Either end closing takes the other along (a worker's death closes both).
  from.observer.once('close', () => to.close());
  to.observer.once('close', () => from.close());
  await from.connect({ ip: to.tuple.localIp, port: to.tuple.localPort });
  await to.connect({ ip: from.tuple.localIp, port: from.tuple.localPort });
  return [from, to];
}

async function sendLayered(
  pipe: RemotePipe,
  router: types.Router,
  producer: types.Producer<ProducerAppData>,
): Promise<Crossing> {
  const [from, to] = await loopbackPair(router);
  try {
    const consumer = await from.consume<CrossingAppData>({
      producerId: producer.id,
      rtpCapabilities: loopbackCapabilities(router),
      preferredLayers: { spatialLayer: FIRST_LAYER },
      appData: { requestedSpatial: FIRST_LAYER, via: null },
    });
    // The consumer's one encoding, without its scalability mode (S3T3 would make the result an SVC producer).
    const [encoding] = consumer.rtpParameters.encodings ?? [];
    if (!encoding?.ssrc) throw new Error('the loopback consumer has no SSRC');
    const single = await to.produce({
      kind: 'video',
      rtpParameters: {
        ...consumer.rtpParameters,
        encodings: [{ ssrc: encoding.ssrc, ...(encoding.rtx ? { rtx: encoding.rtx } : {}) }],
      },
    });
    consumer.appData.via = single.id;
    // The camera's end (its producer closed, the crossing stopped) ends the loopback and the pipe's consumer.
    consumer.observer.once('close', () => from.close());
    const { stream } = await pipe.send(single.id);
    return {
      consumer,
      stream: { ...stream, producerId: producer.id, paused: consumer.producerPaused },
    };
  } catch (err) {
    from.close();
    throw err;
  }
}

/** The other hub's viewers want the camera at `spatialLayer` now (the highest any of them shows). */
export async function setCrossingLayer(consumer: types.Consumer, spatialLayer: number): Promise<void> {
  if (consumer.closed) return;
  consumer.appData.requestedSpatial = spatialLayer;
  if (consumer.type === 'simulcast') await consumer.setPreferredLayers({ spatialLayer });
}
