// In Chromium, as the administrator: merge two communes into a new one; their
// rooms appear under the new unit, and yesterday's meeting's attendance report
// still shows the old names.
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

describe('the administrator’s unit tree', () => {
  it('merges two communes: their rooms move to the new unit, an old meeting’s report keeps the old names', async () => {
    const db = hub.scheduler.db;
    const [a, b] = await Promise.all(
      ['hbx-h01-x01', 'hbx-h01-x02'].map((id) => db.unit.findUniqueOrThrow({ where: { id } })),
    );
    const { page } = await newPage(browser, { label: 'admin' });
    await login(page, hub.url, { login: 'admin', password: 'admin123' });
    await page.getByRole('button', { name: 'Đơn vị', exact: true }).click();
    await page.getByRole('heading', { name: 'Cây đơn vị' }).waitFor();

    await page.getByRole('button', { name: 'Mở Huyện Tân Phong' }).click();
    await page.getByRole('checkbox', { name: `Chọn ${a?.name} để sáp nhập` }).check();
    await page.getByRole('checkbox', { name: `Chọn ${b?.name} để sáp nhập` }).check();
    await page.getByRole('button', { name: 'Sáp nhập 2 đơn vị đã chọn' }).click();
    const form = page.getByRole('form', { name: 'Sáp nhập đơn vị' });
    await form.getByLabel('Tên đơn vị').fill('Xã Tân Hợp');
    await form.getByLabel('Mã đơn vị').fill('HBX-H01-X90');
    await form.getByRole('button', { name: 'Sáp nhập' }).click();
    await page.getByText('Đã sáp nhập vào Xã Tân Hợp: chuyển 2 điểm cầu, 2 tài khoản, 0 đơn vị con.').waitFor();

    // The new unit is in the tree with the two rooms; the old ones are inactive, shown on request.
    const merged = page.locator('li[data-unit="HBX-H01-X90"]');
    expect(await merged.locator('.units-tree__row').innerText()).toContain('Xã · HBX-H01-X90 · 2 điểm cầu');
    expect(await page.locator('li[data-unit="HBX-H01-X01"]').count()).toBe(0);
    await page.getByLabel('Hiện cả đơn vị ngừng hoạt động').check();
    expect(await page.locator('li[data-unit="HBX-H01-X01"] .units-tree__badge').innerText()).toBe(
      'Đã sáp nhập vào Xã Tân Hợp',
    );
    const into = await db.unit.findUniqueOrThrow({ where: { code: 'HBX-H01-X90' } });
    const rooms = await db.endpointRoom.findMany({ where: { unitId: into.id }, orderBy: { id: 'asc' } });
    expect(rooms.map((r) => r.id)).toEqual(['hbx-h01-x01-r1', 'hbx-h01-x02-r1']);

    // Yesterday's meeting: the printable attendance report, as the page opens it, names the old communes.
    const report = await page.request.get(`${hub.url}/api/meetings/demo-giao-ban-thang/attendance.html`);
    const html = await report.text();
    expect(html).toContain(`<td>${a?.name}</td>`);
    expect(html).toContain(`<td>${b?.name}</td>`);
    expect(html).not.toContain('Xã Tân Hợp');
  });
});
