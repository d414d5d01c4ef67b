// In Chromium, as the administrator: create a room operator's account for a
// room, reset its password; the new user, signing in with the one-time
// password, is made to choose a password, then lands on the room's home.
import type { Browser, Page } from 'playwright-core';
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

const ROOM = 'hbx-h03-x02-r1';
const LOGIN = 'kt.h03.x02';

async function shownPassword(page: Page): Promise<string> {
  const notice = page.getByTestId('one-time-password');
  await notice.waitFor();
  expect(await notice.innerText()).toContain(LOGIN);
  return (await notice.locator('code').innerText()).trim();
}

const loginStatus = async (password: string) =>
  (
    await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: LOGIN, password }),
    })
  ).status;

describe('the administrator’s accounts', () => {
  it('creates a room operator, resets its password; the user must change it, then sees its room', async () => {
    const room = await hub.scheduler.db.endpointRoom.findUniqueOrThrow({ where: { id: ROOM } });
    const { page } = await newPage(browser, { label: 'admin' });
    await login(page, hub.url, { login: 'admin', password: 'admin123' });
    await page.getByRole('button', { name: 'Tài khoản', exact: true }).click();
    await page.getByRole('heading', { name: 'Tài khoản người dùng' }).waitFor();

    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    const form = page.getByRole('form', { name: 'Tạo tài khoản mới' });
    await form.getByLabel('Tên đăng nhập').fill(LOGIN);
    await form.getByLabel('Họ tên').fill('Kỹ thuật xã 2 huyện 3');
    await form.locator('select[name="role"]').selectOption({ label: 'Cán bộ kỹ thuật điểm cầu' });
    await form.locator('select[name="roomId"]').selectOption(ROOM);
    await form.getByRole('button', { name: 'Tạo tài khoản' }).click();
    const first = await shownPassword(page);
    const row = page.locator(`tr[data-login="${LOGIN}"]`);
    await row.waitFor();
    expect(await row.innerText()).toContain(`${room.name} (${room.code})`);
    expect(await row.innerText()).toContain('Chưa lần nào');

    await page.getByRole('button', { name: 'Đã ghi lại, ẩn mật khẩu' }).click();
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Cấp lại mật khẩu' }).click();
    const second = await shownPassword(page);
    expect(second).not.toBe(first);
    expect(await loginStatus(first)).toBe(401);
    const actions = await hub.scheduler.db.auditLog.findMany({
      where: { action: { in: ['user.create', 'user.password_reset'] }, userLogin: 'admin' },
      orderBy: { at: 'asc' },
    });
    expect(actions.map((a) => a.action)).toEqual(['user.create', 'user.password_reset']);

    const operator = (await newPage(browser, { label: 'operator' })).page;
    await operator.goto(hub.url);
    await operator.getByLabel('Tên đăng nhập').fill(LOGIN);
    await operator.getByLabel('Mật khẩu').fill(second);
    await operator.getByRole('button', { name: 'Đăng nhập' }).click();
    await operator.getByRole('heading', { name: 'Đặt mật khẩu mới' }).waitFor();
    await operator.getByLabel('Mật khẩu hiện tại').fill(second);
    await operator.getByLabel('Mật khẩu mới', { exact: true }).fill('ngan');
    await operator.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await operator.getByText('Mật khẩu mới cần ít nhất 10 ký tự.').waitFor();
    await operator.getByLabel('Mật khẩu mới', { exact: true }).fill('mat-khau-cua-xa-2');
    await operator.getByLabel('Nhập lại mật khẩu mới').fill('mat-khau-cua-xa-2');
    await operator.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await operator.getByRole('heading', { name: room.name }).waitFor();
    expect(await operator.getByRole('heading', { name: 'Đặt mật khẩu mới' }).count()).toBe(0);

    // Back on the administrator's list: the first login is there.
    await page.getByRole('button', { name: 'Đã ghi lại, ẩn mật khẩu' }).click();
    await page.getByRole('button', { name: 'Lịch họp' }).click();
    await page.getByRole('button', { name: 'Tài khoản', exact: true }).click();
    await row.waitFor();
    expect(await row.innerText()).not.toContain('Chưa lần nào');
    expect(await row.innerText()).not.toContain('chưa đổi mật khẩu');
  });
});
