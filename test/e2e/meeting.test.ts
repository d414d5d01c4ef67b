// End to end in real Chromium (Debian's /usr/bin/chromium, fake camera and
// microphone) against a real hub (workers, SQLite with the demo province,
// HTTP, socket.io) serving the built client:
//   the secretariat books a meeting inviting three rooms through the UI, the
//   chairing room picked from the unit tree (the rooms are busy in the demo's
//   live meeting, so the conflict warning and its override are exercised); the
//   rooms accept (the secretariat sees the answers
//   arrive live), run the device check and join; the chair opens its console;
//   every page receives audio and video; in discussion, each page plays the
//   other sites' voices (each site's microphone a distinct tone, found by a
//   WebAudio analyser in the page) and never its own; a raised hand reaches the chair; the
//   chair mutes a site (its mic producer is paused on the server) and puts a
//   site on the main stage (every page's stage switches), then takes the stage
//   back (the rooms' consumers of that camera are closed); the chair marks a
//   site present from the board (saved in attendance); the chair switches
//   to briefing (a site's mic is held on the server) and gives that site the
//   floor (its page says so, its mic opens again), mutes it (its status says
//   muted, no longer the floor) and lets it speak again; the chair locks the
//   meeting (every room sees it) and a room whose page reloads gets back in;
//   the chair removes a site (its page says why) and ends the meeting (every
//   page says so, the schedule marks it ended; the room's and the chair's
//   lists show it ended and offer nothing more); the secretariat switches to
//   English and back, the choice kept across a reload.
// Screenshots of each role's screen go to test-artifacts/screenshots/ and are
// copied to docs/screenshots/ for the README.
import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import {
  CAPTURE_HOOK,
  CHROMIUM,
  devicesReleased,
  ensureClientBuilt,
  heardTones,
  type Inbound,
  inboundBytes,
  login,
  ROOT,
  STATS_HOOK,
  toneMicrophone,
  waitFor,
} from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';

const SHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');
const DOC_SHOTS = path.join(ROOT, 'docs', 'screenshots');

const SECRETARIAT = { login: 'vanphong.tinh', password: 'vanphong123' };
const CHAIR = { login: 'chutri.tinh', password: 'chutri123' };
const CHAIR_ROOM = 'hbx-r1';
const ROOMS = [
  { login: 'dc.h01.x01', password: 'diemcau123', roomId: 'hbx-h01-x01-r1' },
  { login: 'dc.h01.x02', password: 'diemcau123', roomId: 'hbx-h01-x02-r1' },
  { login: 'dc.h01.x03', password: 'diemcau123', roomId: 'hbx-h01-x03-r1' },
];
/** Each site's microphone plays its own tone (Hz): the chair's, then the rooms'. */
const CHAIR_TONE = 350;
const ROOM_TONES = [550, 800, 1150];
const TITLE = `Họp kiểm thử đầu cuối ${new Date().toISOString().slice(11, 19)}`;

/** Local wall-clock (Asia/Ho_Chi_Minh) date (dd/mm/yyyy, as the form takes it) and time of an instant. */
function vnParts(d: Date): { date: string; time: string } {
  const s = new Date(d.getTime() + 7 * 3600_000).toISOString();
  return { date: `${s.slice(8, 10)}/${s.slice(5, 7)}/${s.slice(0, 4)}`, time: s.slice(11, 16) };
}

async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

describe('meeting end to end in Chromium', () => {
  let hub: Hub;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // `npm test` builds the client first; a direct vitest run builds it here when stale.
    ensureClientBuilt();
    hub = await startTestHub({ DEMO_DATA: 'true', MEDIASOUP_WORKERS: '2' }, 2);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      // playwright gives each launch a fresh temporary profile (user-data dir).
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
  });

  async function newPage(toneHz?: number): Promise<Page> {
    const context = await browser.newContext({
      viewport: { width: 1440, height: 900 },
      locale: 'vi-VN',
      permissions: ['camera', 'microphone'],
    });
    await context.addInitScript(STATS_HOOK);
    if (toneHz) await context.addInitScript(toneMicrophone(toneHz));
    await context.addInitScript(CAPTURE_HOOK);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
    return page;
  }

  it('books, joins, carries media, and follows the chair', { timeout: 240_000 }, async () => {
    const url = hub.url;
    // Room names, as the picker shows them.
    const names = new Map<string, string>();
    for (const id of [CHAIR_ROOM, ...ROOMS.map((r) => r.roomId)]) {
      const room = await hub.scheduler.db.endpointRoom.findUniqueOrThrow({ where: { id } });
      names.set(id, room.name);
    }
    const nameOf = (id: string) => names.get(id) as string;

    // ---------------------------------------------------------------- secretariat books
    const sec = await newPage();
    await login(sec, url, SECRETARIAT);
    await sec.getByRole('button', { name: /Đặt lịch họp/ }).click();
    const now = new Date();
    const start = vnParts(new Date(now.getTime() - 60_000));
    // An end past midnight is read as the next day: evening runs need no special case.
    const end = vnParts(new Date(now.getTime() + 90 * 60_000)).time;
    await sec.locator('input[name=title]').fill(TITLE);
    await sec.locator('textarea[name=agenda]').fill('Kiểm tra hình ảnh, âm thanh của các điểm cầu.');
    await sec.locator('input[name=invitationNumber]').fill('99/GM-UBND');
    await sec.locator('input[name=date]').fill(start.date);
    await sec.locator('input[name=start]').fill(start.time);
    await sec.locator('input[name=end]').fill(end);
    // Item 8: the chairing room comes from the unit tree, one choice, found by search.
    await sec.getByRole('searchbox', { name: 'Tìm điểm cầu chủ trì' }).fill(nameOf(CHAIR_ROOM));
    await sec.getByRole('radio', { name: nameOf(CHAIR_ROOM), exact: true }).check();
    await sec.getByText(`Đã chọn: ${nameOf(CHAIR_ROOM)}`).waitFor();
    await sec.locator('select[name=mode]').selectOption('discussion');
    const search = sec.getByRole('searchbox', { name: 'Tìm đơn vị hoặc điểm cầu' });
    for (const r of ROOMS) {
      await search.fill(nameOf(r.roomId));
      await sec.getByRole('checkbox', { name: nameOf(r.roomId), exact: true }).check();
    }
    await sec.getByText('Đã chọn 3/').waitFor();
    // The rooms are in the demo's live meeting at this time: a conflict warning, then an explicit override.
    const conflicts = sec.getByTestId('conflicts');
    await conflicts.waitFor();
    expect(await sec.getByRole('button', { name: 'Đặt lịch', exact: true }).isDisabled()).toBe(true);
    await shot(sec, 'secretariat-booking');
    await conflicts.getByLabel('Vẫn đặt lịch dù trùng giờ').check();
    await sec.getByRole('button', { name: 'Đặt lịch', exact: true }).click();
    await sec.getByTestId('meeting-details').getByRole('heading', { name: TITLE }).waitFor();
    const meeting = await hub.scheduler.db.meeting.findFirstOrThrow({ where: { title: TITLE } });
    const meetingId = meeting.id;
    // The details load their invitations after the heading: wait for the count, do not read it once.
    await sec.getByTestId('invitation-summary').filter({ hasText: '0 nhận · 0 từ chối · 3 chưa trả lời' }).waitFor();

    // ---------------------------------------------------------------- rooms accept and join
    const rooms: Page[] = [];
    for (const [i, r] of ROOMS.entries()) {
      const page = await newPage(ROOM_TONES[i]);
      rooms.push(page);
      await login(page, url, r);
      const card = page.locator(`li[data-meeting-id="${meetingId}"]`);
      await card.getByRole('button', { name: 'Nhận' }).click();
      await card.getByText('Đã nhận').waitFor();
      // The answer reaches the secretariat's screen without a reload.
      await sec
        .getByTestId('invitation-summary')
        .getByText(`${i + 1} nhận`)
        .waitFor({ timeout: 10_000 });
      await card.getByRole('button', { name: 'Kiểm tra thiết bị' }).click();
      if (i === 0) {
        await page.getByRole('button', { name: 'Kiểm tra kết nối' }).click();
        await page.getByTestId('check-result').waitFor({ timeout: 15_000 });
        expect(await page.getByTestId('check-result').textContent()).toContain(
          'Hình ảnh, âm thanh và đường truyền tốt.',
        );
        // The room reported it to the hub: the administrator's rooms screen shows it.
        await expect
          .poll(async () => {
            const room = await hub.scheduler.db.endpointRoom.findUnique({ where: { id: r.roomId } });
            return room?.lastTechCheckResult ? JSON.parse(room.lastTechCheckResult) : null;
          })
          .toMatchObject({ camera: true, microphone: true, network: true });
        await shot(page, 'room-check');
      }
      await page.getByRole('button', { name: 'Vào cuộc họp' }).click();
    }
    await shot(sec, 'secretariat');

    // ---------------------------------------------------------------- chair opens the console
    const chair = await newPage(CHAIR_TONE);
    await login(chair, url, CHAIR);
    await chair
      .locator(`li[data-meeting-id="${meetingId}"]`)
      .getByRole('button', { name: 'Mở bảng điều khiển' })
      .click();
    await chair.getByRole('button', { name: 'Vào cuộc họp' }).click();

    const pages = [chair, ...rooms];
    for (const p of pages) {
      await p.locator('[data-testid=conn-state][data-state=online]').waitFor({ timeout: 30_000 });
    }

    // ---------------------------------------------------------------- media flows on every page
    const before = await Promise.all(pages.map(inboundBytes));
    await waitFor(
      'inbound audio and video bytes rising on every page',
      async () => {
        const after = await Promise.all(pages.map(inboundBytes));
        return after.every(
          (a, i) => a.audio > (before[i] as Inbound).audio + 2_000 && a.video > (before[i] as Inbound).video + 20_000,
        );
      },
      30_000,
    );
    // The chair's board shows the three sites online.
    const board = chair.getByRole('table', { name: 'Trạng thái các điểm cầu' });
    for (const r of ROOMS) {
      await board
        .locator(`[data-site-id="${r.roomId}"]`)
        .getByText('Trực tuyến', { exact: true })
        .waitFor({ timeout: 15_000 });
    }

    // ---------------------------------------------------------------- each page hears the others, never itself
    // Every room's tone is loud and K (3) slots carry the three rooms; the chair is heard directly.
    const tones = [CHAIR_TONE, ...ROOM_TONES];
    const HEARD_DB = -70;
    for (const [i, p] of pages.entries()) {
      const own = tones[i] as number;
      const levels = await waitFor(
        'the other sites’ tones playing on the page',
        async () => {
          const db = await heardTones(p, tones);
          return db.every((level, j) => j === i || level > HEARD_DB) ? db : undefined;
        },
        30_000,
        0,
      );
      console.log(
        `page ${i} (${own} Hz) hears ${tones.map((t, j) => `${t} Hz ${Math.round(levels[j] as number)} dB`).join(', ')}`,
      );
      expect(levels[i], `page ${i} hears its own ${own} Hz`).toBeLessThan(HEARD_DB - 20);
    }

    // ---------------------------------------------------------------- a raised hand reaches the chair
    const [handRoom, mutedRoom, stagedRoom] = rooms as [Page, Page, Page];
    await handRoom.getByRole('button', { name: /Xin phát biểu/ }).click();
    await board
      .locator(`[data-site-id="${ROOMS[0]?.roomId}"]`)
      .getByLabel('Đang xin phát biểu')
      .waitFor({ timeout: 10_000 });
    expect(await chair.getByTestId('board-counts').textContent()).toMatch(/1\s*Xin phát biểu/);

    // ---------------------------------------------------------------- the chair mutes a site
    const mutedId = ROOMS[1]?.roomId as string;
    await board
      .locator(`[data-site-id="${mutedId}"]`)
      .getByRole('button', { name: `Tắt micrô: ${nameOf(mutedId)}` })
      .click();
    await waitFor('the muted site’s mic producer paused on the server', async () => {
      const peer = hub.meetings.get(meetingId)?.sites.get(mutedId);
      return peer?.producerFor('mic')?.paused === true;
    });
    const lockedMic = mutedRoom.getByRole('button', { name: /Bật micrô/ });
    await lockedMic.waitFor();
    expect(await lockedMic.isDisabled()).toBe(true);
    await mutedRoom.getByText('Chủ trì đã tắt micrô của điểm cầu').waitFor();

    // ---------------------------------------------------------------- the chair puts a site on the main stage
    const stagedId = ROOMS[2]?.roomId as string;
    await board
      .locator(`[data-site-id="${stagedId}"]`)
      .getByRole('button', { name: `Đưa lên màn hình chính: ${nameOf(stagedId)}` })
      .click();
    for (const p of pages) {
      await p.locator(`[data-testid=stage][data-stage-peer="${stagedId}"]`).waitFor({ timeout: 15_000 });
      await waitFor('a picture on the stage', () =>
        p.evaluate(() => {
          const v = document.querySelector('[data-testid=stage] video') as HTMLVideoElement | null;
          return Boolean(v && v.videoWidth > 0 && !v.paused);
        }),
      );
    }
    await stagedRoom.getByText('Điểm cầu đang được đưa lên màn hình chính').waitFor();
    // Every room still sees the chair, as an inset on the stage.
    for (const p of pages.filter((x) => x !== chair)) {
      await waitFor('the chair’s picture inset on the stage', () =>
        p.evaluate(() => {
          const v = document.querySelector('[data-testid=chair-inset] video') as HTMLVideoElement | null;
          return Boolean(v && v.videoWidth > 0 && !v.paused);
        }),
      );
    }
    // The stage asks for the top simulcast layer, which the staged site now sends (thumbnails get 320×180).
    for (const p of pages.filter((x) => x !== stagedRoom)) {
      await waitFor(
        'the stage showing a layer above the thumbnail one',
        () =>
          p.evaluate(() => {
            const v = document.querySelector('[data-testid=stage] video') as HTMLVideoElement | null;
            return Boolean(v && v.videoWidth >= 640);
          }),
        20_000,
      );
    }

    // Let the thumbnails and the stage settle for the pictures.
    await new Promise((r) => setTimeout(r, 1500));
    await shot(chair, 'chair-console');
    await shot(handRoom, 'room');
    await shot(mutedRoom, 'room-muted');

    fs.mkdirSync(DOC_SHOTS, { recursive: true });
    for (const f of fs.readdirSync(SHOTS)) fs.copyFileSync(path.join(SHOTS, f), path.join(DOC_SHOTS, f));

    // ---------------------------------------------------------------- the stage returns to the chair
    // The staged camera leaves the other rooms' receive plan: their consumers of it are closed on the hub.
    const stagedCamera = hub.meetings.get(meetingId)?.sites.get(stagedId)?.producerFor('camera')?.id;
    const watchesStaged = (roomId: string) =>
      [...(hub.meetings.get(meetingId)?.sites.get(roomId)?.consumers.values() ?? [])].some(
        (c) => c.producerId === stagedCamera,
      );
    const viewers = ROOMS.map((r) => r.roomId).filter((id) => id !== stagedId);
    expect(viewers.every(watchesStaged)).toBe(true);
    await chair.getByRole('button', { name: 'Trả màn hình chính về chủ trì', exact: true }).click();
    await waitFor('the rooms’ consumers of the former stage closed', async () => !viewers.some(watchesStaged));

    // ---------------------------------------------------------------- roll-call from the board
    const rollCallId = ROOMS[0]?.roomId as string;
    await board.getByLabel(`Điểm danh: ${nameOf(rollCallId)}`).selectOption('present_in_room');
    await waitFor('the roll-call mark saved', async () => {
      const a = await hub.scheduler.db.attendance.findFirst({ where: { meetingId, roomId: rollCallId } });
      return a?.mark === 'present_in_room';
    });

    // ---------------------------------------------------------------- briefing: only who has the floor speaks
    const micPaused = (siteId: string) => hub.meetings.get(meetingId)?.sites.get(siteId)?.producerFor('mic')?.paused;
    expect(micPaused(stagedId)).toBe(false);
    await chair.getByLabel('Chế độ cuộc họp').selectOption('briefing');
    await waitFor('the site’s mic held by briefing mode', async () => micPaused(stagedId) === true);
    await board
      .locator(`[data-site-id="${stagedId}"]`)
      .getByRole('button', { name: `Cho phát biểu: ${nameOf(stagedId)}` })
      .click();
    await stagedRoom.getByText('Chủ trì đã cho điểm cầu phát biểu').waitFor({ timeout: 10_000 });
    await waitFor('the site’s mic open again with the floor', async () => micPaused(stagedId) === false);
    // Item 5: muted, the site's status says so and no longer that it has the floor.
    const stagedRow = board.locator(`[data-site-id="${stagedId}"]`);
    await stagedRow.getByRole('button', { name: `Tắt micrô: ${nameOf(stagedId)}` }).click();
    await stagedRoom
      .getByTestId('room-status')
      .filter({ hasText: 'Micrô đang bị chủ trì tắt' })
      .waitFor({ timeout: 10_000 });
    expect(await stagedRoom.getByText('Chủ trì đã cho điểm cầu phát biểu').count()).toBe(0);
    await stagedRow.getByRole('button', { name: `Cho mở micrô: ${nameOf(stagedId)}` }).click();
    await stagedRoom.getByText('Chủ trì đã cho điểm cầu phát biểu').waitFor({ timeout: 10_000 });

    // ---------------------------------------------------------------- the chair locks the meeting
    await chair.getByRole('button', { name: 'Khóa cuộc họp' }).click();
    await chair.getByRole('button', { name: 'Mở khóa cuộc họp' }).waitFor();
    for (const p of rooms) await p.getByText('Cuộc họp đã khóa').waitFor({ timeout: 10_000 });
    // A site that was in comes back into the locked meeting after its page reloads.
    await handRoom.reload();
    await handRoom
      .locator(`li[data-meeting-id="${meetingId}"]`)
      .getByRole('button', { name: 'Kiểm tra thiết bị' })
      .click();
    await handRoom.getByRole('button', { name: 'Vào cuộc họp' }).click();
    await handRoom.locator('[data-testid=conn-state][data-state=online]').waitFor({ timeout: 30_000 });
    await board
      .locator(`[data-site-id="${ROOMS[0]?.roomId}"]`)
      .getByText('Trực tuyến', { exact: true })
      .waitFor({ timeout: 15_000 });

    // ---------------------------------------------------------------- the chair removes a site
    chair.on('dialog', (d) => void d.accept());
    await board
      .locator(`[data-site-id="${mutedId}"]`)
      .getByRole('button', { name: `Mời rời cuộc họp: ${nameOf(mutedId)}` })
      .click();
    await mutedRoom.getByText('Chủ trì đã mời điểm cầu rời cuộc họp.').waitFor({ timeout: 10_000 });
    // Out for good: the camera and microphone are released, and the page offers only the way back.
    await waitFor('the removed room’s camera and microphone released', () => devicesReleased(mutedRoom));
    expect(await mutedRoom.getByRole('button', { name: 'Rời cuộc họp' }).count()).toBe(0);
    expect(await mutedRoom.getByTestId('link-quality').count()).toBe(0);
    await waitFor(
      'the removed site gone from the meeting',
      async () => !hub.meetings.get(meetingId)?.sites.has(mutedId),
    );

    // ---------------------------------------------------------------- the chair ends the meeting
    await chair.getByRole('button', { name: 'Kết thúc cuộc họp' }).click();
    for (const p of [handRoom, stagedRoom]) {
      await p.getByText('Cuộc họp đã kết thúc.').waitFor({ timeout: 10_000 });
      await waitFor('the room’s camera and microphone released at the end', () => devicesReleased(p));
      expect(await p.getByRole('button', { name: 'Rời cuộc họp' }).count()).toBe(0);
    }
    await waitFor('the meeting ended in the schedule', async () => {
      const m = await hub.scheduler.db.meeting.findUniqueOrThrow({ where: { id: meetingId } });
      return m.status === 'ended';
    });
    expect(hub.meetings.get(meetingId)).toBeUndefined();
    // Item 10: the printed attendance report shows when the meeting really ended, not its booked end.
    const report = await sec.context().newPage();
    await report.goto(`${url}/api/meetings/${meetingId}/attendance.html`);
    await report.getByText('kết thúc thực tế', { exact: false }).waitFor();
    await report.close();
    // Item 5: an ended meeting shows its state and offers no answer, check or console (only its recordings).
    await sec
      .locator(`li[data-meeting-id="${meetingId}"]`)
      .locator('[data-testid=meeting-phase][data-phase=ended]', { hasText: 'Đã kết thúc' })
      .waitFor({ timeout: 10_000 });
    for (const p of [handRoom, chair]) {
      await p.reload();
      const card = p.locator(`li[data-meeting-id="${meetingId}"]`);
      await card.getByTestId('meeting-phase').filter({ hasText: 'Đã kết thúc' }).waitFor();
      const buttons = await card.getByRole('button').allTextContents();
      expect(buttons.filter((text) => text !== 'Bản ghi hình')).toEqual([]);
    }

    // ---------------------------------------------------------------- English, the second language
    await sec.getByRole('button', { name: 'English' }).click();
    await sec.getByRole('button', { name: 'Sign out' }).waitFor();
    expect(await sec.getByRole('button', { name: 'Đăng xuất' }).count()).toBe(0);
    // The choice is kept across a reload.
    await sec.reload();
    await sec.getByRole('button', { name: 'Sign out' }).waitFor();
    await sec.getByRole('button', { name: 'Tiếng Việt' }).click();
    await sec.getByRole('button', { name: 'Đăng xuất' }).waitFor();
  });
});
