// A SIP room system in a meeting, with real parts: a hub (workers, SQLite with
// the demo province, its SIP user agent), the chair's page in Chromium (tone
// microphone, fake camera) and Debian's baresip as the room system (moving
// test picture, a 1 kHz tone, H.264 and G.722):
//   the administrator makes two rooms SIP rooms; a meeting invites one of them;
//   baresip dials the meeting's numeric dial code (as a keypad would; the
//   meeting's id works the same), is challenged and admitted: the chair's
//   board lists it, the chair's page decodes its picture (frames advancing)
//   and hears its tone; baresip hears the chair (its WAV is not silent) and
//   receives the chair's picture (adapted to H.264 by the leg's FFmpeg);
//   the chair mutes it: its tone stops reaching the chair within a second;
//   the chair stages it: it is the meeting's main picture;
//   a wrong password, an unknown meeting (by id or by code), a room not
//   invited are refused with 403, 404, 404, 403, and the meeting is unchanged;
//   baresip killed mid-call (no BYE): the board shows the site left and the
//   meeting goes on;
//   dial-out: a second meeting opens (its chair joins) and the hub calls the
//   invited room that has a dial-out address: baresip answers and the room is
//   a site of that meeting, its picture and voice arriving; the chair removes
//   it and the hub hangs up (BYE).
// The suite skips (saying why) only when baresip cannot run here.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
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
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { sipPortBlock } from '../helpers/ports.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';
import { reportSkip } from '../helpers/skip.ts';

const unavailable = baresipUnavailable();
reportSkip('SIP room systems', unavailable);

const ports = sipPortBlock();
const SECRETARIAT = { login: 'vanphong.tinh', password: 'vanphong123' };
const ADMIN = { login: 'admin', password: 'admin123' };
const SIP_ROOM = DEMO.rooms[0].roomId;
/** A SIP room the meeting does not invite. */
const OTHER_ROOM = 'hbx-h02-x01-r1';
/** A SIP room the hub calls (it has a dial-out address). */
const CALLED_ROOM = DEMO.rooms[1].roomId;
const CHAIR_TONE = 350;
const ROOM_TONE = 1000;
/** A frequency nobody plays: the floor the tones are compared with. */
const QUIET = 1700;

/** The state the chair's board shows for a site (online, left, …), or null when it lists no row. */
async function boardState(page: Page, siteId: string): Promise<string | null> {
  const row = page.locator(`.board__row[data-site-id="${siteId}"]`).first();
  if ((await row.count()) === 0) return null;
  return /state--([a-z_]+)/.exec((await row.getAttribute('class')) ?? '')?.[1] ?? null;
}

/** Frames the page decoded so far, over all its inbound video. */
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

describe.skipIf(unavailable)('SIP room systems', () => {
  let hub: Hub;
  let browser: Browser;
  let chair: Page;
  let meetingId: string;
  /** The meeting's dial code, as the secretariat's page shows it. */
  let dialCode: string;
  const phones: Baresip[] = [];

  function dial(options: { endpoint: number; user: string; password: string; to?: string }): Baresip {
    const phone = startBaresip({
      sipPort: ports.endpoints[options.endpoint] as number,
      rtpPorts: ports.endpointRtp[options.endpoint] as [number, number],
      user: options.user,
      password: options.password,
      ...(options.to && { dial: `sip:${options.to}@127.0.0.1:${ports.hub}` }),
      toneHz: ROOM_TONE,
    });
    phones.push(phone);
    return phone;
  }

  beforeAll(async () => {
    ensureClientBuilt();
    hub = await startTestHub({
      DEMO_DATA: 'true',
      SIP_PORT: String(ports.hub),
      SIP_MEDIA_TIMEOUT_MS: '3000',
    });
    const admin = await apiLogin(hub, ADMIN);
    for (const [roomId, user] of [
      [SIP_ROOM, 'room1'],
      [OTHER_ROOM, 'room2'],
    ]) {
      const set = await admin.call('PUT', `/api/rooms/${roomId}/sip`, { user, password: 'secret123' });
      expect(set.status).toBe(200);
      expect(set.body.room.sipHa1).toBeUndefined();
    }
    const called = await admin.call('PUT', `/api/rooms/${CALLED_ROOM}/sip`, {
      user: 'room3',
      password: 'secret123',
      uri: `sip:room3@127.0.0.1:${ports.endpoints[4]}`,
    });
    expect(called.status).toBe(200);
    const secretariat = await apiLogin(hub, SECRETARIAT);
    meetingId = await bookMeetingNow(secretariat, 'Họp có điểm cầu SIP', DEMO.chairRoomId, [SIP_ROOM]);
    dialCode = (await secretariat.call('GET', `/api/meetings/${meetingId}`)).body.meeting.dialCode;
    expect(dialCode).toMatch(/^\d{6}$/);
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

  it('dials in and takes part with picture and sound both ways', { timeout: 120_000 }, async () => {
    const phone = dial({ endpoint: 0, user: 'room1', password: 'secret123', to: dialCode });
    const meeting = () => hub.meetings.get(meetingId);
    await waitFor(
      'the SIP room online on the chair’s board',
      async () => (await boardState(chair, SIP_ROOM)) === 'online',
    );
    const site = meeting()?.sites.get(SIP_ROOM);
    expect(site?.isSending('camera')).toBe(true);

    // The chair's page decodes the room's picture, frames advancing.
    const before = await framesDecoded(chair);
    await waitFor(
      'the room’s picture decoded by the chair',
      async () => (await framesDecoded(chair)) > before + 20,
      20_000,
    );

    // The chair hears the room's tone (through an audio slot), well above the floor.
    const [tone, floor] = await waitFor(
      'the room’s tone at the chair',
      async () => {
        const levels = await heardTones(chair, [ROOM_TONE, QUIET], 1500);
        return (levels[0] as number) > (levels[1] as number) + 20 ? levels : false;
      },
      20_000,
    );
    expect(tone).toBeGreaterThan((floor as number) + 20);

    // The room hears the chair, and receives its picture as H.264 from the leg's adapter.
    await waitFor(
      'the chair heard in baresip’s WAV',
      async () => {
        const wav = phone.heardWav();
        return wav !== null && wavLevel(wav) > -50;
      },
      20_000,
    );
    const leg = hub.sip?.legs().find((l) => l.siteId === SIP_ROOM);
    expect(leg?.pids.length).toBe(3); // voice in, the mix, the picture adapter
    // It decodes that picture: its snapshot of what it receives is written.
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

  it('is muted and staged by the chair like any site', { timeout: 60_000 }, async () => {
    const meeting = hub.meetings.get(meetingId);
    if (!meeting) throw new Error('meeting closed');
    await meeting.moderation.setSiteMuted(SIP_ROOM, true);
    const mutedAt = Date.now();
    await waitFor(
      'the room’s tone gone at the chair',
      async () => {
        const [tone, floor] = await heardTones(chair, [ROOM_TONE, QUIET], 300);
        return (tone as number) < (floor as number) + 10;
      },
      5000,
      0,
    );
    expect(Date.now() - mutedAt).toBeLessThan(1000 + 300 + 200);
    expect(meeting.sites.get(SIP_ROOM)?.info(false).micOn).toBe(false);
    await meeting.moderation.setSiteMuted(SIP_ROOM, false);

    meeting.moderation.setStage(SIP_ROOM);
    expect(meeting.state().stageSiteId).toBe(SIP_ROOM);
    meeting.moderation.setStage(null);
  });

  it('refuses a wrong password, an unknown meeting or code and a room not invited', { timeout: 60_000 }, async () => {
    const sitesBefore = hub.meetings.get(meetingId)?.sites.size;
    const wrong = dial({ endpoint: 1, user: 'room1', password: 'not-the-password', to: meetingId });
    const unknown = dial({ endpoint: 2, user: 'room1', password: 'secret123', to: 'no-such-meeting' });
    const uninvited = dial({ endpoint: 3, user: 'room2', password: 'secret123', to: meetingId });
    // Codes never start with 0 (scheduler/dialCodes.ts): no meeting holds this one.
    const unknownCode = dial({ endpoint: 5, user: 'room1', password: 'secret123', to: '012345' });
    await waitFor('the wrong password refused', async () => /403 Forbidden/.test(wrong.output()), 15_000);
    await waitFor('the unknown meeting refused', async () => /404 Not Found/.test(unknown.output()), 15_000);
    await waitFor('the unknown code refused', async () => /404 Not Found/.test(unknownCode.output()), 15_000);
    await waitFor(
      'the room not invited refused',
      async () => /403 Forbidden \(room not invited\)/.test(uninvited.output()),
      15_000,
    );
    expect(hub.meetings.get(meetingId)?.sites.size).toBe(sitesBefore);
    expect(hub.meetings.get(meetingId)?.sites.has(OTHER_ROOM)).toBe(false);
  });

  it('leaves the board when the room system dies without a goodbye', { timeout: 60_000 }, async () => {
    phones[0]?.kill();
    await waitFor(
      'the site gone from the meeting',
      async () => !hub.meetings.get(meetingId)?.sites.has(SIP_ROOM),
      15_000,
    );
    await waitFor(
      'the chair’s board showing it left',
      async () => (await boardState(chair, SIP_ROOM)) === 'left',
      10_000,
    );
    expect(hub.meetings.get(meetingId)?.sites.has(DEMO.chairRoomId)).toBe(true);
    expect(hub.sip?.legs()).toEqual([]);
  });

  it('calls a room with a dial-out address when its meeting opens', { timeout: 60_000 }, async () => {
    const phone = dial({ endpoint: 4, user: 'room3', password: 'secret123' });
    const secretariat = await apiLogin(hub, SECRETARIAT);
    const second = await bookMeetingNow(secretariat, 'Họp gọi ra điểm cầu SIP', DEMO.chairRoomId, [CALLED_ROOM]);
    const chairBot = new SignalingClient(hub.url);
    try {
      await chairBot.connected();
      const token = await tokenFor(hub, { meetingId: second, roomId: DEMO.chairRoomId, role: 'chair' });
      await chairBot.ok('join', { token });
      const meeting = () => hub.meetings.get(second);
      await waitFor('the called room in the meeting', async () => meeting()?.sites.has(CALLED_ROOM), 20_000);
      const site = meeting()?.sites.get(CALLED_ROOM);
      await waitFor('its picture arriving', async () => site?.isSending('camera'), 10_000);
      await waitFor(
        'its voice arriving',
        async () => {
          const mic = site?.producerFor('mic');
          const [stats] = mic ? await mic.getStats() : [];
          return (stats?.packetCount ?? 0) > 50;
        },
        10_000,
      );
      expect(phone.output()).toMatch(/Call established/);

      // The chair removes it: the hub hangs up (BYE), the room's call ends.
      meeting()?.moderation.removeSite(CALLED_ROOM);
      await waitFor('the room hung up by the hub', async () => /session closed/.test(phone.output()), 10_000);
      expect(hub.sip?.legs().some((leg) => leg.siteId === CALLED_ROOM)).toBe(false);
    } finally {
      chairBot.socket.close();
    }
  });
});
