// The meeting's chat over real sockets, stored in the hub's real SQLite file:
// messages reach every site in order, private ones only the chair (or the one
// site), refusals (too long, too fast, chat turned off) change nothing, the
// chair's switch is audited and survives a hub restart, and so does the history;
// a database that refuses the write, or cannot give back the stored chat,
// gets CHAT_NOT_SAVED and leaves no gap or clash in the numbering.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../contract/chat.ts';
import type { Hub } from '../../hub/Hub.ts';
import { type ApiUser, joinToken, login } from '../helpers/api.ts';
import { DEMO, waitFor } from '../helpers/browser.ts';
import { startTestHub } from '../helpers/hub.ts';
import { SignalingClient } from '../helpers/signalingClient.ts';

const sockets: SignalingClient[] = [];

async function joined(hub: Hub, user: ApiUser): Promise<SignalingClient> {
  const client = new SignalingClient(hub.url);
  sockets.push(client);
  await client.connected();
  await client.ok('join', { token: await joinToken(user, DEMO.meetingId) });
  return client;
}

async function received(client: SignalingClient, count: number): Promise<ChatMessage[]> {
  const out: ChatMessage[] = [];
  for (let i = 0; i < count; i++) out.push((await client.next('chatMessage')).message);
  return out;
}

/** Takes every chat message `client` has received so far. */
async function drain(client: SignalingClient): Promise<ChatMessage[]> {
  const out: ChatMessage[] = [];
  for (;;) {
    try {
      out.push((await client.next('chatMessage', 200)).message);
    } catch {
      return out;
    }
  }
}

/** No chat message arrives at `client` within a moment. */
async function nothingFor(client: SignalingClient): Promise<void> {
  await expect(client.next('chatMessage', 400)).rejects.toThrow(/no chatMessage/);
}

describe('chat in a live meeting', () => {
  let hub: Hub;
  let chair: SignalingClient;
  let commune: SignalingClient;
  let other: SignalingClient;
  let chairUser: ApiUser;

  beforeAll(async () => {
    hub = await startTestHub({ DEMO_DATA: 'true', SITE_RESUME_GRACE_MS: '0' });
    chairUser = await login(hub, DEMO.chair);
    chair = await joined(hub, chairUser);
    commune = await joined(hub, await login(hub, DEMO.rooms[0]));
    other = await joined(hub, await login(hub, DEMO.rooms[1]));
  });

  afterAll(async () => {
    for (const s of sockets.splice(0)) s.close();
    await hub?.close();
  });

  it('delivers a commune’s messages to the chair and every site, in order, and stores them', async () => {
    const texts = ['Xin chào chủ trì', 'Đường truyền yếu, xin gửi câu hỏi', '<script>alert(1)</script>'];
    const acks = await Promise.all(texts.map((text) => commune.ok('sendChat', { text })));
    expect(acks.map((a) => a.message.text)).toEqual(texts);
    for (const client of [chair, commune, other]) {
      const messages = await received(client, 3);
      expect(messages.map((m) => m.text)).toEqual(texts);
      expect(messages.map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(messages[0]).toMatchObject({ siteId: DEMO.rooms[0].roomId, fromChair: false, privateSiteId: null });
    }
    const rows = await hub.scheduler.db.chatMessage.findMany({ where: { meetingId: DEMO.meetingId } });
    expect(rows.map((r) => r.text)).toEqual(texts);
    expect(rows[0]?.userId).not.toBeNull();
  });

  it('delivers a private message only to the chair (and the sender), and the chair’s answer only to that site', async () => {
    const question = await commune.ok('sendChat', { text: 'Câu hỏi riêng', privateSiteId: DEMO.rooms[0].roomId });
    expect((await chair.next('chatMessage')).message).toMatchObject({ text: 'Câu hỏi riêng', seq: 4 });
    expect((await commune.next('chatMessage')).message.seq).toBe(question.message.seq);
    await nothingFor(other);

    await chair.ok('sendChat', { text: 'Trả lời riêng', privateSiteId: DEMO.rooms[0].roomId });
    expect((await commune.next('chatMessage')).message).toMatchObject({ text: 'Trả lời riêng', fromChair: true });
    expect((await chair.next('chatMessage')).message.text).toBe('Trả lời riêng');
    await nothingFor(other);

    const otherHistory = await other.ok('chatHistory', {});
    expect(otherHistory.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect((await chair.ok('chatHistory', {})).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);

    // A site cannot write into another site's private conversation.
    const sneaky = await other.request('sendChat', { text: 'x', privateSiteId: DEMO.rooms[0].roomId });
    expect(sneaky).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('refuses a 10 000-character message and an empty one with clear errors; nothing is delivered or stored', async () => {
    const long = await commune.request('sendChat', { text: 'a'.repeat(10_000) });
    expect(long).toMatchObject({ ok: false, error: { code: 'CHAT_TOO_LONG' } });
    if (!long.ok) {
      expect(long.error.message).toContain('10000 ký tự');
      expect(long.error.messageEn).toContain('10000 characters');
    }
    expect(await commune.request('sendChat', { text: '   ' })).toMatchObject({
      ok: false,
      error: { code: 'CHAT_EMPTY' },
    });
    await nothingFor(chair);
    expect(await hub.scheduler.db.chatMessage.count({ where: { meetingId: DEMO.meetingId } })).toBe(5);
  });

  it('lets a burst of 50 through only up to the rate limit; the rest are refused, and other sites are unaffected', async () => {
    const acks = await Promise.all(
      Array.from({ length: 50 }, (_, i) => other.request('sendChat', { text: `tin ${i + 1}` })),
    );
    const accepted = acks.filter((a) => a.ok);
    const refused = acks.filter((a) => !a.ok);
    expect(accepted).toHaveLength(5);
    expect(refused.every((a) => !a.ok && a.error.code === 'CHAT_RATE_LIMITED')).toBe(true);
    expect((await received(chair, 5)).map((m) => m.text)).toEqual(['tin 1', 'tin 2', 'tin 3', 'tin 4', 'tin 5']);
    await nothingFor(chair);
    // The commune's own allowance is untouched, and the signaling connection still answers.
    await commune.ok('sendChat', { text: 'Vẫn gửi được' });
    expect((await received(chair, 1))[0]?.text).toBe('Vẫn gửi được');
    await other.ok('raiseHand', { raised: true });
  });

  it('lets the chair turn sites’ chat off: sites may then write only to the chair; the switch is audited', async () => {
    await chair.ok('setChatEnabled', { enabled: false });
    await waitFor('every site told chat is off', async () => {
      const { meeting } = await commune.next('meetingUpdated');
      return meeting.chatEnabled === false;
    });
    expect(await commune.request('sendChat', { text: 'Câu hỏi' })).toMatchObject({
      ok: false,
      error: { code: 'CHAT_OFF' },
    });
    await new Promise((r) => setTimeout(r, 2100)); // the commune's allowance refills by one message
    await commune.ok('sendChat', { text: 'Riêng cho chủ trì', privateSiteId: DEMO.rooms[0].roomId });
    await chair.ok('sendChat', { text: 'Chủ trì vẫn nói được' });
    await waitFor('the switch audited', async () => {
      const trail = await chairUser.call('GET', `/api/meetings/${DEMO.meetingId}/audit`);
      return trail.body.entries.some(
        (e: { action: string; details: { enabled?: boolean } }) =>
          e.action === 'chair.setChatEnabled' && e.details.enabled === false,
      );
    });
  });

  it('answers a message the database refuses with CHAT_NOT_SAVED; nothing is delivered and the order has no gap', async () => {
    const db = hub.scheduler.db;
    await drain(other);
    const last = (await chair.ok('chatHistory', {})).messages.at(-1)?.seq ?? 0;
    await db.$executeRawUnsafe(
      `CREATE TRIGGER refuse_chat BEFORE INSERT ON "ChatMessage" BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
    );
    try {
      expect(await chair.request('sendChat', { text: 'Không lưu được' })).toMatchObject({
        ok: false,
        error: { code: 'CHAT_NOT_SAVED' },
      });
    } finally {
      await db.$executeRawUnsafe('DROP TRIGGER refuse_chat');
    }
    await nothingFor(other);
    expect((await chair.ok('chatHistory', {})).messages.at(-1)?.seq).toBe(last);
    const sent = await chair.ok('sendChat', { text: 'Đã lưu lại được' });
    expect(sent.message.seq).toBe(last + 1);
    expect((await other.next('chatMessage')).message).toMatchObject({ seq: last + 1, text: 'Đã lưu lại được' });
  });

  it('goes with the attendance report: the printable page shows it as text, the CSV lists it', async () => {
    const page = await fetch(`${hub.url}/api/meetings/${DEMO.meetingId}/attendance.html`, {
      headers: { authorization: `Bearer ${await sessionOf(hub, DEMO.chair)}` },
    });
    const html = await page.text();
    expect(html).toContain('Nội dung trao đổi');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('Riêng: chủ trì – ');
    const res = await fetch(`${hub.url}/api/meetings/${DEMO.meetingId}/chat.csv`, {
      headers: { authorization: `Bearer ${await sessionOf(hub, DEMO.chair)}` },
    });
    expect(res.headers.get('content-disposition')).toContain('trao-doi-');
    const lines = (await res.text()).split('\r\n');
    expect(lines[0]).toBe('STT,Lúc (giờ Việt Nam),Điểm cầu gửi,Gửi tới,Nội dung');
    expect(lines[1]).toMatch(/^1,\d\d:\d\d \d\d\/\d\d\/\d{4},.*,Cả cuộc họp,Xin chào chủ trì$/);
  });
});

async function sessionOf(hub: Hub, account: { login: string; password: string }): Promise<string> {
  const res = await fetch(`${hub.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(account),
  });
  return (await res.json()).token;
}

describe('chat across a hub restart', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-chat-'));
  afterAll(() => {
    for (const s of sockets.splice(0)) s.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  // Two hub starts, each migrating and seeding a database: slow on a loaded machine.
  it('keeps the history and the chair’s switch', { timeout: 180_000 }, async () => {
    const env = { DEMO_DATA: 'true', SITE_RESUME_GRACE_MS: '0', DATA_DIR: dataDir };
    const first = await startTestHub(env);
    const chair = await joined(first, await login(first, DEMO.chair));
    const commune = await joined(first, await login(first, DEMO.rooms[0]));
    await commune.ok('sendChat', { text: 'Trước khi khởi động lại' });
    await chair.ok('sendChat', { text: 'Riêng', privateSiteId: DEMO.rooms[0].roomId });
    await chair.ok('setChatEnabled', { enabled: false });
    await waitFor('the switch stored', async () => {
      const row = await first.scheduler.db.meeting.findUnique({ where: { id: DEMO.meetingId } });
      return row?.liveState?.includes('"chatOff":true') ?? false;
    });
    for (const s of sockets.splice(0)) s.close();
    await first.close();

    const second = await startTestHub(env);
    try {
      // The stored chat cannot be read when the meeting's room opens: nothing is numbered until it can.
      const db = second.scheduler.db;
      await db.$executeRawUnsafe('ALTER TABLE "ChatMessage" RENAME TO "ChatMessageAway"');
      const back = await joined(second, await login(second, DEMO.rooms[0]));
      const own = { privateSiteId: DEMO.rooms[0].roomId };
      const unread = await back.request('sendChat', { text: 'Chưa đọc được', ...own });
      await db.$executeRawUnsafe('ALTER TABLE "ChatMessageAway" RENAME TO "ChatMessage"');
      expect(unread).toMatchObject({ ok: false, error: { code: 'CHAT_NOT_SAVED' } });

      expect(await back.request('sendChat', { text: 'Sau' })).toMatchObject({ ok: false, error: { code: 'CHAT_OFF' } });
      const reply = await back.ok('sendChat', { text: 'Tiếp', ...own });
      expect(reply.message.seq).toBe(3);
      const history = await back.ok('chatHistory', {});
      expect(history.messages.map((m) => [m.seq, m.text])).toEqual([
        [1, 'Trước khi khởi động lại'],
        [2, 'Riêng'],
        [3, 'Tiếp'],
      ]);
    } finally {
      for (const s of sockets.splice(0)) s.close();
      await second.close();
    }
  });
});
