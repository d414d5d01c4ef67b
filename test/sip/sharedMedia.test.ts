// Room systems share the hub's media work, with real parts: a hub, the
// chair's page in Chromium (a VP8 camera and a 350 Hz tone) and two Debian
// baresip rooms (1000 Hz and 1500 Hz tones, H.264, G.722):
//   both rooms show the chair's picture through ONE FFmpeg adapter (one
//   adapter process among the legs, one adapter in the meeting), and both
//   decode it (their snapshots are written);
//   a SIP INFO picture_fast_update, and an RTCP PLI, from a room make a key
//   frame reach it within a second (the adapter's own key frames are 10 s apart);
//   the two rooms muted (feeding no audio slot) share one mix, and each still
//   hears the chair; one room unmuted takes a slot and gets a mix of its own:
//   the other room hears its tone, it does not.
// The suite skips (saying why) only when baresip cannot run here.
import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { sharedSipMedia } from '../../sfu/sip/sipMeetingMedia.ts';
import { login as apiLogin, bookMeetingNow } from '../helpers/api.ts';
import { type Baresip, baresipUnavailable, startBaresip, wavToneLevels } from '../helpers/baresip.ts';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  DEMO,
  ensureClientBuilt,
  newPage,
  openChairConsole,
  toneMicrophone,
  waitFor,
} from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { sipPortBlock } from '../helpers/ports.ts';
import { reportSkip } from '../helpers/skip.ts';

const unavailable = baresipUnavailable();
reportSkip('SIP rooms sharing media', unavailable);

const ports = sipPortBlock();
const SECRETARIAT = { login: 'vanphong.tinh', password: 'vanphong123' };
const ADMIN = { login: 'admin', password: 'admin123' };
const ROOMS = [
  { roomId: DEMO.rooms[0].roomId, user: 'room1', tone: 1000 },
  { roomId: DEMO.rooms[1].roomId, user: 'room2', tone: 1500 },
] as const;
const CHAIR_TONE = 350;

/** Sends `message` to the hub's SIP port and resolves with the first line of its answer. */
async function sipRequest(message: string): Promise<string> {
  const socket = dgram.createSocket('udp4');
  try {
    const answer = new Promise<string>((resolve) =>
      socket.once('message', (m) => resolve(String(m).split('\r\n')[0] ?? '')),
    );
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.send(message.replace('PORT', String(socket.address().port)), ports.hub, '127.0.0.1');
    return await Promise.race([answer, new Promise<string>((r) => setTimeout(() => r('no answer'), 3000))]);
  } finally {
    socket.close();
  }
}

function pictureFastUpdate(callId: string): string {
  const body =
    '<?xml version="1.0" encoding="utf-8" ?><media_control><vc_primitive><to_encoder><picture_fast_update/></to_encoder></vc_primitive></media_control>';
  return [
    `INFO sip:hub@127.0.0.1:${ports.hub} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:PORT;branch=z9hG4bK${Math.random().toString(36).slice(2)}`,
    'From: <sip:room1@127.0.0.1>;tag=room',
    'To: <sip:hub@127.0.0.1>;tag=hub',
    `Call-ID: ${callId}`,
    'CSeq: 900 INFO',
    'Max-Forwards: 70',
    'Content-Type: application/media_control+xml',
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** An RTCP PLI (RFC 4585) for the picture `mediaSsrc`. */
function pli(mediaSsrc: number): Buffer {
  const packet = Buffer.alloc(12);
  packet[0] = 0x81;
  packet[1] = 206;
  packet.writeUInt16BE(2, 2);
  packet.writeUInt32BE(0x1234, 4);
  packet.writeUInt32BE(mediaSsrc, 8);
  return packet;
}

describe.skipIf(unavailable)('SIP rooms sharing media', () => {
  let hub: Hub;
  let browser: Browser;
  let chair: Page;
  let meetingId: string;
  const phones: Baresip[] = [];
  const meeting = () => {
    const open = hub.meetings.get(meetingId);
    if (!open) throw new Error('meeting closed');
    return open;
  };
  const shared = () => {
    const media = sharedSipMedia(meeting());
    if (!media) throw new Error('no SIP media in the meeting');
    return media;
  };
  const legOf = (roomId: string) => hub.sip?.legs().find((l) => l.siteId === roomId);

  beforeAll(async () => {
    ensureClientBuilt();
    hub = await startTestHub({ DEMO_DATA: 'true', SIP_PORT: String(ports.hub) });
    const admin = await apiLogin(hub, ADMIN);
    for (const { roomId, user } of ROOMS) {
      const set = await admin.call('PUT', `/api/rooms/${roomId}/sip`, { user, password: 'secret123' });
      expect(set.status).toBe(200);
    }
    const secretariat = await apiLogin(hub, SECRETARIAT);
    meetingId = await bookMeetingNow(
      secretariat,
      'Họp hai điểm cầu SIP',
      DEMO.chairRoomId,
      ROOMS.map((r) => r.roomId),
    );
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    ({ page: chair } = await newPage(browser, { initScripts: [toneMicrophone(CHAIR_TONE)], label: 'chair' }));
    await openChairConsole(chair, hub.url, DEMO.chair, meetingId);
    await waitFor('the chair in the meeting', async () => hub.meetings.get(meetingId)?.sites.has(DEMO.chairRoomId));
    ROOMS.forEach(({ user, tone }, i) => {
      phones.push(
        startBaresip({
          sipPort: ports.endpoints[i] as number,
          rtpPorts: ports.endpointRtp[i] as [number, number],
          user,
          password: 'secret123',
          dial: `sip:${meetingId}@127.0.0.1:${ports.hub}`,
          toneHz: tone,
        }),
      );
    });
    await waitFor(
      'both rooms in the meeting',
      async () => ROOMS.every(({ roomId }) => hub.meetings.get(meetingId)?.sites.has(roomId)),
      20_000,
    );
  }, 180_000);

  afterAll(async () => {
    await Promise.all(phones.map((phone) => phone.stop()));
    await browser?.close();
    await hub?.close();
  }, 60_000);

  it('adapts the chair’s picture once for both rooms, and both decode it', { timeout: 60_000 }, async () => {
    await waitFor(
      'both rooms shown an adapted picture',
      async () => ROOMS.every(({ roomId }) => (legOf(roomId)?.picture.keyFramesSent ?? 0) > 0),
      20_000,
    );
    expect(shared().pictures.count).toBe(1);
    const adapterPids = new Set(hub.sip?.legs().map((leg) => leg.pids[2]));
    expect(adapterPids.size).toBe(1);
    expect([...adapterPids][0]).toBeTypeOf('number');
    for (const phone of phones) {
      const snapshot = path.join(phone.dir, 'received.png');
      await waitFor(
        'a room’s snapshot of the chair’s picture',
        async () => {
          phone.snapshotReceived(snapshot);
          await new Promise((r) => setTimeout(r, 500));
          return fs.existsSync(snapshot) && fs.statSync(snapshot).size > 1000;
        },
        20_000,
        0,
      );
    }
  });

  it('sends a room a key frame soon after it asks (SIP INFO, RTCP PLI)', { timeout: 60_000 }, async () => {
    const leg = await waitFor(
      'the room shown a picture',
      async () => {
        const shown = legOf(ROOMS[0].roomId);
        return shown?.picture.ssrc && shown.picture.keyFramesSent > 0 ? shown : false;
      },
      20_000,
    );
    const askAndWait = async (ask: () => Promise<void>) => {
      // Away from the start's key frames, so that the next one is the answer.
      await new Promise((r) => setTimeout(r, 2000));
      const before = legOf(ROOMS[0].roomId)?.picture.keyFramesSent ?? 0;
      const asked = Date.now();
      await ask();
      await waitFor(
        'a key frame to the room',
        async () => (legOf(ROOMS[0].roomId)?.picture.keyFramesSent ?? 0) > before,
        5000,
        20,
      );
      return Date.now() - asked;
    };
    const byInfo = await askAndWait(async () => {
      expect(await sipRequest(pictureFastUpdate(leg.callId))).toBe('SIP/2.0 200 OK');
    });
    expect(byInfo).toBeLessThan(1000);

    // The PLI goes where the room's RTCP goes: the port the SDP answer names for it.
    const rtcpPort = Number(/a=rtcp:(\d+)/.exec(leg.answer)?.[1] ?? /m=video (\d+)/.exec(leg.answer)?.[1]);
    const socket = dgram.createSocket('udp4');
    try {
      const byPli = await askAndWait(async () => {
        socket.send(pli(leg.picture.ssrc as number), rtcpPort, '127.0.0.1');
      });
      expect(byPli).toBeLessThan(1000);
    } finally {
      socket.close();
    }
  });

  it('mixes once for rooms that hear the same, apart for a room that speaks', { timeout: 90_000 }, async () => {
    for (const { roomId } of ROOMS) await meeting().moderation.setSiteMuted(roomId, true);
    await waitFor('one mix for both muted rooms', async () => shared().mixes.count === 1, 10_000);
    expect(new Set(hub.sip?.legs().map((leg) => leg.pids[1])).size).toBe(1);
    // Each still hears the chair: its tone in the last second of each room's WAV.
    for (const phone of phones) {
      await waitFor(
        'the chair heard by a room',
        async () => {
          const wav = phone.heardWav();
          if (!wav) return false;
          const [chairTone] = wavToneLevels(wav, [CHAIR_TONE], 1);
          return (chairTone as number) > -50;
        },
        10_000,
      );
    }

    // The first room speaks again: it takes a slot, and a mix without that slot.
    const [speaker, listener] = ROOMS;
    await meeting().moderation.setSiteMuted(speaker.roomId, false);
    await waitFor('the room in an audio slot', async () => meeting().slots.holders().includes(speaker.roomId), 10_000);
    await waitFor('a mix of its own', async () => shared().mixes.count === 2, 10_000);
    const [speakerPhone, listenerPhone] = phones as [Baresip, Baresip];
    await waitFor(
      'the other room hearing it',
      async () => {
        const [tone] = wavToneLevels(listenerPhone.heardWav() as string, [speaker.tone], 1);
        return (tone as number) > -50;
      },
      10_000,
    );
    await new Promise((r) => setTimeout(r, 1500));
    const [own, chairTone] = wavToneLevels(speakerPhone.heardWav() as string, [speaker.tone, CHAIR_TONE], 1);
    expect(chairTone).toBeGreaterThan(-50);
    expect(own).toBeLessThan(-70);
    expect(listener.roomId).not.toBe(speaker.roomId);
  });
});
