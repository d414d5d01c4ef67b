// The meeting's chat end to end in real Chromium against a real hub (workers,
// SQLite with the demo province, socket.io) serving the built client: the
// chair's console and two communes in the demo's live meeting. A commune's
// messages reach the chair and the other commune in order, the unread badge
// counting them; `<script>` and links show as plain text; a private message
// reaches only the chair; a 10 000-character message and a burst of 50 get
// clear errors and nothing else breaks; after a reload the history is back.
// Also: the booking form shows dd/mm/yyyy and 24-hour times in an
// English-locale browser. The chair's chat screenshot goes to docs/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import {
  DEMO,
  ensureClientBuilt,
  joinAsRoom,
  launchChromium,
  login,
  newPage,
  openChairConsole,
  ROOT,
  waitFor,
} from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';

const DOC_SHOTS = path.join(ROOT, 'docs', 'screenshots');
const [COMMUNE, OTHER] = DEMO.rooms;

describe('chat in Chromium', () => {
  let hub: Hub;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    ensureClientBuilt();
    hub = await startTestHub({ DEMO_DATA: 'true', MEDIASOUP_WORKERS: '1' }, 2);
    browser = await launchChromium();
  }, 180_000);

  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await hub?.close();
  });

  async function page(label: string, locale?: string): Promise<Page> {
    const opened = await newPage(browser, { label, viewport: { width: 1366, height: 768 } });
    contexts.push(opened.context);
    if (locale) {
      // A browser in another locale: its own context, so the page's Intl and inputs follow it.
      const context = await browser.newContext({ locale, viewport: { width: 1366, height: 768 } });
      contexts.push(context);
      return context.newPage();
    }
    return opened.page;
  }

  /** The texts of the chat messages a page shows, in order. */
  function shown(p: Page): Promise<string[]> {
    return p.getByTestId('chat-message').locator('.chat-line__text').allTextContents();
  }

  async function online(p: Page): Promise<void> {
    await p.locator('[data-testid=conn-state][data-state=online]').waitFor({ timeout: 30_000 });
  }

  async function send(p: Page, text: string): Promise<void> {
    await p.getByRole('textbox', { name: /Nhập tin nhắn/ }).fill(text);
    await p.getByRole('button', { name: 'Gửi', exact: true }).click();
  }

  it('carries a commune’s messages to everyone in order, privately to the chair, within limits, across a reload', {
    timeout: 240_000,
  }, async () => {
    const url = hub.url;
    const names = new Map<string, string>();
    for (const r of DEMO.rooms) {
      names.set(r.roomId, (await hub.scheduler.db.endpointRoom.findUniqueOrThrow({ where: { id: r.roomId } })).name);
    }
    const chair = await page('chair');
    const commune = await page('commune');
    const other = await page('other');
    await openChairConsole(chair, url, DEMO.chair, DEMO.meetingId);
    await joinAsRoom(commune, url, COMMUNE, DEMO.meetingId);
    await joinAsRoom(other, url, OTHER, DEMO.meetingId);
    for (const p of [chair, commune, other]) await online(p);

    // ------------------------------------------------------------ to everyone, in order, as text
    const texts = ['Xin chào chủ trì', '<script>window.__injected = 1</script>', 'Báo cáo: https://example.org/bc'];
    await commune.getByTestId('chat-toggle').click();
    for (const text of texts) await send(commune, text);
    for (const p of [chair, other]) {
      await p.getByTestId('chat-unread').filter({ hasText: '3' }).waitFor({ timeout: 10_000 });
      await p.getByTestId('chat-toggle').click();
      await waitFor('the messages shown', async () => (await shown(p)).length === 3);
      expect(await shown(p)).toEqual(texts);
      expect(await p.getByTestId('chat-messages').locator('a, script').count()).toBe(0);
      expect(await p.evaluate(() => (window as { __injected?: number }).__injected)).toBeUndefined();
      expect(await p.getByTestId('chat-unread').count()).toBe(0);
    }
    expect(await shown(commune)).toEqual(texts);

    // ------------------------------------------------------------ privately to the chair
    await commune.getByTestId('chat-to').selectOption({ label: 'Riêng với chủ trì' });
    await send(commune, 'Câu hỏi riêng về kinh phí');
    await chair
      .getByTestId('chat-message')
      .filter({ hasText: 'Câu hỏi riêng về kinh phí' })
      .filter({ hasText: `Riêng với ${names.get(COMMUNE.roomId)}` })
      .waitFor({ timeout: 10_000 });
    await commune.getByTestId('chat-message').filter({ hasText: 'Riêng với chủ trì' }).waitFor();
    fs.mkdirSync(DOC_SHOTS, { recursive: true });
    await chair.screenshot({ path: path.join(DOC_SHOTS, 'chat.png') });
    await other.waitForTimeout(1000);
    expect(await shown(other)).toEqual(texts);
    await commune.getByTestId('chat-to').selectOption({ label: 'Cả cuộc họp' });

    // ------------------------------------------------------------ too long, too fast
    await send(commune, 'a'.repeat(10_000));
    await commune
      .getByTestId('chat-error')
      .filter({ hasText: 'Tin nhắn dài 10000 ký tự, vượt quá giới hạn 2000 ký tự.' })
      .waitFor();
    const box = commune.getByRole('textbox', { name: /Nhập tin nhắn/ });
    for (let i = 1; i <= 50; i++) {
      await box.fill(`Tin liên tiếp ${i}`);
      await box.press('Enter');
    }
    await commune
      .getByTestId('chat-error')
      .filter({ hasText: 'Điểm cầu gửi tin nhắn quá nhanh. Hãy chờ vài giây rồi gửi lại.' })
      .waitFor({ timeout: 10_000 });
    // What is left of the commune's allowance goes at once, then one every two seconds: the rest are refused,
    // and what passed keeps its order.
    await commune.waitForTimeout(1000);
    const accepted = (await shown(chair)).filter((t) => t.startsWith('Tin liên tiếp'));
    const numbers = accepted.map((t) => Number(t.slice('Tin liên tiếp '.length)));
    expect(numbers[0]).toBe(1);
    expect(numbers.length).toBeLessThan(20);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect((await shown(commune)).filter((t) => t.startsWith('Tin liên tiếp'))).toEqual(accepted);
    expect(await hub.scheduler.db.chatMessage.count()).toBe(3 + 1 + accepted.length);
    // Nothing else broke: after a pause the commune writes again, the other commune too, all still online.
    await commune.waitForTimeout(2500);
    await send(commune, 'Sau khi chờ');
    await send(other, 'Điểm cầu khác vẫn gửi được');
    for (const p of [chair, commune, other]) {
      await p
        .getByTestId('chat-message')
        .filter({ hasText: 'Điểm cầu khác vẫn gửi được' })
        .waitFor({ timeout: 10_000 });
      await online(p);
    }

    // ------------------------------------------------------------ after a reload, the history is back
    const before = await shown(other);
    await other.reload();
    await other
      .locator(`li[data-meeting-id="${DEMO.meetingId}"]`)
      .getByRole('button', { name: 'Kiểm tra thiết bị' })
      .click();
    await other.getByRole('button', { name: 'Vào cuộc họp' }).click();
    await online(other);
    await other.getByTestId('chat-toggle').click();
    await waitFor('the history back', async () => (await shown(other)).length === before.length);
    expect(await shown(other)).toEqual(before);
    expect(before).not.toContain('Câu hỏi riêng về kinh phí');
  });

  it('the booking form shows and takes dd/mm/yyyy and 24-hour times in an English-locale browser', async () => {
    const sec = await page('secretariat', 'en-US');
    await login(sec, hub.url, { login: 'vanphong.tinh', password: 'vanphong123' });
    await sec.getByRole('button', { name: /Đặt lịch họp/ }).click();
    const date = sec.locator('input[name=date]');
    expect(await date.getAttribute('type')).toBe('text');
    expect(await date.inputValue()).toMatch(/^\d\d\/\d\d\/\d{4}$/);
    expect(await sec.locator('input[name=start]').inputValue()).toBe('08:00');
    await date.fill('11/29/2026');
    await sec.locator('input[name=start]').fill('25:00');
    await sec.getByRole('button', { name: 'Đặt lịch', exact: true }).click();
    await sec.getByText('Nhập ngày họp theo dạng ngày/tháng/năm, ví dụ 29/11/2026.').waitFor();
    await sec.getByText('Nhập giờ bắt đầu theo dạng giờ:phút (24 giờ), ví dụ 08:00 hoặc 14:30.').waitFor();
    await date.fill('29/11/2026');
    await sec.locator('input[name=start]').fill('20h');
    await sec.locator('input[name=title]').click();
    expect(await sec.locator('input[name=start]').inputValue()).toBe('20:00');
    expect(await sec.getByText('Nhập ngày họp theo dạng').count()).toBe(0);
  });
});
