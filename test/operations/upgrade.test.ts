// Upgrades: the current code starts on a database made by an earlier release
// (test/fixtures/upgrade, made by its make.ts) with every meeting, invitation,
// attendance row and account intact; a migration that fails puts the database
// back exactly as it was and says so.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { Hub } from '../../hub/Hub.ts';
import { StartRefused } from '../../scheduler/accountsAtStart.ts';
import { MIGRATIONS_DIR } from '../../scheduler/db.ts';
import { upgradeDatabase } from '../../scheduler/upgrade.ts';
import { fixtureFile } from '../fixtures/upgrade/make.ts';
import { login } from '../helpers/api.ts';
import { startTestHub } from '../helpers/hub.ts';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-upgrade-'));
let hub: Hub | undefined;

afterAll(async () => {
  await hub?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

const KEPT_TABLES = ['Unit', 'EndpointRoom', 'User', 'Meeting', 'Invitation', 'Attendance', 'AttendanceInterval'];
/** What the hub's start may change: the status sweep ends meetings the clock has passed since the fixture's day. */
const MAY_CHANGE: Record<string, string[]> = { Meeting: ['status', 'updatedAt', 'endedAt', 'endedById'] };

type Row = Record<string, unknown>;

function rowsOf(file: string): Record<string, Row[]> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(
      KEPT_TABLES.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY id`).all() as Row[]]),
    );
  } finally {
    db.close();
  }
}

/** Every table's definition and every row: two files with the same dump hold the same database. */
function dump(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db.prepare('SELECT name, sql FROM sqlite_master ORDER BY type, name').all() as Row[];
    const rows = tables
      .filter((t) => /^CREATE TABLE/.test(String(t.sql)))
      .map((t) => [t.name, db.prepare(`SELECT * FROM "${t.name}" ORDER BY rowid`).all()]);
    return JSON.stringify({ tables, rows });
  } finally {
    db.close();
  }
}

function copyFixture(name: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(fixtureFile(), path.join(dir, 'diemcau.db'));
  return dir;
}

describe('upgrading from the previous release’s database', () => {
  it('starts on the fixture with every meeting, invitation, attendance row and account intact', async () => {
    const before = rowsOf(fixtureFile());
    expect(before.Meeting?.length).toBeGreaterThan(5);
    expect(before.AttendanceInterval?.length).toBeGreaterThan(0);
    const dataDir = copyFixture('started');
    hub = await startTestHub({ DATA_DIR: dataDir, DEMO_DATA: 'false' }, 3);

    const after = rowsOf(path.join(dataDir, 'diemcau.db'));
    for (const table of KEPT_TABLES) {
      const ignored = MAY_CHANGE[table] ?? [];
      const kept = (rows: Row[] | undefined, columns: string[]) =>
        (rows ?? []).map((r) => Object.fromEntries(columns.filter((c) => !ignored.includes(c)).map((c) => [c, r[c]])));
      const columns = Object.keys(before[table]?.[0] ?? {});
      expect(kept(after[table], columns), table).toEqual(kept(before[table], columns));
    }
    // Accounts work as before (password hashes intact), and the old meeting's attendance report is served.
    const secretariat = await login(hub, { login: 'vanphong.tinh', password: 'vanphong123' });
    const report = await secretariat.call('GET', '/api/meetings/demo-giao-ban-thang/attendance');
    expect(report.status).toBe(200);
    const invited = before.Invitation?.filter((i) => i.meetingId === 'demo-giao-ban-thang').length ?? 0;
    expect(report.body.rows).toHaveLength(invited + 1); // and the chair's room
    expect(report.body.rows.some((r: { intervals: unknown[] }) => r.intervals.length > 0)).toBe(true);
  });

  it('a failing migration leaves the old database as it was and says so', async () => {
    const migrations = path.join(work, 'migrations');
    fs.cpSync(MIGRATIONS_DIR, migrations, { recursive: true });
    const failing = path.join(migrations, '29990101000000_fails_halfway');
    fs.mkdirSync(failing);
    // The first two statements succeed (SQLite migrations are not one transaction), the third fails.
    fs.writeFileSync(
      path.join(failing, 'migration.sql'),
      'ALTER TABLE "Meeting" ADD COLUMN "probe" TEXT;\nCREATE TABLE "HalfDone" ("id" TEXT PRIMARY KEY);\nINSERT INTO "NoSuchTable" ("id") VALUES (\'x\');\n',
    );
    const dataDir = copyFixture('failing');
    const file = path.join(dataDir, 'diemcau.db');
    const before = dump(file);

    const attempt = upgradeDatabase(`file:${file}`, pino({ level: 'silent' }), migrations);
    await expect(attempt).rejects.toThrow(StartRefused);
    await expect(attempt).rejects.toThrow(/put back exactly as it was before.*\n.*29990101000000_fails_halfway/);
    expect(dump(file)).toBe(before);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(fs.existsSync(`${file}.before-29990101000000_fails_halfway`)).toBe(true);
  });
});
