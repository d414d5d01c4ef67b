// Content sharing and the chair's layout in real Chromium: a commune asks to
// present, the chair allows, the commune presents (Chromium's fake display
// capture: with --use-fake-ui-for-media-stream and the fake devices, Debian's
// Chromium 150 hands getDisplayMedia a synthetic 1920×1080 "screen" with sound
// whatever tab or source flag is given); every other page decodes the content
// (frames advancing, larger than a camera thumbnail) as its main picture with
// the speaker inset; the chair stops it and every page goes back. Then the
// chair switches the layout and each site's page shows it (the chair picking
// the grid's sites on its board), and a site pins
// its own view without changing the others'. Screenshots go to docs/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { login as apiLogin, bookMeetingNow } from '../helpers/api.ts';
import {
  DEMO,
  ensureClientBuilt,
  joinAsRoom,
  launchChromium,
  newPage,
  openChairConsole,
  ROOT,
  waitFor,
} from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';

const DOC_SHOTS = path.join(ROOT, 'docs', 'screenshots');
const [x01, x02] = DEMO.rooms;

/** What a page's video decodes, `ms` apart: its size and how many frames arrived meanwhile. */
async function decoding(page: Page, selector: string, ms = 1500) {
  const sample = () =>
    page.evaluate((sel) => {
      const video = document.querySelector<HTMLVideoElement>(`${sel} video`);
      if (!video) return null;
      return {
        width: video.videoWidth,
        height: video.videoHeight,
        frames: video.getVideoPlaybackQuality().totalVideoFrames,
      };
    }, selector);
  const first = await sample();
  await page.waitForTimeout(ms);
  const second = await sample();
  if (!first || !second) return null;
  return { width: second.width, height: second.height, framesAdvanced: second.frames - first.frames };
}

const layoutOf = (page: Page) => page.getByTestId('meeting-view').getAttribute('data-layout');

describe('content sharing and layouts in Chromium', () => {
  let hub: Hub;
  let browser: Browser;

  beforeAll(async () => {
    ensureClientBuilt();
    hub = await startTestHub({ DEMO_DATA: 'true', MEDIASOUP_WORKERS: '2' }, 1);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.close();
  });

  it('presents a commune’s screen to every site, and the chair stops it', { timeout: 240_000 }, async () => {
    const secretariat = await apiLogin(hub, { login: 'vanphong.tinh', password: 'vanphong123' });
    const meetingId = await bookMeetingNow(secretariat, 'Họp trình chiếu báo cáo', DEMO.chairRoomId, [
      x01.roomId,
      x02.roomId,
    ]);
    const viewport = { width: 1440, height: 900 };
    const chair = (await newPage(browser, { label: 'chair', viewport })).page;
    const presenter = (await newPage(browser, { label: 'x01', viewport })).page;
    const viewer = (await newPage(browser, { label: 'x02', viewport })).page;
    await openChairConsole(chair, hub.url, DEMO.chair, meetingId);
    await joinAsRoom(presenter, hub.url, x01, meetingId);
    await joinAsRoom(viewer, hub.url, x02, meetingId);
    for (const page of [chair, presenter, viewer]) {
      await page.locator('[data-testid="conn-state"][data-state="online"]').waitFor({ timeout: 30_000 });
    }

    // The commune asks; the chair's board shows the request; the chair allows.
    await presenter.getByRole('button', { name: 'Xin trình chiếu' }).click();
    await presenter.getByText('Đang chờ chủ trì cho phép trình chiếu').waitFor();
    const request = chair.locator(`[data-testid="present-request"][data-site-id="${x01.roomId}"]`);
    await request.getByRole('button', { name: 'Cho phép' }).click();
    await presenter.getByText('Chủ trì đã cho phép trình chiếu').waitFor();
    await presenter.getByRole('button', { name: 'Trình chiếu', exact: true }).click();
    await presenter.getByText('Điểm cầu đang trình chiếu').waitFor();

    // Every other page: the content as the main picture, decoded, larger than a thumbnail, frames advancing.
    for (const page of [viewer, chair]) {
      await waitFor('the content layout', async () => (await layoutOf(page)) === 'content');
      const content = `[data-testid="content-video"][data-peer-id="${x01.roomId}"]`;
      const seen = await waitFor(
        'the content decoded',
        async () => {
          const d = await decoding(page, content);
          return d && d.width > 640 && d.framesAdvanced > 0 ? d : undefined;
        },
        30_000,
      );
      expect(seen.width).toBeGreaterThan(640);
      expect(seen.height).toBeGreaterThan(360);
    }
    // The commune's page shows its own screen; the chair's board says who presents.
    await presenter.locator('[data-testid="content-video"][data-peer-id="self"]').waitFor();
    await chair.locator(`[data-testid="presenter"][data-presenter="${x01.roomId}"][data-live="true"]`).waitFor();
    // The viewer sees the speaker (the chair) inset over the content.
    await viewer.locator(`[data-testid="speaker-inset"][data-peer-id="${DEMO.chairRoomId}"]`).waitFor();
    await viewer.waitForTimeout(1500);
    fs.mkdirSync(DOC_SHOTS, { recursive: true });
    await viewer.screenshot({ path: path.join(DOC_SHOTS, 'room-content.png') });
    await chair.screenshot({ path: path.join(DOC_SHOTS, 'chair-content.png') });

    // The chair stops it: every page goes back to the speaker layout; the commune stops capturing.
    await chair.getByRole('button', { name: /^Dừng trình chiếu của/ }).click();
    for (const page of [viewer, chair, presenter]) {
      await waitFor('the speaker layout again', async () => (await layoutOf(page)) === 'speaker');
      expect(await page.getByTestId('content-video').count()).toBe(0);
    }
    await presenter.getByRole('button', { name: 'Xin trình chiếu' }).waitFor();
    expect(await presenter.getByText('Điểm cầu đang trình chiếu').count()).toBe(0);
    // On the hub, nobody holds a consumer of content any more.
    const meeting = hub.meetings.get(meetingId);
    const contentConsumers = [...(meeting?.sites.values() ?? [])].flatMap((s) =>
      [...s.consumers.values()].filter((c) => c.appData.content),
    );
    expect(contentConsumers).toEqual([]);

    // The chair's layout: the grid on every site (the chair, the other site, its own picture).
    await chair.getByTestId('layout-chair').selectOption('grid');
    for (const page of [presenter, viewer]) {
      await waitFor('the grid', async () => (await layoutOf(page)) === 'grid');
      await page.locator('[data-testid="grid-view"][data-tiles="3"]').waitFor();
      const chairTile = `[data-testid="grid-tile"][data-peer-id="${DEMO.chairRoomId}"]`;
      await waitFor(
        'the chair decoded in the grid',
        async () => ((await decoding(page, chairTile, 500))?.width ?? 0) > 0,
      );
    }
    await waitFor('the other site in the grid', async () => {
      const tile = `[data-testid="grid-tile"][data-peer-id="${x01.roomId}"]`;
      return ((await decoding(viewer, tile, 500))?.width ?? 0) > 0;
    });
    await viewer.screenshot({ path: path.join(DOC_SHOTS, 'room-grid.png') });
    // The chair takes the other site out of the grid on its board row, then puts it back.
    const presenterRow = chair.locator(`.board__row[data-site-id="${x01.roomId}"]`);
    await presenterRow.getByRole('button', { name: /^Bỏ khỏi lưới/ }).click();
    await viewer.locator('[data-testid="grid-view"][data-tiles="2"]').waitFor();
    expect(await viewer.locator(`[data-testid="grid-tile"][data-peer-id="${x01.roomId}"]`).count()).toBe(0);
    await presenterRow.getByRole('button', { name: /^Đưa vào lưới/ }).click();
    await viewer.locator(`[data-testid="grid-tile"][data-peer-id="${x01.roomId}"]`).waitFor();

    // Side by side; then the viewer pins the speaker view for itself only.
    await chair.getByTestId('layout-chair').selectOption('sideBySide');
    for (const page of [presenter, viewer]) {
      await waitFor('side by side', async () => (await layoutOf(page)) === 'sideBySide');
      await page.getByTestId('side-chair').waitFor();
    }
    await viewer.getByTestId('layout-room').selectOption('speaker');
    await waitFor('the viewer’s own pin', async () => (await layoutOf(viewer)) === 'speaker');
    expect(await layoutOf(presenter)).toBe('sideBySide');
    expect(await layoutOf(chair)).toBe('sideBySide');
  });
});
