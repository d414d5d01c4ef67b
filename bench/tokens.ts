// Join tokens for the benchmark: log in to the scheduler's REST API, book a
// meeting inviting the whole demo province, and ask `POST
// /api/meetings/:id/join-token` for the chair room, as the chair's browser
// does. A site's token goes only to its room's operator, and the demo has
// operators for a few rooms: the invited rooms' tokens are signed with the hub
// secret (the result says so).

import type { MeetingMode } from '../contract/enums.ts';
import { signJoinToken } from '../contract/joinToken.ts';
import type { Hub } from '../hub/Hub.ts';

export interface SiteToken {
  roomId: string;
  token: string;
}

export interface BenchTokens {
  meetingId: string;
  chair: SiteToken;
  sites: SiteToken[];
  /** 'scheduler': every token from the join-token endpoint; 'signed': signed with the hub secret; 'mixed'. */
  source: 'scheduler' | 'signed' | 'mixed';
  notes: string[];
}

const ADMIN = { login: 'admin', password: 'admin123' };
const PROVINCE_UNIT = 'hbx';
const CHAIR_ROOM = 'hbx-r1';

async function api<T>(hub: Hub, method: string, path: string, bearer: string | null, body?: unknown): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${hub.url}/api${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(bearer && { authorization: `Bearer ${bearer}` }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (res.status === 429 && attempt < 5) {
      await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
      continue;
    }
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} /api${path}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

/** Books a meeting for `sites` rooms through the scheduler and fetches every join token from it. */
export async function schedulerTokens(hub: Hub, sites: number, mode: MeetingMode): Promise<BenchTokens> {
  const { token: session } = await api<{ token: string }>(hub, 'POST', '/auth/login', null, ADMIN);
  const now = Date.now();
  const created = await api<Record<string, unknown>>(hub, 'POST', '/meetings', session, {
    title: `Kiểm thử tải ${sites} điểm cầu`,
    agenda: 'Benchmark: npm run bench:load',
    startAt: new Date(now + 5 * 60_000).toISOString(),
    endAt: new Date(now + 3 * 3600_000).toISOString(),
    chairRoomId: CHAIR_ROOM,
    mode,
    maxSites: Math.max(sites + 1, 2),
    invite: { selectors: [{ unitId: PROVINCE_UNIT }] },
    override: true,
  });
  const meetingId = String(
    created.id ??
      (created.meeting as { id?: string } | undefined)?.id ??
      (created.meetings as { id: string }[] | undefined)?.[0]?.id,
  );
  const { invitations } = await api<{ invitations: { roomId: string }[] }>(
    hub,
    'GET',
    `/meetings/${meetingId}/invitations`,
    session,
  );
  // The chair room is invited with its province: it joins as the chair, not as a site.
  const rooms = invitations
    .map((i) => i.roomId)
    .filter((roomId) => roomId !== CHAIR_ROOM)
    .slice(0, sites);
  const issue = async (roomId?: string): Promise<SiteToken> => {
    const r = await api<{ token: string; roomId: string }>(
      hub,
      'POST',
      `/meetings/${meetingId}/join-token`,
      session,
      roomId ? { roomId } : {},
    );
    return { roomId: r.roomId, token: r.token };
  };
  const chair = await issue();
  // The scheduler issues a site's token only to that room's own operator
  // (docs/scheduler.md) and the demo has operators for a handful of rooms: the
  // invited rooms' tokens are signed with the hub secret, for those same rooms.
  const issued = await mapLimit(rooms, 8, async (roomId) => ({
    roomId,
    token: await signJoinToken(
      { meetingId, roomId, role: 'site', displayName: roomId, maxSites: sites + 1, mode },
      hub.secret,
      3600,
    ),
  }));
  const notes: string[] = [
    "the chair's token from the scheduler; the invited rooms' tokens signed with the hub secret (the scheduler gives a site's token to its own operator only)",
  ];
  let source: BenchTokens['source'] = 'mixed';
  if (issued.length < sites) {
    // The demo province has ~300 rooms; beyond that, sign the extra sites' tokens.
    const extra = await signedSites(hub, meetingId, issued.length, sites - issued.length, mode, sites + 1);
    issued.push(...extra);
    source = 'mixed';
    notes.push(
      `${issued.length - extra.length} site tokens from the scheduler; ${extra.length} signed with the hub secret (demo data has ${rooms.length} invitable rooms).`,
    );
  }
  return { meetingId, chair, sites: issued, source, notes };
}

async function signedSites(
  hub: Hub,
  meetingId: string,
  from: number,
  count: number,
  mode: MeetingMode,
  maxSites: number,
): Promise<SiteToken[]> {
  const out: SiteToken[] = [];
  for (let i = from; i < from + count; i++) {
    const roomId = `bench-room-${i}`;
    out.push({
      roomId,
      token: await signJoinToken(
        { meetingId, roomId, role: 'site', displayName: `Điểm cầu thử ${i}`, maxSites, mode },
        hub.secret,
        3600,
      ),
    });
  }
  return out;
}

/** Last resort: every token signed with the hub secret, as tests do. */
export async function signedTokens(hub: Hub, sites: number, mode: MeetingMode, reason: string): Promise<BenchTokens> {
  const meetingId = `bench-${sites}`;
  const chair = {
    roomId: 'bench-chair',
    token: await signJoinToken(
      { meetingId, roomId: 'bench-chair', role: 'chair', displayName: 'Điểm cầu chủ trì', maxSites: sites + 1, mode },
      hub.secret,
      3600,
    ),
  };
  return {
    meetingId,
    chair,
    sites: await signedSites(hub, meetingId, 0, sites, mode, sites + 1),
    source: 'signed',
    notes: [`join tokens signed with the hub secret: ${reason}`],
  };
}
