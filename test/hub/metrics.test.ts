// GET /metrics: Prometheus figures that follow the meetings, and only for
// whoever may read them (a bearer token, or this machine when none is set).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopback } from '../../hub/config.ts';
import type { Hub } from '../../hub/Hub.ts';
import { operatorAccess } from '../../hub/operatorAccess.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';

const TOKEN = 'prometheus-scrape-token-0123456789';

describe('GET /metrics', () => {
  let hub: Hub;
  let site: SignalingClient | undefined;

  beforeAll(async () => {
    hub = await startTestHub({ METRICS_TOKEN: TOKEN }, 1);
  });

  afterAll(async () => {
    site?.close();
    await hub?.close();
  });

  const scrape = (authorization?: string) =>
    fetch(`${hub.url}/metrics`, { headers: authorization ? { authorization } : {} });

  it('refuses a scrape without the token or with a wrong one, and says what to do', async () => {
    for (const auth of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`]) {
      const res = await scrape(auth);
      expect(res.status).toBe(401);
      const { error } = await res.json();
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.message).toContain('METRICS_TOKEN');
      expect(error.messageEn).toContain('METRICS_TOKEN');
    }
  });

  it('serves the meeting and worker figures to Prometheus, following a site that joins', async () => {
    const value = (text: string, metric: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith(metric) && !l.startsWith('#'))
        .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
    const before = await (await scrape(`Bearer ${TOKEN}`)).text();
    expect(value(before, 'diemcau_meetings')).toBe(0);
    expect(before).toContain('diemcau_worker_cpu_percent');

    site = new SignalingClient(hub.url);
    await site.connected();
    await site.ok('join', { token: await tokenFor(hub, { meetingId: 'm-metrics', roomId: 'r-1' }) });
    const res = await scrape(`Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    const after = await res.text();
    expect(value(after, 'diemcau_meetings')).toBe(1);
    expect(value(after, 'diemcau_worker_sites')).toBe(1);
  });

  it('without a token, answers this machine only', () => {
    expect(operatorAccess(isLoopback('127.0.0.1'), undefined).ok).toBe(true);
    expect(operatorAccess(isLoopback('::ffff:127.0.0.1'), undefined).ok).toBe(true);
    expect(operatorAccess(isLoopback('10.20.30.40'), undefined)).toMatchObject({
      ok: false,
      error: { statusCode: 403, code: 'FORBIDDEN' },
    });
  });
});
