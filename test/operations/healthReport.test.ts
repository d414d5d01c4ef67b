// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// The health page in words: every part of the hub with its state and, when
// wrong, what to do, in both languages; a real coturn answering and a TURN
// address that does not; the backup line before and after a backup; readable by
// administrators only.
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { VERSION } from '../../hub/version.ts';
import { login } from '../helpers/api.ts';
import { type Coturn, startCoturn, TURNSERVER } from '../helpers/coturn.ts';
import { startTestHub } from '../helpers/hub.ts';
import { relayPortBlock } from '../helpers/ports.ts';

const METRICS_TOKEN = 'health-report-token-0123456789';
let hub: Hub;
let coturn: Coturn | undefined;
let silentPort = 0;
const silent = dgram.createSocket('udp4');

beforeAll(async () => {
  if (TURNSERVER) coturn = await startCoturn(relayPortBlock());
  // A UDP port that is open and never answers: a TURN server behind a firewall that drops.
  await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', resolve));
  silentPort = silent.address().port;
  const turnUrls = [...(coturn ? [`turn:127.0.0.1:${coturn.port}?transport=udp`] : []), `turn:127.0.0.1:${silentPort}`];
  hub = await startTestHub({ DEMO_DATA: 'true', METRICS_TOKEN, TURN_URLS: turnUrls.join(',') });
});

afterAll(async () => {
  await hub?.close();
  await coturn?.stop();
  silent.close();
});

const byKey = (report: any) => Object.fromEntries(report.checks.map((c: any) => [c.key, c]));

describe('the health page in words', () => {
  it('is for administrators', async () => {
    const secretariat = await login(hub, { login: 'vanphong.tinh', password: 'vanphong123' });
    const refused = await secretariat.call('GET', '/api/health/report');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe('Trang tình trạng hệ thống dành cho quản trị viên.');
    const anonymous = await fetch(`${hub.url}/api/health/report`);
    expect(anonymous.status).toBe(403);
  });

  it('names every part, how it is and what to do, in Vietnamese and English', async () => {
    const admin = await login(hub, { login: 'admin', password: 'admin123' });
    const { status, body } = await admin.call('GET', '/api/health/report');
    expect(status).toBe(200);
    expect(body.checks.map((c: any) => c.key)).toEqual([
      'workers',
      'database',
      'disk',
      'recordings',
      'certificate',
      'turn',
      'ports',
      'backup',
      'version',
    ]);
    for (const c of body.checks) {
      expect(c.title.vi && c.title.en && c.state.vi && c.state.en, c.key).toBeTruthy();
      // Something wrong always comes with what to do about it.
      if (c.level !== 'ok') expect(c.todo?.vi && c.todo?.en, c.key).toBeTruthy();
    }
    const checks = byKey(body);
    expect(checks.workers).toMatchObject({ level: 'ok', state: { vi: '2/2 đang chạy.' } });
    expect(checks.database.level).toBe('ok');
    expect(checks.version.state.en).toContain(`diemcau ${VERSION}`);
    // The test hub serves plain HTTP on loopback.
    expect(checks.certificate).toMatchObject({
      level: 'warn',
      state: { en: 'HTTPS is off (usable from this machine only).' },
    });
    expect(checks.turn.state.en).toContain(`turn:127.0.0.1:${silentPort}: no answer over UDP`);
    if (coturn) {
      expect(checks.turn.level).toBe('warn');
      expect(checks.turn.state.en).toMatch(
        new RegExp(`turn:127\\.0\\.0\\.1:${coturn.port}\\?transport=udp \\(\\d+ ms\\)`),
      );
    }
    expect(checks.turn.todo.vi).toContain('systemctl status coturn');
    expect(checks.backup).toMatchObject({ level: 'warn', state: { vi: 'Chưa có bản sao lưu nào.' } });
    expect(checks.backup.todo.en).toBe('Back up now: sudo diemcau backup.');
    expect(body.level).toBe('warn');

    const taken = await hub.backups.runNow();
    const after = byKey((await admin.call('GET', '/api/health/report')).body);
    expect(after.backup.level).toBe('ok');
    expect(after.backup.state.vi).toContain(`${(taken.manifest.totalBytes / 1e6).toFixed(1)} MB, đã kiểm tra`);
    expect(after.backup.state.en).toContain('Daily at 02:30, keeping 14');
    expect(after.backup.todo).toBeNull();
  });

  it('is readable with METRICS_TOKEN, as /metrics is', async () => {
    const res = await fetch(`${hub.url}/api/health/report`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
  });
});
