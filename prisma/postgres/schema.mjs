// The PostgreSQL schema is not a second hand-kept file: it is prisma/schema.prisma
// with its datasource provider swapped and its client generated beside the
// SQLite one (scheduler/generated/prisma-postgres). Plain Node with no
// dependencies: scripts/bootstrap.mjs imports it before `npm ci` has run.
import fs from 'node:fs';
import path from 'node:path';

const PROVIDER = /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/;
const OUTPUT = /(generator\s+client\s*\{[^}]*?output\s*=\s*)"[^"]*"/;

/** The PostgreSQL text of a SQLite schema; `output` is the generated client's folder relative to where the text is written. */
export function postgresSchemaOf(sqliteSchema, output) {
  if (!PROVIDER.test(sqliteSchema))
    throw new Error('prisma/schema.prisma: no `provider = "sqlite"` in `datasource db`');
  const swapped = sqliteSchema.replace(PROVIDER, '$1"postgresql"');
  if (output === undefined) return swapped;
  if (!OUTPUT.test(swapped)) throw new Error('prisma/schema.prisma: no `output` in `generator client`');
  return swapped.replace(OUTPUT, `$1"${output}"`);
}

/**
 * Writes scheduler/generated/postgresql.prisma (ignored by git, like the
 * generated clients) for `prisma generate --schema` and returns its path.
 */
export function writePostgresSchema(repoRoot) {
  const sqliteSchema = fs.readFileSync(path.join(repoRoot, 'prisma', 'schema.prisma'), 'utf8');
  const file = path.join(repoRoot, 'scheduler', 'generated', 'postgresql.prisma');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, postgresSchemaOf(sqliteSchema, './prisma-postgres'));
  return file;
}

// `node prisma/postgres/schema.mjs` (part of `npm run db:generate`): writes the file and says where.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(
    `Wrote ${writePostgresSchema(path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..'))}`,
  );
}
