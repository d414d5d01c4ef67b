// Recording a meeting in real Chromium: the chair (a red picture, a 440 Hz
// tone) and two communes (blue with 660 Hz, green with 880 Hz) from files
// through Chromium's fake devices. The chair records 20 s with a stage change
// in the middle; the MP4 built afterwards has H.264 and AAC, lasts 20 ± 1 s,
// is not silent, and shows the chair's red before the change and the staged
// commune's blue after it. Then the recorder is killed mid-recording: the
// chair is told, the sites go on receiving media, and what was written plays.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { recordingMp4, recordingTimeline } from '../../scheduler/recordingFiles.ts';
import { login as apiLogin, bookMeetingNow } from '../helpers/api.ts';
import {
  DEMO,
  ensureClientBuilt,
  inboundBytes,
  joinAsRoom,
  launchChromium,
  newPage,
  openChairConsole,
  waitFor,
} from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { fakeCaptureArgs, meanColour, meanVolume, mediaFacts, solidVideo, toneWav } from '../helpers/media.ts';

const [x01, x02] = DEMO.rooms;

describe('recording a meeting', () => {
  let hub: Hub;
  let browsers: Browser[] = [];
  let mediaDir: string;
  let chair: Page;
  let site1: Page;
  let site2: Page;
  let meetingId: string;

  async function pageWith(colour: string, hz: number, label: string): Promise<Page> {
    const browser = await launchChromium({
      args: fakeCaptureArgs(solidVideo(mediaDir, colour), toneWav(mediaDir, hz)),
    });
    browsers.push(browser);
    return (await newPage(browser, { label })).page;
  }

  async function recordingRow(id: string) {
    return hub.scheduler.db.recording.findUniqueOrThrow({ where: { id } });
  }

  async function built(id: string) {
    return waitFor(
      'the recording built',
      async () => {
        const row = await recordingRow(id);
        if (row.status === 'failed') throw new Error(`build failed: ${row.error}`);
        return row.status === 'ready' && row;
      },
      900_000,
      1000,
    );
  }

  beforeAll(async () => {
    ensureClientBuilt();
    mediaDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-rec-media-'));
    hub = await startTestHub({ DEMO_DATA: 'true', MEDIASOUP_WORKERS: '2' }, 1);
    const secretariat = await apiLogin(hub, { login: 'vanphong.tinh', password: 'vanphong123' });
    meetingId = await bookMeetingNow(secretariat, 'Họp có ghi hình', DEMO.chairRoomId, [x01.roomId, x02.roomId]);
    chair = await pageWith('red', 440, 'chair');
    site1 = await pageWith('blue', 660, 'x01');
    site2 = await pageWith('green', 880, 'x02');
    chair.on('dialog', (dialog) => void dialog.accept());
    await openChairConsole(chair, hub.url, DEMO.chair, meetingId);
    await joinAsRoom(site1, hub.url, x01, meetingId);
    await joinAsRoom(site2, hub.url, x02, meetingId);
  }, 400_000);

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
    browsers = [];
    await hub?.close();
    if (mediaDir) fs.rmSync(mediaDir, { recursive: true, force: true });
  });

  const cameraOf = (siteId: string) => hub.meetings.get(meetingId)?.sites.get(siteId)?.producersOf('camera')[0]?.id;
  const indicator = (page: Page) => page.getByTestId('recording-indicator');

  it('records 20 s with a stage change into one MP4 of what the sites saw and heard', {
    timeout: 1_200_000,
  }, async () => {
    await waitFor(
      'the chair and x01 sending their cameras',
      async () => cameraOf(DEMO.chairRoomId) && cameraOf(x01.roomId),
      30_000,
    );
    await chair.getByTestId('recording-start').click();
    await indicator(chair).waitFor();
    // Timed from the hub's own start (the same clock): a loaded machine renders pages late.
    const [first] = await hub.scheduler.db.recording.findMany({ where: { meetingId } });
    const startedAt = first?.startedAt.getTime() ?? Date.now();
    await Promise.all([indicator(site1).waitFor({ timeout: 10_000 }), indicator(site2).waitFor({ timeout: 10_000 })]);

    await chair.waitForTimeout(Math.max(0, startedAt + 8000 - Date.now()));
    await chair
      .locator(`[data-site-id="${x01.roomId}"]`)
      .getByRole('button', { name: /^Đưa lên màn hình chính/ })
      .click();
    await waitFor('x01 on stage', async () => hub.meetings.get(meetingId)?.state().stageSiteId === x01.roomId, 5000);
    // Stopped by the hub's clock (the console's stop button, which asks first, is clicked in the next test):
    // a loaded machine's page can take seconds to click.
    await chair.waitForTimeout(Math.max(0, startedAt + 20_000 - Date.now()));
    await hub.meetings.get(meetingId)?.recording.stop({ roomId: DEMO.chairRoomId, userId: first?.startedById ?? null });
    await indicator(chair).waitFor({ state: 'detached' });
    await indicator(site1).waitFor({ state: 'detached' });

    const rows = await hub.scheduler.db.recording.findMany({ where: { meetingId } });
    expect(rows).toHaveLength(1);
    const row = await built(rows[0]?.id as string);
    expect(row.stopReason).toBe('chair');
    const audit = await hub.scheduler.db.auditLog.findMany({
      where: { entityId: meetingId, action: { startsWith: 'recording.' } },
      orderBy: { at: 'asc' },
    });
    expect(audit.map((a) => [a.action, a.userLogin])).toEqual([
      ['recording.start', DEMO.chair.login],
      ['recording.stop', DEMO.chair.login],
    ]);

    const mp4 = recordingMp4(hub.config.RECORDINGS_DIR, row.id);
    const facts = mediaFacts(mp4);
    expect(facts.codecs).toEqual(expect.arrayContaining(['video:h264', 'audio:aac']));
    const recordedS = ((row.stoppedAt?.getTime() ?? 0) - row.startedAt.getTime()) / 1000;
    expect(Math.abs(facts.durationS - recordedS)).toBeLessThanOrEqual(1);
    expect(Math.abs(facts.durationS - 20)).toBeLessThanOrEqual(1);
    expect(meanVolume(mp4)).toBeGreaterThan(-40);
    // The picture a second before the stage change, and at the end (a new picture takes a key frame).
    const timeline = fs.readFileSync(recordingTimeline(hub.config.RECORDINGS_DIR, row.id), 'utf8');
    const stageMs = timeline
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { type: string; siteId?: string; ms: number })
      .find((e) => e.type === 'stage' && e.siteId === x01.roomId)?.ms;
    expect(stageMs).toBeGreaterThan(2000);
    const before = meanColour(mp4, (stageMs as number) / 1000 - 1);
    const after = meanColour(mp4, facts.durationS - 1);
    // The chair's red on the main picture before the stage change, x01's blue after it.
    expect(before[0]).toBeGreaterThan(before[2] + 80);
    expect(after[2]).toBeGreaterThan(after[0] + 80);
    // The raw tracks went once the MP4 was verified.
    expect(fs.existsSync(path.join(path.dirname(mp4), 'raw'))).toBe(false);
  });

  it('stops cleanly when the recorder is killed, and the meeting goes on', { timeout: 1_200_000 }, async () => {
    await chair.getByTestId('recording-start').click();
    await indicator(site1).waitFor();
    // A site that joins during the recording sees it too: x02 connects again from a new window.
    const late = (await newPage(browsers[2] as Browser, { label: 'x02 again' })).page;
    await joinAsRoom(late, hub.url, x02, meetingId);
    await indicator(late).waitFor({ timeout: 60_000 });
    expect(await indicator(late).textContent()).toContain('Đang ghi hình');
    const meeting = hub.meetings.get(meetingId);
    const main = await waitFor(
      'the main picture being written',
      async () =>
        meeting?.recording
          .captures()
          .find((c) => c.role === 'main' && fs.existsSync(c.file) && fs.statSync(c.file).size > 2000),
      60_000,
    );
    await chair.waitForTimeout(3000);
    process.kill(main.pid as number, 'SIGKILL');
    const partial = path.join(mediaDir, 'partial.mkv');
    fs.copyFileSync(main.file, partial);

    await chair.getByRole('alert').filter({ hasText: 'Bộ ghi hình đã dừng đột ngột' }).waitFor({ timeout: 10_000 });
    await indicator(site1).waitFor({ state: 'detached' });
    // The sites still receive the meeting's media.
    const first = await inboundBytes(site1);
    await site1.waitForTimeout(2000);
    const second = await inboundBytes(site1);
    expect(second.video).toBeGreaterThan(first.video);
    expect(second.audio).toBeGreaterThan(first.audio);
    // What was written plays.
    const partialFacts = mediaFacts(partial);
    expect(partialFacts.codecs).toEqual(['video:vp8']);
    const rows = await hub.scheduler.db.recording.findMany({ where: { meetingId }, orderBy: { startedAt: 'desc' } });
    const row = await built(rows[0]?.id as string);
    expect(row.stopReason).toBe('recorder_died');
    expect(mediaFacts(recordingMp4(hub.config.RECORDINGS_DIR, row.id)).codecs).toEqual(
      expect.arrayContaining(['video:h264', 'audio:aac']),
    );

    // The chair records again and stops from the console (it asks first).
    await chair.getByTestId('recording-start').click();
    await indicator(site1).waitFor();
    await chair.getByTestId('recording-stop').click();
    await indicator(site1).waitFor({ state: 'detached' });
    const last = await hub.scheduler.db.recording.findFirstOrThrow({
      where: { meetingId },
      orderBy: { startedAt: 'desc' },
    });
    expect(last.stopReason).toBe('chair');
  });
});
