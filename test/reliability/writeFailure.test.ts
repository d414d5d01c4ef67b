// A write the database refuses (disk full, database locked) gets a clear error
// saying nothing was saved, and indeed nothing is half-written.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { startTestHub } from '../helpers/hub.ts';

let hub: Hub;
let token: string;

beforeAll(async () => {
  hub = await startTestHub({ DEMO_DATA: 'true' }, 2);
  const res = await fetch(`${hub.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'vanphong.tanphong', password: 'vanphong123' }),
  });
  token = (await res.json()).token;
});

afterAll(async () => {
  await hub.close();
});

function bookCommunes(title: string, day: string, agenda = 'Nội dung họp.') {
  return fetch(`${hub.url}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      title,
      agenda,
      invitationNumber: '77/GM-UBND',
      startAt: `${day}T08:00:00+07:00`,
      endAt: `${day}T10:00:00+07:00`,
      chairRoomId: 'hbx-h01-r1',
      mode: 'briefing',
      invite: { selectors: [{ unitId: 'hbx-h01', kind: 'commune' }] },
    }),
  });
}

async function counts() {
  const db = hub.scheduler.db;
  return { meetings: await db.meeting.count(), invitations: await db.invitation.count() };
}

describe('refused writes', () => {
  it('answers a full disk with 503 and a clear message, saves nothing, and works once space is back', async () => {
    const db = hub.scheduler.db;
    const before = await counts();
    const [row] = await db.$queryRawUnsafe<{ page_count: bigint }[]>('PRAGMA page_count');
    const pages = Number(row?.page_count);
    // SQLite reports SQLITE_FULL past this many pages: the disk is "full" now.
    await db.$queryRawUnsafe(`PRAGMA max_page_count = ${pages}`);
    // The agenda needs fresh pages, which the full disk cannot give.
    const res = await bookCommunes('Họp khi đĩa đầy', '2027-03-02', 'Nội dung chi tiết. '.repeat(1000));
    await db.$queryRawUnsafe('PRAGMA max_page_count = 1073741823');
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body.error.code).toBe('STORAGE_UNAVAILABLE');
    expect(body.error.message).toContain('hết dung lượng đĩa');
    expect(body.error.messageEn).toContain('nothing was saved');
    expect(await counts()).toEqual(before);

    const retry = await bookCommunes('Họp khi đĩa đầy', '2027-03-02', 'Nội dung chi tiết. '.repeat(1000));
    expect(retry.status).toBe(201);
    expect((await counts()).meetings).toBe(before.meetings + 1);
  });

  it('answers a database held locked by another process with 503 and saves nothing', async () => {
    const before = await counts();
    const file = hub.config.DATABASE_URL.replace(/^file:/, '');
    const other = new Database(file);
    other.exec('BEGIN EXCLUSIVE');
    try {
      const res = await bookCommunes('Họp khi cơ sở dữ liệu bị khóa', '2027-03-09');
      expect(res.status).toBe(503);
      const body = await res.json();
      expect(body.error.message).toContain('đang bận');
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(await counts()).toEqual(before);
  });
});
