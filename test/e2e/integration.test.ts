// In Chromium: the secretariat books a meeting while the mail server is down
// and reads, on the meeting's details, that the invitation waits (with its next
// attempt and the error), then that it was sent once the server is back; the
// administrator registers a webhook, sees its secret once, sends the test event
// and reads it delivered in the log.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { ensureClientBuilt, launchChromium, login, newPage } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { SmtpSink } from '../helpers/smtpSink.ts';

const CHAIR_ROOM = 'hbx-r1';
const GUEST_ROOM = 'hbx-h02-x01-r1';
const CONTACT = 'vanthu.h02x01@example.gov.vn';
const TITLE = `Họp thử thư mời ${new Date().toISOString().slice(11, 19)}`;

let hub: Hub;
let browser: Browser;
let receiver: http.Server;
const sink = new SmtpSink();
const received: string[] = [];

function tomorrow(): string {
  const iso = new Date(Date.now() + 86_400_000 + 7 * 3600_000).toISOString().slice(0, 10);
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

beforeAll(async () => {
  ensureClientBuilt();
  await sink.start();
  await sink.stop(); // the mail server is down when the meeting is booked
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push(body);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hub = await startTestHub(
    {
      DEMO_DATA: 'true',
      MEDIASOUP_WORKERS: '1',
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      MAIL_FROM: 'Hội nghị truyền hình <hop@example.gov.vn>',
      PUBLIC_URL: 'https://hop.example.gov.vn',
      OUTBOX_RETRY_BASE_MS: '500',
      OUTBOX_RETRY_MAX_MS: '1000',
      OUTBOX_POLL_MS: '200',
    },
    3,
  );
  await hub.scheduler.db.endpointRoom.update({
    where: { id: GUEST_ROOM },
    data: { contactEmails: JSON.stringify([CONTACT]) },
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await hub?.close();
  await sink.stop();
  await new Promise((r) => receiver?.close(r));
});

async function roomName(id: string): Promise<string> {
  return (await hub.scheduler.db.endpointRoom.findUniqueOrThrow({ where: { id } })).name;
}

describe('invitations by e-mail and webhooks, on screen', () => {
  it('the secretariat sees the invitation wait while the mail server is down, then sent', async () => {
    const { page: sec } = await newPage(browser, { label: 'secretariat' });
    await login(sec, hub.url, { login: 'vanphong.tinh', password: 'vanphong123' });
    await sec.getByRole('button', { name: /Đặt lịch họp/ }).click();
    await sec.locator('input[name=title]').fill(TITLE);
    await sec.locator('input[name=date]').fill(tomorrow());
    await sec.locator('input[name=start]').fill('09:00');
    await sec.locator('input[name=end]').fill('10:00');
    await sec.getByRole('searchbox', { name: 'Tìm điểm cầu chủ trì' }).fill(await roomName(CHAIR_ROOM));
    await sec.getByRole('radio', { name: await roomName(CHAIR_ROOM), exact: true }).check();
    await sec.getByRole('searchbox', { name: 'Tìm đơn vị hoặc điểm cầu' }).fill(await roomName(GUEST_ROOM));
    await sec.getByRole('checkbox', { name: await roomName(GUEST_ROOM), exact: true }).check();
    await sec.getByRole('button', { name: 'Đặt lịch', exact: true }).click();
    const details = sec.getByTestId('meeting-details');
    await details.getByRole('heading', { name: TITLE }).waitFor();

    const mails = details.getByTestId('mail-deliveries');
    const letter = mails.locator('li').filter({ hasText: CONTACT });
    await letter.filter({ hasText: /Đang chờ gửi, thử lại lúc \d\d:\d\d/ }).waitFor({ timeout: 20_000 });
    expect(await letter.textContent()).toContain('Thư mời');
    expect(await letter.textContent()).toMatch(/Lỗi: .*(ECONNREFUSED|connect)/);

    await sink.start();
    await letter.filter({ hasText: /Đã gửi lúc \d\d:\d\d/ }).waitFor({ timeout: 20_000 });
    const [mail] = await sink.waitFor(1);
    expect(mail).toMatchObject({ to: [CONTACT], method: 'REQUEST' });
  }, 90_000);

  it('the administrator registers a webhook, sees its secret once, and the test event arrives', async () => {
    const { page } = await newPage(browser, { label: 'admin' });
    await login(page, hub.url, { login: 'admin', password: 'admin123' });
    await page.getByRole('button', { name: 'Webhook', exact: true }).click();
    await page.getByRole('heading', { name: 'Webhook: báo sự kiện cho phần mềm khác' }).waitFor();
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/diemcau`;
    await page.getByLabel('Địa chỉ nhận (URL)').fill(url);
    await page.getByLabel('Mô tả').fill('Phần mềm quản lý văn bản');
    await page.getByRole('button', { name: 'Đăng ký webhook' }).click();
    const secret = await page.getByTestId('webhook-secret').textContent();
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Đã lưu khóa' }).click();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);

    const item = page.locator('li', { hasText: url });
    await item.getByRole('button', { name: 'Gửi sự kiện thử' }).click();
    await item.getByRole('table').getByText('Đã gửi (HTTP 204), 1 lần thử').waitFor({ timeout: 15_000 });
    expect(await item.getByRole('table').textContent()).toContain('Sự kiện thử');
    expect(received.some((b) => JSON.parse(b).type === 'webhook.test')).toBe(true);
  }, 60_000);
});
