// The hub's SRTP (sfu/sip/srtp.ts) against another implementation, FFmpeg's
// (libavformat/srtp.c), both ways and with both suites:
//   FFmpeg sends G.722 over SRTP (and its SRTCP sender report): every packet
//   authenticates and decrypts to the RTP FFmpeg made; one bit changed and it
//   is refused;
//   the hub's SRTP encrypts those packets again (playing a room, with the
//   room's key of an offer) and sends them to a leg's voice-in FFmpeg
//   (AudioUplink, given that key in its SDP): it decodes them into Opus for
//   the meeting.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { AudioUplink } from '../../sfu/sip/AudioUplink.ts';
import { mediumSrtp } from '../../sfu/sip/sdes.ts';
import type { OfferedAudio } from '../../sfu/sip/sdpOffer.ts';
import { SRTP_SUITES, SrtpContext, type SrtpSuite } from '../../sfu/sip/srtp.ts';
import { waitFor } from '../helpers/browser.ts';

const G722 = 9;

async function socketOnFreePort(): Promise<dgram.Socket> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

describe('SRTP', () => {
  const children: ChildProcess[] = [];
  const sockets: dgram.Socket[] = [];
  const uplinks: AudioUplink[] = [];

  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    for (const socket of sockets.splice(0)) socket.close();
    await Promise.all(uplinks.splice(0).map((uplink) => uplink.stop()));
  });

  /** FFmpeg sending a 1 kHz tone in G.722 over SRTP to `port` (RTCP to port + 1). */
  function ffmpegSending(suite: SrtpSuite, key: Buffer, port: number): void {
    // biome-ignore format: one option per line reads better
    const child = spawn('ffmpeg', [
      '-hide_banner', '-loglevel', 'error', '-re',
      '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=16000',
      '-c:a', 'g722', '-ar', '16000', '-ac', '1', '-payload_type', String(G722),
      '-f', 'rtp', '-srtp_out_suite', suite, '-srtp_out_params', key.toString('base64'),
      `srtp://127.0.0.1:${port}?rtcpport=${port + 1}`,
    ]);
    children.push(child);
  }

  for (const suite of SRTP_SUITES) {
    it(`reads FFmpeg's SRTP and SRTCP and writes SRTP FFmpeg reads (${suite})`, { timeout: 30_000 }, async () => {
      const roomKey = randomBytes(30);
      const rtp = await socketOnFreePort();
      sockets.push(rtp);
      const rtcp = dgram.createSocket('udp4');
      sockets.push(rtcp);
      await new Promise<void>((resolve) => rtcp.bind(rtp.address().port + 1, '127.0.0.1', resolve));
      const fromRoom = new SrtpContext(suite, roomKey);
      const clear: Buffer[] = [];
      let refused = 0;
      let tamperedRefused = false;
      let report: Buffer | null = null;
      rtp.on('message', (packet) => {
        const tampered = Buffer.from(packet);
        tampered[20] = (tampered[20] as number) ^ 1;
        if (clear.length === 5) tamperedRefused = new SrtpContext(suite, roomKey).unprotectRtp(tampered) === null;
        const out = fromRoom.unprotectRtp(packet);
        if (out) clear.push(out);
        else refused++;
      });
      rtcp.on('message', (packet) => {
        report = fromRoom.unprotectRtcp(packet) ?? report;
      });
      ffmpegSending(suite, roomKey, rtp.address().port);
      await waitFor('FFmpeg’s SRTP decrypted', async () => clear.length >= 50 && report !== null, 15_000);
      expect(refused).toBe(0);
      expect(tamperedRefused).toBe(true);
      expect((clear[0]?.[1] as number) & 0x7f).toBe(G722);
      expect(report?.[1]).toBe(200); // a sender report, in clear

      // Node's SRTP as the room's: what it encrypts, the voice-in FFmpeg of a leg decrypts.
      const offered = { codec: 'G722', payloadType: G722, clockRate: 8000, channels: 1, address: '127.0.0.1', port: 0 };
      const srtp = mediumSrtp({ tag: 1, suite, roomKey: randomBytes(30) });
      const audio: OfferedAudio = { ...offered, codec: 'G722', protocol: 'RTP/SAVP', srtp };
      const toHub = new SrtpContext(suite, srtp.crypto.roomKey);
      let opus = 0;
      const uplink = new AudioUplink({
        audio,
        ffmpegPath: 'ffmpeg',
        onPacket: () => {
          opus++;
        },
        onDied: (detail) => {
          throw new Error(`voice-in FFmpeg died: ${detail}`);
        },
      });
      uplinks.push(uplink);
      await uplink.start();
      const sender = await socketOnFreePort();
      sockets.push(sender);
      const pending = [...clear];
      rtp.removeAllListeners('message');
      rtp.on('message', (packet) => {
        const out = fromRoom.unprotectRtp(packet);
        if (out) pending.push(out);
      });
      const pump = setInterval(() => {
        const next = pending.shift();
        if (next) sender.send(toHub.protectRtp(next), uplink.port, '127.0.0.1');
      }, 20);
      try {
        await waitFor('the voice-in FFmpeg decoding the hub’s SRTP', async () => opus >= 25, 15_000);
      } finally {
        clearInterval(pump);
      }
    });
  }
});
