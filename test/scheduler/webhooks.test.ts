// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// Webhooks to a plain node HTTP receiver started here, which verifies every
// request the way docs/integration.md tells receivers to (HMAC-SHA256 over
// timestamp + "." + body, timestamp within 5 minutes): a meeting's whole life
// arrives signed and in order; a receiver answering 500 gets the retries and
// then the event; the "send a test event" button reaches it; the administrator
// alone manages webhooks; the OpenAPI document carries the event bodies.
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, hours, startHub, type TestHub, vn } from './helpers.ts';

interface Delivery {
  path: string;
  event: any;
  verified: boolean;
}

/** What a receiver does with each request (docs/integration.md). */
function verify(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const timestamp = Number(headers['x-diemcau-timestamp']);
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > 300) return false;
  const expected = `sha256=${crypto.createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  const given = String(headers['x-diemcau-signature'] ?? '');
  return given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

const received: Delivery[] = [];
const secrets = new Map<string, string>();
/** Path → how many more requests to answer with 500. */
const failures = new Map<string, number>();
let receiver: http.Server;
let receiverUrl = '';
let hub: TestHub;
let admin: Client;
let sec: Client;

async function waitFor<T>(get: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function register(path: string, events: string[]): Promise<string> {
  const res = await admin.call('POST', '/api/webhooks', { url: `${receiverUrl}${path}`, events });
  expect(res.status).toBe(201);
  expect(res.body.secret).toMatch(/^whsec_/);
  secrets.set(path, res.body.secret);
  const list = await admin.call('GET', '/api/webhooks');
  expect(JSON.stringify(list.body)).not.toContain(res.body.secret);
  return res.body.webhook.id;
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const path = req.url ?? '';
      const left = failures.get(path) ?? 0;
      if (left > 0) {
        failures.set(path, left - 1);
        res.writeHead(500).end('not now');
        return;
      }
      received.push({ path, event: JSON.parse(body), verified: verify(secrets.get(path) ?? '', req.headers, body) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  hub = await startHub({ OUTBOX_RETRY_BASE_MS: '200', OUTBOX_RETRY_MAX_MS: '800', OUTBOX_POLL_MS: '100' });
  [admin, sec] = await Promise.all([hub.login('admin', 'admin123'), hub.login('vanphong.tinh', 'vanphong123')]);
});

afterAll(async () => {
  await hub?.close();
  await new Promise((r) => receiver?.close(r));
});

describe('webhooks', () => {
  it('only the administrator manages webhooks; a bad URL or event is refused', async () => {
    expect((await sec.call('GET', '/api/webhooks')).status).toBe(403);
    const badUrl = await admin.call('POST', '/api/webhooks', { url: 'ftp://x', events: ['meeting.booked'] });
    expect(badUrl.status).toBe(400);
    const badEvent = await admin.call('POST', '/api/webhooks', { url: receiverUrl, events: ['meeting.exploded'] });
    expect(badEvent.status).toBe(400);
    expect((await admin.call('GET', '/api/webhooks')).body.webhooks).toHaveLength(0);
  });

  it("delivers every event of a meeting's life, signed, in order", async () => {
    await register('/life', [
      'meeting.booked',
      'meeting.changed',
      'meeting.started',
      'meeting.ended',
      'site.joined',
      'site.left',
      'rollcall.marked',
    ]);
    const start = new Date(Date.UTC(2033, 4, 2, 1, 0, 0));
    const booked = await sec.call('POST', '/api/meetings', {
      title: 'Hội nghị sơ kết',
      startAt: vn(start),
      endAt: vn(new Date(start.getTime() + hours(2))),
      chairRoomId: 'hbx-r1',
      invite: { roomIds: ['hbx-h01-x01-r1'] },
    });
    expect(booked.status).toBe(201);
    const id = booked.body.meeting.id;
    expect((await sec.call('PATCH', `/api/meetings/${id}`, { title: 'Hội nghị sơ kết 6 tháng' })).status).toBe(200);
    await hub.scheduler.recordPresence({ meetingId: id, roomId: 'hbx-r1', event: 'joined', at: new Date() });
    await hub.scheduler.recordPresence({ meetingId: id, roomId: 'hbx-h01-x01-r1', event: 'joined', at: new Date() });
    const mark = await sec.call('PUT', `/api/meetings/${id}/attendance/hbx-h01-x01-r1/mark`, {
      mark: 'present_online',
    });
    expect(mark.status).toBe(200);
    await hub.scheduler.recordPresence({ meetingId: id, roomId: 'hbx-h01-x01-r1', event: 'left', at: new Date() });
    expect((await sec.call('POST', `/api/meetings/${id}/end`)).status).toBe(200);

    const life = await waitFor(() => {
      const mine = received.filter((d) => d.path === '/life');
      return mine.length >= 8 ? mine : undefined;
    });
    expect(life.every((d) => d.verified)).toBe(true);
    expect(life.map((d) => d.event.type)).toEqual([
      'meeting.booked',
      'meeting.changed',
      'meeting.started',
      'site.joined',
      'site.joined',
      'rollcall.marked',
      'site.left',
      'meeting.ended',
    ]);
    expect(life.every((d) => d.event.meetingId === id)).toBe(true);
    expect(life[0]?.event.data.meeting).toMatchObject({ title: 'Hội nghị sơ kết', roomIds: ['hbx-h01-x01-r1'] });
    expect(life[1]?.event.data).toMatchObject({ changes: ['title'], meeting: { title: 'Hội nghị sơ kết 6 tháng' } });
    expect(life[4]?.event.data).toMatchObject({ roomId: 'hbx-h01-x01-r1', roomName: expect.any(String) });
    expect(life[5]?.event.data).toMatchObject({ mark: 'present_online', reason: null });
    expect(life[7]?.event.data).toMatchObject({ by: 'user', meeting: { status: 'ended' } });
    expect(new Set(life.map((d) => d.event.id)).size).toBe(8);
  });

  it('a receiver answering 500 gets retries, then the event; the test button reaches it', async () => {
    const hookId = await register('/flaky', ['meeting.cancelled']);
    failures.set('/flaky', 2);
    const test = await admin.call('POST', `/api/webhooks/${hookId}/test`);
    expect(test.status).toBe(202);
    const got = await waitFor(() => received.find((d) => d.path === '/flaky'));
    expect(got.verified).toBe(true);
    expect(got.event).toMatchObject({ type: 'webhook.test', meetingId: null });

    const log = await admin.call('GET', `/api/webhooks/${hookId}/deliveries`);
    expect(log.status).toBe(200);
    expect(log.body.deliveries[0]).toMatchObject({
      id: test.body.deliveryId,
      event: 'webhook.test',
      status: 'sent',
      attempts: 3,
      lastStatusCode: 204,
      lastError: null,
    });
    const hooks = (await admin.call('GET', '/api/webhooks')).body.webhooks;
    expect(hooks.find((h: any) => h.id === hookId)).toMatchObject({ pending: 0, failed: 0 });
  });

  it('while the receiver fails, the log shows the error and the next attempt', async () => {
    const hookId = await register('/down', ['meeting.booked']);
    failures.set('/down', 1000);
    await admin.call('POST', `/api/webhooks/${hookId}/test`);
    const until = Date.now() + 10_000;
    let delivery: any;
    while (Date.now() < until) {
      delivery = (await admin.call('GET', `/api/webhooks/${hookId}/deliveries`)).body.deliveries[0];
      if (delivery.attempts >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(delivery).toMatchObject({ status: 'pending', lastStatusCode: 500 });
    expect(delivery.lastError).toContain('HTTP 500');
    expect(Date.parse(delivery.nextAttemptAt)).toBeGreaterThan(Date.now() - 1000);
    expect((await admin.call('DELETE', `/api/webhooks/${hookId}`)).status).toBe(200);
    expect((await admin.call('GET', `/api/webhooks/${hookId}/deliveries`)).status).toBe(404);
  });

  it('the OpenAPI document describes the event bodies and the webhook routes', async () => {
    const doc = (await hub.call('GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['WebhookEvent', 'WebhookEventMeetingBooked', 'WebhookEventRecordingReady']),
    );
    expect(doc.paths['/api/webhooks'].post.responses['201']).toBeDefined();
    expect(doc.paths['/api/meetings/{id}/mail-deliveries'].get.responses['200']).toBeDefined();
  });
});
