// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// Invitations by e-mail through a real SMTP server started here (smtp-server),
// the letters parsed as a mail client would (mailparser) and their .ics as a
// calendar would (node-ical): a booking invites, a change of time updates the
// same event with a higher SEQUENCE, a cancel removes it. The mail server down
// never blocks booking; the secretariat sees the letters pending, and they go
// out in order once it is back, across a hub restart too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../hub/config.ts';
import { SmtpSink } from '../helpers/smtpSink.ts';
import { type Client, hours, startHub, type TestHub, vn } from './helpers.ts';

const sink = new SmtpSink();
let hub: TestHub;
let sec: Client;
let env: Record<string, string>;
const CONTACTS = ['vanthu.x01@example.gov.vn', 'it.x01@example.gov.vn'];
const INVITED = 'hbx-h01-x01-r1';

let slot = 0;
function nextSlot(): { start: Date; end: Date } {
  slot += 1;
  const base = Date.UTC(2032, 2, 1, 1, 0, 0) + slot * 7 * 86_400_000;
  return { start: new Date(base), end: new Date(base + hours(2)) };
}

async function book(title: string): Promise<string> {
  const { start, end } = nextSlot();
  const res = await sec.call('POST', '/api/meetings', {
    title,
    startAt: vn(start),
    endAt: vn(end),
    chairRoomId: 'hbx-r1',
    invite: { roomIds: [INVITED] },
  });
  expect(res.status).toBe(201);
  return res.body.meeting.id;
}

async function deliveries(meetingId: string): Promise<any[]> {
  const res = await sec.call('GET', `/api/meetings/${meetingId}/mail-deliveries`);
  expect(res.status).toBe(200);
  return res.body.deliveries;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  await sink.start();
  env = {
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    MAIL_FROM: 'Hội nghị truyền hình <hop@example.gov.vn>',
    PUBLIC_URL: 'https://hop.example.gov.vn',
    OUTBOX_RETRY_BASE_MS: '300',
    OUTBOX_RETRY_MAX_MS: '1000',
    OUTBOX_POLL_MS: '100',
  };
  hub = await startHub(env);
  const admin = await hub.login('admin', 'admin123');
  const set = await admin.call('PATCH', `/api/rooms/${INVITED}`, {
    contactEmails: [' VanThu.X01@example.gov.vn', CONTACTS[1]],
  });
  expect(set.status).toBe(200);
  expect(set.body.room.contactEmails).toEqual(CONTACTS);
  const bad = await admin.call('PATCH', `/api/rooms/${INVITED}`, { contactEmails: ['không phải thư'] });
  expect(bad.status).toBe(400);
  sec = await hub.login('vanphong.tinh', 'vanphong123');
});

afterAll(async () => {
  await hub?.close();
  await sink.stop();
});

describe('invitations by e-mail', () => {
  it('SMTP needs a sender and the public address; without SMTP no letter is configured', () => {
    const base = { HOST: '127.0.0.1', HTTPS: 'false', DEMO_DATA: 'false' };
    expect(loadConfig(base).smtp).toBeNull();
    expect(() => loadConfig({ ...base, SMTP_HOST: 'mail.example.gov.vn' })).toThrow(/MAIL_FROM is required/);
    expect(() => loadConfig({ ...base, SMTP_HOST: 'mail.example.gov.vn', MAIL_FROM: 'hop@example.gov.vn' })).toThrow(
      /PUBLIC_URL is required/,
    );
    expect(() => loadConfig({ ...base, SMTP_URL: 'http://mail.example.gov.vn' })).toThrow(/SMTP_URL/);
    const parts = loadConfig({
      ...base,
      SMTP_HOST: 'mail.example.gov.vn',
      SMTP_PORT: '465',
      SMTP_SECURE: 'true',
      SMTP_USER: 'hop',
      SMTP_PASSWORD: 'secret',
      MAIL_FROM: 'hop@example.gov.vn',
      PUBLIC_URL: 'https://hop.example.gov.vn',
    });
    expect(parts.smtp?.transport).toEqual({
      host: 'mail.example.gov.vn',
      port: 465,
      secure: true,
      auth: { user: 'hop', pass: 'secret' },
    });
  });

  it('a booking invites each contact; a change of time updates the same event; a cancel removes it', async () => {
    const id = await book('Họp giao ban tháng 3');
    const [first, second] = await sink.waitFor(2);
    expect([first?.to, second?.to].flat().sort()).toEqual([...CONTACTS].sort());
    expect(first?.subject).toMatch(/^Giấy mời họp: Họp giao ban tháng 3/);
    expect(first?.text).toContain('Kính gửi: ');
    expect(first?.text).toContain('https://hop.example.gov.vn');
    expect(first).toMatchObject({ method: 'REQUEST', uid: `${id}@hop.example.gov.vn`, sequence: 0 });

    const moved = new Date(first?.start.getTime() ?? 0);
    moved.setUTCHours(moved.getUTCHours() + 1);
    const patch = await sec.call('PATCH', `/api/meetings/${id}`, {
      startAt: vn(moved),
      endAt: vn(new Date(moved.getTime() + hours(2))),
    });
    expect(patch.status).toBe(200);
    const update = (await sink.waitFor(4)).slice(2);
    for (const mail of update) {
      expect(mail).toMatchObject({ method: 'REQUEST', uid: `${id}@hop.example.gov.vn`, sequence: 1 });
      expect(mail.start.getTime()).toBe(moved.getTime());
      expect(mail.subject).toMatch(/^Thay đổi lịch họp/);
    }

    const cancel = await sec.call('POST', `/api/meetings/${id}/cancel`, { reason: 'Lãnh đạo bận' });
    expect(cancel.status).toBe(200);
    const cancelled = (await sink.waitFor(6)).slice(4);
    for (const mail of cancelled) expect(mail).toMatchObject({ method: 'CANCEL', uid: `${id}@hop.example.gov.vn` });
    expect(cancelled[0]?.sequence).toBeGreaterThan(1);

    const feed = await sec.call('GET', `/api/meetings/${id}/calendar.ics`);
    expect(feed.text).toContain(`UID:${id}@hop.example.gov.vn`);

    const rows = await deliveries(id);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.status === 'sent' && r.roomId === INVITED)).toBe(true);
  });

  it('with the mail server down booking still succeeds, the letters wait, and go out in order once it is back', async () => {
    sink.mails.length = 0;
    await sink.stop();
    const id = await book('Họp khi máy chủ thư ngừng');
    const patch = await sec.call('PATCH', `/api/meetings/${id}`, { title: 'Họp khi máy chủ thư ngừng (đổi tên)' });
    expect(patch.status).toBe(200);
    await waitUntil(async () => (await deliveries(id)).some((r) => r.attempts > 0));
    const waiting = await deliveries(id);
    expect(waiting).toHaveLength(4);
    expect(waiting.every((r) => r.status === 'pending' && r.nextAttemptAt)).toBe(true);
    expect(waiting.find((r) => r.attempts > 0).lastError).toMatch(/ECONNREFUSED|connect/i);

    await sink.start();
    const mails = await sink.waitFor(4);
    for (const to of CONTACTS) {
      const theirs = mails.filter((m) => m.to.includes(to));
      expect(theirs.map((m) => m.sequence)).toEqual([0, 1]);
      expect(theirs[1]?.subject).toContain('(đổi tên)');
    }
    await waitUntil(async () => (await deliveries(id)).every((r) => r.status === 'sent'));
  });

  it('letters pending when the hub stops go out after it starts again', async () => {
    sink.mails.length = 0;
    await sink.stop();
    const id = await book('Họp trước khi khởi động lại');
    await waitUntil(async () => (await deliveries(id)).some((r) => r.attempts > 0));
    const dir = hub.dir;
    await hub.close({ keepFiles: true });

    await sink.start();
    hub = await startHub(env, { dir });
    sec = await hub.login('vanphong.tinh', 'vanphong123');
    const mails = await sink.waitFor(2);
    expect(mails.every((m) => m.uid === `${id}@hop.example.gov.vn` && m.method === 'REQUEST')).toBe(true);
    await waitUntil(async () => (await deliveries(id)).every((r) => r.status === 'sent'));
  });
});
