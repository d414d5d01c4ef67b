// A room system that encrypts its media (SRTP-SDES), with real parts: a hub
// with SIP_SRTP=require, the chair's page in Chromium, Debian's baresip with
// its srtp module (`mediaenc=srtp-mand`: RTP/SAVP with a=crypto, nothing else):
//   a plain-RTP room is refused with 488 and the meeting is unchanged;
//   the encrypting room dials in: the answer is RTP/SAVP with the hub's own
//   keys; the chair's page decodes its picture and hears its tone; baresip's
//   WAV of the chair is not silent and its snapshot is written;
//   on the wire (a packet capture on loopback): the picture both ways is not
//   readable H.264, and what the hub sends the room (picture and sound)
//   authenticates and decrypts with the answer's keys — to H.264 NAL units;
//   a plain RTP packet sent to the room's video port from elsewhere is
//   dropped: the hub keeps sending the picture to the room, not to the sender.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import * as sdpTransform from 'sdp-transform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { SrtpContext, type SrtpSuite } from '../../sfu/sip/srtp.ts';
import { login as apiLogin, bookMeetingNow } from '../helpers/api.ts';
import { type Baresip, baresipUnavailable, startBaresip, wavLevel } from '../helpers/baresip.ts';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  DEMO,
  ensureClientBuilt,
  heardTones,
  newPage,
  openChairConsole,
  toneMicrophone,
  waitFor,
} from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { sipPortBlock } from '../helpers/ports.ts';
import { reportSkip } from '../helpers/skip.ts';
import { type SnoopedDatagram, snoopUdp, snoopUnavailable } from '../helpers/udpSnoop.ts';

const unavailable = baresipUnavailable() ?? snoopUnavailable();
reportSkip('SIP room systems over SRTP', unavailable);

const ports = sipPortBlock();
const SECRETARIAT = { login: 'vanphong.tinh', password: 'vanphong123' };
const ADMIN = { login: 'admin', password: 'admin123' };
const SIP_ROOM = DEMO.rooms[0].roomId;
const CHAIR_TONE = 350;
const ROOM_TONE = 1000;
const QUIET = 1700;

/** Whether a payload's first byte reads as an H.264 NAL header a room sends (RFC 6184: F=0; slice, IDR, SEI, SPS, PPS, STAP-A, FU-A). */
function looksLikeH264(payload: Buffer): boolean {
  const byte = payload[0] as number;
  return (byte & 0x80) === 0 && [1, 5, 6, 7, 8, 24, 28].includes(byte & 0x1f);
}

/** The RTP payload of a clear packet (after the header, CSRCs and extension). */
function rtpPayload(packet: Buffer): Buffer {
  const first = packet[0] as number;
  let at = 12 + (first & 0x0f) * 4;
  if (first & 0x10) at += 4 + packet.readUInt16BE(at + 2) * 4;
  return packet.subarray(at);
}

function isRtp(packet: Buffer): boolean {
  const type = packet[1] as number;
  return packet.length > 12 && (packet[0] as number) >> 6 === 2 && !(type >= 192 && type <= 223);
}

/** The answer's m-line of `type`: its port, payload type and the hub's SRTP suite and key. */
function answered(
  answer: string,
  type: 'audio' | 'video',
): { port: number; pt: number; suite: SrtpSuite; key: Buffer } {
  const m = sdpTransform.parse(answer).media.find((media) => media.type === type);
  const crypto = m?.crypto?.[0];
  if (!m || !crypto) throw new Error(`no SRTP ${type} in the answer`);
  return {
    port: m.port,
    pt: Number(m.payloads),
    suite: crypto.suite as SrtpSuite,
    key: Buffer.from(crypto.config.replace(/^inline:/, '').split('|')[0] as string, 'base64'),
  };
}

function framesDecoded(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let frames = 0;
    for (const pc of (window as unknown as { __pcs?: RTCPeerConnection[] }).__pcs ?? []) {
      if (pc.connectionState === 'closed') continue;
      (await pc.getStats()).forEach((s: Record<string, unknown>) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video') frames += Number(s.framesDecoded ?? 0);
      });
    }
    return frames;
  });
}

describe.skipIf(unavailable)('SIP room systems over SRTP', () => {
  let hub: Hub;
  let browser: Browser;
  let chair: Page;
  let meetingId: string;
  const phones: Baresip[] = [];

  function dial(endpoint: number, encrypted: boolean): Baresip {
    const phone = startBaresip({
      sipPort: ports.endpoints[endpoint] as number,
      rtpPorts: ports.endpointRtp[endpoint] as [number, number],
      user: 'room1',
      password: 'secret123',
      dial: `sip:${meetingId}@127.0.0.1:${ports.hub}`,
      toneHz: ROOM_TONE,
      audioCodecs: ['G722'],
      ...(encrypted && { mediaEncryption: 'srtp-mand' as const }),
    });
    phones.push(phone);
    return phone;
  }

  beforeAll(async () => {
    ensureClientBuilt();
    hub = await startTestHub({
      DEMO_DATA: 'true',
      SIP_PORT: String(ports.hub),
      SIP_SRTP: 'require',
    });
    const admin = await apiLogin(hub, ADMIN);
    const set = await admin.call('PUT', `/api/rooms/${SIP_ROOM}/sip`, { user: 'room1', password: 'secret123' });
    expect(set.status).toBe(200);
    const secretariat = await apiLogin(hub, SECRETARIAT);
    meetingId = await bookMeetingNow(secretariat, 'Họp có điểm cầu SIP mã hoá', DEMO.chairRoomId, [SIP_ROOM]);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    ({ page: chair } = await newPage(browser, { initScripts: [toneMicrophone(CHAIR_TONE)], label: 'chair' }));
    await openChairConsole(chair, hub.url, DEMO.chair, meetingId);
    await waitFor('the chair in the meeting', async () => hub.meetings.get(meetingId)?.sites.has(DEMO.chairRoomId));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(phones.map((phone) => phone.stop()));
    await browser?.close();
    await hub?.close();
  }, 60_000);

  it('refuses a plain-RTP room with 488 when SRTP is required', { timeout: 60_000 }, async () => {
    const sitesBefore = hub.meetings.get(meetingId)?.sites.size;
    const plain = dial(0, false);
    await waitFor(
      'the plain call refused',
      async () => /488 Not Acceptable Here \(SRTP required\)/.test(plain.output()),
      15_000,
    );
    expect(hub.meetings.get(meetingId)?.sites.size).toBe(sitesBefore);
    expect(hub.sip?.legs()).toEqual([]);
    await plain.stop();
  });

  it('takes part over SRTP with picture and sound both ways', { timeout: 120_000 }, async () => {
    const phone = dial(1, true);
    const answer = await waitFor(
      'the SRTP room’s call answered',
      async () => hub.sip?.legs().find((leg) => leg.siteId === SIP_ROOM)?.answer,
      20_000,
    );
    const media = sdpTransform.parse(answer).media;
    expect(media.filter((m) => m.port !== 0).map((m) => m.protocol)).toEqual(['RTP/SAVP', 'RTP/SAVP']);

    const before = await framesDecoded(chair);
    await waitFor(
      'the room’s picture decoded by the chair',
      async () => (await framesDecoded(chair)) > before + 20,
      20_000,
    );
    await waitFor(
      'the room’s tone at the chair',
      async () => {
        const [tone, floor] = await heardTones(chair, [ROOM_TONE, QUIET], 1500);
        return (tone as number) > (floor as number) + 20;
      },
      20_000,
    );
    await waitFor(
      'the chair heard in baresip’s WAV',
      async () => {
        const wav = phone.heardWav();
        return wav !== null && wavLevel(wav) > -50;
      },
      20_000,
    );
    const snapshot = path.join(phone.dir, 'received.png');
    await waitFor(
      'baresip’s snapshot of the chair’s picture',
      async () => {
        phone.snapshotReceived(snapshot);
        await new Promise((r) => setTimeout(r, 500));
        return fs.existsSync(snapshot) && fs.statSync(snapshot).size > 1000;
      },
      20_000,
      0,
    );
  });

  it('carries nothing readable on the wire, and drops what the room did not encrypt', { timeout: 60_000 }, async () => {
    const answer = hub.sip?.legs().find((leg) => leg.siteId === SIP_ROOM)?.answer ?? '';
    const video = answered(answer, 'video');
    const audio = answered(answer, 'audio');
    const [roomLow, roomHigh] = ports.endpointRtp[1] as [number, number];
    const roomPorts = Array.from({ length: roomHigh - roomLow + 1 }, (_, i) => roomLow + i);
    const snoop = await snoopUdp([video.port, ...roomPorts]);
    await new Promise((r) => setTimeout(r, 3000));

    // A plain RTP packet from elsewhere to the room's video port: dropped, and the picture still goes to the room.
    const { default: dgram } = await import('node:dgram');
    const intruder = dgram.createSocket('udp4');
    const received: Buffer[] = [];
    intruder.on('message', (packet) => received.push(packet));
    const forged = Buffer.alloc(40);
    forged.writeUInt16BE(0x8000 | video.pt, 0);
    forged.writeUInt32BE(0x1234_5678, 8);
    await new Promise<void>((resolve) => intruder.bind(0, '127.0.0.1', () => resolve()));
    intruder.send(forged, video.port, '127.0.0.1');
    await new Promise((r) => setTimeout(r, 1000));
    snoop.stop();
    intruder.close();
    expect(received).toEqual([]);

    const rtp = (filter: (d: SnoopedDatagram) => boolean) =>
      snoop.datagrams.filter((d) => filter(d) && isRtp(d.payload)).map((d) => d.payload);
    const roomPictures = rtp((d) => d.to === video.port && roomPorts.includes(d.from));
    const hubPictures = rtp((d) => d.from === video.port && roomPorts.includes(d.to));
    const hubSound = rtp((d) => roomPorts.includes(d.to) && ((d.payload[1] as number) & 0x7f) === audio.pt);
    expect(roomPictures.length).toBeGreaterThan(20);
    expect(hubPictures.length).toBeGreaterThan(20);
    expect(hubSound.length).toBeGreaterThan(50);

    // Ciphertext: a payload's first byte reads as an H.264 NAL header about 1 time in 9 by chance, always in clear.
    const readable = (packets: Buffer[]) => packets.filter((p) => looksLikeH264(rtpPayload(p))).length / packets.length;
    expect(readable(roomPictures)).toBeLessThan(0.5);
    expect(readable(hubPictures)).toBeLessThan(0.5);

    // The answer's keys open what the hub sends: every packet authenticates, the picture is H.264 inside.
    const pictureKey = new SrtpContext(video.suite, video.key);
    const clearPictures = hubPictures.map((p) => pictureKey.unprotectRtp(p));
    expect(clearPictures.every((p) => p !== null)).toBe(true);
    expect(readable(clearPictures as Buffer[])).toBe(1);
    const soundKey = new SrtpContext(audio.suite, audio.key);
    expect(hubSound.every((p) => soundKey.unprotectRtp(p) !== null)).toBe(true);

    // The call goes on: the forged packet moved nothing.
    expect(hub.meetings.get(meetingId)?.sites.has(SIP_ROOM)).toBe(true);
  });
});
