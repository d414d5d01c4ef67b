// What one room system hears, as it arrives at the room: the packets of the
// mix its leg is in (sfu/sip/MixGroup.ts), renumbered as one stream of the
// room's own — its SSRC, a sequence without jumps, a timestamp that goes on
// where it stopped, the payload type the room offered — so that moving the leg
// to another mix (it starts or stops feeding an audio slot) is, for the room,
// the same stream going on. Over SRTP, each packet is encrypted here with the
// hub's key for the call's audio (sfu/sip/srtp.ts).
import dgram from 'node:dgram';
import { rewriteHeader, timestamp } from '../rtpHeader.ts';
import type { MixGroup } from './MixGroup.ts';
import { FRAME_MS } from './PacedStream.ts';
import { srtpContexts } from './sdes.ts';
import type { OfferedAudio } from './sdpOffer.ts';
import type { SrtpContext } from './srtp.ts';

export class MixOutlet {
  private readonly socket = dgram.createSocket('udp4');
  private seq = Math.floor(Math.random() * 0x10000);
  private lastTs = Math.floor(Math.random() * 0x1_0000_0000);
  /** Added to the mix's timestamps; set anew at each packet after a change of mix. */
  private tsOffset: number | null = null;
  /** The mix this room hears now; null: silence (between two mixes). */
  group: MixGroup | null = null;
  /** The key of the mix the leg should be in (set before the mix is ready). */
  wantedKey = '';
  /** The SSRC the room system hears the meeting with. */
  readonly ssrc = 1 + Math.floor(Math.random() * 0x7ffffffe);
  packetsSent = 0;
  closed = false;
  private readonly srtp: SrtpContext | null;

  constructor(readonly audio: OfferedAudio) {
    this.socket.on('error', () => {});
    this.srtp = audio.srtp ? srtpContexts(audio.srtp).outbound : null;
  }

  /** From now on the room hears `group` (null: nothing until the next one). */
  hear(group: MixGroup | null): void {
    if (this.group === group) return;
    this.group = group;
    this.tsOffset = null;
  }

  /** A packet of the mix the room hears; `packet` is shared with the other rooms of the mix. */
  send(packet: Buffer): void {
    const out = Buffer.from(packet);
    const sourceTs = timestamp(out);
    // The first packet of a new mix follows the last one of the old, 20 ms on.
    if (this.tsOffset === null) this.tsOffset = this.lastTs + (this.audio.clockRate * FRAME_MS) / 1000 - sourceTs;
    this.lastTs = (sourceTs + this.tsOffset) >>> 0;
    this.seq = (this.seq + 1) & 0xffff;
    rewriteHeader(out, {
      payloadType: this.audio.payloadType,
      sequenceNumber: this.seq,
      timestamp: this.lastTs,
      ssrc: this.ssrc,
      marker: false,
    });
    this.packetsSent++;
    this.socket.send(this.srtp ? this.srtp.protectRtp(out) : out, this.audio.port, this.audio.address);
  }

  close(): void {
    this.closed = true;
    this.group = null;
    this.socket.close();
  }
}
