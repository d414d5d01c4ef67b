// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// Room details and calendar feeds as an attacker with an ordinary account would
// try them: another district's room is not found, the feed link goes only to
// those who may hold it, a rotated link stops working, and a room code with
// Vietnamese letters or a quote cannot break the download's headers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, startHub, type TestHub } from './helpers.ts';

let hub: TestHub;
let districtSecretariat: Client;
let districtChair: Client;

const OWN_DISTRICT_ROOM = 'hbx-h01-x01-r1';
const OTHER_DISTRICT_ROOM = 'hbx-h02-x01-r1';

beforeAll(async () => {
  hub = await startHub({ DEMO_DATA: 'true' });
  districtSecretariat = await hub.login('vanphong.tanphong', 'vanphong123');
  districtChair = await hub.login('chutri.tanphong', 'chutri123');
});

afterAll(async () => {
  await hub?.close();
});

async function feed(url: string) {
  return fetch(`${hub.url}${url}`);
}

describe('rooms and their calendar feeds, by scope', () => {
  it('searching rooms by name ignores letter case (on SQLite and PostgreSQL alike), within the scope', async () => {
    const res = await districtSecretariat.call('GET', `/api/rooms?q=${encodeURIComponent('hội trường ubnd')}`);
    expect(res.status).toBe(200);
    const names = res.body.rooms.map((r: any) => r.name);
    expect(names).toContain('Hội trường UBND huyện Tân Phong');
    // The province's hall matches too, but is not the district's to see.
    expect(names).not.toContain('Hội trường UBND tỉnh');
  });

  it('a room outside the user’s scope is not found, and gives no feed link', async () => {
    const res = await districtSecretariat.call('GET', `/api/rooms/${OTHER_DISTRICT_ROOM}`);
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('calendar.ics');
    expect((await districtChair.call('GET', `/api/rooms/${OTHER_DISTRICT_ROOM}`)).status).toBe(404);
  });

  it('the feed link goes to the secretariat over the room, not to a chair', async () => {
    const sec = await districtSecretariat.call('GET', `/api/rooms/${OWN_DISTRICT_ROOM}`);
    expect(sec.status).toBe(200);
    expect(sec.body.calendarFeedUrl).toMatch(/calendar\.ics\?token=/);
    const chair = await districtChair.call('GET', `/api/rooms/${OWN_DISTRICT_ROOM}`);
    expect(chair.status).toBe(200);
    expect(chair.body.calendarFeedUrl).toBeUndefined();
    expect((await districtChair.call('POST', `/api/rooms/${OWN_DISTRICT_ROOM}/calendar-feed/rotate`)).status).toBe(403);
  });

  it('a rotated feed link stops working and the new one works', async () => {
    const old = (await districtSecretariat.call('GET', `/api/rooms/${OWN_DISTRICT_ROOM}`)).body.calendarFeedUrl;
    expect((await feed(old)).status).toBe(200);
    const rotated = await districtSecretariat.call('POST', `/api/rooms/${OWN_DISTRICT_ROOM}/calendar-feed/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.calendarFeedUrl).not.toBe(old);
    const refused = await feed(old);
    expect(refused.status).toBe(401);
    expect((await refused.json()).error.code).toBe('BAD_FEED_TOKEN');
    expect((await feed(rotated.body.calendarFeedUrl)).status).toBe(200);
  });

  it('a room code with Vietnamese letters and a quote gives a well-formed download name', async () => {
    const admin = await hub.login('admin', 'admin123');
    const created = await admin.call('POST', '/api/rooms', {
      unitId: 'hbx-h01-x02',
      name: 'Phòng họp phụ',
      code: 'Tân-Phú"; x=1',
    });
    expect(created.status).toBe(201);
    const room = await admin.call('GET', `/api/rooms/${created.body.room.id}`);
    const res = await feed(room.body.calendarFeedUrl);
    expect(res.status).toBe(200);
    // The header is exactly two parameters: an ASCII fallback and the Vietnamese name, the quote escaped.
    expect(res.headers.get('content-disposition')).toBe(
      `inline; filename=lich-Tan-Phu-x-1.ics; filename*=UTF-8''${encodeURIComponent('lich-Tân-Phú"; x=1.ics')}`,
    );
  });
});
