// The chair's console at a province-wide meeting: `node --import tsx
// bench/console.ts [--sites 300] [--rate 100] [--seconds 20]`.
//
// Runs a real hub (fresh database, demo province), books a meeting inviting
// every room, opens the chair's console in headless Chromium, then connects
// the invited sites over signaling (no media: the console's work is the
// board, not the pictures) and measures what the chair would feel:
//   - load: from "Vào cuộc họp" to the board showing every invited site;
//   - joins: every site counted online on the strip;
//   - churn: `rate` board events a second (link figures, hands) for
//     `seconds`: long tasks (> 50 ms) in the page and the events it applied;
//   - clicks: a strip filter, problems first, the text filter: from the click
//     to the next frame;
//   - drop: a fifth of the sites lose their connection: counted reconnecting.
// Writes bench/results/<date>-console-<sites>sites.json (docs/performance.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { io, type Socket } from 'socket.io-client';
import type { ClientEvents, ServerEvents } from '../contract/signaling.ts';
import { loadConfig } from '../hub/config.ts';
import { startHub } from '../hub/Hub.ts';
import { createLogger } from '../hub/logger.ts';
import { machineInfo } from './cpu.ts';
import { log } from './log.ts';
import { schedulerTokens } from './tokens.ts';

const { values } = parseArgs({
  options: {
    sites: { type: 'string', default: '300' },
    rate: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '20' },
  },
});
const SITES = Number(values.sites);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const CHAIR = { login: 'chutri.tinh', password: 'chutri123' };
const LONG_TASKS = `(() => {
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ at: e.startTime, ms: e.duration });
  }).observe({ type: 'longtask', buffered: true });
})();`;

type SiteSocket = Socket<ServerEvents, ClientEvents>;

const loadAtStart = os.loadavg().map((n) => Math.round(n * 100) / 100);
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-console-'));
const hub = await startHub(
  loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    HTTPS: 'false',
    DATA_DIR: dataDir,
    DEMO_DATA: 'true',
    LOG_LEVEL: 'warn',
    MEDIASOUP_WORKERS: '1',
    RTC_PORT_BASE: '31000',
    RTC_TRANSPORT_PORT_MIN: '31100',
    RTC_TRANSPORT_PORT_MAX: '31399',
    RTC_LISTEN_IP: '127.0.0.1',
    RTC_ANNOUNCED_ADDRESS: '127.0.0.1',
    MAX_SITES_PER_MEETING: String(Math.max(500, SITES + 10)),
    JOIN_TOKEN_TTL_SECONDS: '3600',
    SITE_RESUME_GRACE_MS: '60000',
  }),
  createLogger('warn'),
);
const tokens = await schedulerTokens(hub, SITES, 'briefing');
// Every room of the province is invited; `sites` of them connect.
const invited = await hub.scheduler.db.invitation.count({
  where: { meetingId: tokens.meetingId, roomId: { not: tokens.chair.roomId } },
});
const joining = tokens.sites.length;
log(`hub up, meeting ${tokens.meetingId}: ${invited} invited sites, ${joining} of them connect`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
});
const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' });
await context.grantPermissions(['camera', 'microphone']);
await context.addInitScript(LONG_TASKS);
const page = await context.newPage();
const sockets: SiteSocket[] = [];

try {
  const result = await run(page);
  const file = path.join(
    import.meta.dirname,
    'results',
    `${new Date().toISOString().slice(0, 10)}-console-${joining}sites.json`,
  );
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`written ${path.relative(process.cwd(), file)}`);
} finally {
  for (const s of sockets) s.disconnect();
  await browser.close();
  await hub.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

async function run(page: Page) {
  // ---------------------------------------------------------------- load
  await page.goto(hub.url);
  await page.getByLabel('Tên đăng nhập').fill(CHAIR.login);
  await page.getByLabel('Mật khẩu').fill(CHAIR.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page
    .locator(`li[data-meeting-id="${tokens.meetingId}"]`)
    .getByRole('button', { name: 'Mở bảng điều khiển' })
    .click();
  const started = Date.now();
  await page.getByRole('button', { name: 'Vào cuộc họp' }).click();
  await page
    .getByTestId('count-invited')
    .filter({ hasText: `${invited} Được mời` })
    .waitFor({ timeout: 60_000 });
  await page.locator('.board__row--site').first().waitFor();
  const boardFilledMs = Date.now() - started;
  await page.locator('[data-testid=conn-state][data-state=online]').waitFor({ timeout: 60_000 });
  log(`board filled in ${boardFilledMs} ms`);

  // ---------------------------------------------------------------- joins
  const joinStarted = Date.now();
  for (let i = 0; i < tokens.sites.length; i += 25) {
    await Promise.all(tokens.sites.slice(i, i + 25).map((site) => join(site.token)));
  }
  const joinedMs = Date.now() - joinStarted;
  await page
    .getByTestId('count-online')
    .filter({ hasText: `${joining} Trực tuyến` })
    .waitFor({ timeout: 60_000 });
  const allOnlineMs = Date.now() - joinStarted;
  log(`${joining} sites joined over signaling in ${joinedMs} ms; all online on the strip after ${allOnlineMs} ms`);

  // ---------------------------------------------------------------- churn
  await page.evaluate(() => {
    (window as unknown as { __longTasks: unknown[] }).__longTasks = [];
  });
  let sent = 0;
  const churnStarted = Date.now();
  while (Date.now() - churnStarted < SECONDS * 1000) {
    const tickStart = Date.now();
    for (let k = 0; k < RATE / 10; k++) {
      const s = sockets[Math.floor(Math.random() * sockets.length)] as SiteSocket;
      if (Math.random() < 0.8) {
        const poor = Math.random() < 0.1;
        s.emit(
          'reportLinkStats',
          {
            rttMs: poor ? 500 + Math.random() * 300 : 20 + Math.random() * 60,
            lossPct: poor ? 10 + Math.random() * 10 : Math.random(),
            sendKbps: 300 + Math.random() * 600,
            recvKbps: 500 + Math.random() * 900,
          },
          () => {},
        );
      } else {
        s.emit('raiseHand', { raised: Math.random() < 0.5 }, () => {});
      }
      sent++;
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - tickStart))));
  }
  const churnMs = Date.now() - churnStarted;
  const longTasks = await page.evaluate(() => (window as unknown as { __longTasks: { ms: number }[] }).__longTasks);
  const churn = {
    eventsPerSecond: Math.round((sent * 1000) / churnMs),
    seconds: Math.round(churnMs / 100) / 10,
    longTasks: longTasks.length,
    longestTaskMs: Math.round(Math.max(0, ...longTasks.map((t) => t.ms))),
  };
  log(
    `churn: ${churn.eventsPerSecond} events/s for ${churn.seconds} s: ${churn.longTasks} long tasks, longest ${churn.longestTaskMs} ms`,
  );

  // ---------------------------------------------------------------- clicks
  const clicks: Record<string, number> = {};
  for (const id of ['poor-link', 'hands', 'no-video', 'online']) {
    clicks[`filter ${id}`] = await clickToFrame(page, `[data-testid="count-${id}"]`);
    await clickToFrame(page, `[data-testid="count-${id}"]`); // and back
  }
  await page.getByRole('combobox', { name: 'Sắp xếp' }).selectOption('problems');
  clicks['problems first'] = await page.evaluate(() => {
    const select = document.querySelector<HTMLSelectElement>('.board__filters select');
    if (!select) return -1;
    const t0 = performance.now();
    select.value = 'tree';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    return new Promise<number>((r) => requestAnimationFrame(() => r(Math.round(performance.now() - t0))));
  });
  const typed = Date.now();
  await page.getByRole('searchbox', { name: 'Lọc điểm cầu' }).fill('tan phong');
  await page.locator('.board__row--site').first().waitFor();
  clicks['type a filter'] = Date.now() - typed;
  log(`clicks: ${JSON.stringify(clicks)}`);

  // ---------------------------------------------------------------- drop
  const dropped = sockets.slice(0, Math.floor(sockets.length / 5));
  const dropStarted = Date.now();
  for (const s of dropped) s.io.engine.close();
  await page
    .getByTestId('count-reconnecting')
    .filter({ hasText: `${dropped.length} Đang kết nối lại` })
    .waitFor({ timeout: 60_000 });
  const reconnectingShownMs = Date.now() - dropStarted;
  log(`${dropped.length} sites dropped: counted reconnecting after ${reconnectingShownMs} ms`);

  return {
    kind: 'console',
    at: new Date().toISOString(),
    machine: machineInfo(),
    // The machine is shared: its load says how much of the figures is contention.
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: os.loadavg().map((n) => Math.round(n * 100) / 100),
    invitedSites: invited,
    connectedSites: joining,
    viewport: '1366x768',
    load: { boardFilledMs },
    joins: { signalingJoinsMs: joinedMs, allOnlineOnStripMs: allOnlineMs },
    churn,
    clicksMs: clicks,
    drop: { sites: dropped.length, countedReconnectingMs: reconnectingShownMs },
  };
}

function join(token: string): Promise<void> {
  const socket: SiteSocket = io(hub.url, { transports: ['websocket'], reconnection: false, forceNew: true });
  sockets.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () =>
      socket.emit('join', { token }, (ack) => (ack.ok ? resolve() : reject(new Error(ack.error.messageEn)))),
    );
    socket.once('connect_error', reject);
  });
}

/** From a click on `selector` to the next frame, in the page's own clock. */
function clickToFrame(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const el = document.querySelector<HTMLElement>(sel);
    if (!el) return -1;
    const t0 = performance.now();
    el.click();
    return new Promise<number>((r) => requestAnimationFrame(() => r(Math.round(performance.now() - t0))));
  }, selector);
}
