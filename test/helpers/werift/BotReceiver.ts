// A bot's receive side: its recv transport and a consumer for each producer
// the bot was given to receive, each counted by a ReceivedStream. Recreated
// whole when the watchdog or a media reset asks; what the replaced consumers
// counted is kept.
import type { Device } from 'msc-node';
import type { Consumer } from 'msc-node/lib/Consumer.js';
import type { Transport } from 'msc-node/lib/Transport.js';
import type { ProducerInfo } from '../../../contract/signaling.ts';
import type { BotSignaling } from './BotSignaling.ts';
import type { BotTransports } from './BotTransports.ts';
import { type BotCounters, emptyCounters, type ReceiveCounters } from './counters.ts';
import { ReceivedStream } from './ReceivedStream.ts';

type Kind = 'audio' | 'video';

interface Consumed {
  consumer: Consumer;
  kind: Kind;
  stream: ReceivedStream;
}

export interface ReceiverEvents {
  /** The current recv transport connected. */
  connected(): void;
  /** The first packet of a consumer arrived. */
  firstPacket(kind: Kind): void;
  fail(err: unknown): void;
}

export class BotReceiver {
  private transport?: Transport;
  /** A recv transport exists: producers given from now on are consumed at once. */
  private ready = false;
  private closed = false;
  connected = false;
  private readonly consumers = new Map<string, Consumed>();
  /** Producers to consume (by producer id), whether or not consumed yet. */
  private readonly wanted = new Map<string, ProducerInfo>();
  /** What consumers of transports replaced since received. */
  private readonly retired: Record<Kind, ReceiveCounters> = {
    audio: emptyCounters().audio,
    video: emptyCounters().video,
  };

  constructor(
    private readonly signaling: BotSignaling,
    private readonly transports: BotTransports,
    private readonly events: ReceiverEvents,
  ) {}

  /** A producer to receive: consumed now if the transport is up, else when it is set up. */
  add(info: ProducerInfo): void {
    this.wanted.set(info.producerId, info);
    if (this.ready) this.consume(info).catch((err) => this.events.fail(err));
  }

  /** The producer closed: a recreated transport does not consume it again. */
  remove(producerId: string): void {
    this.wanted.delete(producerId);
  }

  /** Replaces the recv transport and consumes every wanted producer on it. */
  async setup(device: Device): Promise<void> {
    this.transports.countAttempt('recv');
    this.ready = false;
    this.connected = false;
    this.transport?.close();
    for (const c of this.consumers.values()) c.stream.addTo(this.retired[c.kind]);
    this.consumers.clear();

    const options = await this.signaling.request('createTransport', { direction: 'recv' });
    const transport = device.createRecvTransport(this.transports.settings(options));
    this.transport = transport;
    this.transports.signalConnect(transport, () => this.setup(device));
    transport.on('connectionstatechange', (state: string) => {
      if (state !== 'connected' || transport !== this.transport) return;
      this.connected = true;
      this.events.connected();
    });
    this.ready = true;
    await Promise.all([...this.wanted.values()].map((p) => this.consume(p)));
  }

  private async consume(info: ProducerInfo): Promise<void> {
    const transport = this.transport;
    if (!transport || this.closed) return;
    if ([...this.consumers.values()].some((c) => c.consumer.producerId === info.producerId)) return;
    const options = await this.signaling.request('consume', { producerId: info.producerId });
    if (transport !== this.transport) return; // recreated meanwhile; the new transport consumes it
    const consumer = await transport.consume({
      id: options.id,
      producerId: options.producerId,
      kind: options.kind,
      rtpParameters: options.rtpParameters as never,
    });
    const consumed: Consumed = { consumer, kind: options.kind, stream: new ReceivedStream() };
    this.consumers.set(consumer.id, consumed);
    consumer.track.onReceiveRtp.subscribe((rtp) => {
      if (consumed.stream.receive(rtp.header.sequenceNumber, rtp.payload.length))
        this.events.firstPacket(consumed.kind);
    });
    await this.signaling.request('resumeConsumer', { consumerId: options.id });
  }

  /** Adds what this side received (current and replaced consumers) to `into`. */
  addTo(into: BotCounters): void {
    for (const kind of ['audio', 'video'] as const) {
      const r = this.retired[kind];
      into[kind].packets += r.packets;
      into[kind].duplicates += r.duplicates;
      into[kind].bytes += r.bytes;
      into[kind].expected += r.expected;
    }
    for (const c of this.consumers.values()) c.stream.addTo(into[c.kind]);
  }

  /** Stops consuming and closes the transport; the counters stay readable. */
  close(): void {
    this.closed = true;
    try {
      this.transport?.close();
    } catch {
      // werift may throw while tearing down a half-open connection.
    }
  }
}
