// What a meeting that spans hubs holds besides the media (sfu/span/): three
// real hubs in this process on one Redis and one PostgreSQL database, the
// demo meeting's chair on hub A (its home), a site on B, a site on C, over
// real socket.io signaling. A chat message from B reaches the chair on A and
// the site on C once, in order, with the history a late joiner on C reads;
// private messages reach only their addressee's hub; a refusal made on the
// home (chat off) reaches B as the home made it. A site on B is shown the
// recording A makes. A request to present from B appears at the chair on A;
// the chair's grant lets B's site present, and the chair's stop closes its
// content on B. A room uninvited through A's API leaves its meeting on C.
// When A goes away, the hub that takes the meeting over numbers the chat on
// from the old home's stored messages; the meeting ended through B's API ends
// on every hub.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../contract/chat.ts';
import type { MeetingState } from '../../contract/signaling.ts';
import { meetingHomeKey } from '../../hub/cluster/keys.ts';
import type { Hub } from '../../hub/Hub.ts';
import { type Cluster, postgresMissing, startCluster } from '../../prisma/postgres/cluster.ts';
import { type RedisServer, redisMissing, startRedis } from '../../scripts/redisServer.ts';
import { login } from '../helpers/api.ts';
import { DEMO, waitFor } from '../helpers/browser.ts';
import { startTestHub, tokenFor } from '../helpers/hub.ts';
import { redisPort } from '../helpers/ports.ts';
import { SignalingClient, vp8RtpParameters } from '../helpers/signalingClient.ts';
import { reportSkip } from '../helpers/skip.ts';

const missing = redisMissing() ?? postgresMissing();
reportSkip('meeting state across hubs (test/cluster/meetingStateAcrossHubs.test.ts)', missing);

const SECRET = 'a-secret-every-hub-of-the-deployment-shares-0123456789';
const MEETING = DEMO.meetingId;
const [x01, x02, x03] = DEMO.rooms;
/** PostgreSQL, Redis and three hubs to start: slow on a machine busy with other tests. */
const STARTUP_MS = 240_000;

interface Site {
  c: SignalingClient;
  /** Every chat message the site was delivered, in order. */
  chat: ChatMessage[];
  /** The latest meeting state it was told. */
  meeting: MeetingState;
  sendId: string;
}

describe.skipIf(missing)('a meeting’s state across hubs', () => {
  let redis: RedisServer;
  let postgres: Cluster;
  let a: Hub;
  let b: Hub;
  let c: Hub;
  const clients: SignalingClient[] = [];
  let chair: Site;
  let onB: Site;
  let onC: Site;
  /** Joins C after the first messages. */
  let late: Site;

  beforeAll(async () => {
    redis = await startRedis(redisPort());
    postgres = await startCluster();
    const databaseUrl = await postgres.createDatabase('spanstate');
    const env = (hubId: string) => ({
      REDIS_URL: redis.url(),
      DATABASE_URL: databaseUrl,
      HUB_ID: hubId,
      HUB_SECRET: SECRET,
      DEMO_DATA: 'true',
      SITE_RESUME_GRACE_MS: '0',
    });
    a = await startTestHub(env('hub-a'), 0);
    b = await startTestHub(env('hub-b'), 1);
    c = await startTestHub(env('hub-c'), 2);
  }, STARTUP_MS);

  afterAll(async () => {
    for (const client of clients) client.close();
    await c?.close();
    await b?.close();
    await a?.close(); // closed by the test already: closing again is a no-op
    postgres?.stop();
    await redis?.stop();
  });

  async function join(hub: Hub, roomId: string, role: 'chair' | 'site' = 'site'): Promise<Site> {
    const client = new SignalingClient(hub.url);
    clients.push(client);
    await client.connected();
    const token = await tokenFor(hub, { meetingId: MEETING, roomId, role, maxSites: 10 });
    const joined = await client.ok('join', { token });
    await client.ok('setRtpCapabilities', { rtpCapabilities: joined.routerRtpCapabilities });
    const send = await client.ok('createTransport', { direction: 'send' });
    const site: Site = { c: client, chat: [], meeting: joined.meeting, sendId: send.id };
    client.socket.on('chatMessage', ({ message }) => site.chat.push(message));
    client.socket.on('meetingUpdated', ({ meeting }) => {
      site.meeting = meeting;
    });
    return site;
  }

  const texts = (site: Site) => site.chat.map((m) => m.text);
  const until = (what: string, check: () => unknown, ms = 10_000) => waitFor(what, async () => check() || false, ms);

  it('opens the meeting on A (home) with B and C as its edges', async () => {
    chair = await join(a, DEMO.chairRoomId, 'chair');
    onB = await join(b, x01.roomId);
    onC = await join(c, x02.roomId);
    expect(await a.redis?.pub.get(meetingHomeKey(MEETING))).toBe('hub-a');
    expect(b.meetings.get(MEETING)?.span?.edge).toBe(true);
    expect(c.meetings.get(MEETING)?.span?.edge).toBe(true);
    await until('the chair’s board to list the sites of B and C', () =>
      [x01.roomId, x02.roomId].every((id) => a.meetings.get(MEETING)?.sites.has(id)),
    );
  });

  it('carries a chat message from B to the chair on A and the site on C, once and in order', async () => {
    const sent: ChatMessage[] = [];
    for (const text of ['Xã Tân Phú đã sẵn sàng.', 'Báo cáo số liệu quý III.', 'Xin hết.']) {
      sent.push((await onB.c.ok('sendChat', { text })).message);
    }
    // Numbered by the home, one after the other.
    expect(sent.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(sent[0]).toMatchObject({ siteId: x01.roomId, fromChair: false, privateSiteId: null });
    for (const site of [chair, onB, onC]) {
      await until('every site to get the three messages', () => site.chat.length >= 3);
    }
    await new Promise((r) => setTimeout(r, 500)); // a copy would have come by now
    for (const site of [chair, onB, onC]) {
      expect(site.chat.map((m) => m.seq)).toEqual([1, 2, 3]);
      expect(texts(site)).toEqual(sent.map((m) => m.text));
    }
    // The chair's answer on A reaches B and C.
    await chair.c.ok('sendChat', { text: 'Cảm ơn các điểm cầu.' });
    await until('B and C to get the chair’s message', () => onB.chat.length === 4 && onC.chat.length === 4);
    expect(onC.chat[3]).toMatchObject({ seq: 4, fromChair: true, siteId: DEMO.chairRoomId });
  });

  it('keeps private messages to their addressee’s hub, and the history on the home for every hub', async () => {
    // The chair writes privately to the site on C; the site on B writes privately to the chair.
    await chair.c.ok('sendChat', { text: 'Riêng cho xã C.', privateSiteId: x02.roomId });
    await onB.c.ok('sendChat', { text: 'Riêng cho chủ trì.', privateSiteId: x01.roomId });
    await until('C to get the chair’s private message', () => texts(onC).includes('Riêng cho xã C.'));
    await until('the chair to get B’s private message', () => texts(chair).includes('Riêng cho chủ trì.'));
    await new Promise((r) => setTimeout(r, 500));
    expect(texts(onB)).not.toContain('Riêng cho xã C.');
    expect(texts(onC)).not.toContain('Riêng cho chủ trì.');
    // A site's history on its edge is the home's, as the site sees it.
    const home = a.meetings.get(MEETING);
    const onAFor = async (id: string) => {
      const site = home?.sites.get(id);
      if (!site) throw new Error(`${id} is not on the chair’s board`);
      return home?.chat.history(site);
    };
    const historyC = (await onC.c.ok('chatHistory', {})).messages;
    expect(historyC).toEqual(await onAFor(x02.roomId));
    expect(historyC.map((m) => m.text)).toEqual(texts(onC));
    // A late joiner on C reads the same meeting-wide history, without the others' private messages.
    late = await join(c, x03.roomId);
    const historyLate = (await late.c.ok('chatHistory', {})).messages;
    expect(historyLate.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('refuses a message from B while the chair has the chat off, with the home’s own words', async () => {
    await chair.c.ok('setChatEnabled', { enabled: false });
    await until('B to be told the chat is off', () => onB.meeting.chatEnabled === false);
    const refused = await onB.c.request('sendChat', { text: 'Còn ai nghe không?' });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error.code).toBe('CHAT_OFF');
    expect(refused.error.message).toMatch(/[ăâđêôơư]/); // the home's Vietnamese message, not a bare error
    await chair.c.ok('setChatEnabled', { enabled: true });
    await until('B to be told the chat is on', () => onB.meeting.chatEnabled === true);
  });

  it('shows a site on B the recording the home makes', async () => {
    const started = await chair.c.ok('startRecording', {});
    await until('B to be shown the recording', () => onB.meeting.recording?.recordingId === started.recordingId);
    expect(onB.meeting.recording).toEqual(started);
    expect(b.meetings.get(MEETING)?.state().recording).toEqual(started);
    expect(c.meetings.get(MEETING)?.state().recording).toEqual(started);
    await chair.c.ok('stopRecording', {});
    await until('B to be shown the recording stopped', () => onB.meeting.recording === null);
    expect(c.meetings.get(MEETING)?.state().recording).toBeNull();
  }, 30_000);

  it('takes a request to present from B to the chair, and the chair’s grant and stop back to B', async () => {
    const shareScreen = (site: Site, ssrc: number) =>
      site.c.request('produce', {
        transportId: site.sendId,
        kind: 'video',
        source: 'screen',
        rtpParameters: vp8RtpParameters(ssrc) as never,
      });
    // Not allowed yet: refused on B.
    const early = await shareScreen(onB, 5001);
    expect(early.ok).toBe(false);
    await onB.c.ok('requestPresentation', { requested: true });
    await until('the chair to see B’s request', () => chair.meeting.presentation.requests.includes(x01.roomId));
    await until('C to see B’s request', () => onC.meeting.presentation.requests.includes(x01.roomId));
    expect(onB.meeting.presentation.requests).toEqual([x01.roomId]);

    await chair.c.ok('answerPresentation', { siteId: x01.roomId, allowed: true });
    await until('B to be told it may present', () => onB.meeting.presentation.presenterSiteId === x01.roomId);
    expect(onB.meeting.presentation.requests).toEqual([]);
    const shared = await shareScreen(onB, 5002);
    expect(shared.ok).toBe(true);
    // Its content reaches the home: on the air for the chair.
    await until('the chair to see B’s content on the air', () => chair.meeting.presentation.live);
    expect(chair.meeting.layout.kind).toBe('content');
    // A site of C that was not allowed still cannot.
    expect((await shareScreen(onC, 5003)).ok).toBe(false);

    // The chair stops it: B's content closes on B.
    await chair.c.ok('stopPresentation', {});
    const siteOnB = b.meetings.get(MEETING)?.sites.get(x01.roomId);
    await until('B’s content closed on B', () => siteOnB?.producersOf('screen').length === 0);
    await until('B to be told it no longer presents', () => onB.meeting.presentation.presenterSiteId === null);

    // Granted again, the site on B ends its own presentation: the home hears it.
    await onB.c.ok('requestPresentation', { requested: true });
    await until('the chair to see B ask again', () => chair.meeting.presentation.requests.includes(x01.roomId));
    await chair.c.ok('answerPresentation', { siteId: x01.roomId, allowed: true });
    await until('B to be told it may present', () => onB.meeting.presentation.presenterSiteId === x01.roomId);
    await onB.c.ok('stopPresentation', {});
    await until('the chair to see the presentation over', () => chair.meeting.presentation.presenterSiteId === null);
  });

  it('removes a site on C when its room is uninvited through A', async () => {
    const kicked = onC.c.next('kicked', 10_000);
    const secretariat = await login(a, { login: 'vanphong.tinh', password: 'vanphong123' });
    const res = await secretariat.call('POST', `/api/meetings/${MEETING}/invitations/remove`, {
      roomIds: [x02.roomId],
    });
    expect(res.status).toBe(200);
    expect((await kicked).reason).toBe('uninvited');
    await until('C to let the site go', () => !c.meetings.get(MEETING)?.sites.has(x02.roomId));
    await until('the chair’s board on A to drop it', () => !a.meetings.get(MEETING)?.sites.has(x02.roomId));
    expect(a.meetings.get(MEETING)?.sites.has(x01.roomId)).toBe(true);
  });

  it('goes on numbering the chat on the hub that takes the meeting over, and ends everywhere when B’s API ends it', async () => {
    // The home goes away: B and C race for the meeting; one becomes home, the other its edge.
    await a.close();
    await until('B or C to be home, with the other’s site on its board', () => {
      const home = [b, c].map((hub) => hub.meetings.get(MEETING)).find((m) => m?.span?.edge === false);
      return home?.sites.has(x01.roomId) && home.sites.has(x03.roomId);
    });
    const sent = (await onB.c.ok('sendChat', { text: 'Điểm cầu B vẫn ở đây.' })).message;
    // After the six messages the old home stored (two of them private), not a number used already.
    expect(sent.seq).toBe(7);
    await until('the site on C to get it', () => late.chat.some((m) => m.seq === 7));
    expect((await late.c.ok('chatHistory', {})).messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 7]);

    const ended = onB.c.next('kicked', 10_000);
    const onBSecretariat = await login(b, { login: 'vanphong.tinh', password: 'vanphong123' });
    const res = await onBSecretariat.call('POST', `/api/meetings/${MEETING}/end`, {});
    expect(res.status).toBe(200);
    expect((await ended).reason).toBe('ended');
    await until('the meeting closed on B and C', () => [b, c].every((hub) => !hub.meetings.get(MEETING)));
  });
});
