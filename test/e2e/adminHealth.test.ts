// In Chromium, as the administrator: the health page says how each part of the
// hub is and what to do, in Vietnamese then in English; after a backup its
// backup line turns normal. A secretariat has no such section.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { ensureClientBuilt, launchChromium, login, newPage } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';

let hub: Hub;
let browser: Browser;

beforeAll(async () => {
  ensureClientBuilt();
  hub = await startTestHub({ DEMO_DATA: 'true' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
});

describe('the administrator’s health page', () => {
  it('lists each part with what to do, in both languages, and follows a backup', async () => {
    const { page } = await newPage(browser, { label: 'admin' });
    await login(page, hub.url, { login: 'admin', password: 'admin123' });
    await page.getByRole('button', { name: 'Tình trạng hệ thống' }).click();
    await page.getByRole('heading', { name: 'Tình trạng hệ thống' }).waitFor();
    const backup = page.locator('[data-check="backup"]');
    await backup.waitFor();
    expect(await page.locator('.health__item').count()).toBe(9);
    expect(await page.locator('[data-check="workers"]').innerText()).toContain('2/2 đang chạy.');
    expect(await backup.innerText()).toContain('Chưa có bản sao lưu nào.');
    expect(await backup.innerText()).toContain('Cần làm: Sao lưu ngay: sudo diemcau backup.');
    expect(await page.getByRole('status').innerText()).toBe('Có phần cần chú ý: xem hướng dẫn bên dưới.');

    await hub.backups.runNow();
    await page.getByRole('button', { name: 'Kiểm tra lại' }).click();
    await page.locator('[data-check="backup"].health--ok').waitFor();
    expect(await backup.innerText()).toContain('đã kiểm tra');
    expect(await backup.innerText()).not.toContain('Cần làm');

    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'System health' }).waitFor();
    expect(await page.locator('[data-check="certificate"]').innerText()).toContain(
      'What to do: Remove HTTPS=false from /etc/diemcau/diemcau.env',
    );
  });

  it('is not offered to a secretariat', async () => {
    const { page } = await newPage(browser, { label: 'secretariat' });
    await login(page, hub.url, { login: 'vanphong.tinh', password: 'vanphong123' });
    expect(await page.getByRole('button', { name: 'Tình trạng hệ thống' }).count()).toBe(0);
  });
});
