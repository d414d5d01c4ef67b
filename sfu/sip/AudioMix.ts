// One FFmpeg mixing what room systems hear: the chair's microphone and the
// meeting's audio slots (contract/receivePlan.ts), in one codec a room takes.
// Its mix group (sfu/sip/MixGroup.ts) consumes those streams and hands each
// packet here; each goes on, paced and with silence filled in
// (sfu/sip/PacedStream.ts), to FFmpeg, which mixes them, encodes the mix and
// sends it back to the hub (`onPacket`), which sends it on to every room of the
// group under that room's own numbering (sfu/sip/MixOutlet.ts).
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePortPairs } from '../recording/udpPorts.ts';
import { MediaProcess } from './MediaProcess.ts';
import { FRAME_MS, PacedStream } from './PacedStream.ts';
import type { OfferedAudio } from './sdpOffer.ts';

/** The payload type of the paced Opus streams FFmpeg reads. */
const INPUT_PAYLOAD_TYPE = 111;

/** FFmpeg's encoder, sample rate and the payload type it sends the hub, for each codec a room may take. */
const ENCODERS: Record<OfferedAudio['codec'], { encoder: string[]; rate: number; payloadType: number }> = {
  G722: { encoder: ['-c:a', 'g722'], rate: 16000, payloadType: 9 },
  opus: { encoder: ['-c:a', 'libopus', '-application', 'voip', '-b:a', '40k'], rate: 48000, payloadType: 112 },
  PCMU: { encoder: ['-c:a', 'pcm_mulaw'], rate: 8000, payloadType: 0 },
  PCMA: { encoder: ['-c:a', 'pcm_alaw'], rate: 8000, payloadType: 8 },
};

export interface AudioMixOptions {
  /** How many streams are mixed (the chair's microphone and the K slots). */
  inputs: number;
  codec: OfferedAudio['codec'];
  ffmpegPath: string;
  /** A packet of the mix (RTP, the codec's static payload type or 112 for Opus). */
  onPacket(packet: Buffer): void;
  onDied(detail: string): void;
}

export class AudioMix {
  private process?: MediaProcess;
  private socket?: dgram.Socket;
  private streams: PacedStream[] = [];
  private ticker?: NodeJS.Timeout;
  private sdpFile = '';
  /** Stopped (the call ended) perhaps while still starting: nothing may be spawned after. */
  private stopped = false;
  private readonly ssrc = 1 + Math.floor(Math.random() * 0x7ffffffe);

  constructor(private readonly options: AudioMixOptions) {}

  get pid(): number | undefined {
    return this.process?.pid;
  }

  async start(): Promise<void> {
    const socket = dgram.createSocket('udp4');
    this.socket = socket;
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const { payloadType } = ENCODERS[this.options.codec];
    // FFmpeg's RTCP (its reports, sent to the same port) is not the mix.
    socket.on('message', (packet) => {
      if (packet.length > 12 && ((packet[1] as number) & 0x7f) === payloadType) this.options.onPacket(packet);
    });
    const ports = await freePortPairs(this.options.inputs);
    this.streams = ports.map((port) => new PacedStream(socket, port, INPUT_PAYLOAD_TYPE));
    this.sdpFile = path.join(os.tmpdir(), `diemcau-sip-mix-${this.ssrc}.sdp`);
    fs.writeFileSync(this.sdpFile, inputSdp(ports));
    if (this.stopped) {
      await this.stop();
      return;
    }
    this.process = new MediaProcess({
      ffmpegPath: this.options.ffmpegPath,
      args: this.args(socket.address().port),
      onDied: (detail) => this.options.onDied(detail),
    });
    this.pace();
  }

  /** A packet of input `index` (0: the chair's microphone, 1 + i: slot i). */
  push(index: number, packet: Buffer): void {
    this.streams[index]?.push(packet);
  }

  /** One frame per input every 20 ms, on the wall clock: timers run late, frames do not fall behind. */
  private pace(): void {
    const started = performance.now();
    let sent = 0;
    this.ticker = setInterval(() => {
      const due = Math.floor((performance.now() - started) / FRAME_MS);
      // After a long stall the backlog is not replayed: the mix just goes on.
      if (due - sent > 10) sent = due - 1;
      for (; sent < due; sent++) for (const stream of this.streams) stream.tick();
    }, FRAME_MS / 2);
  }

  private args(hubPort: number): string[] {
    const { codec, inputs } = this.options;
    const { encoder, rate, payloadType } = ENCODERS[codec];
    const labels = Array.from({ length: inputs }, (_, i) => `[0:${i}]`).join('');
    // 20 ms packets whatever the encoder's own frame size.
    const mix = `${labels}amix=inputs=${inputs}:normalize=0:dropout_transition=0,aresample=${rate},aformat=channel_layouts=mono,asetnsamples=n=${(rate * FRAME_MS) / 1000}:p=0`;
    // biome-ignore format: one option per line reads better
    return [
      '-hide_banner', '-nostdin', '-loglevel', 'warning',
      '-protocol_whitelist', 'file,udp,rtp',
      '-fflags', 'nobuffer', '-max_delay', '100000', '-analyzeduration', '0', '-probesize', '32',
      '-i', this.sdpFile,
      '-filter_complex', mix,
      ...encoder, '-ar', String(rate), '-ac', '1',
      '-payload_type', String(payloadType), '-ssrc', String(this.ssrc),
      '-f', 'rtp', `rtp://127.0.0.1:${hubPort}?rtcpport=${hubPort}&pkt_size=1200`,
    ];
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.ticker);
    await this.process?.stop();
    this.socket?.close();
    this.socket = undefined;
    fs.rmSync(this.sdpFile, { force: true });
  }
}

function inputSdp(ports: number[]): string {
  const lines = ['v=0', 'o=- 0 0 IN IP4 127.0.0.1', 's=diemcau sip mix', 'c=IN IP4 127.0.0.1', 't=0 0'];
  for (const port of ports) {
    lines.push(
      `m=audio ${port} RTP/AVP ${INPUT_PAYLOAD_TYPE}`,
      `a=rtpmap:${INPUT_PAYLOAD_TYPE} opus/48000/2`,
      'a=recvonly',
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
