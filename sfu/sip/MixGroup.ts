// One mix of what room systems hear, shared by every room that hears the same
// thing in the same codec: the chair's microphone and the meeting's audio
// slots, less the slots `excluded` (those a room of the group feeds: it must
// not hear itself). It consumes those streams on a DirectTransport of the
// meeting's home router, has one FFmpeg mix them (sfu/sip/AudioMix.ts) and
// sends each packet of the mix on to the rooms hearing it (sfu/sip/MixOutlet.ts).
// The home router's worker dying takes that transport and every consumer with
// it: the group then dies as if its FFmpeg had (MeetingMixes replaces it, on
// the meeting's router rebuilt on the replacement worker).
import type { types } from 'mediasoup';
import type { Logger } from 'pino';
import type { MeetingRoom } from '../MeetingRoom.ts';
import { SerialQueue } from '../SerialQueue.ts';
import { AudioMix } from './AudioMix.ts';
import type { MixOutlet } from './MixOutlet.ts';
import { heardProducers } from './mainPicture.ts';
import type { OfferedAudio } from './sdpOffer.ts';

export interface MixGroupOptions {
  meeting: MeetingRoom;
  codec: OfferedAudio['codec'];
  excluded: ReadonlySet<number>;
  ffmpegPath: string;
  log: Logger;
  onDied(detail: string): void;
}

export class MixGroup {
  /** Rooms that want this mix or still hear it (the group lives while there are any). */
  readonly users = new Set<MixOutlet>();
  private transport?: types.DirectTransport;
  private mix?: AudioMix;
  private hearing: (types.Consumer | null)[] = [];
  private readonly follows = new SerialQueue();
  private stopped = false;
  private producing!: () => void;
  private failed!: (err: Error) => void;
  /** Resolves at the mix's first packet: a room moves to it then, not before. */
  readonly ready = new Promise<void>((resolve, reject) => {
    this.producing = resolve;
    this.failed = reject;
  });

  constructor(readonly options: MixGroupOptions) {
    this.ready.catch(() => {});
  }

  get excluded(): ReadonlySet<number> {
    return this.options.excluded;
  }

  get pid(): number | undefined {
    return this.mix?.pid;
  }

  async start(): Promise<void> {
    const { meeting, codec, ffmpegPath } = this.options;
    const router = await meeting.planes.homeRouter();
    this.transport = await router.createDirectTransport({ maxMessageSize: 262_144 });
    this.transport.observer.once('close', () => this.lostRouter());
    const inputs = 1 + meeting.slots.count;
    this.hearing = Array.from({ length: inputs }, () => null);
    this.mix = new AudioMix({
      inputs,
      codec,
      ffmpegPath,
      onPacket: (packet) => {
        this.producing();
        for (const outlet of this.users) if (outlet.group === this) outlet.send(packet);
      },
      onDied: (detail) => {
        this.failed(new Error(detail));
        this.options.onDied(detail);
      },
    });
    await this.mix.start();
    if (this.stopped) await this.stop();
    else await this.follow();
  }

  /** Brings the mix's inputs in step with the meeting (a new chair microphone, slots re-created). */
  follow(): Promise<void> {
    return this.follows.run(async () => {
      if (this.stopped) return;
      const wanted = heardProducers(this.options.meeting, '').map((id, index) =>
        index > 0 && this.excluded.has(index - 1) ? null : id,
      );
      for (const [index, producerId] of wanted.entries()) await this.input(index, producerId);
    });
  }

  private async input(index: number, producerId: string | null): Promise<void> {
    const { meeting } = this.options;
    const current = this.hearing[index];
    if ((current?.producerId ?? null) === producerId && !current?.closed) return;
    current?.close();
    this.hearing[index] = null;
    if (!producerId || !this.transport) return;
    const owner = index === 0 ? [...meeting.sites.values()].find((s) => s.producers.has(producerId)) : undefined;
    await meeting.planes.pipe(
      producerId,
      owner ? owner.workerIndex : meeting.planes.homeIndex,
      meeting.planes.homeIndex,
    );
    const consumer = await this.transport.consume({
      producerId,
      rtpCapabilities: { codecs: meeting.planes.rtpCapabilities.codecs?.filter((c) => c.kind === 'audio') },
    });
    this.hearing[index] = consumer;
    consumer.on('rtp', (packet) => this.mix?.push(index, packet));
    consumer.on('producerclose', () => consumer.close());
  }

  /** The transport closed although nobody stopped the group: its worker died. */
  private lostRouter(): void {
    if (this.stopped) return;
    const detail = 'its router closed (the worker died)';
    this.failed(new Error(detail));
    this.options.onDied(detail);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.failed(new Error('mix stopped'));
    await this.mix?.stop();
    this.transport?.close();
  }
}
