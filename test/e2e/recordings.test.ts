// In Chromium, as the province's secretariat: the meeting's details list its
// recordings; a build's progress moves without reloading; the ready recording
// plays in the page and seeks near its end (range requests); deleting asks
// first, then the list says who deleted it. Once the meeting is over, the
// chairing room and an invited room find its recording under the meeting.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { DEMO, ensureClientBuilt, launchChromium, login, newPage, waitFor } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { makeTestMp4, seedRecording } from '../helpers/recordings.ts';

const SECONDS = 10;
let hub: Hub;
let browser: Browser;
let mp4: string;
let readyId: string;
let buildingId: string;
let failedId: string;
let sweptId: string;

beforeAll(async () => {
  ensureClientBuilt();
  mp4 = makeTestMp4(SECONDS);
  hub = await startTestHub({ DEMO_DATA: 'true' }, 3);
  browser = await launchChromium();
  const chair = await hub.scheduler.db.user.findUniqueOrThrow({ where: { login: DEMO.chair.login } });
  readyId = await seedRecording(hub, { meetingId: DEMO.meetingId, startedById: chair.id }, mp4, SECONDS * 1000);
  buildingId = await seedRecording(
    hub,
    { meetingId: DEMO.meetingId, status: 'building', buildProgress: 0.25, stopReason: 'recorder_died' },
    mp4,
  );
  failedId = await seedRecording(
    hub,
    { meetingId: DEMO.meetingId, status: 'failed', stopReason: 'disk_full', error: 'ffprobe: no audio stream' },
    mp4,
  );
  sweptId = await seedRecording(
    hub,
    { meetingId: DEMO.meetingId, startedAt: new Date(Date.now() - 400 * 86_400_000) },
    mp4,
  );
  await hub.scheduler.sweepRecordings(new Date());
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.close();
  if (mp4) fs.rmSync(path.dirname(mp4), { recursive: true, force: true });
});

function video(page: Page) {
  return page.locator(`li[data-recording-id="${readyId}"] video`);
}

describe('the meeting’s recordings in the browser', () => {
  it('the secretariat sees them, watches the build progress, plays and seeks the ready one, deletes with a confirmation', async () => {
    const { page } = await newPage(browser, { label: 'secretariat' });
    const partial: string[] = [];
    page.on('response', (res) => {
      if (res.url().includes(`/api/recordings/${readyId}/file`) && res.status() === 206) {
        partial.push(res.headers()['content-range'] ?? '');
      }
    });
    await login(page, hub.url, { login: 'vanphong.tinh', password: 'vanphong123' });
    await page.locator(`li[data-meeting-id="${DEMO.meetingId}"] button`).first().click();
    const section = page.getByTestId('meeting-details').getByTestId('recordings');
    const ready = section.locator(`li[data-recording-id="${readyId}"]`);
    await ready.waitFor();
    const readyText = await ready.innerText();
    expect(readyText).toContain('Sẵn sàng');
    expect(readyText).toContain(`dài 0:${SECONDS}`);
    expect(readyText).toMatch(/do .+ bật/);
    expect(readyText).toMatch(/\d+([,.]\d)? MB/);

    const failed = await section.locator(`li[data-recording-id="${failedId}"]`).innerText();
    expect(failed).toContain('Dựng tệp bị lỗi: ffprobe: no audio stream');
    expect(failed).toContain('Bị gián đoạn: ổ đĩa lưu bản ghi hình đã đầy');
    const swept = await section.locator(`li[data-recording-id="${sweptId}"]`).innerText();
    expect(swept).toMatch(/Đã xoá lúc .+ \(tự động, hết thời hạn lưu\)/);

    // The build moves on in the database; the page follows without a reload.
    const building = section.locator(`li[data-recording-id="${buildingId}"]`);
    expect(await building.innerText()).toContain('Đang dựng tệp (25%)');
    expect(await building.innerText()).toContain('Bị gián đoạn: trình ghi hình dừng đột ngột');
    await hub.scheduler.db.recording.update({ where: { id: buildingId }, data: { buildProgress: 0.7 } });
    await building.getByText('Đang dựng tệp (70%)').waitFor({ timeout: 10_000 });
    expect(await building.locator('progress').getAttribute('value')).toBe('0.7');

    // Played in the page: it loads, runs, and seeks near its end.
    await ready.getByRole('button', { name: 'Xem' }).click();
    await waitFor('the video to load', () => video(page).evaluate((v: HTMLVideoElement) => v.readyState >= 2));
    await video(page).evaluate((v: HTMLVideoElement) => v.play());
    await waitFor('playback to advance', () =>
      video(page).evaluate((v: HTMLVideoElement) => (v.currentTime > 0.5 ? v.currentTime : null)),
    );
    expect(await video(page).evaluate((v: HTMLVideoElement) => Math.round(v.duration))).toBe(SECONDS);
    await video(page).evaluate(
      (v: HTMLVideoElement, at: number) =>
        new Promise<void>((resolve) => {
          v.addEventListener('seeked', () => resolve(), { once: true });
          v.currentTime = at;
        }),
      SECONDS - 1,
    );
    await waitFor('the picture at the seek', () =>
      video(page).evaluate(
        (v: HTMLVideoElement, end: number) => v.readyState >= 2 && v.currentTime >= end - 1.2,
        SECONDS,
      ),
    );
    expect(partial.length).toBeGreaterThan(0);
    expect(await ready.getByRole('link', { name: 'Tải xuống (MP4)' }).getAttribute('href')).toBe(
      `/api/recordings/${readyId}/file`,
    );

    // Deleting asks first; cancelling keeps it.
    await ready.getByRole('button', { name: 'Xoá', exact: true }).click();
    await ready.getByText('Xoá bản ghi hình này? Tệp bị xoá hẳn, không khôi phục được.').waitFor();
    await ready.getByRole('button', { name: 'Hủy' }).click();
    expect(await ready.getAttribute('data-status')).toBe('ready');
    await ready.getByRole('button', { name: 'Xoá', exact: true }).click();
    await ready.getByRole('button', { name: 'Xoá hẳn' }).click();
    await section.locator(`li[data-recording-id="${readyId}"][data-status="deleted"]`).waitFor();
    expect(await ready.innerText()).toMatch(/Đã xoá lúc \d\d:\d\d \d\d\/\d\d\/\d{4} \(.+\)/);
    expect(await ready.locator('video').count()).toBe(0);
  }, 120_000);

  it('once the meeting is over, the chairing room and an invited room find its recording, without a delete', async () => {
    await hub.scheduler.db.meeting.update({ where: { id: DEMO.meetingId }, data: { status: 'ended' } });
    const id = await seedRecording(hub, { meetingId: DEMO.meetingId }, mp4, SECONDS * 1000);
    for (const who of [{ login: 'dc.tinh', list: 'chaired-meetings' }, { login: DEMO.rooms[0].login }]) {
      const { page } = await newPage(browser, { label: who.login });
      await login(page, hub.url, { login: who.login, password: 'diemcau123' });
      const scope = who.list ? page.getByTestId(who.list) : page;
      const card = scope.locator(`li[data-meeting-id="${DEMO.meetingId}"]`);
      await card.getByRole('button', { name: 'Bản ghi hình' }).click();
      const item = card.locator(`li[data-recording-id="${id}"]`);
      await item.getByText('Sẵn sàng').waitFor();
      expect(await item.getByRole('button', { name: 'Xem' }).count()).toBe(1);
      expect(await item.getByRole('button', { name: 'Xoá', exact: true }).count()).toBe(0);
      await page.context().close();
    }
  }, 60_000);
});
