// Whether a SQLite file is a whole diemcau database this code can run on:
// SQLite's own integrity check, every table of the schema, and no migration
// this version does not know (a backup of a newer release).
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { committedMigrations } from '../../scheduler/db.ts';
import { Prisma } from '../../scheduler/generated/prisma/browser.ts';

export interface DatabaseCheck {
  ok: boolean;
  /** One sentence per problem found (English: read by administrators in a terminal and in logs). */
  problems: string[];
  /** Rows per table of the schema, for the manifest and the restore summary. */
  rows: Record<string, number>;
}

export const EXPECTED_TABLES: readonly string[] = Object.values(Prisma.ModelName);

export function verifyDatabase(file: string): DatabaseCheck {
  if (!fs.existsSync(file)) return { ok: false, problems: [`${file} does not exist.`], rows: {} };
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    return { ok: false, problems: [`${file} cannot be opened as SQLite: ${(err as Error).message}`], rows: {} };
  }
  try {
    return checkOpen(db);
  } catch (err) {
    return { ok: false, problems: [`${file} cannot be read: ${(err as Error).message}`], rows: {} };
  } finally {
    db.close();
  }
}

function checkOpen(db: Database.Database): DatabaseCheck {
  const problems: string[] = [];
  const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
  const verdict = integrity.map((r) => r.integrity_check);
  if (verdict.join() !== 'ok') problems.push(`integrity_check: ${verdict.slice(0, 5).join('; ')}`);
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name),
  );
  const rows: Record<string, number> = {};
  for (const table of EXPECTED_TABLES) {
    if (!tables.has(table)) {
      problems.push(`table ${table} is missing`);
      continue;
    }
    rows[table] = (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
  }
  if (!tables.has('_prisma_migrations')) {
    problems.push('table _prisma_migrations is missing (not a diemcau database)');
    return { ok: false, problems, rows };
  }
  const applied = (
    db.prepare('SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL').all() as {
      migration_name: string;
    }[]
  ).map((m) => m.migration_name);
  const known = new Set(committedMigrations());
  const unknown = applied.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    problems.push(`made by a newer diemcau (migrations ${unknown.join(', ')} are unknown to this version)`);
  }
  return { ok: problems.length === 0, problems, rows };
}
