// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// A logged-in user of a test hub's REST API (bearer session), and the meeting
// steps the security tests share: booking a meeting that is open for joining
// now, and a join token for a room.
import type { Hub } from '../../hub/Hub.ts';

export interface ApiUser {
  userId: string;
  call(method: string, route: string, body?: unknown): Promise<{ status: number; body: any }>;
}

export async function login(hub: Pick<Hub, 'url'>, account: { login: string; password: string }): Promise<ApiUser> {
  const res = await fetch(`${hub.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: account.login, password: account.password }),
  });
  if (res.status !== 200) throw new Error(`login ${account.login}: ${res.status} ${await res.text()}`);
  const { token, user } = await res.json();
  return {
    userId: user.id,
    async call(method, route, body) {
      const r = await fetch(`${hub.url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: r.status, body: await r.json() };
    },
  };
}

/** Books a meeting chaired from `chairRoomId` that is open for joining now, inviting `roomIds`; its id. */
export async function bookMeetingNow(
  secretariat: ApiUser,
  title: string,
  chairRoomId: string,
  roomIds: readonly string[],
): Promise<string> {
  const now = Date.now();
  const res = await secretariat.call('POST', '/api/meetings', {
    title,
    startAt: new Date(now - 60_000).toISOString(),
    endAt: new Date(now + 2 * 3600_000).toISOString(),
    chairRoomId,
    mode: 'discussion',
    invite: { roomIds },
    override: true, // the demo's live meeting books the same rooms now
  });
  if (res.status !== 201) throw new Error(`booking failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.meeting.id;
}

/** A join token for `roomId` (the user's own room when omitted), as a room's page asks for it. */
export async function joinToken(user: ApiUser, meetingId: string, roomId?: string): Promise<string> {
  const res = await user.call('POST', `/api/meetings/${meetingId}/join-token`, roomId ? { roomId } : {});
  if (res.status !== 200) throw new Error(`join token refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}
