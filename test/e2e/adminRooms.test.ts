// In Chromium, as the administrator: the rooms spreadsheet. The exported list
// edited with three bad lines gets a dry run naming them by line, the write
// button stays off and nothing is written; a correct file is then written.
// And a room's SIP account: set through the screen (a bad user name refused
// in words, nothing stored), read back through the API, removed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { sipHa1 } from '../../scheduler/sipRooms.ts';
import { ensureClientBuilt, launchChromium, login, newPage } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';

let hub: Hub;
let browser: Browser;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-csv-'));

beforeAll(async () => {
  ensureClientBuilt();
  hub = await startTestHub({ DEMO_DATA: 'true' });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await hub?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rooms = () => hub.scheduler.db.endpointRoom.findMany({ orderBy: { code: 'asc' } });

describe('the administrator’s rooms spreadsheet', () => {
  it('a file with three bad lines: the dry run names them, nothing is written; a good file is written', async () => {
    const { page } = await newPage(browser, { label: 'admin' });
    await login(page, hub.url, { login: 'admin', password: 'admin123' });
    await page.getByRole('button', { name: 'Điểm cầu', exact: true }).click();
    await page.getByRole('button', { name: 'Nhập, xuất điểm cầu' }).click();
    await page.getByRole('heading', { name: 'Nhập, xuất danh sách điểm cầu' }).waitFor();

    // The export the link downloads, with the page's session.
    const exported = await (await page.request.get(`${hub.url}/api/rooms.csv`)).text();
    const [header, first, second, ...rest] = exported
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const [code, , unitCode] = (second ?? '').split(',');
    const bad = [
      header,
      first,
      'MOI-01,Điểm cầu mới,KHONG-CO,,,có', // line 3
      second,
      `${code},Trùng mã,${unitCode},,,có`, // line 5
      `MOI-02,Điểm cầu mới 2,${unitCode},,,chưa rõ`, // line 6
      ...rest,
    ].join('\r\n');
    const badFile = path.join(dir, 'diem-cau-loi.csv');
    fs.writeFileSync(badFile, `\uFEFF${bad}\r\n`);
    const before = await rooms();

    await page.getByLabel('Chọn tệp CSV để nhập').setInputFiles(badFile);
    const status = page.getByRole('status');
    await status.waitFor();
    expect(await status.innerText()).toBe(
      '0 điểm cầu mới, 0 sửa, 302 không đổi, 3 dòng lỗi. Có dòng lỗi: chưa ghi gì. Sửa các dòng được nêu trong tệp rồi chọn lại tệp.',
    );
    const wrongLines = await page
      .locator('tr[data-outcome="error"]')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).innerText.replaceAll('\t', ' | ')));
    expect(wrongLines).toEqual([
      '3 | MOI-01 | Lỗi | Không có đơn vị mã "KHONG-CO".',
      `5 | ${code} | Lỗi | Trùng mã với dòng 4.`,
      '6 | MOI-02 | Lỗi | "Hoạt động" phải là "có" hoặc "không", không phải "chưa rõ".',
    ]);
    expect(await page.getByRole('button', { name: 'Ghi vào hệ thống' }).isDisabled()).toBe(true);
    expect(await rooms()).toEqual(before);

    const good = [header, first, second?.replace(/^([^,]+),[^,]+,/, '$1,Phòng họp trực tuyến (đổi tên),'), ...rest];
    const goodFile = path.join(dir, 'diem-cau.csv');
    fs.writeFileSync(goodFile, `\uFEFF${good.join('\r\n')}\r\n`);
    await page.getByLabel('Chọn tệp CSV để nhập').setInputFiles(goodFile);
    await page.getByText('0 điểm cầu mới, 1 sửa, 301 không đổi, 0 dòng lỗi.').waitFor();
    await page.getByRole('button', { name: 'Ghi vào hệ thống' }).click();
    await page.getByText('Đã ghi: 0 điểm cầu mới, 1 điểm cầu sửa.').waitFor();
    const renamed = await hub.scheduler.db.endpointRoom.findUnique({ where: { code } });
    expect(renamed?.name).toBe('Phòng họp trực tuyến (đổi tên)');
  });
});

describe('a room’s SIP account on the rooms screen', () => {
  it('is set with the password typed twice, read back through the API without secrets, and removed', async () => {
    const { page } = await newPage(browser, { label: 'admin-sip' });
    await login(page, hub.url, { login: 'admin', password: 'admin123' });
    await page.getByRole('button', { name: 'Điểm cầu', exact: true }).click();
    const [room] = await rooms();
    if (!room) throw new Error('the demo province has rooms');
    const row = page.locator(`tr[data-room="${room.code}"]`);
    await row.getByRole('button', { name: 'Sửa' }).click();
    const sip = page.getByRole('region', { name: 'Thiết bị hội nghị phòng họp (SIP)' });
    await sip.getByText('Chưa có tài khoản SIP: điểm cầu họp bằng trình duyệt.').waitFor();

    await sip.getByRole('button', { name: 'Đặt tài khoản SIP' }).click();
    await sip.getByLabel('Tên SIP').fill('xã tân phú');
    await sip.getByLabel('Mật khẩu SIP', { exact: true }).fill('mat-khau-sip-1');
    await sip.getByLabel('Nhập lại mật khẩu SIP').fill('mat-khau-sip-1');
    await sip.getByLabel('Địa chỉ hệ thống gọi tới thiết bị').fill('sip:phonghop@10.1.2.3:5060');
    await sip.getByRole('button', { name: 'Lưu tài khoản SIP' }).click();
    expect(await sip.getByRole('alert').innerText()).toBe(
      'Tên SIP: chỉ gồm chữ không dấu, chữ số và . _ - (không có dấu cách).',
    );
    expect((await hub.scheduler.db.endpointRoom.findUnique({ where: { id: room.id } }))?.sipUser).toBeNull();

    await sip.getByLabel('Tên SIP').fill('xa-tan-phu');
    await sip.getByRole('button', { name: 'Lưu tài khoản SIP' }).click();
    await sip.getByRole('status').getByText('Đã lưu tài khoản SIP xa-tan-phu.').waitFor();
    expect(await row.locator('td[data-sip]').innerText()).toBe(
      'xa-tan-phu (Hệ thống gọi tới sip:phonghop@10.1.2.3:5060)',
    );

    const answer = await (await page.request.get(`${hub.url}/api/rooms/${room.id}`)).json();
    expect(answer.room).toMatchObject({ sipUser: 'xa-tan-phu', sipUri: 'sip:phonghop@10.1.2.3:5060' });
    expect(JSON.stringify(answer)).not.toContain('mat-khau-sip-1');
    expect(answer.room.sipHa1).toBeUndefined();
    const stored = await hub.scheduler.db.endpointRoom.findUnique({ where: { id: room.id } });
    expect(stored?.sipHa1).toBe(sipHa1('xa-tan-phu', hub.config.SIP_REALM, 'mat-khau-sip-1'));

    page.once('dialog', (dialog) => void dialog.accept());
    await sip.getByRole('button', { name: 'Gỡ tài khoản SIP' }).click();
    await sip.getByRole('status').getByText('Đã gỡ tài khoản SIP.').waitFor();
    const cleared = await (await page.request.get(`${hub.url}/api/rooms/${room.id}`)).json();
    expect(cleared.room).toMatchObject({ sipUser: null, sipUri: null });
    expect(await row.locator('td[data-sip]').count()).toBe(0);
  });
});
