// Over a thousand malformed, oversized, wrong-typed and unauthorised messages,
// over socket.io and HTTP: each gets an error answer, the hub stays up, and
// nothing a user saved changes. Half the socket messages come from a site that
// joined a meeting: it stays joined throughout and is served normally after;
// two thirds of the HTTP requests carry a real session, so they reach validation.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RequestName, requests } from '../../contract/signaling.ts';
import type { Hub } from '../../hub/Hub.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';

let hub: Hub;

beforeAll(async () => {
  hub = await startTestHub({ DEMO_DATA: 'true', SOCKET_MAX_MESSAGE_BYTES: '8192', HTTP_BODY_LIMIT_BYTES: '16384' }, 1);
});

afterAll(async () => {
  await hub.close();
});

async function login(name: string, password: string): Promise<{ token: string; csrfToken: string }> {
  const res = await fetch(`${hub.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: name, password }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

/** A digest of everything users save (sessions, audit and idempotency records excluded). */
async function savedState(): Promise<string> {
  const db = hub.scheduler.db;
  const tables = await Promise.all([
    db.unit.findMany({ orderBy: { id: 'asc' } }),
    db.endpointRoom.findMany({ orderBy: { id: 'asc' } }),
    db.user.findMany({ orderBy: { id: 'asc' } }),
    db.meeting.findMany({ orderBy: { id: 'asc' } }),
    db.invitation.findMany({ orderBy: { id: 'asc' } }),
    db.attendance.findMany({ orderBy: { id: 'asc' } }),
    db.attendanceInterval.findMany({ orderBy: { id: 'asc' } }),
    db.chatMessage.findMany({ orderBy: { id: 'asc' } }),
    db.recording.findMany({ orderBy: { id: 'asc' } }),
  ]);
  return createHash('sha256').update(JSON.stringify(tables)).digest('hex');
}

/** Deterministic pseudo-random values, so a failure can be replayed. */
function* junk(seed: number): Generator<unknown> {
  let x = seed;
  const next = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x;
  };
  const samples: (() => unknown)[] = [
    () => null,
    () => undefined,
    () => next(),
    () => -next(),
    () => Number.NaN,
    () => 'x'.repeat(next() % 40),
    () => '💥'.repeat(next() % 10),
    () => [next(), 'a', null],
    () => ({ __proto__: { polluted: true } }),
    () => ({ constructor: { prototype: { polluted: true } } }),
    () => ({ token: next() }),
    () => ({ token: 'eyJhbGciOiJub25lIn0.eyJtZWV0aW5nSWQiOiJ4In0.' }),
    () => ({ direction: ['send'] }),
    () => ({ transportId: { $ne: null } }),
    () => ({ siteId: "' OR 1=1 --", muted: 'yes' }),
    () => ({ producerId: 'x'.repeat(100) }),
    () => ({ rtpCapabilities: 'none' }),
    () => ({ spatialLayer: 99, consumerId: 'c' }),
    () => 'a'.repeat(20_000),
    () => ({ blob: 'b'.repeat(10_000) }),
    () => true,
  ];
  while (true) yield samples[next() % samples.length]?.();
}

/**
 * Every request of the contract (so a request added later is fuzzed too), twice
 * over, and names that are no request at all.
 */
const SOCKET_EVENTS = [
  ...Object.keys(requests),
  ...Object.keys(requests),
  '__proto__',
  'constructor',
  'deleteEverything',
  '',
];

/**
 * A junk value the event's schema refuses as it arrives (a request like `leave`
 * takes `{}`, which junk becomes on the wire: JSON drops an object's __proto__).
 */
function malformedFor(event: string, values: Generator<unknown>): unknown {
  const schema = (requests as Record<string, { schema: { safeParse(v: unknown): { success: boolean } } }>)[event]
    ?.schema;
  for (;;) {
    const value = values.next().value;
    const onTheWire = value === undefined ? undefined : JSON.parse(JSON.stringify(value));
    if (!schema?.safeParse(onTheWire).success) return value;
  }
}

/**
 * Well-formed payloads a chair-only request may take: the site sends each
 * chair-only request one it accepts, so the refusal is about who asks.
 */
const WELL_FORMED = [
  {},
  { siteId: 'fuzz-site', muted: true },
  { siteId: 'fuzz-site', granted: true },
  { siteId: 'fuzz-site', allowed: true },
  { siteId: 'fuzz-site' },
  { siteId: null },
  { locked: true },
  { mode: 'briefing' },
  { kind: 'grid' },
  { enabled: false },
  { deployment: 'quocgia', meetingId: 'fuzz-upstream' },
];

function wellFormedFor(event: RequestName): unknown {
  return WELL_FORMED.find((payload) => requests[event].schema.safeParse(payload).success);
}

describe('fuzzing', () => {
  it('answers every malformed or unauthorised socket message with an error and keeps the database unchanged', async () => {
    const before = await savedState();
    const anonymous = new SignalingClient(hub.url);
    await anonymous.connected();
    const site = new SignalingClient(hub.url);
    await site.connected();
    await site.ok('join', { token: await tokenFor(hub, { meetingId: 'fuzz', roomId: 'fuzz-site' }) });

    const values = junk(7);
    const codes = new Set<string>();
    let answered = 0;
    const rounds = Math.max(700, SOCKET_EVENTS.length * 8);
    for (let i = 0; i < rounds; i++) {
      const client = i % 2 === 0 ? anonymous : site;
      const event = SOCKET_EVENTS[(i >> 1) % SOCKET_EVENTS.length] as string;
      const ack = (await client.raw(event, malformedFor(event, values))) as {
        ok: boolean;
        error?: { code: string; message: string };
      };
      // Every one is unknown, malformed, unjoined, already joined or chair-only.
      expect(ack.ok, `${event} from ${client === site ? 'the site' : 'an anonymous socket'}`).toBe(false);
      expect(ack.error?.code).toMatch(/^[A-Z_]+$/);
      expect(ack.error?.message.length).toBeGreaterThan(5);
      codes.add(ack.error?.code ?? '');
      answered++;
    }
    expect(answered).toBe(rounds);
    expect([...codes]).toEqual(expect.arrayContaining(['UNKNOWN_EVENT', 'BAD_REQUEST', 'PAYLOAD_TOO_LARGE']));

    // Well-formed but unauthorised: every request before joining, every chair-only one from a site.
    for (const event of Object.keys(requests) as RequestName[]) {
      const payload = wellFormedFor(event);
      if (event === 'join' || payload === undefined) continue;
      expect(await anonymous.raw(event, payload), `${event} before joining`).toMatchObject({
        ok: false,
        error: { code: 'NOT_JOINED' },
      });
    }
    for (const event of Object.keys(requests) as RequestName[]) {
      if (!requests[event].chairOnly) continue;
      const payload = wellFormedFor(event);
      expect(payload, `a well-formed payload for ${event} in WELL_FORMED`).toBeDefined();
      expect(await site.raw(event, payload), `${event} from a site`).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    }
    const again = await site.raw('join', { token: await tokenFor(hub, { meetingId: 'fuzz', roomId: 'fuzz-site' }) });
    expect(again).toMatchObject({ ok: false, error: { code: 'ALREADY_JOINED' } });
    // The site never gained chair powers, and is still in, served as before.
    const meeting = hub.meetings.get('fuzz');
    expect(meeting?.state().locked).toBe(false);
    expect(meeting?.sites.get('fuzz-site')?.info(true).connection).toBe('online');
    await site.ok('raiseHand', { raised: true });
    expect(meeting?.sites.get('fuzz-site')?.handRaisedAt).not.toBeNull();
    anonymous.close();
    site.close();
    expect(await savedState()).toBe(before);
  });

  it('answers every malformed or unauthorised HTTP request with a 4xx error and keeps the database unchanged', async () => {
    // Two thirds of the requests carry a real session (an administrator's cookie with its CSRF token, a
    // secretariat's bearer token), so their bodies reach validation instead of stopping at 401.
    const admin = await login('admin', 'admin123');
    const secretariat = await login('vanphong.tinh', 'vanphong123');
    const before = await savedState();
    const values = junk(11);
    const routes: [string, string][] = [
      ['POST', '/api/meetings'],
      ['PATCH', '/api/meetings/1'],
      ['POST', '/api/meetings/1/invitations'],
      ['POST', '/api/meetings/1/cancel'],
      ['POST', '/api/meetings/1/join-token'],
      ['POST', '/api/units'],
      ['POST', '/api/rooms'],
      ['POST', '/api/users'],
      ['DELETE', '/api/units/1'],
      ['GET', '/api/meetings/1/attendance.csv'],
      ['POST', '/api/auth/login'],
    ];
    let count = 0;
    let validated = 0;
    for (let i = 0; i < 400; i++) {
      const [method, url] = routes[i % routes.length] as [string, string];
      const value = values.next().value;
      const body = i % 7 === 0 ? 'not json {' : JSON.stringify(value ?? null);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (i % 3 === 0) headers.authorization = 'Bearer forged-session-token';
      if (i % 3 === 1)
        Object.assign(headers, { cookie: `diemcau_session=${admin.token}`, 'x-csrf-token': admin.csrfToken });
      if (i % 3 === 2) headers.authorization = `Bearer ${secretariat.token}`;
      const res = await fetch(`${hub.url}${url}`, { method, headers, body: method === 'GET' ? undefined : body });
      expect(res.status, `${method} ${url} with ${body.slice(0, 60)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      const text = await res.text();
      if (res.headers.get('content-type')?.includes('json')) expect(JSON.parse(text)).toHaveProperty('error.message');
      if (res.status === 400) validated++;
      count++;
    }
    expect(count).toBe(400);
    expect(validated).toBeGreaterThan(100);
    const health = await fetch(`${hub.url}/api/health`).then((r) => r.json());
    expect(health.status).toBe('ok');
    expect(await savedState()).toBe(before);
  });
});
