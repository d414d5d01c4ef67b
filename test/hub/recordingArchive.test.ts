// biome-ignore-all lint/suspicious/noExplicitAny: API JSON bodies are loosely typed in tests
// The meeting archive on a real hub: who sees a meeting's recordings (and who
// gets 404 as if there were none), the MP4 served in byte ranges, downloads and
// deletions in the audit log, the retention sweep, and the storage figures on
// /api/health, /metrics and the health report.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { recordingDir, recordingMp4 } from '../../scheduler/recordingFiles.ts';
import { startTestHub } from '../helpers/hub.ts';
import { makeTestMp4, seedRecording } from '../helpers/recordings.ts';

const MEETING = 'demo-live';
const DAY_MS = 86_400_000;
let hub: Hub;
let mp4: string;
let bytes: Buffer;
let readyId: string;
let secretariatId: string;
const tokens: Record<string, string> = {};

async function signIn(login: string, password: string): Promise<string> {
  const res = await fetch(`${hub.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  expect(res.status).toBe(200);
  return (await res.json()).token;
}

function get(who: string, route: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${hub.url}${route}`, { headers: { authorization: `Bearer ${tokens[who]}`, ...headers } });
}

/** The meeting's audit trail (as its chair and secretariat read it), entries about one recording. */
async function recordingAudit(recordingId: string): Promise<any[]> {
  const res = await get('secretariat', `/api/meetings/${MEETING}/audit`);
  expect(res.status).toBe(200);
  return (await res.json()).entries.filter((e: any) => e.details?.recordingId === recordingId);
}

beforeAll(async () => {
  mp4 = makeTestMp4(3);
  bytes = fs.readFileSync(mp4);
  hub = await startTestHub({ DEMO_DATA: 'true', RECORDING_RETENTION_DAYS: '30' }, 2);
  tokens.secretariat = await signIn('vanphong.tinh', 'vanphong123');
  tokens.invited = await signIn('dc.h01', 'diemcau123');
  tokens.outsider = await signIn('dc.h02.x01', 'diemcau123');
  tokens.admin = await signIn('admin', 'admin123');
  const secretariat = await hub.scheduler.db.user.findUniqueOrThrow({ where: { login: 'vanphong.tinh' } });
  secretariatId = secretariat.id;
  readyId = await seedRecording(hub, { meetingId: MEETING, startedById: secretariatId }, mp4, 3000);
}, 120_000);

afterAll(async () => {
  await hub?.close();
  if (mp4) fs.rmSync(path.dirname(mp4), { recursive: true, force: true });
});

describe('who sees a meeting’s recordings', () => {
  it('lists them for the secretariat and an invited room, with start, duration, size, status and who started it', async () => {
    for (const who of ['secretariat', 'invited']) {
      const res = await get(who, `/api/meetings/${MEETING}/recordings`);
      expect(res.status).toBe(200);
      const { recordings } = await res.json();
      const r = recordings.find((x: any) => x.id === readyId);
      expect(r).toMatchObject({
        status: 'ready',
        durationMs: 3000,
        sizeBytes: bytes.length,
        stopReason: 'chair',
        startedBy: { id: secretariatId, name: expect.any(String) },
        canDelete: who === 'secretariat',
      });
    }
  });

  it('answers 404 to a room that may not see the meeting, for the list and the file alike', async () => {
    expect((await get('outsider', `/api/meetings/${MEETING}`)).status).toBe(404);
    const list = await get('outsider', `/api/meetings/${MEETING}/recordings`);
    expect(list.status).toBe(404);
    const file = await get('outsider', `/api/recordings/${readyId}/file`);
    expect(file.status).toBe(404);
    expect((await file.json()).error.code).toBe('NOT_FOUND');
    expect((await get('outsider', `/api/recordings/no-such-recording/file`)).status).toBe(404);
  });
});

describe('the MP4 in byte ranges', () => {
  it('sends the whole file with its name, type and Accept-Ranges', async () => {
    const res = await get('secretariat', `/api/recordings/${readyId}/file`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('video/mp4');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename=Ghi-hinh-+Hoi-nghi-truc-tuyen-chi-dao-dieu-hanh/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toMatch(
      /^Ghi hình - Hội nghị trực tuyến chỉ đạo, điều hành phòng, chống dịch bệnh - \d{4}-\d{2}-\d{2} \d{2}h\d{2}\.mp4$/,
    );
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);

    // A player may ask for the size first.
    const head = await fetch(`${hub.url}/api/recordings/${readyId}/file`, {
      method: 'HEAD',
      headers: { authorization: `Bearer ${tokens.secretariat}` },
    });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(bytes.length);
    expect(head.headers.get('accept-ranges')).toBe('bytes');
  });

  it('answers a range with 206 and exactly those bytes; open-ended and suffix ranges too', async () => {
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=100-1123', 100, 1123],
      [`bytes=${bytes.length - 500}-`, bytes.length - 500, bytes.length - 1],
      ['bytes=-700', bytes.length - 700, bytes.length - 1],
      [`bytes=10-${bytes.length + 5000}`, 10, bytes.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await get('invited', `/api/recordings/${readyId}/file?inline=true`, { range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${bytes.length}`);
      expect(res.headers.get('content-disposition')).toMatch(/^inline;/);
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.length, range).toBe(end - start + 1);
      expect(body.equals(bytes.subarray(start, end + 1)), range).toBe(true);
    }
  });

  it('answers 416 for a range outside the file, saying how big it is', async () => {
    for (const range of [`bytes=${bytes.length}-`, `bytes=${bytes.length + 10}-${bytes.length + 20}`, 'bytes=-0']) {
      const res = await get('secretariat', `/api/recordings/${readyId}/file`, { range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
      expect((await res.json()).error.code).toBe('RANGE_NOT_SATISFIABLE');
    }
  });

  it('refuses the file of a recording still being built', async () => {
    const building = await seedRecording(hub, { meetingId: MEETING, status: 'building', buildProgress: 0.4 }, mp4);
    const res = await get('secretariat', `/api/recordings/${building}/file`);
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('RECORDING_NOT_READY');
    const { recordings } = await (await get('secretariat', `/api/meetings/${MEETING}/recordings`)).json();
    expect(recordings.find((r: any) => r.id === building)).toMatchObject({ buildProgress: 0.4, canDelete: false });
  });
});

describe('downloads and deletions', () => {
  it('puts a download and a playback in the audit log with the user, once per viewing', async () => {
    const actions = (await recordingAudit(readyId)).map((e: any) => `${e.action} ${e.userLogin}`);
    expect(actions).toContain('recording.download vanphong.tinh');
    expect(actions).toContain('recording.play dc.h01');
    // The seeks of one playback (ranges not from the start) add nothing.
    expect(actions.filter((a: string) => a === 'recording.play dc.h01')).toHaveLength(1);
  });

  it('lets only the chairing unit’s secretariat delete; the list then shows who deleted it and when', async () => {
    const id = await seedRecording(hub, { meetingId: MEETING }, mp4, 3000);
    const del = (who: string) =>
      fetch(`${hub.url}/api/recordings/${id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${tokens[who]}` },
      });
    expect((await del('outsider')).status).toBe(404);
    expect((await del('invited')).status).toBe(403);
    expect(fs.existsSync(recordingMp4(hub.config.RECORDINGS_DIR, id))).toBe(true);

    expect((await del('secretariat')).status).toBe(200);
    expect(fs.existsSync(recordingDir(hub.config.RECORDINGS_DIR, id))).toBe(false);
    const { recordings } = await (await get('invited', `/api/meetings/${MEETING}/recordings`)).json();
    expect(recordings.find((r: any) => r.id === id)).toMatchObject({
      status: 'deleted',
      sizeBytes: null,
      deletedBy: { name: expect.any(String) },
      deletedAt: expect.any(String),
    });
    expect((await get('secretariat', `/api/recordings/${id}/file`)).status).toBe(409);
    expect((await del('secretariat')).status).toBe(409);
    const entries = await recordingAudit(id);
    expect(entries.map((e: any) => `${e.action} ${e.userLogin}`)).toEqual(['recording.delete vanphong.tinh']);
  });
});

describe('retention and storage', () => {
  it('the sweep deletes an old ready recording’s files and keeps a young one and one still building', async () => {
    const old = new Date(Date.now() - 31 * DAY_MS);
    const oldReady = await seedRecording(hub, { meetingId: MEETING, startedAt: old }, mp4, 3000);
    const oldBuilding = await seedRecording(hub, { meetingId: MEETING, startedAt: old, status: 'building' }, mp4);
    const young = await seedRecording(hub, { meetingId: MEETING, startedAt: new Date(Date.now() - 29 * DAY_MS) }, mp4);

    expect(await hub.scheduler.sweepRecordings(new Date())).toBe(1);
    expect((await recordingAudit(oldReady)).map((e: any) => [e.action, e.userLogin])).toEqual([
      ['recording.expire', null],
    ]);
    const dir = hub.config.RECORDINGS_DIR;
    expect(fs.existsSync(recordingDir(dir, oldReady))).toBe(false);
    expect(fs.existsSync(recordingDir(dir, oldBuilding))).toBe(true);
    expect(fs.existsSync(recordingMp4(dir, young))).toBe(true);
    const { recordings } = await (await get('secretariat', `/api/meetings/${MEETING}/recordings`)).json();
    const status = (id: string) => recordings.find((r: any) => r.id === id).status;
    expect([status(oldReady), status(oldBuilding), status(young)]).toEqual(['deleted', 'building', 'ready']);
  });

  it('shows the bytes, the count by status and the free space on /api/health, /metrics and the health report', async () => {
    const onDisk = (d: string): number =>
      fs
        .readdirSync(d, { withFileTypes: true })
        .reduce(
          (n, e) => n + (e.isDirectory() ? onDisk(path.join(d, e.name)) : fs.statSync(path.join(d, e.name)).size),
          0,
        );
    const expectedBytes = onDisk(hub.config.RECORDINGS_DIR);
    const counts = await hub.scheduler.db.recording.groupBy({ by: ['status'], _count: { _all: true } });
    const ready = counts.find((c) => c.status === 'ready')?._count._all;
    expect(ready).toBeGreaterThanOrEqual(2);

    const health = await (await fetch(`${hub.url}/api/health`)).json();
    expect(health.recordings).toMatchObject({ dir: hub.config.RECORDINGS_DIR, bytes: expectedBytes });
    expect(health.recordings.byStatus.ready).toBe(ready);
    expect(health.recordings.freeBytes).toBeGreaterThan(0);

    const metrics = await (await fetch(`${hub.url}/metrics`)).text();
    expect(metrics).toContain(`diemcau_recordings_bytes ${expectedBytes}`);
    expect(metrics).toContain(`diemcau_recordings{status="ready"} ${ready}`);
    expect(metrics).toMatch(/diemcau_recordings_free_bytes \d+/);

    const report = await (await get('admin', '/api/health/report')).json();
    const check = report.checks.find((c: any) => c.key === 'recordings');
    expect(check.state.vi).toContain(`${ready} bản sẵn sàng`);
    expect(check.state.en).toContain('kept 30 days');
  });

  it('a backup holds the recordings’ index (the database), not their files', async () => {
    const taken = await hub.backups.runNow();
    expect(taken.manifest.verified).toBe(true);
    expect(taken.manifest.rows.Recording).toBe(await hub.scheduler.db.recording.count());
    expect(fs.readdirSync(taken.dir).some((f) => f.includes('recording'))).toBe(false);
  });
});
