-- The chair's decisions about a live meeting (sfu/LiveState.ts), as JSON: they survive a hub restart.
-- PostgreSQL counterpart of migration.sql, written by `npm run db:postgres-migrations` (prisma/postgres/counterparts.ts):
-- the DDL between the schema before and after migration.sql. The hub applies it at start, in one transaction.

-- AlterTable
ALTER TABLE "Meeting" ADD COLUMN     "liveState" TEXT;
