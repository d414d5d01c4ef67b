// The room system's video port, held by the hub: packets pass both ways
// between the room and the leg's mediasoup PlainTransport (on loopback), as
// they are, except one thing — the picture the room receives is renumbered
// to the payload type the room offered. mediasoup sends every consumer with
// the router's payload type (its H.264 is not the 96, 97, 109 or 126 a room
// system chose), and a room drops packets of a type it did not offer. RTCP
// passes untouched, so the room's PLI/FIR/NACK reach mediasoup as if it were
// connected straight.
//   room ─► outer socket (the port the answer names) ─► inner socket ─► mediasoup
//   room ◄─ outer socket (payload type rewritten)     ◄─ inner socket ◄─ mediasoup
// Where the room sends from is learned from its first packet (it may sit
// behind NAT); until then the offer's address is used.
// Over SRTP (the room offered RTP/SAVP), the relay is where the room's side
// is encrypted: what the room sends is authenticated and decrypted with the
// room's key before it goes on (a packet that does not authenticate is dropped,
// and does not move where the relay sends to), what it receives is encrypted
// with the hub's key after the payload type is rewritten (SRTP's tag covers the
// header, so mediasoup's own SRTP behind the relay could not be used).
import dgram from 'node:dgram';
import { srtpContexts } from './sdes.ts';
import type { OfferedVideo } from './sdpOffer.ts';
import type { SrtpContext } from './srtp.ts';

interface Pair {
  outer: dgram.Socket;
  inner: dgram.Socket;
  /** Where the room receives (the offer's, then where it sends from). */
  room: { address: string; port: number };
  /** mediasoup's side: the PlainTransport's port. */
  mediasoupPort: number;
}

function bound(address: string): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  socket.on('error', () => {});
  return new Promise((resolve) => socket.bind(0, address, () => resolve(socket)));
}

/** RTCP packet types 192–223 (RFC 5761 §4): where RTP and RTCP share a port, these are not RTP. */
function isRtcp(packet: Buffer): boolean {
  const type = packet[1] as number;
  return type >= 192 && type <= 223;
}

export class VideoRelay {
  private rtp?: Pair;
  private rtcp?: Pair;
  private readonly srtp: { inbound: SrtpContext; outbound: SrtpContext } | null;

  private constructor(private readonly video: OfferedVideo) {
    this.srtp = video.srtp ? srtpContexts(video.srtp) : null;
  }

  /** Opens the room-facing sockets on `listenIp` and the loopback ones facing mediasoup. */
  static async open(video: OfferedVideo, listenIp: string): Promise<VideoRelay> {
    const relay = new VideoRelay(video);
    relay.rtp = await relay.pair(listenIp, video.port, true);
    if (!video.rtcpMux) relay.rtcp = await relay.pair(listenIp, video.port + 1, false);
    return relay;
  }

  /** The ports the answer names (RTP, and RTCP unless muxed). */
  get ports(): { port: number; rtcpPort: number } {
    return { port: this.rtp?.outer.address().port ?? 0, rtcpPort: this.rtcp?.outer.address().port ?? 0 };
  }

  /** The loopback ports mediasoup's transport sends to (RTP, RTCP). */
  get innerPorts(): { port: number; rtcpPort: number | undefined } {
    return { port: this.rtp?.inner.address().port ?? 0, rtcpPort: this.rtcp?.inner.address().port };
  }

  /** mediasoup's transport is listening on these loopback ports. */
  connect(port: number, rtcpPort: number | undefined): void {
    if (this.rtp) this.rtp.mediasoupPort = port;
    if (this.rtcp && rtcpPort) this.rtcp.mediasoupPort = rtcpPort;
  }

  private async pair(listenIp: string, roomPort: number, carriesRtp: boolean): Promise<Pair> {
    const pair: Pair = {
      outer: await bound(listenIp),
      inner: await bound('127.0.0.1'),
      room: { address: this.video.address, port: roomPort },
      mediasoupPort: 0,
    };
    pair.outer.on('message', (packet, from) => {
      const clear = this.fromRoom(packet, carriesRtp);
      if (!clear) return;
      pair.room = { address: from.address, port: from.port };
      if (pair.mediasoupPort) pair.inner.send(clear, pair.mediasoupPort, '127.0.0.1');
    });
    pair.inner.on('message', (packet) => {
      if (packet.length < 8) return;
      const rtp = carriesRtp && packet.length >= 12 && !isRtcp(packet);
      if (rtp) packet[1] = ((packet[1] as number) & 0x80) | (this.video.payloadType & 0x7f);
      pair.outer.send(this.toRoom(packet, rtp), pair.room.port, pair.room.address);
    });
    return pair;
  }

  /** A packet from the room in clear, or null when it is not RTP/RTCP of the room's (SRTP that fails). */
  private fromRoom(packet: Buffer, carriesRtp: boolean): Buffer | null {
    if (packet.length < 8) return null;
    if (!this.srtp) return packet;
    const { inbound, outbound } = this.srtp;
    if (carriesRtp && packet.length >= 12 && !isRtcp(packet)) return inbound.unprotectRtp(packet);
    const clear = inbound.unprotectRtcp(packet);
    // The room's SRTCP tag length (sfu/sip/srtp.ts) is the one it reads.
    outbound.rtcpTagBytes = inbound.rtcpTagBytes;
    return clear;
  }

  private toRoom(packet: Buffer, rtp: boolean): Buffer {
    if (!this.srtp) return packet;
    return rtp ? this.srtp.outbound.protectRtp(packet) : this.srtp.outbound.protectRtcp(packet);
  }

  close(): void {
    for (const pair of [this.rtp, this.rtcp]) {
      pair?.outer.close();
      pair?.inner.close();
    }
  }
}
