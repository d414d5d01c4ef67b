// In Chromium, through the province's single sign-on: an OpenID Connect
// provider started by the test (oidc-provider). The sign-in screen offers
// "Đăng nhập bằng tài khoản của tỉnh"; an official goes through the provider
// and lands on the home screen of the role their group maps to, with the unit
// of their unit claim; one in no mapped group comes back refused, in words.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { ensureClientBuilt, launchChromium, newPage } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { startOidcProvider, type TestProvider } from '../helpers/oidcProvider.ts';
import { fixedHttpPort } from '../helpers/ports.ts';

const CLIENT_ID = 'diemcau-hub';
const CLIENT_SECRET = 'test-client-secret-0123456789';

let provider: TestProvider;
let hub: Hub;
let browser: Browser;

beforeAll(async () => {
  ensureClientBuilt();
  // The redirect URI is registered at the provider before the hub starts: the hub's port is fixed.
  const port = fixedHttpPort();
  const redirectUri = `http://127.0.0.1:${port}/api/auth/oidc/callback`;
  provider = await startOidcProvider({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri,
    accounts: {
      'lan.vp': { name: 'Đỗ Thị Lan', groups: ['diemcau-vanphong'], unit_code: 'HBX' },
      'minh.ld': { name: 'Vũ Văn Minh', groups: ['diemcau-lanhdao', 'all-staff'], unit_code: 'HBX-H01' },
      'hoa.nv': { name: 'Ngô Thị Hoa', groups: ['all-staff'], unit_code: 'HBX' },
    },
  });
  hub = await startTestHub({
    DEMO_DATA: 'true',
    PORT: String(port),
    OIDC_ISSUER: provider.issuer,
    OIDC_CLIENT_ID: CLIENT_ID,
    OIDC_CLIENT_SECRET: CLIENT_SECRET,
    OIDC_REDIRECT_URI: redirectUri,
    OIDC_ROLE_MAP: 'diemcau-vanphong=>secretariat; diemcau-lanhdao=>chair',
    OIDC_UNIT_CLAIM: 'unit_code',
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.close();
  await provider?.close();
});

/** From the hub's sign-in screen through the provider's pages (any password is right there). */
async function signInThroughProvider(page: Page, login: string): Promise<void> {
  await page.goto(hub.url);
  await page.getByRole('button', { name: 'Đăng nhập bằng tài khoản của tỉnh' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(`${hub.url}/**`);
}

describe('sign-in with the province account (OpenID Connect)', () => {
  it('brings a secretariat official to the meeting schedule, a leader to the chair console', async () => {
    const { page } = await newPage(browser, { label: 'secretariat' });
    await signInThroughProvider(page, 'lan.vp');
    await page.getByRole('heading', { name: 'Lịch họp' }).waitFor();
    expect(await page.locator('.user-chip').innerText()).toBe('Đăng nhập: Đỗ Thị Lan · Văn phòng / thư ký');

    const { page: chairPage } = await newPage(browser, { label: 'chair' });
    await signInThroughProvider(chairPage, 'minh.ld');
    await chairPage.getByRole('heading', { name: 'Điều khiển cuộc họp' }).waitFor();
    expect(await chairPage.locator('.user-chip').innerText()).toContain('Chủ trì / phòng điều khiển');

    const minh = await hub.scheduler.db.user.findUniqueOrThrow({
      where: { login: 'minh.ld' },
      include: { unit: true },
    });
    expect(minh).toMatchObject({ authSource: 'oidc', externalId: 'minh.ld', role: 'chair', unit: { code: 'HBX-H01' } });
    const methods = await hub.scheduler.db.auditLog.findMany({ where: { action: 'auth.login', userLogin: 'minh.ld' } });
    expect(methods.map((m) => JSON.parse(m.details ?? '{}').method)).toEqual(['oidc']);
  });

  it('brings an official in no mapped group back to the sign-in screen, saying whom to ask', async () => {
    const { page } = await newPage(browser, { label: 'unmapped' });
    await signInThroughProvider(page, 'hoa.nv');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('chưa được gán vai trò');
    expect(await alert.innerText()).toContain('Hãy đề nghị bộ phận quản trị tài khoản của tỉnh');
    expect(page.url()).toBe(`${hub.url}/`);
    expect(await hub.scheduler.db.user.count({ where: { login: 'hoa.nv' } })).toBe(0);
  });

  it('refuses a password sign-in for a provider account, pointing at the button', async () => {
    const res = await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'lan.vp', password: 'anything-at-all' }),
    });
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(400);
    expect(body.error.code).toBe('DIRECTORY_ACCOUNT');
    expect(body.error.message).toContain('Đăng nhập bằng tài khoản của tỉnh');
  });
});
