// A room system's voice into the meeting: its audio (G.722, G.711 or Opus, as
// answered) goes straight to the leg's FFmpeg, which hands the hub Opus RTP and
// the decoded samples; the hub stamps each packet with the level it measured
// (sfu/sip/audioLevel.ts) and sends it as the site's microphone producer on a
// DirectTransport — from there on it is a microphone like a browser's: muted by
// the chair, tapped for the audio slots, shown on the chair's level meters.
// Over SRTP, FFmpeg decrypts the room's audio itself (its SDP input takes the
// room's key in an a=crypto line): that SDP file is the key's only copy on
// disk, readable by the hub's user alone, removed with the call.
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePortPairs } from '../recording/udpPorts.ts';
import { SILENT_LEVEL } from '../rtpHeader.ts';
import { levelOfSamples, withAudioLevel } from './audioLevel.ts';
import { MediaProcess } from './MediaProcess.ts';
import type { OfferedAudio } from './sdpOffer.ts';

/** The Opus payload type FFmpeg sends the hub (the producer's rtpParameters say the same). */
export const UPLINK_PAYLOAD_TYPE = 100;
/** The ssrc-audio-level extension id in the producer's rtpParameters. */
export const UPLINK_LEVEL_EXTENSION_ID = 1;
/** 20 ms of 8 kHz 16-bit mono: the span one level is measured over. */
const LEVEL_CHUNK_BYTES = 320;

export interface AudioUplinkOptions {
  audio: OfferedAudio;
  ffmpegPath: string;
  /** An Opus packet of the room's voice, its level stamped. */
  onPacket(packet: Buffer): void;
  onDied(detail: string): void;
}

export class AudioUplink {
  private process?: MediaProcess;
  private socket?: dgram.Socket;
  private level = SILENT_LEVEL;
  private pcm = Buffer.alloc(0);
  private sdpFile = '';
  /** Stopped (the call ended) perhaps while still starting: nothing may be spawned after. */
  private stopped = false;
  /** The SSRC FFmpeg sends with. */
  readonly ssrc = 1 + Math.floor(Math.random() * 0x7ffffffe);
  /** When the room's voice last arrived (epoch ms): a call that went quiet for good is taken for gone. */
  lastPacketAt = Date.now();
  /** The port the room system sends its audio to (FFmpeg's). */
  port = 0;

  constructor(private readonly options: AudioUplinkOptions) {}

  get pid(): number | undefined {
    return this.process?.pid;
  }

  async start(): Promise<void> {
    const socket = dgram.createSocket('udp4');
    this.socket = socket;
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.on('message', (packet) => {
      this.lastPacketAt = Date.now();
      this.options.onPacket(withAudioLevel(packet, UPLINK_LEVEL_EXTENSION_ID, this.level));
    });
    const [port] = await freePortPairs(1);
    this.port = port as number;
    this.sdpFile = path.join(os.tmpdir(), `diemcau-sip-up-${this.ssrc}.sdp`);
    fs.writeFileSync(this.sdpFile, inputSdp(this.options.audio, this.port), { mode: 0o600 });
    if (this.stopped) {
      await this.stop();
      return;
    }
    this.process = new MediaProcess({
      ffmpegPath: this.options.ffmpegPath,
      args: this.args(socket.address().port),
      onDied: (detail) => this.options.onDied(detail),
    });
    this.process.stdout.on('data', (chunk: Buffer) => this.measure(chunk));
  }

  private args(nodePort: number): string[] {
    // biome-ignore format: one option per line reads better
    return [
      '-hide_banner', '-nostdin', '-loglevel', 'warning',
      '-protocol_whitelist', 'file,udp,rtp',
      '-fflags', 'nobuffer', '-max_delay', '100000', '-analyzeduration', '0', '-probesize', '32',
      '-i', this.sdpFile,
      '-map', '0:a', '-c:a', 'libopus', '-application', 'voip', '-b:a', '40k', '-ar', '48000', '-ac', '2',
      '-payload_type', String(UPLINK_PAYLOAD_TYPE), '-ssrc', String(this.ssrc),
      '-f', 'rtp', `rtp://127.0.0.1:${nodePort}`,
      '-map', '0:a', '-ac', '1', '-ar', '8000', '-f', 's16le', 'pipe:1',
    ];
  }

  private measure(chunk: Buffer): void {
    this.pcm = Buffer.concat([this.pcm, chunk]);
    while (this.pcm.length >= LEVEL_CHUNK_BYTES) {
      this.level = levelOfSamples(this.pcm.subarray(0, LEVEL_CHUNK_BYTES));
      this.pcm = this.pcm.subarray(LEVEL_CHUNK_BYTES);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.process?.stop();
    this.socket?.close();
    this.socket = undefined;
    fs.rmSync(this.sdpFile, { force: true });
  }
}

/** What FFmpeg reads: the room's audio on `port`, in the answered codec. */
function inputSdp(audio: OfferedAudio, port: number): string {
  const channels = audio.codec === 'opus' ? '/2' : '';
  const crypto = audio.srtp
    ? [`a=crypto:1 ${audio.srtp.crypto.suite} inline:${audio.srtp.crypto.roomKey.toString('base64')}`]
    : [];
  return `${[
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=diemcau sip uplink',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} ${audio.srtp ? 'RTP/SAVP' : 'RTP/AVP'} ${audio.payloadType}`,
    `a=rtpmap:${audio.payloadType} ${audio.codec}/${audio.clockRate}${channels}`,
    ...crypto,
    'a=recvonly',
  ].join('\r\n')}\r\n`;
}
