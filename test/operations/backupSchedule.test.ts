// The daily backup's next time and the retention: the newest BACKUP_KEEP
// backups stay, older ones and a crash's abandoned ".partial" folder go, and a
// backup still being written is left alone.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nextDailyRun } from '../../hub/backup/dailyBackups.ts';
import { listBackups, pruneBackups } from '../../hub/backup/manifest.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diemcau-backups-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function fakeBackup(name: string, takenAt: string): void {
  fs.mkdirSync(path.join(dir, name));
  fs.writeFileSync(path.join(dir, name, 'manifest.json'), JSON.stringify({ takenAt }));
}

describe('daily backups', () => {
  it('runs next at the configured local time, today if still ahead, else tomorrow', () => {
    const morning = new Date(2026, 10, 29, 1, 0);
    expect(nextDailyRun('02:30', morning)).toEqual(new Date(2026, 10, 29, 2, 30));
    expect(nextDailyRun('02:30', new Date(2026, 10, 29, 2, 30))).toEqual(new Date(2026, 10, 30, 2, 30));
    expect(nextDailyRun('00:00', new Date(2026, 11, 31, 23, 59))).toEqual(new Date(2027, 0, 1, 0, 0));
  });

  it('keeps the newest backups and removes older ones and abandoned partial folders', () => {
    for (let day = 1; day <= 5; day++) {
      fakeBackup(`diemcau-2026-11-0${day}T02-30-00Z`, `2026-11-0${day}T02:30:00.000Z`);
    }
    fs.mkdirSync(path.join(dir, 'diemcau-2026-11-06T02-30-00Z.partial'));
    fs.mkdirSync(path.join(dir, 'diemcau-2026-10-01T02-30-00Z.partial'));
    const old = new Date(Date.now() - 24 * 3600_000);
    fs.utimesSync(path.join(dir, 'diemcau-2026-10-01T02-30-00Z.partial'), old, old);
    fs.mkdirSync(path.join(dir, 'not-a-backup'));

    const removed = pruneBackups(dir, 3).map((d) => path.basename(d));
    expect(removed.sort()).toEqual([
      'diemcau-2026-10-01T02-30-00Z.partial',
      'diemcau-2026-11-01T02-30-00Z',
      'diemcau-2026-11-02T02-30-00Z',
    ]);
    expect(listBackups(dir).map((b) => path.basename(b.dir))).toEqual([
      'diemcau-2026-11-05T02-30-00Z',
      'diemcau-2026-11-04T02-30-00Z',
      'diemcau-2026-11-03T02-30-00Z',
    ]);
    // A backup being written right now and a folder that is not a backup are left alone.
    expect(fs.existsSync(path.join(dir, 'diemcau-2026-11-06T02-30-00Z.partial'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'not-a-backup'))).toBe(true);
  });
});
