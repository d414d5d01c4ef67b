// What a PostgreSQL database's schema is, as sorted lines read from pg_catalog:
// tables and their columns (type, nullability, default), indexes and
// constraints (primary keys, unique, foreign keys with their actions). Two
// databases with the same lines have the same schema for the scheduler.
import pg from 'pg';
import { APPLIED_TABLE } from '../../scheduler/postgresMigrations.ts';

const COLUMNS = `
  SELECT c.relname AS "table", a.attname AS "name", format_type(a.atttypid, a.atttypmod) AS "type",
         a.attnotnull AS "notNull", pg_get_expr(d.adbin, d.adrelid) AS "default"
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`;

const INDEXES = `SELECT tablename AS "table", indexdef AS "definition" FROM pg_indexes WHERE schemaname = 'public'`;

const CONSTRAINTS = `
  SELECT c.relname AS "table", k.conname AS "name", pg_get_constraintdef(k.oid) AS "definition"
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = 'public'`;

/** One line per column, index and constraint, sorted; the hub's own migrations table is left out. */
export async function schemaShape(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const lines: string[] = [];
    const ours = (table: string) => table !== APPLIED_TABLE;
    for (const c of (await client.query(COLUMNS)).rows.filter((r) => ours(r.table))) {
      const nullability = c.notNull ? 'NOT NULL' : 'NULL';
      lines.push(`column ${c.table}.${c.name} ${c.type} ${nullability}${c.default ? ` DEFAULT ${c.default}` : ''}`);
    }
    for (const i of (await client.query(INDEXES)).rows.filter((r) => ours(r.table))) {
      lines.push(`index ${i.definition}`);
    }
    for (const k of (await client.query(CONSTRAINTS)).rows.filter((r) => ours(r.table))) {
      lines.push(`constraint ${k.table}.${k.name} ${k.definition}`);
    }
    return lines.sort();
  } finally {
    await client.end();
  }
}

/** The lines only one of the two shapes has, marked with the side that has them; empty when they match. */
export function shapeDifferences(expected: string[], actual: string[]): string[] {
  const a = new Set(actual);
  const e = new Set(expected);
  return [
    ...expected.filter((line) => !a.has(line)).map((line) => `missing: ${line}`),
    ...actual.filter((line) => !e.has(line)).map((line) => `extra:   ${line}`),
  ];
}
