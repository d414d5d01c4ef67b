// A bot's send side: its send transport, the mic (opus with ssrc-audio-level)
// and optional blank-VP8 camera producers, and their streams on the process's
// pacer. Recreated whole when the watchdog or a media reset asks.
import type { Device } from 'msc-node';
import type { Transport } from 'msc-node/lib/Transport.js';
import type { BotConfig } from './BotConfig.ts';
import type { BotSignaling } from './BotSignaling.ts';
import type { BotTransports } from './BotTransports.ts';
import type { BotCounters } from './counters.ts';
import { AUDIO_LEVEL_URI, AudioStream, type Pacer, VideoStream } from './media.ts';

type SendConfig = Pick<BotConfig, 'sendAudio' | 'sendVideo'>;

export class BotSender {
  private transport?: Transport;
  /** Streams being paced: those of the current transport, once it connected. */
  private readonly streams: (AudioStream | VideoStream)[] = [];
  /** What streams of transports replaced since sent. */
  private readonly retired = { sentPackets: 0, sentBytes: 0, skippedPackets: 0 };
  private closed = false;
  /** Share of packets dropped on purpose, for streams now and to come. */
  private dropRatio = 0;
  connected = false;

  constructor(
    private readonly config: SendConfig,
    private readonly signaling: BotSignaling,
    private readonly transports: BotTransports,
    private readonly pacer: Pacer,
    /** The current send transport connected. */
    private readonly onConnected: () => void,
  ) {}

  /** Replaces the send transport and its producers. */
  async setup(device: Device): Promise<void> {
    this.transports.countAttempt('send');
    for (const stream of this.streams.splice(0)) {
      this.pacer.remove(stream);
      this.retired.sentPackets += stream.sent;
      this.retired.sentBytes += stream.sentBytes;
      this.retired.skippedPackets += stream.skipped;
    }
    this.transport?.close();
    this.connected = false;

    const options = await this.signaling.request('createTransport', { direction: 'send' });
    const transport = device.createSendTransport(this.transports.settings(options));
    this.transport = transport;
    this.transports.signalConnect(transport, () => this.setup(device));
    transport.on(
      'produce',
      (
        {
          kind,
          rtpParameters,
          appData,
        }: { kind: 'audio' | 'video'; rtpParameters: unknown; appData: { source: 'mic' | 'camera' } },
        callback: (r: { id: string }) => void,
        errback: (e: Error) => void,
      ) => {
        this.signaling
          .request('produce', {
            transportId: transport.id,
            kind,
            source: appData.source,
            rtpParameters: rtpParameters as never,
          })
          .then(({ producerId }) => callback({ id: producerId }))
          .catch(errback);
      },
    );
    const created: (AudioStream | VideoStream)[] = [];
    transport.on('connectionstatechange', (state: string) => {
      if (state !== 'connected' || transport !== this.transport) return;
      this.connected = true;
      this.startStreams(transport, created);
      this.onConnected();
    });

    if (this.config.sendAudio) {
      const audio = new AudioStream();
      const producer = await transport.produce({ track: audio.track, appData: { source: 'mic' } });
      const ext = producer.rtpParameters.headerExtensions?.find((e) => e.uri === AUDIO_LEVEL_URI);
      audio.audioLevelId = ext?.id ?? 0;
      created.push(audio);
    }
    if (this.config.sendVideo) {
      const video = new VideoStream(this.config.sendVideo);
      await transport.produce({ track: video.track, appData: { source: 'camera' } });
      created.push(video);
    }
    // Connected before the last produce resolved: start the late streams now.
    if (transport.connectionState === 'connected') this.startStreams(transport, created);
  }

  // werift drops RTP written before DTLS is up: pace each stream from then on.
  private startStreams(transport: Transport, created: (AudioStream | VideoStream)[]): void {
    if (transport !== this.transport || this.closed) return;
    for (const stream of created) {
      if (this.streams.includes(stream)) continue;
      stream.dropRatio = this.dropRatio;
      this.pacer.add(stream, stream instanceof AudioStream ? AudioStream.PACKETS_PER_SEC : stream.profile.fps);
      this.streams.push(stream);
    }
  }

  /** Makes this site lossy (drops `ratio` of what it sends), or well again with 0. */
  setDropRatio(ratio: number): void {
    this.dropRatio = ratio;
    for (const stream of this.streams) stream.dropRatio = ratio;
  }

  /** Adds what this side sent (current and replaced streams) to `into`. */
  addTo(into: BotCounters): void {
    into.sentPackets += this.retired.sentPackets;
    into.sentBytes += this.retired.sentBytes;
    into.skippedPackets += this.retired.skippedPackets;
    for (const s of this.streams) {
      into.sentPackets += s.sent;
      into.sentBytes += s.sentBytes;
      into.skippedPackets += s.skipped;
    }
  }

  /** Stops pacing and closes the transport; the counters stay readable. */
  close(): void {
    this.closed = true;
    for (const stream of this.streams) this.pacer.remove(stream);
    try {
      this.transport?.close();
    } catch {
      // werift may throw while tearing down a half-open connection.
    }
  }
}
