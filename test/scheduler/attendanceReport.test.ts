// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// The printed attendance report tells when the meeting really ended, not only
// when it was booked to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toLocalText } from '../../scheduler/time.ts';
import { type Client, hours, startHub, type TestHub, vn } from './helpers.ts';

let hub: TestHub;
let provSec: Client;
let chair: Client;

beforeAll(async () => {
  hub = await startHub();
  [provSec, chair] = await Promise.all([
    hub.login('vanphong.tinh', 'vanphong123'),
    hub.login('chutri.tinh', 'chutri123'),
  ]);
});

afterAll(async () => {
  await hub?.close();
});

describe('printed attendance report', () => {
  it('a meeting ended early shows the time it ended, with the scheduled end beside it', async () => {
    const start = new Date(Math.floor((Date.now() - hours(1)) / 60_000) * 60_000);
    const scheduledEnd = new Date(start.getTime() + hours(3));
    const booked = await provSec.call('POST', '/api/meetings', {
      title: 'Họp kết thúc sớm',
      startAt: vn(start),
      endAt: vn(scheduledEnd),
      chairRoomId: 'hbx-r6',
      invite: { roomIds: ['hbx-s05-r2'] },
    });
    expect(booked.status).toBe(201);
    const id = booked.body.meeting.id;

    const before = await provSec.call('GET', `/api/meetings/${id}/attendance.html`);
    expect(before.text).toContain(`${toLocalText(start)} – ${toLocalText(scheduledEnd)} (giờ Việt Nam)`);

    const pressedEnd = Date.now();
    expect((await chair.call('POST', `/api/meetings/${id}/end`)).status).toBe(200);

    const json = await provSec.call('GET', `/api/meetings/${id}/attendance`);
    const endedAt = new Date(json.body.meeting.endedAt);
    expect(Math.abs(endedAt.getTime() - pressedEnd)).toBeLessThan(10_000);
    expect(json.body.meeting.endAt).toBe(scheduledEnd.toISOString());

    const html = (await provSec.call('GET', `/api/meetings/${id}/attendance.html`)).text;
    expect(html).toContain(
      `${toLocalText(start)} – ${toLocalText(endedAt)} (giờ Việt Nam; kết thúc thực tế, theo lịch đến ${toLocalText(scheduledEnd)})`,
    );
    expect(html).not.toContain(`${toLocalText(start)} – ${toLocalText(scheduledEnd)} (giờ Việt Nam)`);
  });

  it('a meeting that ran to its scheduled end shows that end only', async () => {
    const json = await provSec.call('GET', '/api/meetings/demo-giao-ban-thang/attendance');
    expect(json.body.meeting.status).toBe('ended');
    expect(json.body.meeting.endedAt).toBe(json.body.meeting.endAt);
    const html = (await provSec.call('GET', '/api/meetings/demo-giao-ban-thang/attendance.html')).text;
    const { startAt, endAt } = json.body.meeting;
    expect(html).toContain(`${toLocalText(new Date(startAt))} – ${toLocalText(new Date(endAt))} (giờ Việt Nam)</p>`);
    expect(html).not.toContain('kết thúc thực tế');
  });
});
