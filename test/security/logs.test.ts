// A whole session (log in, a calendar feed by link, a join token, a join) and
// a failed login: the hub's logs must hold none of the passwords or tokens.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { createLogger } from '../../hub/logger.ts';
import { feedToken } from '../../scheduler/routes/calendar.ts';
import { startTestHub } from '../helpers/hub.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';

let hub: Hub;
let logged = '';

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logged += chunk.toString();
      done();
    },
  });
  // The hub's own logger (redaction, request serializer), writing where the test reads.
  hub = await startTestHub({ DEMO_DATA: 'true' }, 3, createLogger('debug', sink));
});

afterAll(async () => {
  await hub.close();
});

describe('logs', () => {
  it('never contain passwords, session tokens, join tokens or calendar feed tokens', async () => {
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${hub.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
    await post('/api/auth/login', { login: 'dc.h01', password: 'wrong-password-123' });
    const session = (await (await post('/api/auth/login', { login: 'dc.h01', password: 'diemcau123' })).json()).token;
    const join = (await (await post('/api/meetings/demo-live/join-token', {}, session)).json()).token;
    const feed = feedToken(hub.secret, { id: 'hbx-h01-r1', feedGeneration: 0 });
    const ics = await fetch(`${hub.url}/api/rooms/hbx-h01-r1/calendar.ics?token=${feed}`);
    expect(ics.status).toBe(200);
    const site = new SignalingClient(hub.url);
    await site.connected();
    await site.ok('join', { token: join });
    await site.raw('join', { token: join });
    site.close();
    await new Promise((r) => setTimeout(r, 300));

    expect(logged).toContain('site joined');
    expect(logged).toContain('/api/rooms/hbx-h01-r1/calendar.ics');
    for (const secret of ['diemcau123', 'wrong-password-123', session, join, feed, hub.secret]) {
      expect(typeof secret === 'string' && secret.length > 5).toBe(true);
      expect(logged).not.toContain(secret);
    }
  });
});
