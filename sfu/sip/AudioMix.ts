// What a room system hears: one audio stream, the mix of what a browser site
// hears (contract/receivePlan.ts) — the chair's microphone and the meeting's
// audio slots, never its own voice (AudioSlots pauses its consumer of a slot
// it feeds, as for any site). The leg consumes those streams on a
// DirectTransport and hands each packet here; each goes on, paced and with
// silence filled in (sfu/sip/PacedStream.ts), to the leg's FFmpeg, which mixes
// them and encodes the mix in the codec the room system offered, straight to it.
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

/** FFmpeg's encoder and sample rate for each codec a room may take. */
const ENCODERS: Record<OfferedAudio['codec'], { encoder: string[]; rate: number }> = {
  G722: { encoder: ['-c:a', 'g722'], rate: 16000 },
  opus: { encoder: ['-c:a', 'libopus', '-application', 'voip', '-b:a', '40k'], rate: 48000 },
  PCMU: { encoder: ['-c:a', 'pcm_mulaw'], rate: 8000 },
  PCMA: { encoder: ['-c:a', 'pcm_alaw'], rate: 8000 },
};

export interface AudioMixOptions {
  /** How many streams are mixed (the chair's microphone and the K slots). */
  inputs: number;
  /** The room system's audio: where to, in what codec. */
  audio: OfferedAudio;
  ffmpegPath: string;
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
  /** The SSRC the room system hears the mix with. */
  readonly ssrc = 1 + Math.floor(Math.random() * 0x7ffffffe);

  constructor(private readonly options: AudioMixOptions) {}

  get pid(): number | undefined {
    return this.process?.pid;
  }

  async start(): Promise<void> {
    const socket = dgram.createSocket('udp4');
    this.socket = socket;
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
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
      args: this.args(),
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

  private args(): string[] {
    const { audio, inputs } = this.options;
    const { encoder, rate } = ENCODERS[audio.codec];
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
      '-payload_type', String(audio.payloadType), '-ssrc', String(this.ssrc),
      '-f', 'rtp', `rtp://${audio.address}:${audio.port}?pkt_size=1200`,
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
