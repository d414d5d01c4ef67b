// The hub calling SIP rooms (dial-out), with real parts: a hub, the chair's
// console in Chromium and Debian's baresip as the room system (answering
// calls by itself):
//   the meeting opens while the room system is off: the hub's call fails and
//   the room's board row says so with the SIP answer; a browser room has no
//   "Call" button;
//   the room's SIP account removed after the console opened: "Gọi" (Call) on
//   its row is refused, and the console's banner says why in Vietnamese;
//   the room system on, the chair clicks "Gọi" (Call) on its row: the row
//   shows the call ringing, baresip answers and the room is online;
//   baresip killed mid-call: the call drops (media timeout), the row says the
//   hub calls again, and a baresip started again on the same address is
//   called and joins;
//   the chair removes the room: the hub hangs up and does not call it again;
//   the chair calls it back twice at once: one call, and the room is in again;
//   its call drops and the meeting ends before the redial: no call comes;
//   a room that is not a SIP room, not invited or already in is refused with
//   its error.
// The suite skips (saying why) only when baresip cannot run here.
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { SignalingError } from '../../sfu/SignalingError.ts';
import { login as apiLogin, bookMeetingNow } from '../helpers/api.ts';
import { type Baresip, baresipUnavailable, startBaresip } from '../helpers/baresip.ts';
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
reportSkip('SIP dial-out calls', unavailable);

const ports = sipPortBlock();
const SECRETARIAT = { login: 'vanphong.tinh', password: 'vanphong123' };
const ADMIN = { login: 'admin', password: 'admin123' };
/** The SIP room the hub calls. */
const CALLED = DEMO.rooms[0].roomId;
/** An invited browser room. */
const BROWSER_ROOM = DEMO.rooms[1].roomId;
/** A SIP room with a dial-out address the meeting does not invite. */
const UNINVITED = 'hbx-h02-x01-r1';
const REDIAL_DELAY_MS = 1000;

function row(page: Page, siteId: string) {
  return page.locator(`.board__row[data-site-id="${siteId}"]`).first();
}

/** The state the chair's board shows for a site (online, left, not_joined, …). */
async function boardState(page: Page, siteId: string): Promise<string | null> {
  const r = row(page, siteId);
  if ((await r.count()) === 0) return null;
  return /state--([a-z_]+)/.exec((await r.getAttribute('class')) ?? '')?.[1] ?? null;
}

/** What the row says of the hub's call to the room: its state and words, or null. */
async function callStatus(page: Page, siteId: string): Promise<{ state: string; text: string } | null> {
  const status = row(page, siteId).locator('[data-testid="room-call"] [role="status"]');
  if ((await status.count()) === 0) return null;
  return { state: (await status.getAttribute('data-state')) ?? '', text: await status.innerText() };
}

function established(phone: Baresip): number {
  return phone.output().match(/Call established/g)?.length ?? 0;
}

/** Calls the room system was offered (it answers by itself). */
function rung(phone: Baresip): number {
  return phone.output().match(/answering call/g)?.length ?? 0;
}

/** Records every progress the board's rows show of the hub's calls (a call can ring for well under a poll). */
function recordCallStatuses(page: Page): Promise<void> {
  return page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __callStatuses: string[] }).__callStatuses = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="room-call"] [role="status"]')) {
        const status = `${el.getAttribute('data-state')}: ${el.textContent}`;
        if (seen.at(-1) !== status) seen.push(status);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

function callStatuses(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __callStatuses: string[] }).__callStatuses);
}

describe.skipIf(unavailable)('SIP dial-out calls', () => {
  let hub: Hub;
  let browser: Browser;
  let chair: Page;
  let meetingId: string;
  let phone: Baresip | undefined;

  function roomSystem(): Baresip {
    phone = startBaresip({
      sipPort: ports.endpoints[0] as number,
      rtpPorts: ports.endpointRtp[0] as [number, number],
      user: 'room1',
      password: 'secret123',
      toneHz: 1000,
    });
    return phone;
  }
  const meeting = () => hub.meetings.get(meetingId);

  beforeAll(async () => {
    ensureClientBuilt();
    hub = await startTestHub({
      DEMO_DATA: 'true',
      SIP_PORT: String(ports.hub),
      SIP_MEDIA_TIMEOUT_MS: '3000',
      SIP_REDIAL_DELAY_MS: String(REDIAL_DELAY_MS),
      SIP_REDIAL_ATTEMPTS: '3',
    });
    const admin = await apiLogin(hub, ADMIN);
    for (const [roomId, user, port] of [
      [CALLED, 'room1', ports.endpoints[0]],
      [UNINVITED, 'room2', ports.endpoints[1]],
    ] as const) {
      const uri = `sip:${user}@127.0.0.1:${port}`;
      const set = await admin.call('PUT', `/api/rooms/${roomId}/sip`, { user, password: 'secret123', uri });
      expect(set.status).toBe(200);
    }
    const secretariat = await apiLogin(hub, SECRETARIAT);
    meetingId = await bookMeetingNow(secretariat, 'Họp gọi điểm cầu SIP', DEMO.chairRoomId, [CALLED, BROWSER_ROOM]);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    ({ page: chair } = await newPage(browser, { initScripts: [toneMicrophone(350)], label: 'chair' }));
    await openChairConsole(chair, hub.url, DEMO.chair, meetingId);
    await waitFor('the chair in the meeting', async () => meeting()?.sites.has(DEMO.chairRoomId));
  }, 180_000);

  afterAll(async () => {
    await phone?.stop();
    await browser?.close();
    await hub?.close();
  }, 60_000);

  it('shows the opening call failing with the SIP answer while the room system is off', {
    timeout: 90_000,
  }, async () => {
    // Nothing listens at the room's address: the INVITE goes unanswered until the SIP timer gives up.
    const failed = await waitFor(
      'the row saying the call was not answered',
      async () => {
        const status = await callStatus(chair, CALLED);
        return status?.state === 'failed' ? status : false;
      },
      60_000,
    );
    expect(failed.text).toMatch(/Không trả lời: 408 Request Timeout/);
    expect(await row(chair, BROWSER_ROOM).getByRole('button', { name: /^Gọi:/ }).count()).toBe(0);
  });

  it('shows the hub refusing the call in Vietnamese when the room lost its SIP account after the console opened', {
    timeout: 60_000,
  }, async () => {
    // The console learned that the room can be called when it opened; the administrator has removed its account since.
    const admin = await apiLogin(hub, ADMIN);
    expect((await admin.call('DELETE', `/api/rooms/${CALLED}/sip`)).status).toBe(200);
    const before = await callStatus(chair, CALLED);
    await row(chair, CALLED).getByRole('button', { name: /^Gọi:/ }).click();
    const banner = chair.getByRole('alert').filter({ hasText: 'không phải điểm cầu SIP' });
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.innerText()).toBe(
      'Điểm cầu này không phải điểm cầu SIP có địa chỉ gọi ra nên máy chủ không gọi được. Quản trị viên đặt địa chỉ SIP (uri) cho phòng, hoặc để thiết bị của phòng tự gọi vào cuộc họp.',
    );
    // Nothing was called: the row still shows the failed opening call.
    expect(await callStatus(chair, CALLED)).toEqual(before);
    const uri = `sip:room1@127.0.0.1:${ports.endpoints[0]}`;
    const restored = await admin.call('PUT', `/api/rooms/${CALLED}/sip`, { user: 'room1', password: 'secret123', uri });
    expect(restored.status).toBe(200);
  });

  it('calls the room when the chair clicks Call, showing the call ringing', { timeout: 60_000 }, async () => {
    const system = roomSystem();
    await waitFor('baresip listening', async () => /baresip is ready/i.test(system.output()), 10_000);
    await recordCallStatuses(chair);
    await row(chair, CALLED).getByRole('button', { name: /^Gọi:/ }).click();
    await waitFor('the room online on the board', async () => (await boardState(chair, CALLED)) === 'online', 20_000);
    // The row said the call was ringing until the room answered.
    expect(await callStatuses(chair)).toContain('calling: Đang gọi…');
    expect(meeting()?.sites.has(CALLED)).toBe(true);
    expect(established(system)).toBe(1);
  });

  it('refuses to call a room not a SIP room, not invited, or already in', async () => {
    const current = meeting();
    if (!current || !hub.sip) throw new Error('no meeting or no SIP');
    const refusal = (roomId: string) =>
      hub.sip?.roomCalls.request(current, roomId).then(
        () => null,
        (err: unknown) => (err instanceof SignalingError ? err.code : String(err)),
      );
    expect(await refusal(BROWSER_ROOM)).toBe('NOT_SIP_ROOM');
    expect(await refusal(UNINVITED)).toBe('NOT_INVITED');
    expect(await refusal(CALLED)).toBe('ALREADY_IN_MEETING');
  });

  it('calls a room whose call dropped again, and a restarted room system answers', { timeout: 60_000 }, async () => {
    phone?.kill();
    await waitFor('the dropped room off the meeting', async () => !meeting()?.sites.has(CALLED), 15_000);
    // The hub says it will call again; the room system comes back on the same address meanwhile.
    await waitFor(
      'the row saying the hub calls again',
      async () => {
        const status = await callStatus(chair, CALLED);
        return status && /gọi lại/i.test(status.text);
      },
      10_000,
      0,
    );
    await phone?.stop();
    const system = roomSystem();
    await waitFor('the room back in the meeting', async () => meeting()?.sites.has(CALLED), 30_000);
    await waitFor('the room online on the board', async () => (await boardState(chair, CALLED)) === 'online', 10_000);
    expect(established(system)).toBe(1);
    expect(hub.sip?.legs().filter((leg) => leg.siteId === CALLED)).toHaveLength(1);
    expect((await callStatuses(chair)).some((s) => /^calling: Đang gọi lại \(lần \d\)…$/.test(s))).toBe(true);
  });

  it('does not call a room the chair removed; the chair calls it back once', { timeout: 60_000 }, async () => {
    const system = phone as Baresip;
    meeting()?.moderation.removeSite(CALLED);
    await waitFor('the room hung up by the hub', async () => /session closed/.test(system.output()), 10_000);
    // Well past the first redial's time: no call comes.
    await new Promise((resolve) => setTimeout(resolve, REDIAL_DELAY_MS * 4));
    expect(meeting()?.sites.has(CALLED)).toBe(false);
    expect(rung(system)).toBe(1);

    // Two requests at once (a double click, two consoles' worth): one call; the chair's call lifts its removal.
    const current = meeting();
    if (!current || !hub.sip) throw new Error('no meeting or no SIP');
    await Promise.all([hub.sip.roomCalls.request(current, CALLED), hub.sip.roomCalls.request(current, CALLED)]);
    await waitFor('the room in again', async () => meeting()?.sites.has(CALLED), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(rung(system)).toBe(2);
    expect(hub.sip.legs().filter((leg) => leg.siteId === CALLED)).toHaveLength(1);
  });

  it('stops calling a dropped room when the meeting ends', { timeout: 60_000 }, async () => {
    phone?.kill();
    await waitFor('the dropped room off the meeting', async () => !meeting()?.sites.has(CALLED), 15_000, 20);
    // Ended before the first redial is due (SIP_REDIAL_DELAY_MS after the drop).
    meeting()?.end(null);
    await phone?.stop();
    const system = roomSystem();
    await new Promise((resolve) => setTimeout(resolve, REDIAL_DELAY_MS * 4));
    expect(rung(system)).toBe(0);
    expect(hub.sip?.legs()).toEqual([]);
  });
});
